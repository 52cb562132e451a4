"""The trust commands (`preflight`, `verify`, `report`, `export`), registered on the main CLI.

Heavy imports stay inside the commands so `legal2odoo --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from legal2odoo.trust.findings import BLOCK, DEGRADE, Finding
from legal2odoo.workdir import Workdir

STYLE = {BLOCK: "bold red", DEGRADE: "yellow"}
PIPED_WIDTH = 130  # rich falls back to 80 columns when piped: too narrow for the tables


def _console() -> Console:
    return Console() if sys.stdout.isatty() else Console(width=PIPED_WIDTH)


@click.command()
@click.option(
    "--odoo-snapshot",
    type=click.Path(exists=True, file_okay=False),
    help="Target Odoo snapshot folder [default: DATA_DIR/raw/odoo from `extract odoo`].",
)
@click.option("--offline", is_flag=True, help="Do not contact the target Odoo's API.")
@click.option(
    "--max-attachment-mb",
    type=float,
    default=25.0,
    show_default=True,
    help="Attachments larger than this are reported.",
)
@click.pass_obj
def preflight(
    workdir: Workdir, odoo_snapshot: str | None, offline: bool, max_attachment_mb: float
) -> None:
    """List what blocks or degrades the load, before anything is sent.

    Reads the marts, the review queue, the raw Captorra column list and the target snapshot;
    asks the target Odoo (ODOO_* settings) which version, edition and transport answer.
    Writes DATA_DIR/reports/<run>/preflight.json. Exit code 1 when something blocks.

    \b
    Example:
      legal2odoo preflight --odoo-snapshot data/sample/odoo
    """
    from legal2odoo.trust.data_map import render_lines
    from legal2odoo.trust.preflight import run_preflight

    try:
        result = run_preflight(
            workdir,
            Path(odoo_snapshot) if odoo_snapshot else None,
            check_api=not offline,
            max_attachment_mb=max_attachment_mb,
        )
    except FileNotFoundError as error:
        raise click.ClickException(str(error)) from error
    _console().print(findings_table(result.findings, f"preflight {result.run_id}"))
    click.echo("data map (source object: records -> Odoo; from seeds/mapping_spec.csv):")
    for line in render_lines(result.data_map):
        click.echo(f"  {line}")
    click.echo(f"details: {result.path}")
    if result.blocked:
        click.echo("the load is blocked: fix the findings marked 'block' first", err=True)
        raise SystemExit(1)


@click.command()
@click.argument("run_id", required=False)
@click.option(
    "--tolerance",
    type=float,
    help="Per cent of records allowed to differ or be missing "
    "[default: dbt var verify_tolerance_pct, else 0.5].",
)
@click.pass_obj
def verify(workdir: Workdir, run_id: str | None, tolerance: float | None) -> None:
    """Read back what a load run wrote, compare it field by field with the marts and
    reconcile counts per model (source, mart, ledger, Odoo).

    RUN_ID defaults to the newest run that was not rolled back. Reads over ODOO_PROTOCOL
    when set, else over JSON-RPC where the server has it (far cheaper to parse). Writes
    DATA_DIR/reports/<run>/diff.csv, field_mismatch.csv, reconciliation.csv, verify.json.
    Exit code 1 beyond the tolerance, with the rollback command.

    \b
    Example:
      legal2odoo verify && legal2odoo report
    """
    from legal2odoo.load.errors import OdooError
    from legal2odoo.load.ledger import LedgerBusy
    from legal2odoo.load.settings import load_settings
    from legal2odoo.trust.audit import NoRun
    from legal2odoo.trust.readback import connect_for_reading
    from legal2odoo.trust.verify import verify_run

    try:
        settings = load_settings()
        result = verify_run(workdir, lambda: connect_for_reading(settings), run_id, tolerance)
    except (OdooError, NoRun, FileNotFoundError, LedgerBusy) as error:
        raise click.ClickException(str(error)) from None
    console = _console()
    if result.source is not None:
        console.print(source_table(result))
        source = result.source
        click.echo(
            f"from the source: compared {source.records_compared:,} records field by field: "
            f"{source.records_differing:,} differ; cross-record checks: "
            f"{source.invariants_failed:,} of {source.invariants_checked:,} fail"
        )
    console.print(reconciliation_table(result))
    click.echo(
        f"load check: compared {result.compared:,} records with the marts: "
        f"{result.records_with_differences:,} differ ({result.difference_rate:.2%})"
    )
    click.echo(f"diff and rates: {result.folder}")
    if result.over_tolerance:
        for line in result.over_tolerance:
            click.echo(f"  beyond {result.tolerance_pct:g} %: {line}", err=True)
        click.echo(f"to undo this run: legal2odoo rollback {result.run_id}", err=True)
        raise SystemExit(1)
    click.echo(f"run {result.run_id} verified within {result.tolerance_pct:g} %")


@click.command()
@click.argument("run_id", required=False)
@click.pass_obj
def report(workdir: Workdir, run_id: str | None) -> None:
    """Write one self-contained HTML report of a load run a person can read: what moved,
    stages before and after, preflight findings, the field comparison, reconciliation,
    failures and the review queue, and how to roll back.

    RUN_ID defaults to the newest run that was not rolled back; run `verify` first.

    \b
    Example:
      legal2odoo report && open data/reports/*/report.html
    """
    from legal2odoo.load.ledger import LedgerBusy
    from legal2odoo.trust.audit import NoRun
    from legal2odoo.trust.report import write_report

    try:
        path = write_report(workdir, run_id)
    except (NoRun, FileNotFoundError, LedgerBusy) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"report: {path}")


@click.group()
def export() -> None:
    """Reference files for people: source workflows to rebuild, the schema the load needs.

    \b
    Example:
      legal2odoo export workflows
      legal2odoo export schema-plan
    """


@export.command("workflows")
@click.pass_obj
def export_workflows_command(workdir: Workdir) -> None:
    """DATA_DIR/exports/workflows.yaml: every Actionstep matter type with its steps in order,
    data collections and fields (plus any attribute the API returned that we do not
    interpret), and the Captorra intake form and pipelines, to rebuild in Odoo.

    \b
    Example:
      legal2odoo export workflows
    """
    from legal2odoo.trust.workflows import export_workflows

    click.echo(f"workflows: {export_workflows(workdir)}")


@export.command("schema-plan")
@click.pass_obj
def export_schema_plan(workdir: Workdir) -> None:
    """DATA_DIR/exports/odoo_schema_plan.yaml: the custom fields, stages, teams and tags the
    load needs and the target lacks (the loader's own plan: it applies exactly this file
    once `approved: true`). Reads the target Odoo (ODOO_* settings).

    \b
    Example:
      legal2odoo export schema-plan
    """
    from legal2odoo.cli.load import odoo_session
    from legal2odoo.load.marts import open_warehouse
    from legal2odoo.load.schema import plan_schema, write_plan

    path = workdir.exports / "odoo_schema_plan.yaml"
    try:
        with odoo_session() as odoo, open_warehouse(workdir.warehouse) as warehouse:
            plan = plan_schema(odoo, warehouse)
    except (FileNotFoundError, KeyError) as error:
        raise click.ClickException(f"cannot plan the schema from these marts: {error}") from None
    write_plan(plan, path)
    click.echo(
        f"schema plan {plan.digest()}: {len(plan.fields)} field(s), "
        f"{sum(len(v) for v in plan.records.values())} record(s) to create: {path}"
    )


def source_table(result: Any) -> Table:
    table = Table(title=f"reconciliation against the source, run {result.run_id}")
    headings = (
        "source",
        "record type",
        "source",
        "excluded",
        "in scope",
        "in Odoo",
        "missing",
        "held",
        "rate",
    )
    for number, heading in enumerate(headings):
        table.add_column(heading, justify="left" if number < 2 else "right")
    table.caption = (
        "counted in raw; excluded = by rule (deleted, hidden, pending, not delivered); "
        "missing includes held for review; rules and reasons: source_reconciliation.csv"
    )
    for c in result.source.reconciliation:
        cells = (c.source, c.excluded_by_rule, c.in_scope, c.in_odoo, c.missing, c.held_for_review)
        style = "red" if c.rate > result.tolerance_pct / 100 else ""
        table.add_row(
            c.source_system, c.record_type, *(f"{n:,}" for n in cells), f"{c.rate:.2%}", style=style
        )
    return table


def reconciliation_table(result: Any) -> Table:
    table = Table(title=f"load check of run {result.run_id} ({result.mode}): marts against Odoo")
    headings = (
        "Odoo model",
        "source",
        "queued",
        "mart",
        "scope",
        "written",
        "failed",
        "in Odoo",
        "unexpl.",
        "gone",
    )
    for heading in headings:
        left = heading == "Odoo model"
        table.add_column(heading, justify="left" if left else "right", no_wrap=left)
    table.caption = (
        "source = mart + queued for review; unexpl. = in scope but missing or failed; "
        "gone = deleted at source, kept in Odoo"
    )
    for r in result.reconciliation:
        cells = (
            r.source,
            r.review_queue,
            r.mart,
            r.in_scope,
            r.ledger_written,
            r.ledger_failed,
            r.in_odoo,
            r.unexplained,
            r.gone_from_source,
        )
        style = "red" if r.rate > result.tolerance_pct / 100 else ""
        table.add_row(r.model, *(f"{c:,}" for c in cells), style=style)
    return table


def findings_table(findings: list[Finding], title: str) -> Table:
    table = Table(title=title, show_lines=False)
    table.add_column("severity")
    table.add_column("check", no_wrap=True)
    table.add_column("records", justify="right")
    table.add_column("what it means")
    for f in findings:
        style = STYLE.get(f.severity, "")
        table.add_row(f.severity, f.check, f"{f.count:,}", f.summary, style=style)
    return table


COMMANDS = (preflight, verify, report, export)
