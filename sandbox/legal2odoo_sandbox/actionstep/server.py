"""`legal2odoo sandbox actionstep`: the local Actionstep API on a real socket."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from legal2odoo_sandbox.actionstep.app import ActionstepApp, Settings
from legal2odoo_sandbox.actionstep.limits import FaultSpec
from legal2odoo_sandbox.actionstep.schema import SANDBOX_CLIENT_ID, SANDBOX_REFRESH_TOKEN

log = logging.getLogger(__name__)


def _rate(value: str | None) -> float | None:
    if value is None:
        return None
    number = value.removesuffix("/min")
    try:
        rate = float(number)
    except ValueError as error:
        raise click.BadParameter(f"expected N or N/min, got {value!r}") from error
    if rate <= 0:
        raise click.BadParameter("the rate must be positive")
    return rate


@click.command("actionstep")
@click.option(
    "--firm",
    "firm_dir",
    required=True,
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Directory written by `legal2odoo sample-data` (holds actionstep/*.jsonl).",
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8765, show_default=True, type=int)
@click.option(
    "--faults",
    default=None,
    help="Injected faults per request, e.g. '429=5%,5xx=2%,reset=1%,truncate=1%,slow=1%'.",
)
@click.option("--rate", default=None, help="Per-user rate limit in requests/min, e.g. 120/min.")
@click.option(
    "--retry-after/--no-retry-after",
    default=True,
    show_default=True,
    help="Send Retry-After with 429 answers (the real API does not document one).",
)
@click.option("--token-ttl", default=3600.0, show_default=True, help="Access token lifetime (s).")
@click.option("--scopes", default="all", show_default=True, help="Granted scopes, space-separated.")
@click.option(
    "--rotate-refresh/--no-rotate-refresh",
    default=True,
    show_default=True,
    help="Issue a new refresh token on every refresh (and invalidate the old one).",
)
@click.option("--seed", default=0, show_default=True, help="Seed of the fault dice.")
def actionstep_command(
    firm_dir: Path,
    host: str,
    port: int,
    faults: str | None,
    rate: str | None,
    retry_after: bool,
    token_ttl: float,
    scopes: str,
    rotate_refresh: bool,
    seed: int,
) -> None:
    """Serve a synthetic firm as a local Actionstep API (OAuth, paging, quirks, 429s, faults).

    \b
    Credentials are sandbox values, not secrets: client id 'sandbox-client', client secret
    'sandbox-secret', refresh token 'sandbox-refresh-token'. The token URL is
    http://HOST:PORT/api/oauth/token; the token answer's api_endpoint points back here.

    \b
    Example:
      legal2odoo sample-data --scale 200 --out data/sample
      legal2odoo sandbox actionstep --firm data/sample --port 8765 --rate 120/min \\
          --faults '429=5%,5xx=2%'
    """
    import uvicorn

    try:
        fault_spec = FaultSpec.parse(faults)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--faults") from error
    settings = Settings(
        rate_per_minute=_rate(rate),
        retry_after=retry_after,
        faults=fault_spec,
        token_ttl=token_ttl,
        scopes=frozenset(scopes.split()),
        rotate_refresh=rotate_refresh,
        seed=seed,
    )
    app = ActionstepApp(firm_dir, settings)
    click.echo(
        f"Actionstep sandbox on http://{host}:{port}/api/ (client {SANDBOX_CLIENT_ID}, "
        f"refresh token {SANDBOX_REFRESH_TOKEN}); Ctrl-C stops it."
    )
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
