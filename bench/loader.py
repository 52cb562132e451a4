"""Loader: `load --to odoo` against the sandbox Odoo (2 ms latency per call, like a LAN), each
step a child process on a fresh server, beside the same-run baselines:

- naive: one `create` per record (partners, then leads), on the first rows of each mart;
- raw load(): batched `load()` with the migration context and no bookkeeping (the server's
  capacity: what ours must approach while also looking up, ledgering and verifying); like
  ours it sets a contact's company in a second load() (bench/loader_baselines.py says why);
- ours with 1 worker, then 4 workers, both against a sandbox that serves 4 calls at once;
- raw load() and ours (1 worker) again over JSON-RPC (`ODOO_PROTOCOL=jsonrpc`; the others use
  XML-RPC, the default on Odoo 17 and 18);
- ours with 1 and 4 workers against a 4-call sandbox that spends 5 ms per row written (the
  real Odoo 17's measured load() rate) off this machine's CPU (`--ms-per-row`): a server with
  its own cores, where 4 workers can gain what the 2 shared cores here cannot give them;
- attachments alone (their leads loaded first, not measured) at two counts: peak RSS must not
  grow with the count (files stream in byte-bounded batches).

Rates include each child's start-up (imports, login, schema plan). Ratios compare rates (rows/s),
not times: the naive loader runs on a slice. The sandbox is one Python process (one core at a
time under the GIL) on the same machine as the loader, so parallel workers gain only what the
latency and the loader's own work leave to overlap.

With LEGAL2ODOO_BENCH_REAL=1 and ODOO_URL/ODOO_DB/ODOO_USER/ODOO_PASSWORD (and REAL_ODOO_*
for its reset-db.sh) the same steps also run on a real Odoo 17, reset before each step.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import duckdb

from bench.loader_baselines import PLAIN
from bench.measure import Measurement, run_step

TITLE = "Loader (load --to odoo) against the sandbox and a real Odoo 17"
MAX_SCALE = 20_000  # leads (~30,700 rows): enough that start-up weighs little on the rate
WORKERS_SCALE = 5_000  # leads (~7,700 rows) at 5 ms per row: ~40 s with 1 worker
NAIVE_ROWS = 1000  # per mart: the naive loader is measured on a slice, its rate compared
FEW_ATTACHMENTS = 100  # the small count of the attachment memory check
ATTACHMENTS = "odoo__ir_attachment"
# the server's own time per row written in the workers steps (--ms-per-row): batched load()
# with the migration context on a real Odoo 17 here ran 195 rows/s (odoo17-ingest-measured.md)
SERVER_MS_PER_ROW = 5.0
REAL_SCALE = 1000
REAL_NAIVE_ROWS = 200
RESET = Path(os.environ.get("REAL_ODOO_SCRIPTS", "/work/shared/real-odoo")) / "reset-db.sh"


def _bin(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def sandbox(
    latency_ms: int = 2, concurrency: int = 0, ms_per_row: float = 0.0
) -> Iterator[dict[str, str]]:
    """A fresh sandbox Odoo in its own process; yields the ODOO_* environment for it."""
    port = _free_port()
    argv = [
        _bin("legal2odoo"),
        "sandbox",
        "odoo",
        "--port",
        str(port),
        "--db",
        "bench",
        "--latency-ms",
        str(latency_ms),
        "--max-concurrency",
        str(concurrency),
        "--ms-per-row",
        str(ms_per_row),
    ]
    server = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield {
            "ODOO_URL": f"http://127.0.0.1:{port}",
            "ODOO_DB": "bench",
            "ODOO_USER": "admin",
            "ODOO_PASSWORD": "admin",
            "ODOO_PROTOCOL": "xmlrpc",
        }
    finally:
        server.terminate()
        server.wait(timeout=10)


def _rows(workdir: Path, limit: int | None = None) -> int:
    with duckdb.connect(str(workdir / "warehouse.duckdb"), read_only=True) as con:
        tables = {
            r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()
        }
        counts = {
            t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in PLAIN if t in tables
        }
    if limit is None:
        return sum(counts.values())
    return min(counts["odoo__res_partner"], limit) + min(counts["odoo__crm_lead"], limit)


def _prepare(scale: int, root: Path, odoo_env: dict[str, str]) -> Path:
    """Firm, extract captorra, extract odoo (from a fresh target), build: not measured here."""
    firm, work = root / f"loader-firm-{scale}", root / f"loader-work-{scale}"
    env = {**os.environ, **odoo_env}

    def cli(*args: str) -> None:
        subprocess.run(
            [_bin("legal2odoo"), "--data-dir", str(work), *args],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    cli("sample-data", "--scale", str(scale), "--out", str(firm))
    cli("extract", "captorra", "--export", str(firm / "captorra" / "export.csv"))
    cli("extract", "odoo")
    cli("build")
    return work


def _fresh_copy(work: Path, name: str) -> Path:
    target = work.parent / name
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    shutil.copy(work / "warehouse.duckdb", target / "warehouse.duckdb")
    if (work / "files").exists():  # attachments' bytes, read (not changed) by the loader
        (target / "files").symlink_to(work / "files")
    return target


def _load_argv(copy: Path, marts: tuple[str, ...], *extra: str) -> list[str]:
    only = [arg for table in marts for arg in ("--mart", table)]
    return [
        _bin("legal2odoo"),
        "--data-dir",
        str(copy),
        "load",
        "--to",
        "odoo",
        "--apply-schema",
        *only,
        *extra,
    ]


def _ours(work: Path, env: dict[str, str], label: str, rows: int, *extra: str) -> Measurement:
    copy = _fresh_copy(work, f"ours-{label}")
    return run_step(
        f"ours {label}",
        _load_argv(copy, PLAIN, *extra),
        items=rows,
        env=env,
        note="lookups, held-reference check, before-images, ledger, read-back of every row",
    )


def _attachments(work: Path, env: dict[str, str], count: int, sample: int | None) -> Measurement:
    """Partners and leads loaded first (not measured), then attachments alone."""
    copy = _fresh_copy(work, f"attachments-{count}")
    subprocess.run(
        _load_argv(copy, PLAIN),
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    extra = ("--sample", str(sample)) if sample else ()
    return run_step(
        f"ours attachments only, {count:,} files",
        _load_argv(copy, (ATTACHMENTS,), *extra),
        items=count,
        unit="files",
        env=env,
        note="files read and base64-encoded in byte-bounded batches",
    )


def _baseline(
    work: Path, env: dict[str, str], kind: str, label: str, rows: int, *extra: str
) -> Measurement:
    argv = [sys.executable, "-m", "bench.loader_baselines", kind, "--data-dir", str(work), *extra]
    note = "one create() per record" if kind == "naive" else "load() batches of 1,000, no checks"
    return run_step(f"{kind} {label}", argv, items=rows, env=env, note=note)


def _sandbox_steps(scale: int, root: Path) -> list[Measurement]:
    work = _prepared(scale, root)
    rows = _rows(work)
    label = f"sandbox @{scale:,} leads"
    with sandbox() as env:
        naive = _baseline(
            work, env, "naive", label, _rows(work, NAIVE_ROWS), "--limit", str(NAIVE_ROWS)
        )
    with sandbox() as env:
        raw = _baseline(work, env, "raw", label, rows)
    with sandbox(concurrency=4) as env:
        one = _ours(work, env, f"{label}, 1 worker, 4-call server", rows)
    with sandbox(concurrency=4) as env:
        four = _ours(work, env, f"{label}, 4 workers, 4-call server", rows, "--workers", "4")
    measured = [naive, raw, _compared(one, naive, raw), _compared(four, naive, raw, one)]
    return measured + _json_steps(work, rows, label, naive) + _attachment_steps(work)


def _json_steps(work: Path, rows: int, label: str, naive: Measurement) -> list[Measurement]:
    """Raw load() and ours again over JSON-RPC (ODOO_PROTOCOL=jsonrpc): cheaper to parse than
    XML-RPC on both ends; naive stays the XML-RPC one."""
    json = {"ODOO_PROTOCOL": "jsonrpc"}
    with sandbox() as env:
        raw = _baseline(work, {**env, **json}, "raw", f"{label}, JSON-RPC", rows)
    with sandbox(concurrency=4) as env:
        one = _ours(work, {**env, **json}, f"{label}, 1 worker, JSON-RPC", rows)
    return [raw, _compared(one, naive, raw)]


def _prepared(scale: int, root: Path) -> Path:
    with sandbox() as env:
        return _prepare(scale, root, env)


def _worker_steps(scale: int, root: Path) -> list[Measurement]:
    """1 and 4 workers against a 4-call sandbox whose per-row work is off this machine's CPU."""
    work = _prepared(scale, root)
    rows = _rows(work)
    label = f"sandbox @{scale:,} leads"
    server = f"4-call server at {SERVER_MS_PER_ROW:g} ms per row"
    with sandbox(concurrency=4, ms_per_row=SERVER_MS_PER_ROW) as env:
        one = _ours(work, env, f"{label}, 1 worker, {server}", rows)
    with sandbox(concurrency=4, ms_per_row=SERVER_MS_PER_ROW) as env:
        four = _ours(work, env, f"{label}, 4 workers, {server}", rows, "--workers", "4")
    return [one, replace(four, note=f"{four.note}; rate {_ratio(four, one):.2f} x 1 worker")]


