"""Same-run A/B of the loader: two installs of legal2odoo load the same marts into a real Odoo
(reset before each load), alternating A B / B A / A B ..., and the loader process's wall time
and CPU time (user + system, from wait4) are reported per run and as mean and spread.

    python -m bench.loader_ab --before /tmp/before-venv/bin/python --after .venv/bin/python

Each python must import its own legal2odoo (e.g. a venv whose editable install points at the
other checkout). The marts are built once, with the `--after` install, against the target's
own snapshot. Needs ODOO_URL/ODOO_DB/ODOO_USER/ODOO_PASSWORD and REAL_ODOO_* for reset-db.sh.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.loader import RESET, _rows

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Run:
    variant: str
    wall_s: float
    cpu_s: float


def _cli(python: str, work: Path, *args: str) -> list[str]:
    return [python, "-m", "legal2odoo", "--data-dir", str(work), *args]


def prepare(python: str, root: Path, scale: int) -> Path:
    """A firm, its Captorra extract, the target's snapshot and the marts: not measured."""
    firm, work = root / "firm", root / "work"
    steps = [
        ("sample-data", "--scale", str(scale), "--out", str(firm)),
        ("extract", "captorra", "--export", str(firm / "captorra" / "export.csv")),
        ("extract", "odoo"),
        ("build",),
    ]
    for step in steps:
        subprocess.run(_cli(python, work, *step), check=True, stdout=subprocess.DEVNULL)
    return work


def measure_load(variant: str, python: str, work: Path) -> Run:
    """Reset the target, load a fresh copy of the marts, and time the loader process."""
    subprocess.run([str(RESET)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    copy = work.parent / f"load-{variant}"
    shutil.rmtree(copy, ignore_errors=True)
    copy.mkdir()
    shutil.copy(work / "warehouse.duckdb", copy / "warehouse.duckdb")
    if (work / "files").exists():
        (copy / "files").symlink_to(work / "files")
    argv = _cli(python, copy, "load", "--to", "odoo", "--apply-schema")
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{variant}: the load failed: {argv}")
    return Run(variant, wall, usage.ru_utime + usage.ru_stime)


def rounds(pythons: dict[str, str], work: Path, runs: int) -> list[Run]:
    """`runs` loads per variant, the order flipped every round (A B, B A, A B, ...)."""
    names = list(pythons)
    measured = []
    for round_ in range(runs):
        for name in names if round_ % 2 == 0 else names[::-1]:
            run = measure_load(name, pythons[name], work)
            log.warning("%s: wall %.2f s, cpu %.2f s", name, run.wall_s, run.cpu_s)
            measured.append(run)
    return measured


def render(measured: list[Run], rows: int) -> str:
    lines = [
        f"{rows:,} rows in the partner and lead marts per load (attachments too); "
        f"mean (min-max) over {len(measured) // 2} runs each",
        "",
        "| variant | wall s | loader CPU s | runs (wall / CPU s) |",
        "|---|---:|---:|---|",
    ]
    for name in dict.fromkeys(r.variant for r in measured):
        mine = [r for r in measured if r.variant == name]
        walls, cpus = [r.wall_s for r in mine], [r.cpu_s for r in mine]
        each = ", ".join(f"{r.wall_s:.2f} / {r.cpu_s:.2f}" for r in mine)
        lines.append(
            f"| {name} | {statistics.mean(walls):.2f} ({min(walls):.2f}-{max(walls):.2f}) "
            f"| {statistics.mean(cpus):.2f} ({min(cpus):.2f}-{max(cpus):.2f}) | {each} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", required=True, help="Python of the 'before' install.")
    parser.add_argument("--after", required=True, help="Python of the 'after' install.")
    parser.add_argument("--scale", type=int, default=1000, help="Leads of the sample firm.")
    parser.add_argument("--runs", type=int, default=3, help="Loads per variant.")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    for key in ("ODOO_URL", "ODOO_DB", "ODOO_USER", "ODOO_PASSWORD", "REAL_ODOO_DB"):
        if not os.environ.get(key):
            raise SystemExit(f"{key} is not set: point this at a private real Odoo")
    with tempfile.TemporaryDirectory(prefix="legal2odoo-ab-") as tmp:
        subprocess.run([str(RESET)], check=True, stdout=subprocess.DEVNULL)
        work = prepare(args.after, Path(tmp), args.scale)
        measured = rounds({"before": args.before, "after": args.after}, work, args.runs)
        print(render(measured, _rows(work)))


if __name__ == "__main__":
    main()
