"""A whole firm end to end on a real Odoo: generate, extract, build, preflight, load, verify.

`make bench-firm MATTERS=50000 LEADS=50000` with ODOO_URL, ODOO_DB, ODOO_USER, ODOO_PASSWORD
naming an Odoo 17 whose database may be written (a fresh one: REAL_ODOO_* and
REAL_ODOO_SCRIPTS let it be reset first with the real-odoo reset-db.sh, `--reset`). Each stage
is the `legal2odoo` command an operator runs, started as a child process: wall time, and peak
RSS as `wait4`'s ru_maxrss for that child, i.e. the largest single process in the stage's tree
(dbt, which `build` starts, is counted: it is reaped before the stage ends), not their sum.

The Actionstep extract goes through the local API (`legal2odoo sandbox actionstep`) at the
rate given (`--as-rate`, unthrottled when empty): its time is the local server's, reported
apart, and the time the real API's limit implies is computed from the extract's own request
count (pages of 200 records plus 5 MiB file parts, 429 answers left out) at `--real-limit`
requests per minute (Actionstep publishes no number; 120/min is this project's assumption).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from bench.actionstep import _free_port, _serve
from bench.measure import Measurement, run_step

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
START = "<!-- bench-firm: start (written by make bench-firm) -->"
END = "<!-- bench-firm: end -->"
PLACEHOLDER = (
    "50,000-matter end to end (issue 19, item 3): not run (shared machine); no make target yet."
)
TARGET_STAGES = ("build", "preflight", "load", "verify")
TARGET_SECONDS = 45 * 60
RSS_LIMIT_MB = 1024
SANDBOX_AS = {
    "ACTIONSTEP_API_URL": "",
    "ACTIONSTEP_ACCESS_TOKEN": "",
    "ACTIONSTEP_REFRESH_TOKEN": "sandbox-refresh-token",
    "ACTIONSTEP_CLIENT_ID": "sandbox-client",
    "ACTIONSTEP_CLIENT_SECRET": "sandbox-secret",
}


@dataclass
class Run:
    """Where the run works and what it measured."""

    root: Path
    matters: int
    leads: int
    stages: list[Measurement] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)

    @property
    def data(self) -> Path:
        return self.root / "data"

    def firm(self, side: str) -> Path:
        return self.root / f"firm-{side}"


def cli(run: Run, *args: str) -> list[str]:
    exe = Path(sys.executable).parent / "legal2odoo"
    return [str(exe), "--data-dir", str(run.data), *args]


def stage(
    run: Run,
    name: str,
    argv: list[str],
    *,
    items: int,
    unit: str,
    env: dict[str, str] | None = None,
    check: bool = True,
) -> Measurement:
    """One stage as a child process; a stage that reports findings through its exit status
    (check=False: preflight, verify) may exit non-zero, noted in the table."""
    print(f"\n=== {name} ({datetime.now(UTC):%H:%M:%S} UTC)", flush=True)
    measured = run_step(name, argv, items=items, unit=unit, env=env, check=check)
    run.stages.append(measured)
    return measured


def generate(run: Run, seed: int) -> None:
    """The Captorra side (and the firm's Odoo side) at LEADS, the Actionstep side at MATTERS."""
    sides = (("captorra", "odoo,captorra", run.leads), ("actionstep", "actionstep", run.matters))
    for side, which, scale in sides:
        out = ["sample-data", "--scale", str(scale), "--seed", str(seed)]
        out += ["--out", str(run.firm(side)), "--sides", which]
        stage(run, f"generate {side}", cli(run, *out), items=scale, unit=_unit(side))


def _unit(side: str) -> str:
    return "matters" if side == "actionstep" else "leads"


def extract_captorra(run: Run) -> None:
    firm = run.firm("captorra") / "captorra"
    argv = cli(run, "extract", "captorra", "--export", str(firm / "export.csv"))
    argv += ["--fields", str(firm / "fields.csv"), "--attachments", str(firm / "attachments")]
    stage(run, "extract captorra", argv, items=run.leads, unit="leads")


def extract_actionstep(run: Run, rate: int, real_limit: int) -> None:
    """Through the local API, served for the length of this stage only."""
    firm = run.firm("actionstep")
    port = _free_port()
    server = _serve(firm, port, rate or None)
    env = SANDBOX_AS | {"ACTIONSTEP_TOKEN_URL": f"http://127.0.0.1:{port}/api/oauth/token"}
    trust = firm / "actionstep" / "trust_ledger.csv"
    argv = cli(run, "extract", "actionstep", "--trust-export", str(trust))
    try:
        measured = stage(
            run, "extract actionstep", argv, items=run.matters, unit="matters", env=env
        )
    finally:
        server.terminate()
        server.wait(10)
    run.facts.append(_actionstep_fact(run, measured, rate, real_limit))


def _actionstep_fact(run: Run, measured: Measurement, rate: int, real_limit: int) -> str:
    summary = json.loads((run.data / "state" / "actionstep" / "last_run.json").read_text())
    stats = summary["stats"]
    requests, throttled = stats.get("requests", 0), stats.get("status:429", 0)
    answered = requests - throttled
    implied = answered / (real_limit / 60)
    served = f"at {rate}/min" if rate else "unthrottled"
    return (
        f"Actionstep extract through the local API ({served}): {run.matters:,} matters, "
        f"{requests:,} requests ({throttled:,} answered 429) in {measured.seconds:,.0f} s "
        f"({requests / measured.seconds:.1f} requests/s). At the real API's limit, assumed "
        f"{real_limit}/min, the {answered:,} answered requests (pages of 200 records, 5 MiB "
        f"file parts) need {implied:,.0f} s = {implied / 3600:.1f} h."
    )


def build_and_load(run: Run) -> None:
    """The operator's flow against its own Odoo (as `make demo` with ODOO_URL set)."""
    total = run.matters + run.leads
    stage(run, "extract odoo", cli(run, "extract", "odoo"), items=0, unit="target snapshot")
    stage(run, "build", cli(run, "build"), items=total, unit="matters+leads")
    stage(run, "preflight", cli(run, "preflight"), items=total, unit="matters+leads", check=False)
    _set_preflight_note(run, total)
    load = cli(run, "load", "--to", "odoo", "--apply-schema")
    stage(run, "load", load, items=total, unit="matters+leads")
    _set_load_rows(run)
    stage(run, "verify", cli(run, "verify"), items=total, unit="matters+leads", check=False)
    _set_verify_records(run)


def _set_load_rows(run: Run) -> None:
    """The load's unit becomes the rows it wrote (every model, from the ledger)."""
    with duckdb.connect(str(run.data / "audit.duckdb"), read_only=True) as con:
        rows = con.sql(
            "select action, count(*) from writes where run_id = "
            "(select run_id from runs order by started_at desc limit 1) group by action"
        ).fetchall()
    actions = dict(rows)
    written = sum(n for action, n in actions.items() if action != "failed")
    note = ", ".join(f"{n:,} {action}" for action, n in sorted(actions.items()))
    _replace_last(run, "load", written, "rows written", note)


def _newest_report(run: Run, name: str) -> dict | None:
    reports = sorted((run.data / "reports").glob(f"*/{name}"))
    return json.loads(reports[-1].read_text(encoding="utf-8")) if reports else None


def _set_preflight_note(run: Run, total: int) -> None:
    """Which checks block (a fresh Odoo lacks the custom fields `load --apply-schema` makes)."""
    report = _newest_report(run, "preflight.json")
    if report:
        findings = report["findings"]
        blocks = [f"{f['check']} ({f['count']})" for f in findings if f["severity"] == "block"]
        note = "blocks: " + ", ".join(blocks) if blocks else "nothing blocks"
        _replace_last(run, "preflight", total, "matters+leads", note)


def _set_verify_records(run: Run) -> None:
    summary = _newest_report(run, "verify.json")
    if not summary:
        return
    source = summary.get("source") or {}
    note = (
        f"{summary['records_with_differences']:,} of {summary['records_compared']:,} records "
        f"differ from the marts; from source: {source.get('records_with_differences', 0):,} of "
        f"{source.get('records_compared', 0):,} records and {source.get('invariants_failed', 0)}"
        f" of {source.get('invariants_checked', 0):,} invariants differ; "
        f"{len(summary['over_tolerance'])} record types beyond tolerance"
    )
    _replace_last(run, "verify", summary["records_compared"], "records compared", note)


def _replace_last(run: Run, name: str, items: int, unit: str, note: str) -> None:
    old = next(m for m in reversed(run.stages) if m.step == name)
    joined = "; ".join(part for part in (old.note, note) if part)
    new = Measurement(name, old.seconds, old.peak_rss_mb, items, unit, joined)
    run.stages[run.stages.index(old)] = new


def render(run: Run, command: str, load_before: str) -> str:
    lines = [
        START,
        f"### A {run.matters:,}-matter Actionstep and {run.leads:,}-lead Captorra firm end to "
        "end on a real Odoo 17",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, "
        f"{os.cpu_count()} cores, load average before the run {load_before}, after "
        f"{_load_average()}. Command:",
        "",
        f"    {command}",
        "",
        "Wall time per stage; peak RSS = ru_maxrss from wait4 on the stage's process: the "
        "largest single process of its tree (dbt under build included), not a sum.",
        "",
        "| stage | items | wall s | rate /s | peak RSS MB | note |",
        "|---|---:|---:|---:|---:|---|",
    ]
    lines += [_row(m) for m in run.stages]
    lines += ["", *(f"- {fact}" for fact in [*run.facts, *_verdicts(run)]), END]
    return "\n".join(lines) + "\n"


def _row(m: Measurement) -> str:
    rate = f"{m.rate:,.0f}" if m.rate else ""
    items = f"{m.items:,} {m.unit}" if m.items else m.unit
    return f"| {m.step} | {items} | {m.seconds:,.1f} | {rate} | {m.peak_rss_mb:,.0f} | {m.note} |"


def _verdicts(run: Run) -> list[str]:
    target = sum(m.seconds for m in run.stages if m.step in TARGET_STAGES)
    everything = sum(m.seconds for m in run.stages)
    peak = max(run.stages, key=lambda m: m.peak_rss_mb)
    met = "met" if target < TARGET_SECONDS else "not met"
    rss = "met" if peak.peak_rss_mb < RSS_LIMIT_MB else "not met"
    return [
        f"build + preflight + load + verify: {target:,.0f} s = {target / 60:.1f} min "
        f"(target < 45 min: {met}); every stage above: {everything:,.0f} s = "
        f"{everything / 60:.1f} min.",
        f"Peak RSS: largest {peak.peak_rss_mb:,.0f} MB in {peak.step} (target < 1 GiB in "
        f"every stage: {rss}).",
    ]


def _load_average() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def write_doc(section: str, doc: Path = DOC) -> None:
    """Replace the section between the markers, or the placeholder line the first time."""
    text = doc.read_text(encoding="utf-8")
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + section.rstrip("\n") + rest.split(END, 1)[1]
    elif PLACEHOLDER in text:
        text = text.replace(PLACEHOLDER, section.rstrip("\n"))
    else:
        text = text.rstrip("\n") + "\n\n" + section
    doc.write_text(text, encoding="utf-8")


def reset_odoo() -> None:
    """A fresh database with the real-odoo scripts (REAL_ODOO_* must match its setup)."""
    scripts = Path(os.environ.get("REAL_ODOO_SCRIPTS", "/work/shared/real-odoo"))
    subprocess.run([str(scripts / "reset-db.sh")], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--matters", type=int, default=50_000)
    parser.add_argument("--leads", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--work", type=Path, required=True, help="Scratch folder (emptied).")
    parser.add_argument("--as-rate", type=int, default=0, help="Local API limit /min; 0: none.")
    parser.add_argument("--real-limit", type=int, default=120, help="Real API requests/min.")
    parser.add_argument("--reset", action="store_true", help="reset-db.sh before the load.")
    parser.add_argument("--no-doc", action="store_true", help="Print only; leave the doc alone.")
    args = parser.parse_args()
    for key in ("ODOO_URL", "ODOO_DB", "ODOO_USER", "ODOO_PASSWORD"):
        if not os.environ.get(key):
            parser.error(f"{key} is not set: the benchmark loads into a real Odoo")
    shutil.rmtree(args.work, ignore_errors=True)
    run = Run(args.work, args.matters, args.leads)
    load_before = _load_average()
    generate(run, args.seed)
    extract_captorra(run)
    extract_actionstep(run, args.as_rate, args.real_limit)
    if args.reset:
        reset_odoo()
    build_and_load(run)
    command = f"make bench-firm MATTERS={args.matters} LEADS={args.leads}"
    command += f" AS_RATE={args.as_rate}" if args.as_rate else ""
    section = render(run, command, load_before)
    print("\n" + section)
    if not args.no_doc:
        write_doc(section)


if __name__ == "__main__":
    main()