def _attachment_steps(work: Path) -> list[Measurement]:
    total = _count(work, ATTACHMENTS)
    if total <= FEW_ATTACHMENTS:
        return []
    with sandbox() as env:
        few = _attachments(work, env, FEW_ATTACHMENTS, FEW_ATTACHMENTS)
    with sandbox() as env:
        many = _attachments(work, env, total, None)
    growth = many.peak_rss_mb / few.peak_rss_mb
    files = total / FEW_ATTACHMENTS
    note = f"peak RSS {growth:.2f} x the {FEW_ATTACHMENTS}-file run's for {files:.0f} x the files"
    return [few, replace(many, note=f"{many.note}; {note}")]


def _compared(
    ours: Measurement, naive: Measurement, raw: Measurement, single: Measurement | None = None
) -> Measurement:
    """`ours` with its rate against the baselines' in its note (targets: >= 10 x naive,
    4 workers >= 3 x 1 worker)."""
    ratios = [f"{_ratio(ours, naive):.1f} x naive", f"{_ratio(ours, raw):.0%} of raw load()"]
    if single is not None:
        ratios.append(f"{_ratio(ours, single):.2f} x 1 worker")
    return replace(ours, note=f"{ours.note}; rate {', '.join(ratios)}")


def _ratio(a: Measurement, b: Measurement) -> float:
    return (a.rate or 0.0) / (b.rate or 1.0)


