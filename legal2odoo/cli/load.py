"""What the CLI needs from `load/`: a connection that fails with one clear line."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
import duckdb
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from legal2odoo.build_state import StaleMarts, check_marts
from legal2odoo.load.connect import connect
from legal2odoo.load.errors import OdooError
from legal2odoo.load.ledger import Ledger, LedgerBusy
from legal2odoo.load.lock import Busy, data_dir_lock
from legal2odoo.load.marts import open_warehouse
from legal2odoo.load.rows import DEFAULT_BATCH_ROWS
from legal2odoo.load.run import LoadOptions, LoadSummary, load_to_odoo
from legal2odoo.load.schema import SchemaPlan, approved, plan_schema, write_plan
from legal2odoo.load.settings import load_settings
from legal2odoo.load.transport import RetriesExhausted, Transport
from legal2odoo.load.validate import validate, write_problems
from legal2odoo.workdir import Workdir, new_run_id


@contextmanager
def odoo_session() -> Iterator[Transport]:
    """A logged-in transport from ODOO_* settings; Odoo's refusal becomes a ClickException
    (one line, exit 1) instead of a traceback."""
    try:
        transport = connect(load_settings())
    except OdooError as error:
        raise click.ClickException(str(error)) from None
    try:
        yield transport
    except OdooError as error:
        raise click.ClickException(str(error)) from None
    finally:
        transport.close()


@contextmanager
def guarded(workdir: Workdir, what: str, marts: bool = True) -> Iterator[None]:
    """What every load and rollback needs first, each refusal one line (exit 1): the data
    dir's lock (one at a time), marts from a finished build of the newest extract, and a
    writable data dir, the ledger free."""
    try:
        with data_dir_lock(workdir.root, what):
            if marts:
                check_marts(workdir)
                if not workdir.warehouse.exists():
                    raise click.ClickException(
                        f"no warehouse at {workdir.warehouse}: run `legal2odoo build` first"
                    )
            yield
    except (Busy, LedgerBusy, StaleMarts) as error:
        raise click.ClickException(str(error)) from None
    except PermissionError as error:
        raise click.ClickException(_not_writable(workdir, error)) from None
    except duckdb.IOException as error:
        if "permission denied" not in str(error).lower():
            raise
        raise click.ClickException(_not_writable(workdir, error)) from None


def _not_writable(workdir: Workdir, error: Exception) -> str:
    where = getattr(error, "filename", None) or workdir.root
    return (
        f"cannot write to {where} (permission denied): make the data dir writable, or point "
        "--data-dir (LEGAL2ODOO_DATA) at a writable folder"
    )


def load_command(
    workdir: Workdir,
    sample: int | None,
    delta: bool,
    batch_size: int | None,
    workers: int,
    dry_run: bool,
    apply_schema: bool,
    marts: tuple[str, ...] = (),
) -> None:
    """`load --to odoo`: schema plan first, then a dry run or the load with progress bars."""
    options = LoadOptions(
        mode="delta" if delta else "sample" if sample else "full",
        sample=sample,
        batch_rows=batch_size or DEFAULT_BATCH_ROWS,
        workers=workers,
        marts=marts,
    )
    with guarded(workdir, "load --to odoo"):
        _load(workdir, options, dry_run, apply_schema)


def _load(workdir: Workdir, options: LoadOptions, dry_run: bool, apply_schema: bool) -> None:
    plan_path = workdir.exports / "odoo_schema_plan.yaml"
    with odoo_session() as odoo, open_warehouse(workdir.warehouse) as warehouse:
        plan = plan_schema(odoo, warehouse)
        if not approved(plan, plan_path):
            write_plan(plan, plan_path)
        _echo_plan(plan, plan_path)
        if plan.problems:
            raise click.ClickException(
                f"{len(plan.problems)} mart column(s) the target cannot take; see {plan_path}"
            )
        if dry_run:
            _dry_run(workdir, odoo, warehouse, plan)
            return
        if not (apply_schema or approved(plan, plan_path)):
            raise click.ClickException(
                "the target lacks what the plan above creates: review "
                f"{plan_path} and set `approved: true`, or pass --apply-schema"
            )
    settings = load_settings()
    console = Console(stderr=True)
    run_id = new_run_id()
    with _progress(console) as (progress, tick), _ctrl_c_between_batches(tick) as tick:
        try:
            summary = load_to_odoo(
                workdir, lambda: connect(settings), options, tick, run_id=run_id, schema=plan
            )
        except KeyboardInterrupt:
            progress.stop()
            raise click.ClickException(_stopped(workdir, run_id, "interrupted (Ctrl-C)")) from None
        except RetriesExhausted as error:
            progress.stop()
            raise click.ClickException(_stopped(workdir, run_id, str(error))) from None
        except (OdooError, FileNotFoundError) as error:
            progress.stop()
            raise click.ClickException(str(error)) from None
    _print_summary(console, summary)
    failed = sum(m.actions.get("failed", 0) for m in summary.models)
    if failed or (summary.problems and options.mode != "sample"):
        raise click.ClickException(_problems(summary))
    if summary.problems:  # a sample's rows point at rows outside it: held, not an error
        click.echo(
            f"sample: {summary.problems:,} row(s) held (their references are outside "
            "the sample); a full load sends them"
        )


def _stopped(workdir: Workdir, run_id: str, reason: str) -> str:
    """What landed before a run stopped, and the two ways on."""
    landed = ""
    if workdir.audit.exists():
        with Ledger(workdir.audit) as ledger:
            counts = ledger.counts(run_id)
        created = sum(n for (_, action), n in counts.items() if action == "created")
        updated = sum(n for (_, action), n in counts.items() if action == "updated")
        landed = f"{created:,} record(s) created and {updated:,} updated before it stopped; "
    return (
        f"load run {run_id} stopped: {reason}; {landed}resume with "
        f"`legal2odoo load --to odoo --delta`, or undo with `legal2odoo rollback {run_id}`"
    )


def _problems(summary: LoadSummary) -> str:
    failed = sum(m.actions.get("failed", 0) for m in summary.models)
    held = sum(m.actions.get("held", 0) for m in summary.models)
    files = ", ".join(
        dict.fromkeys(str(m.failed_report) for m in summary.models if m.failed_report)
    )
    return (
        f"load run {summary.run_id}: {failed:,} row(s) failed and {held:,} held for review, "
        f"listed in {files}; fix them and run `legal2odoo load --to odoo --delta`"
    )


def _echo_plan(plan: SchemaPlan, path: Path) -> None:
    if plan.empty and not plan.problems:
        click.echo("schema: the target has every field, stage, team and tag the marts need")
        return
    for spec in plan.fields:
        click.echo(f"schema: create field {spec['model']}.{spec['name']} ({spec['ttype']})")
    for model, ids in plan.records.items():
        click.echo(f"schema: create {len(ids):,} {model} (e.g. {ids[0]})")
    for view in plan.views:
        click.echo(
            f"schema: {view['action']} form view {view['external_id']} ({view['model']}: "
            f"Migrated data page, {view['fields']} field(s))"
        )
    for problem in plan.problems:
        click.echo(f"schema problem: {problem}")
    click.echo(f"schema plan: {path}")


def _dry_run(
    workdir: Workdir, odoo: Transport, warehouse: duckdb.DuckDBPyConnection, plan: SchemaPlan
) -> None:
    problems = validate(odoo, warehouse, plan)
    if not problems:
        click.echo("dry run: every row is valid against the target; nothing was written")
        return
    path = workdir.reports(new_run_id()) / "dry_run_problems.csv"
    write_problems(problems, path)
    for p in problems[:10]:
        click.echo(f"  {p.model} {p.external_id} {p.column}: {p.message}")
    raise click.ClickException(f"dry run: {len(problems):,} problem(s), listed in {path}")


@contextmanager
def _ctrl_c_between_batches(
    tick: Callable[[str, int, int], None],
) -> Iterator[Callable[[str, int, int], None]]:
    """Ctrl-C stops the load at the next batch. DuckDB takes a SIGINT that lands mid-query
    for its own (the query fails, or the interrupt is lost when the query ends first), so the
    handler only records it; a second Ctrl-C stops at once."""
    requested = threading.Event()

    def on_sigint(signum: int, frame: object) -> None:
        if requested.is_set():
            raise KeyboardInterrupt
        requested.set()

    def checked_tick(model: str, done: int, total: int) -> None:
        if requested.is_set():
            raise KeyboardInterrupt
        tick(model, done, total)

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield checked_tick
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def _progress(console: Console) -> Iterator[tuple[Progress, Callable[[str, int, int], None]]]:
    progress = Progress(
        TextColumn("{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:>14}"),
        TimeRemainingColumn(),
        console=console,
    )
    tasks: dict[str, TaskID] = {}
    started: dict[str, float] = {}

    def tick(model: str, done: int, total: int) -> None:
        if model not in tasks:
            tasks[model] = progress.add_task(model, total=total, rate="")
            started[model] = time.perf_counter()
        progress.advance(tasks[model], done)
        task = progress.tasks[tasks[model]]
        elapsed = max(time.perf_counter() - started[model], 1e-6)
        progress.update(tasks[model], rate=f"{task.completed / elapsed:,.0f} rows/s")

    with progress:
        yield progress, tick


def _print_summary(console: Console, summary: LoadSummary) -> None:
    table = Table(title=f"load run {summary.run_id}")
    actions = ("created", "updated", "unchanged", "failed", "held")
    for heading in ("Odoo model", *actions, "rows/s"):
        table.add_column(heading, justify="left" if heading == "Odoo model" else "right")
    for m in summary.models:
        rate = m.rows / m.seconds if m.seconds else 0
        table.add_row(m.model, *(f"{m.actions.get(a, 0):,}" for a in actions), f"{rate:,.0f}")
    Console().print(table)
    for m in summary.models:
        if m.failed_report:
            click.echo(f"failed/held rows of {m.model}: {m.failed_report}")
    click.echo(f"undo with: legal2odoo rollback {summary.run_id}")


def rollback_command(workdir: Workdir, run_id: str, yes: bool) -> None:
    """Plan, show, confirm, undo."""
    if not workdir.audit.exists():
        raise click.ClickException(f"no ledger at {workdir.audit}: nothing was loaded from here")
    with guarded(workdir, f"rollback {run_id}", marts=False):
        _rollback(workdir, run_id, yes)


def _rollback(workdir: Workdir, run_id: str, yes: bool) -> None:
    from legal2odoo.load.rollback import (
        RollbackRefused,
        RollbackStopped,
        apply_rollback,
        plan_rollback,
    )

    with Ledger(workdir.audit) as ledger, odoo_session() as odoo:
        try:
            plan = plan_rollback(odoo, ledger, run_id)
        except RollbackRefused as error:
            raise click.ClickException(str(error)) from None
        for model, ids in plan.unlink.items():
            click.echo(f"  unlink {len(ids):,} {model} created by the run")
        for model, images in plan.restore.items():
            click.echo(f"  restore {len(images):,} {model} to their values before the run")
        for line in plan.unknown:
            click.echo(f"  warning: {line}")
        if plan.conflicts:
            raise click.ClickException(
                f"refused: {len(plan.conflicts)} record(s) changed since the run:\n  "
                + "\n  ".join(plan.conflicts[:50])
            )
        if not yes:
            click.confirm(f"roll back run {run_id} ({plan.records:,} records)?", abort=True)
        if plan.resumed:
            click.echo(f"  resuming: an earlier rollback of {run_id} stopped midway")
        try:
            apply_rollback(odoo, ledger, plan)
        except (RollbackRefused, RollbackStopped) as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"run {run_id} rolled back: {plan.records:,} record(s)")
