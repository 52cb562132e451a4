"""Trust: `verify` (read back every lead, partner, message and attachment of a full load and
compare them field by field, reconcile counts) and `report` against the sandbox Odoo (2 ms
latency per call). Preparation (firm, extract, build, load) is not measured.

Target from the issue: verify of 100,000 leads with their partners < 60 s; report < 5 s. The
sandbox keeps everything in memory, so the scale is capped (MAX_SCALE; 100,000 is measured by
hand, below) and the rate is what carries over. Items are the records verify compared (a lead
with a failed write is read back and reconciled, not compared).

Baseline, in the same run: reading back the same records by id over the same transport and
in the same chunks with the same fields, nothing compared (`python -m bench.trust_floor`).
verify reads back over JSON-RPC unless ODOO_PROTOCOL is set; the XML-RPC row shows what that
choice is worth.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from bench.loader import sandbox
from bench.measure import Measurement, run_step
from bench.trust_floor import FLOOR_FILE

TITLE = "Trust (verify and report) against the sandbox"
MAX_SCALE = 20_000
FLOOR = "baseline: read back the same records, no comparison"
DEFAULT_NOTE = "default transport (JSON-RPC on Odoo 17): read back, compare, reconcile"
XML_NOTE = "ODOO_PROTOCOL=xmlrpc: the same work with XML-RPC answers to parse"


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


def _compared(work: Path) -> int:
    """Records the last verify compared field by field (its verify.json)."""
    newest = max((work / "reports").glob("*/verify.json"), key=lambda p: p.stat().st_mtime)
    return int(json.loads(newest.read_text(encoding="utf-8"))["records_compared"])


def _verify(label: str, work: Path, env: dict[str, str], protocol: str, note: str) -> Measurement:
    measured = run_step(
        label,
        [*_cli(work), "verify", "--tolerance", "100"],
        unit="records",
        env={**env, "ODOO_PROTOCOL": protocol},
        note=note,
        baseline=FLOOR,
    )
    return replace(measured, items=_compared(work))


def run(scale: int, root: Path) -> list[Measurement]:
    scale = min(scale, MAX_SCALE)
    label = f"@{scale:,} leads"
    with sandbox() as env:
        work = _prepare(scale, root, env)
        verify = _verify(f"verify {label}", work, env, "", DEFAULT_NOTE)
        verify_xml = _verify(f"verify {label} over XML-RPC", work, env, "xmlrpc", XML_NOTE)
        floor = run_step(
            FLOOR,
            [sys.executable, "-m", "bench.trust_floor", str(work)],
            unit="records",
            env={**env, "ODOO_PROTOCOL": ""},
            note="search_read by id in chunks of 2,000, same fields, JSON-RPC",
        )
    report = run_step(
        f"report {label}", [*_cli(work), "report"], items=1, unit="report", note="offline"
    )
    floor = replace(floor, items=json.loads((work / FLOOR_FILE).read_text())["records"])
    return [verify, verify_xml, floor, report]
