"""Trust: `verify` (read back every lead, partner and message of a full load and compare them
field by field, reconcile counts) and `report` against the sandbox Odoo (2 ms latency per call).

Preparation (firm, extract, build, load) is not measured. Target from the issue: verify of
100,000 leads with their partners < 60 s; report < 5 s. The sandbox keeps everything in memory,
so the scale is capped (MAX_SCALE) and the rate is what carries over.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from bench.loader import sandbox
from bench.measure import Measurement, run_step

TITLE = "Trust (verify and report) against the sandbox"
MAX_SCALE = 20_000
COUNTED = ("odoo__crm_lead", "odoo__res_partner", "odoo__mail_message")


def _cli(work: Path) -> list[str]:
    return [str(Path(sys.executable).parent / "legal2odoo"), "--data-dir", str(work)]


def _prepare(scale: int, root: Path, env: dict[str, str]) -> Path:
    firm, work = root / f"trust-firm-{scale}", root / f"trust-work-{scale}"
    full_env = {**os.environ, **env}

    def cli(*args: str) -> None:
        subprocess.run([*_cli(work), *args], env=full_env, check=True, stdout=subprocess.DEVNULL)

    cli("sample-data", "--scale", str(scale), "--out", str(firm))
    cli("extract", "captorra", "--export", str(firm / "captorra" / "export.csv"))
    cli("extract", "odoo")
    cli("build")
    cli("load", "--to", "odoo", "--apply-schema")
    return work


def _records(work: Path) -> int:
    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        return sum(con.execute(f"select count(*) from {t}").fetchall()[0][0] for t in COUNTED)


def run(scale: int, root: Path) -> list[Measurement]:
    scale = min(scale, MAX_SCALE)
    label = f"@{scale:,} leads"
    with sandbox() as env:
        work = _prepare(scale, root, env)
        records = _records(work)
        verify = run_step(
            f"verify {label}",
            [*_cli(work), "verify", "--tolerance", "100"],
            items=records,
            unit="records",
            env=env,
            note="leads, partners and messages read back and compared; counts reconciled",
        )
    report = run_step(
        f"report {label}", [*_cli(work), "report"], items=1, unit="report", note="offline"
    )
    return [verify, report]