def _count(work: Path, table: str) -> int:
    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        found = con.execute(
            "select count(*) from information_schema.tables where table_name = ?", [table]
        ).fetchone()[0]
        return con.execute(f"select count(*) from {table}").fetchone()[0] if found else 0


def _real_env() -> dict[str, str] | None:
    if os.environ.get("LEGAL2ODOO_BENCH_REAL") != "1":
        return None
    keys = ("ODOO_URL", "ODOO_DB", "ODOO_USER", "ODOO_PASSWORD")
    if not all(os.environ.get(k) for k in keys):
        return None
    return {k: os.environ[k] for k in keys}


def _reset_real() -> None:
    subprocess.run([str(RESET)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _real_steps(
    root: Path, env: dict[str, str], scale: int = REAL_SCALE, repeat: int = 1
) -> list[Measurement]:
    """Naive once; then raw load(), ours with won leads as plain load() makes them
    (LEGAL2ODOO_BATCH_WON=0) and ours (load/won_lost.py), `repeat` times, reset before each."""
    _reset_real()
    work = _prepare(scale, root / "real", env)
    rows = _rows(work)
    label = f"real Odoo 17 @{scale:,} leads"
    _reset_real()
    naive = _baseline(
        work, env, "naive", label, _rows(work, REAL_NAIVE_ROWS), "--limit", str(REAL_NAIVE_ROWS)
    )
    measured = [naive]
    for round_ in range(1, repeat + 1):  # a busy shared machine: repeated, spread reported
        tag = f"{label}, round {round_}" if repeat > 1 else label
        _reset_real()
        raw = _baseline(work, env, "raw", tag, rows)
        _reset_real()
        plain = _ours(work, {**env, "LEGAL2ODOO_BATCH_WON": "0"}, f"{tag}, plain won", rows)
        _reset_real()
        ours = _ours(work, {**env, "LEGAL2ODOO_BATCH_WON": "1"}, tag, rows)
        _reset_real()
        measured += [
            raw,
            _compared(plain, naive, raw),
            replace(
                _compared(ours, naive, raw),
                note=f"{_compared(ours, naive, raw).note}, {_ratio(ours, plain):.2f} x plain won",
            ),
        ]
    return measured


def run(scale: int, root: Path) -> list[Measurement]:
    measured = _sandbox_steps(min(scale, MAX_SCALE), root)
    measured += _worker_steps(min(scale, WORKERS_SCALE), root)
    real = _real_env()
    if real is not None:
        measured += _real_steps(root, real)
    return measured


def main() -> None:
    """`python -m bench.loader`: this section alone, printed (make bench runs it too)."""
    import argparse
    import logging
    import tempfile

    from bench.run import render

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=MAX_SCALE, help="Leads (sandbox steps).")
    parser.add_argument("--real-only", action="store_true", help="Only the real Odoo steps.")
    parser.add_argument("--real-scale", type=int, default=REAL_SCALE, help="Leads (real steps).")
    parser.add_argument("--repeat", type=int, default=1, help="Rounds of the real steps.")
    parser.add_argument(
        "--work",
        type=Path,
        help="Keep the prepared marts here (e.g. for "
        "bench.peer_loader); default a temporary folder.",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="legal2odoo-bench-") as tmp:
        root = args.work or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        real = _real_env()
        if args.real_only and real is None:
            raise SystemExit("--real-only needs LEGAL2ODOO_BENCH_REAL=1 and ODOO_* settings")
        if args.real_only and real:
            measured = _real_steps(root, real, args.real_scale, args.repeat)
        else:
            measured = run(args.scale, root)
    print(render([(TITLE, __doc__ or "", measured)]))


if __name__ == "__main__":
    main()
