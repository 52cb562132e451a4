"""The `legal2odoo` command line: routes each command to the package that does the work."""

from __future__ import annotations

import logging

import click

from legal2odoo.workdir import Workdir


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    envvar="LEGAL2ODOO_DATA",
    default="data",
    show_default=True,
    help="Working directory for raw data, warehouse, ledger and outputs (env LEGAL2ODOO_DATA).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log debug detail.")
@click.pass_context
def main(ctx: click.Context, data_dir: str, verbose: bool) -> None:
    """Move a law firm's CRM data from Actionstep and Captorra into Odoo CRM.

    \b
    Example, the whole Captorra path on a synthetic firm:
      legal2odoo sample-data --scale 200 --out data/sample
      legal2odoo extract captorra --export data/sample/captorra/export.csv
      legal2odoo build
      legal2odoo load --to csv
    """
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    ctx.obj = Workdir.from_env(data_dir)


@main.group()
def extract() -> None:
    """Read a source system and write raw Parquet under DATA_DIR/raw/<source>/."""


@main.group()
def sandbox() -> None:
    """Local stand-in servers for testing and demos (no accounts needed)."""


from sandbox.odoo.cli import odoo as _sandbox_odoo  # noqa: E402 - registered after the group

sandbox.add_command(_sandbox_odoo)
