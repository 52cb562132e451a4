"""Actionstep benchmark: generator speed, and extraction through the local API at a rate limit.

The extract is judged against its own ideal measured in the same run: requests needed (pages at
200 per resource + 5 MiB file parts) divided by the server's limit. Scale and limit are
parameters because a 10,000-matter firm at 120 requests/min takes well over an hour.

    python -m bench.actionstep 200 120     # scale, limit per minute
"""

from __future__ import annotations

import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.measure import Measurement, run_step

TITLE = "Actionstep: generator and rate-limited extract through the local API"
RESOURCES = ("actions", "participants", "actionparticipants", "filenotes", "actiondocuments")
CHUNK = 5 * 1024 * 1024
GENERATE = (
    "import sys; from pathlib import Path; from legal2odoo_sandbox.firm.core import Firm; "
    "from legal2odoo_sandbox.firm.actionstep import write_actionstep; "
    "write_actionstep(Firm(seed=42, scale=int(sys.argv[1])), Path(sys.argv[2]))"
)


def requests_needed(firm: Path) -> int:
    """Pages per resource (an empty one still costs a request) plus document parts."""
    total = 0
    for name in RESOURCES:
        with (firm / "actionstep" / f"{name}.jsonl").open(encoding="utf-8") as handle:
            lines = 0
            for line in handle:
                lines += 1
                if name == "actiondocuments":
                    doc = json.loads(line)
                    if doc["file"] and doc["isDeleted"] != "T" and doc["fileSize"] > 0:
                        total += math.ceil(doc["fileSize"] / CHUNK)
        total += max(1, math.ceil(lines / 200))
    return total


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(firm: Path, port: int, limit: int | None) -> subprocess.Popen:
    """The local API on port, limit requests/min per user (None: no limit)."""
    cmd = [sys.executable, "-m", "legal2odoo", "sandbox", "actionstep", "--firm", str(firm)]
    cmd += ["--port", str(port)] + (["--rate", f"{limit}/min"] if limit else [])
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the local Actionstep API did not start")


def run(scale: int, limit: int = 120) -> list[Measurement]:
    with tempfile.TemporaryDirectory(prefix="bench-actionstep-") as tmp:
        firm, data = Path(tmp) / "firm", Path(tmp) / "data"
        generate = run_step(
            "actionstep generator",
            [sys.executable, "-c", GENERATE, str(scale), str(firm)],
            items=scale,
            unit="matters",
        )
        needed = requests_needed(firm)
        ideal = needed / (limit / 60)
        port = _free_port()
        server = _serve(firm, port, limit)
        env = {
            "ACTIONSTEP_API_URL": "",
            "ACTIONSTEP_ACCESS_TOKEN": "",
            "ACTIONSTEP_TOKEN_URL": f"http://127.0.0.1:{port}/api/oauth/token",
            "ACTIONSTEP_REFRESH_TOKEN": "sandbox-refresh-token",
            "ACTIONSTEP_CLIENT_ID": "sandbox-client",
            "ACTIONSTEP_CLIENT_SECRET": "sandbox-secret",
        }
        argv = [
            sys.executable,
            "-m",
            "legal2odoo",
            "--data-dir",
            str(data),
            "extract",
            "actionstep",
        ]
        for name in RESOURCES:
            argv += ["--resource", name]
        try:
            extract = run_step("actionstep extract", argv, env=env, unit="requests")
        finally:
            server.terminate()
            server.wait(10)
        summary = json.loads((data / "state" / "actionstep" / "last_run.json").read_text())
    return _report(scale, limit, generate, extract, summary, needed, ideal)


def _report(
    scale: int,
    limit: int,
    generate: Measurement,
    extract: Measurement,
    summary: dict,
    needed: int,
    ideal: float,
) -> list[Measurement]:
    requests = summary["stats"].get("requests", 0)
    throttled = summary["stats"].get("status:429", 0)
    sustained = requests / extract.seconds
    answered = (requests - throttled) / extract.seconds
    note = (
        f"{scale} matters at {limit}/min: {requests} requests ({needed} needed), "
        f"sustained {sustained * 60:.1f}/min = {sustained / (limit / 60):.0%} of the limit "
        f"({answered / (limit / 60):.0%} counting only answered requests), "
        f"429 on {throttled / max(1, requests):.2%}, wall {extract.seconds:.0f}s vs ideal "
        f"{ideal:.0f}s = {extract.seconds / ideal:.2f}x, peak RSS {extract.peak_rss_mb:.0f} MB"
    )
    return [
        generate,
        Measurement(
            "actionstep extract",
            extract.seconds,
            extract.peak_rss_mb,
            requests,
            "requests",
            note,
        ),
        Measurement("actionstep extract (ideal)", ideal, 0.0, needed, "requests", "needed ÷ limit"),
    ]


if __name__ == "__main__":
    scale = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else int(os.environ.get("AS_BENCH_LIMIT", 120))
    for measurement in run(scale, limit):
        print(
            f"{measurement.step}: {measurement.seconds:.1f}s, "
            f"{measurement.peak_rss_mb:.0f} MB, {measurement.note}"
        )
