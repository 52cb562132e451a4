"""Real processes over a real socket: kill -9 the extractor at random moments, then finish;
the raw data must equal an uninterrupted run's (no gap, no duplicate). Also the CLI's exit code."""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from legal2odoo.extract.actionstep.resources import FILES_DATASET, RESOURCES
from legal2odoo_sandbox.firm.actionstep import write_actionstep
from legal2odoo_sandbox.firm.core import Firm
from tests.actionstep.helpers import raw_rows, source_records

CLI = [sys.executable, "-m", "legal2odoo"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(firm: Path, *extra: str) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    cmd = [*CLI, "sandbox", "actionstep", "--firm", str(firm), "--port", str(port), *extra]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("local Actionstep API did not start")


def _env(port: int, tmp: Path) -> dict[str, str]:
    return {
        **os.environ,
        "ACTIONSTEP_API_URL": "",
        "ACTIONSTEP_ACCESS_TOKEN": "",
        "ACTIONSTEP_TOKEN_URL": f"http://127.0.0.1:{port}/api/oauth/token",
        "ACTIONSTEP_REFRESH_TOKEN": "sandbox-refresh-token",
        "ACTIONSTEP_CLIENT_ID": "sandbox-client",
        "ACTIONSTEP_CLIENT_SECRET": "sandbox-secret",
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, int]]:
    firm = tmp_path_factory.mktemp("killfirm")
    write_actionstep(Firm(seed=23, scale=80), firm)
    # 1200/min keeps a run a few seconds long, so kills land mid-run.
    proc, port = _serve(firm, "--rate", "1200/min", "--no-rotate-refresh")
    yield firm, port
    proc.terminate()
    proc.wait(10)


def _extract(data: Path, port: int, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [*CLI, "--data-dir", str(data), "extract", "actionstep"],
        env=_env(port, cwd),
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _snapshot(data: Path) -> dict[str, list[tuple[str, str]]]:
    names = [spec.name for spec in RESOURCES] + [FILES_DATASET]
    snap = {}
    for name in names:
        rows = raw_rows(data, name)
        if name == FILES_DATASET:
            pairs = [
                (r["id"], f"{r['sha256']}|{r['size']}|{r['mime']}|{r['original_name']}")
                for r in rows
            ]
        else:
            pairs = [(r["id"], r["record"]) for r in rows]
        snap[name] = sorted(pairs)
    return snap


@pytest.mark.slow  # six extractor processes over a real socket
def test_kill_nine_five_times_then_finish_equals_uninterrupted(
    server: tuple[Path, int], tmp_path: Path
) -> None:
    _, port = server
    clean = tmp_path / "clean"
    done = _extract(clean, port, tmp_path)
    assert done.wait(120) == 0, done.stdout.read().decode() if done.stdout else ""
    killed = tmp_path / "killed"
    rng = random.Random(2024)
    mid_run = 0
    state = killed / "state" / "actionstep" / "checkpoint.json"
    for _ in range(5):
        proc = _extract(killed, port, tmp_path)
        started = state.stat().st_mtime_ns if state.exists() else 0
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # wait for the run to be under way (imports are slow)
            if state.exists() and state.stat().st_mtime_ns != started:
                break
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        if state.exists() and json.loads(state.read_text())["run"] is not None:
            mid_run += 1
    assert mid_run >= 4, "kills should land while the run is unfinished"
    final = _extract(killed, port, tmp_path)
    output = final.communicate(timeout=120)[0].decode()
    assert final.returncode == 0, output
    assert "(resumed)" in output
    a, b = _snapshot(clean), _snapshot(killed)
    for name in a:
        ids = [i for i, _ in b[name]]
        assert len(ids) == len(set(ids)), f"{name}: duplicates after kills"
        assert a[name] == b[name], name
    assert sum(len(v) for v in a.values()) > 1000
    assert sorted(p.name for p in (clean / "files").iterdir()) == sorted(
        p.name for p in (killed / "files").iterdir() if not p.name.startswith(".")
    )


def test_cli_incomplete_exits_nonzero_with_resume_command(
    server: tuple[Path, int], tmp_path: Path
) -> None:
    firm, _ = server
    proc, port = _serve(firm, "--scopes", "actiontypes steps", "--no-rotate-refresh")
    try:
        run = subprocess.run(
            [
                *CLI,
                "--data-dir",
                str(tmp_path / "d"),
                "extract",
                "actionstep",
                "--resource",
                "actiontypes",
                "--resource",
                "users",
            ],
            env=_env(port, tmp_path),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        proc.terminate()
        proc.wait(10)
    assert run.returncode == 1
    assert "Resume with" in run.stdout and "extract actionstep" in run.stdout
    assert "sandbox-refresh-token" not in run.stdout + run.stderr  # secrets never printed


def test_real_socket_faults_raw_equals_generator(server: tuple[Path, int], tmp_path: Path) -> None:
    """Resets are real dropped connections here (not in-process exceptions)."""
    firm, _ = server
    faults = "429=5%,5xx=10%,reset=25%,truncate=10%"  # dense: a short run still meets each
    names = ("actions", "participants", "actionparticipants", "datacollectionrecordvalues")
    proc, port = _serve(firm, "--faults", faults, "--no-retry-after", "--no-rotate-refresh")
    try:
        run = subprocess.run(
            [*CLI, "--data-dir", str(tmp_path / "d"), "extract", "actionstep"]
            + [arg for name in names for arg in ("--resource", name)],
            env=_env(port, tmp_path),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=180,
        )
    finally:
        proc.terminate()
        proc.wait(10)
    assert run.returncode == 0, run.stdout + run.stderr
    summary = json.loads((tmp_path / "d" / "state" / "actionstep" / "last_run.json").read_text())
    stats = summary["stats"]
    assert stats["retries"] > 0 and stats.get("error:RemoteProtocolError", 0) > 0, stats
    for name in names:
        rows = raw_rows(tmp_path / "d", name)
        assert len(rows) == len({r["id"] for r in rows}), name
        assert {r["id"]: r["record"] for r in rows} == source_records(firm, name), name
