"""`legal2odoo sandbox odoo`: serve the strict local Odoo until interrupted."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import click

from legal2odoo_sandbox.odoo.api import Sandbox
from legal2odoo_sandbox.odoo.faults import Faults, parse_faults
from legal2odoo_sandbox.odoo.schema import VERSIONS
from legal2odoo_sandbox.odoo.state import DEFAULT_API_KEY

log = logging.getLogger(__name__)


@click.command("odoo")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8069, show_default=True, type=int, help="0 picks a free port.")
@click.option(
    "--version", "version", type=click.Choice(VERSIONS), default="17.0", show_default=True
)
@click.option("--db", default="odoo", show_default=True, help="Database name clients must use.")
@click.option(
    "--password",
    envvar="LEGAL2ODOO_SANDBOX_PASSWORD",
    default="admin",
    show_default=True,
    help="admin's password (env LEGAL2ODOO_SANDBOX_PASSWORD).",
)
@click.option(
    "--api-key",
    envvar="LEGAL2ODOO_SANDBOX_API_KEY",
    default=DEFAULT_API_KEY,
    show_default=True,
    help="admin's API key for JSON-2 and RPC (env LEGAL2ODOO_SANDBOX_API_KEY).",
)
@click.option(
    "--firm",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Synthetic firm folder: its odoo/<resource>/run=*/ parquet become records.",
)
@click.option(
    "--faults",
    "fault_spec",
    help="Per-call fault rates, e.g. 502=0.02,reset=0.01,timeout_after_commit=0.01,"
    "serialization=0.05 (load() fails as under a concurrent batch).",
)
@click.option("--seed", type=int, help="Seed of the fault dice (repeatable runs).")
@click.option(
    "--hang-seconds",
    type=float,
    default=0.0,
    show_default=True,
    help="How long timeout_after_commit holds the socket before closing it.",
)
@click.option("--latency-ms", type=int, default=0, show_default=True, help="Delay every call.")
@click.option(
    "--max-concurrency",
    type=int,
    default=0,
    show_default=True,
    help="Serve at most N calls at once, queue the rest (0: no limit).",
)
@click.option(
    "--ms-per-row",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="Simulated server time per row written, holding a call slot but not this "
    "machine's CPU: a server with its own cores (see --max-concurrency).",
)
@click.option(
    "--api-disabled",
    is_flag=True,
    help="Refuse every external API call, like an Odoo Online plan without API access.",
)
def odoo(
    host: str,
    port: int,
    version: str,
    db: str,
    password: str,
    api_key: str,
    firm: Path | None,
    fault_spec: str | None,
    seed: int | None,
    hang_seconds: float,
    latency_ms: int,
    max_concurrency: int,
    ms_per_row: float,
    api_disabled: bool,
) -> None:
    """Serve a strict local Odoo (XML-RPC, JSON-RPC, JSON-2 for 19.0) that refuses what a real
    Odoo refuses, with Odoo's messages. In memory: gone when it stops.

    \b
    Example, an Odoo 17 with a synthetic firm and a few faults:
      legal2odoo sandbox odoo --port 8069 --firm data/sample \\
          --faults 502=0.02,reset=0.01 --latency-ms 20
    then point the loader at ODOO_URL=http://127.0.0.1:8069 ODOO_DB=odoo ODOO_USER=admin.
    """
    try:
        rates = parse_faults(fault_spec)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--faults") from None
    faults = Faults(
        rates=rates,
        latency_ms=latency_ms,
        api_enabled=not api_disabled,
        max_concurrency=max_concurrency,
        ms_per_row=ms_per_row,
        hang_seconds=hang_seconds,
        seed=seed,
    )
    sandbox = Sandbox(version, db=db, password=password, api_key=api_key, firm=firm, faults=faults)
    server = sandbox.serve(host, port)
    click.echo(f"Odoo {version} sandbox at {server.url}  db {db}  login admin")
    click.echo(
        "password: --password (default admin); JSON-2 API key: --api-key"
        f"{' (19.0 only)' if version != '19.0' else ''}"
    )
    if rates or latency_ms or api_disabled or max_concurrency or ms_per_row:
        click.echo(
            f"faults {rates or 'none'}, latency {latency_ms} ms, "
            f"api {'disabled' if api_disabled else 'enabled'}, "
            f"max concurrency {max_concurrency or 'unlimited'}, "
            f"{ms_per_row} ms per row written"
        )
    click.echo("Ctrl-C stops it.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        click.echo("stopping")
    finally:
        server.stop()
