"""CLI bodies of the CSV route: `load --to csv` and `csv link-ids` (legal2odoo/cli/__init__.py)."""

from __future__ import annotations

from pathlib import Path

import click

from legal2odoo.workdir import Workdir


def export_command(workdir: Workdir, snapshot_of_target: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    from legal2odoo.load.csv_export import ExportError, export_csv

    try:
        files = export_csv(
            workdir.warehouse, workdir.odoo_import, snapshot_of_target=snapshot_of_target
        )
    except (FileNotFoundError, ExportError) as error:
        raise click.ClickException(str(error)) from error
    per_model: dict[str, list[int]] = {}
    for written in files:
        per_model.setdefault(written.model, []).append(written.rows)
    table = Table(title=f"Odoo import files in {workdir.odoo_import}")
    for heading in ("Odoo model", "rows", "files"):
        table.add_column(heading, justify="right" if heading != "Odoo model" else "left")
    for model, rows in per_model.items():
        table.add_row(model, f"{sum(rows):,}", str(len(rows)))
    Console().print(table)
    click.echo(f"import order and settings: {workdir.odoo_import / 'IMPORT.md'}")


def link_ids_command(workdir: Workdir, exported: tuple[str, ...], folder: str | None) -> None:
    from legal2odoo.load.csv_link import LinkError, link_ids

    target = Path(folder) if folder else workdir.odoo_import
    try:
        linked = link_ids(target, [Path(p) for p in exported])
    except (LinkError, FileNotFoundError) as error:
        raise click.ClickException(str(error)) from error
    for file in linked:
        click.echo(f"{file.path.name}: {file.rows:,} row(s) linked")
    click.echo(f"next: import them in the order of step 3 in {target / 'IMPORT.md'}")
