"""Commands the stand-ins add to `legal2odoo` (entry points in group `legal2odoo.commands`)."""

from __future__ import annotations

from pathlib import Path

import click

from legal2odoo_sandbox.actionstep.server import actionstep_command
from legal2odoo_sandbox.odoo.cli import odoo


@click.group()
def sandbox() -> None:
    """Local stand-in servers for testing and demos (no accounts needed)."""


@click.command("sample-data")
@click.option(
    "--scale", type=int, default=200, show_default=True, help="Matters/leads (50-1,000,000)."
)
@click.option("--seed", type=int, default=42, show_default=True, help="Same seed, same firm.")
@click.option("--out", type=click.Path(file_okay=False), required=True, help="Folder to write.")
@click.option(
    "--sides",
    default="odoo,captorra,actionstep",
    show_default=True,
    help="Which systems to write, comma-separated (the firm is the same whichever you pick).",
)
def sample_data(scale: int, seed: int, out: str, sides: str) -> None:
    """Write a synthetic law firm for every system, with the truth the pipeline must reproduce.

    \b
    OUT/actionstep/ one JSONL file per API resource, document bytes, trust_ledger.csv
    OUT/captorra/   export.csv, activities.csv, fields.csv (custom-field registry), attachments/
    OUT/odoo/       the target Odoo's users, teams, stages, partners (raw snapshot Parquet)
    OUT/manifest.json   counts the pipeline must match

    \b
    Example:
      legal2odoo sample-data --scale 1000 --seed 7 --out data/sample
    """
    from legal2odoo_sandbox.firm.generate import generate

    try:
        manifest = generate(scale, seed, Path(out), tuple(s.strip() for s in sides.split(",")))
    except ValueError as error:
        raise click.BadParameter(str(error)) from error
    click.echo(f"wrote a firm of {manifest['scale']:,} matters/leads to {out} (seed {seed})")


sandbox.add_command(actionstep_command)
sandbox.add_command(odoo)
