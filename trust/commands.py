"""The trust commands (`preflight`, `verify`, `report`, `export`), registered on the main CLI.

Heavy imports stay inside the commands so `legal2odoo --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from legal2odoo.workdir import Workdir
from trust.findings import BLOCK, DEGRADE, Finding

STYLE = {BLOCK: "bold red", DEGRADE: "yellow"}


@click.command()
@click.option(
    "--odoo-snapshot",
    type=click.Path(exists=True, file_okay=False),
    help="Target Odoo snapshot folder [default: DATA_DIR/raw/odoo from `extract odoo`].",
)
@click.option("--offline", is_flag=True, help="Do not contact the target Odoo's API.")
@click.option("--max-attachment-mb", type=float, default=25.0, show_default=True,
              help="Attachments larger than this are reported.")  # fmt: skip
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
    from trust.preflight import run_preflight

    try:
        result = run_preflight(
            workdir,
            Path(odoo_snapshot) if odoo_snapshot else None,
            check_api=not offline,
            max_attachment_mb=max_attachment_mb,
        )
    except FileNotFoundError as error:
        raise click.ClickException(str(error)) from error
    Console().print(findings_table(result.findings, f"preflight {result.run_id}"))
    click.echo(f"details: {result.path}")
    if result.blocked:
        click.echo("the load is blocked: fix the findings marked 'block' first", err=True)
        raise SystemExit(1)


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


COMMANDS = (preflight,)
