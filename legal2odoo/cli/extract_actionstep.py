"""`legal2odoo extract actionstep`: progress bars, run summary, exit code."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from legal2odoo.extract.actionstep.resources import BY_NAME
from legal2odoo.workdir import Workdir

if TYPE_CHECKING:
    from legal2odoo.extract.actionstep.runner import RunResult


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed or 0:>7.0f} rec/s")


class _Bars:
    """One bar per resource: records, records/s, ETA from the API's recordCount."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, resource: str, added: int, total: int | None) -> None:
        task = self.tasks.get(resource)
        if task is None:
            task = self.tasks[resource] = self.progress.add_task(resource, total=total)
        if total is not None and self.progress.tasks[task].total is None:
            self.progress.update(task, total=total)
        if added:
            self.progress.advance(task, added)


@click.command("actionstep")
@click.option("--full", is_flag=True, help="Re-read everything (also detects hard removals).")
@click.option("--since", default=None, help="Read changes since this ISO timestamp (UTC).")
@click.option(
    "--resource",
    "resources",
    multiple=True,
    type=click.Choice(sorted(BY_NAME)),
    help="Only these resources (repeatable). Default: all the mappings need.",
)
@click.option(
    "--trust-export",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The firm's trust ledger report export (CSV); the API has no trust endpoint.",
)
@click.option("--restart", is_flag=True, help="Abandon an unfinished run instead of resuming it.")
@click.option("--concurrency", default=4, show_default=True, help="Requests in flight at once.")
@click.pass_obj
def extract_actionstep(
    workdir: Workdir,
    full: bool,
    since: str | None,
    resources: tuple[str, ...],
    trust_export: Path | None,
    restart: bool,
    concurrency: int,
) -> None:
    """Read a firm from the Actionstep API into DATA_DIR/raw/actionstep/ (raw Parquet).

    Settings come from the environment or .env: ACTIONSTEP_API_URL (optional: the token
    answer's api_endpoint is used otherwise), ACTIONSTEP_TOKEN_URL (default Actionstep's
    production token URL), ACTIONSTEP_ACCESS_TOKEN and/or ACTIONSTEP_REFRESH_TOKEN,
    ACTIONSTEP_CLIENT_ID, ACTIONSTEP_CLIENT_SECRET. Secrets are never printed.

    Without --full, resources with a modified timestamp are read from the last run's
    high-water mark (minus an overlap); the others are re-read whole. An interrupted run is
    resumed by running the same command again.

    \b
    Example:
      legal2odoo extract actionstep --trust-export trust_ledger.csv
      legal2odoo extract actionstep --resource actions --resource participants --full
    """
    from legal2odoo.extract.actionstep.auth import AuthError
    from legal2odoo.extract.actionstep.runner import ExtractOptions, run_extract
    from legal2odoo.extract.actionstep.settings import ConfigError, ConnectionSettings
    from legal2odoo.extract.actionstep.trust import TrustExportError

    console = Console(stderr=True)
    if not logging.getLogger().isEnabledFor(logging.DEBUG):
        logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request is noise
    try:
        settings = ConnectionSettings.from_env()
    except ConfigError as error:
        raise click.ClickException(str(error)) from error
    options = ExtractOptions(
        full=full,
        since=since,
        resources=resources or None,
        trust_export=trust_export,
        restart=restart,
        concurrency=concurrency,
    )
    progress = Progress(
        TextColumn("{task.description:<28}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not console.is_terminal,
    )
    try:
        with progress:
            result = asyncio.run(run_extract(workdir, settings, options, progress=_Bars(progress)))
    except (TrustExportError, AuthError, ValueError) as error:
        raise click.ClickException(str(error)) from error
    _summary(result, workdir)
    if not result.ok:
        sys.exit(1)


def _summary(result: RunResult, workdir: Workdir) -> None:
    table = Table(
        title=f"Actionstep run {result.run_id}" + (" (resumed)" if result.resumed else "")
    )
    for column in ("resource", "records", "removed", "status"):
        table.add_column(column, justify="right" if column in ("records", "removed") else "left")
    for name, count in result.records.items():
        status = "incomplete: " + result.incomplete[name] if name in result.incomplete else "ok"
        table.add_row(name, str(count), str(result.removed.get(name, "")), status)
    console = Console()
    console.print(table)
    stats = result.stats
    console.print(
        f"requests {stats.get('requests', 0)}, 429s {stats.get('status:429', 0)}, "
        f"retries {stats.get('retries', 0)}, files {result.files}, "
        f"trust rows {result.trust_rows if result.trust_rows is not None else '-'}, "
        f"wall time {result.seconds:.1f}s"
    )
    if not result.ok:  # plain echo: the command must not be wrapped
        click.echo(
            f"Incomplete: {', '.join(result.incomplete)}. Resume with:\n"
            f"  legal2odoo --data-dir {workdir.root} extract actionstep"
        )
