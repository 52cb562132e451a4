"""The `legal2odoo` command line: routes each command to the package that does the work."""

from __future__ import annotations

import errno
import json
import logging
from importlib.metadata import entry_points
from pathlib import Path

import click

from legal2odoo.workdir import Workdir


class _Main(click.Group):
    """The top command: a file the process may not read or write is one line, not a
    traceback (a read-only data dir, an export without read permission)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except OSError as error:
            if error.errno not in (errno.EACCES, errno.EPERM, errno.EROFS) or not error.filename:
                raise  # not about a file: its own message is the better one
            raise click.ClickException(permission_message(error)) from error


def permission_message(error: OSError) -> str:
    path = error.filename
    why = "read-only file system" if error.errno == errno.EROFS else "permission denied"
    return (
        f"{why} on {path}: make it writable (and readable) for this user, "
        "or pass --data-dir with a folder you can write"
    )


@click.group(
    cls=_Main,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
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
    """Read a source system and write raw Parquet under DATA_DIR/raw/<source>/.

    \b
    Example, a Captorra export, then the target Odoo's snapshot:
      legal2odoo extract captorra --export export.csv
      legal2odoo extract odoo
    """


@main.group()
def inspect() -> None:
    """Look at a source file before anything is written.

    \b
    Example:
      legal2odoo inspect captorra export.csv
    """


# the Captorra custom-field registry, read by `inspect captorra` and `extract captorra`
captorra_fields_option = click.option(
    "--fields",
    type=click.Path(exists=True, dir_okay=False),
    help="Custom-field registry CSV [default: fields.csv next to the export].",
)


@inspect.command("captorra")
@click.argument("export_file", metavar="EXPORT", type=click.Path(exists=True, dir_okay=False))
@captorra_fields_option
@click.option(
    "--write-seeds",
    "seeds_dir",
    type=click.Path(file_okay=False),
    help="Write the proposed seeds (captorra_stages.csv, captorra_columns.csv) here to edit.",
)
def inspect_captorra_command(export_file: str, fields: str | None, seeds_dir: str | None) -> None:
    """One screen on a Captorra export: encoding, delimiter, rows, how each header maps
    (field / custom / ignored), absent optional fields, date formats seen, statuses per
    pipeline with their proposed stage and won/lost, emails shared by several leads.

    \b
    Example, the first step with a firm's export:
      legal2odoo inspect captorra export.csv --write-seeds proposed/
    """
    from legal2odoo.extract.captorra.inspect import inspect_export, write_seeds
    from legal2odoo.extract.errors import SourceFileError
    from legal2odoo.inspect_view import render

    export = Path(export_file)
    try:
        result = inspect_export(export, _beside(export, fields, "fields.csv"))
    except SourceFileError as error:
        raise click.ClickException(str(error)) from error
    click.echo("\n".join(render(result)))
    if seeds_dir:
        for path in write_seeds(result, Path(seeds_dir)):
            click.echo(f"wrote {path}")


def _beside(export: Path, given: str | None, name: str) -> Path | None:
    """An explicit path, else the file of that name next to the export when there is one."""
    if given:
        return Path(given)
    candidate = export.parent / name
    return candidate if candidate.exists() else None


@extract.command("captorra")
@click.option(
    "--export",
    "export_file",
    type=click.Path(exists=True, dir_okay=False),
    required=True,
    help="The Captorra admin CSV export of leads.",
)
@captorra_fields_option
@click.option(
    "--activities",
    type=click.Path(exists=True, dir_okay=False),
    help="Engagement activity CSV [default: activities.csv next to the export].",
)
@click.option(
    "--attachments",
    type=click.Path(exists=True, file_okay=False),
    help="Attachments folder, a sub-folder per lead id [default: attachments/ beside the export].",
)
@click.pass_obj
def extract_captorra_command(
    workdir: Workdir,
    export_file: str,
    fields: str | None,
    activities: str | None,
    attachments: str | None,
) -> None:
    """Validate a Captorra export and write it to DATA_DIR/raw/captorra/ as raw Parquet.

    Nothing is written unless the whole export is good; a bad file is refused with the
    file, line, column and what to do. A later export of the same firm is a new run:
    the models keep the latest version of each lead.

    \b
    Example:
      legal2odoo extract captorra --export data/sample/captorra/export.csv
    """
    from legal2odoo.extract.captorra.run import CaptorraFiles, extract_captorra
    from legal2odoo.extract.errors import SourceFileError

    export = Path(export_file)
    files = CaptorraFiles(
        export=export,
        fields=_beside(export, fields, "fields.csv"),
        activities=_beside(export, activities, "activities.csv"),
        # the default folder even when it is missing: its files are then counted as missing
        attachments=Path(attachments) if attachments else export.parent / "attachments",
    )
    try:
        summary = extract_captorra(workdir, files)
    except SourceFileError as error:
        raise click.ClickException(str(error)) from error
    rows = ", ".join(f"{count:,} {name}" for name, count in summary.rows.items())
    click.echo(f"captorra run {summary.run_id}: {rows}")
    if summary.missing_attachments:
        click.echo(f"  {summary.missing_attachments} attachment(s) named in the export are missing")
        if summary.attachments_folder_missing:
            click.echo(
                f"  the attachments folder {files.attachments} does not exist: pass "
                "--attachments FOLDER if the files are elsewhere"
            )
    if summary.unknown_columns:
        unknown = ", ".join(summary.unknown_columns)
        click.echo(
            f"  {len(summary.unknown_columns)} column(s) not in the column map, proposed as "
            f"custom intake fields (see preflight): {unknown}"
        )


@extract.command("odoo")
@click.pass_obj
def extract_odoo_command(workdir: Workdir) -> None:
    """Snapshot the target Odoo (users, teams, stages, tags, partners' emails, installed
    modules, fields_get of every model we write) into DATA_DIR/raw/odoo/ for `build`.

    Connection from the environment or .env: ODOO_URL, ODOO_DB, ODOO_USER, ODOO_PASSWORD or
    ODOO_API_KEY, ODOO_PROTOCOL (xmlrpc | jsonrpc | json2; default: detect).

    \b
    Example:
      legal2odoo extract odoo && legal2odoo build
    """
    from legal2odoo.cli.load import odoo_session
    from legal2odoo.load.snapshot import extract_odoo
    from legal2odoo.workdir import new_run_id

    with odoo_session() as odoo:
        snapshot = extract_odoo(odoo, workdir.raw / "odoo", new_run_id())
    rows = ", ".join(f"{count:,} {name}" for name, count in snapshot.rows.items())
    click.echo(f"odoo {snapshot.version} snapshot {snapshot.run_id}: {rows}")


@main.command()
@click.option(
    "--odoo-snapshot",
    type=click.Path(exists=True, file_okay=False),
    help="Target Odoo snapshot folder [default: DATA_DIR/raw/odoo from `extract odoo`].",
)
@click.option("--select", "selector", help="Only these dbt nodes (dbt selection syntax).")
@click.option("--vars", "dbt_vars", help="dbt vars as YAML, e.g. '{fallback_owner_login: jane}'.")
@click.option(
    "--sample",
    type=click.IntRange(1, 100_000),
    is_flag=False,
    flag_value=200,
    help="Keep only N leads (default 200) and their closure: a sample that loads "
    "on its own (macros/sample.sql).",
)
@click.pass_obj
def build(
    workdir: Workdir,
    odoo_snapshot: str | None,
    selector: str | None,
    dbt_vars: str | None,
    sample: int | None,
) -> None:
    """Build the marts with dbt: seeds, models, data tests and unit tests (`dbt build`).

    Models read the raw Parquet under DATA_DIR/raw and the target Odoo snapshot; the
    marts (odoo__<model>) land in DATA_DIR/warehouse.duckdb. With --sample the tests run on
    everything, then the marts keep N leads (every stage where N allows) and their closure.

    \b
    Example:
      legal2odoo build --odoo-snapshot data/sample/odoo
      legal2odoo build --sample 200 && legal2odoo load --to odoo   # a sample migration
    """
    from legal2odoo import build_checks as checks
    from legal2odoo.build_state import begin_build, end_build
    from legal2odoo.dbt import DbtError, run_dbt
    from legal2odoo.proposals import write_proposed_stages

    args = ["build", *(["--select", selector] if selector else [])]
    snapshot = Path(odoo_snapshot) if odoo_snapshot else None
    begun = begin_build(workdir)  # `load` refuses marts of a build that did not end well
    try:
        given = checks.parse_vars(dbt_vars)
        checks.check_writable(workdir)
        checks.check_extracted(workdir)
        folder = checks.snapshot_folder(workdir, snapshot)
        checks.check_fallback_owner(checks.effective_vars(given)["fallback_owner_login"], folder)
    except checks.BuildInputError as error:
        end_build(workdir, begun, ok=False, note=str(error))
        raise click.ClickException(str(error)) from error
    try:
        workdir.sample_marker.unlink(missing_ok=True)  # the marts are whole again
        used = json.dumps(checks.effective_vars(given), indent=2, sort_keys=True)
        workdir.build_vars.write_text(used + "\n", encoding="utf-8")  # verify reads them
        run_dbt(workdir, args, snapshot, dbt_vars)
        proposed = write_proposed_stages(workdir)
        if proposed is not None:
            click.echo(f"stages proposed for seeds/captorra_stages.csv: {proposed}")
        if sample:  # after the tests ran on everything
            sample_args = ["run-operation", "sample_marts", "--args", f"{{size: {sample}}}"]
            run_dbt(workdir, sample_args, snapshot, dbt_vars)
            # verify answers from the source for the sample's leads only
            workdir.sample_marker.write_text(json.dumps({"leads": sample}), encoding="utf-8")
    except DbtError as error:
        end_build(workdir, begun, ok=False, note=str(error))
        raise click.ClickException(str(error)) from error
    except BaseException as error:
        end_build(workdir, begun, ok=False, note=f"{type(error).__name__}: {error}")
        raise
    end_build(workdir, begun, ok=True)


@main.command()
@click.option(
    "--to",
    "target",
    type=click.Choice(["csv", "odoo"]),
    required=True,
    help="odoo: upsert through the API (ODOO_* settings); csv: import files for Community.",
)
@click.option("--sample", type=int, is_flag=False, flag_value=100, help="Only N rows per mart.")
@click.option("--delta", is_flag=True, help="Only rows changed since their last successful write.")
@click.option("--batch-size", type=click.IntRange(1, 10_000), help="Rows per load() call.")
@click.option(
    "--workers",
    type=click.IntRange(1, 16),
    default=1,
    show_default=True,
    help="Batches sent in parallel, each on its own connection.",
)
@click.option(
    "--dry-run", is_flag=True, help="Validate every row against the target; write nothing."
)
@click.option(
    "--apply-schema", is_flag=True, help="Create missing custom fields, stages, tags first."
)
@click.option(
    "--mart", "marts", multiple=True, help="Only this mart (repeatable), e.g. odoo__crm_lead."
)
@click.option(
    "--snapshot-of-target",
    is_flag=True,
    help="csv: the snapshot came from the Odoo you import into.",
)
@click.pass_obj
def load(
    workdir: Workdir,
    target: str,
    sample: int | None,
    delta: bool,
    batch_size: int | None,
    workers: int,
    dry_run: bool,
    apply_schema: bool,
    marts: tuple[str, ...],
    snapshot_of_target: bool,
) -> None:
    """Push the marts to Odoo; `--to csv` writes native import files instead.

    \b
    --to odoo: each mart in load order through load() with external ids (module legal2odoo),
    every write in DATA_DIR/audit.duckdb (undo with `legal2odoo rollback RUN_ID`), failed
    rows in DATA_DIR/reports/<run>/failed_<model>.csv. Connection from the environment or
    .env: ODOO_URL, ODOO_DB, ODOO_USER, ODOO_PASSWORD or ODOO_API_KEY, ODOO_PROTOCOL.
    --to csv: DATA_DIR/out/odoo-import/NN_<model>_NNN.csv in import order, with IMPORT.md
    (then `legal2odoo csv link-ids` for messages, activities and files).

    \b
    Example:
      legal2odoo load --to odoo --sample 50      # try a few rows of each mart first
      legal2odoo load --to odoo
      legal2odoo load --to csv
    """
    from legal2odoo.cli.load import guarded, load_command

    if target == "odoo":
        load_command(workdir, sample, delta, batch_size, workers, dry_run, apply_schema, marts)
        return
    from legal2odoo.cli.csv_route import export_command

    with guarded(workdir, "load --to csv"):
        export_command(workdir, snapshot_of_target)


@main.group("csv")
def csv_group() -> None:
    """The CSV route (Odoo's import wizard, no API): link messages, activities, files.

    \b
    Example, after `legal2odoo load --to csv` and step 1 of IMPORT.md:
      legal2odoo csv link-ids ~/Downloads/ir.model.data.csv
    """


@csv_group.command("link-ids")
@click.argument("exported", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--folder",
    type=click.Path(file_okay=False, exists=True),
    help="The import files [default: DATA_DIR/out/odoo-import].",
)
@click.pass_obj
def csv_link_ids(workdir: Workdir, exported: tuple[str, ...], folder: str | None) -> None:
    """Fill res_id into the *.needs-ids.csv files from Odoo's export of EXPORTED ids.

    After step 1 of IMPORT.md, export Complete ID and Record ID of the `legal2odoo`
    External Identifiers (or External ID and ID of the leads) as CSV.

    \b
    Example:
      legal2odoo csv link-ids ~/Downloads/ir.model.data.csv
    """
    from legal2odoo.cli.csv_route import link_ids_command

    link_ids_command(workdir, exported, folder)


@main.command()
@click.argument("run_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def rollback(workdir: Workdir, run_id: str, yes: bool) -> None:
    """Undo one `load --to odoo` run from the ledger: restore what it updated, unlink what
    it created (children first). Refused, with the list, when a later run or a person has
    changed those records since. Roll back the newest run first.

    \b
    Example:
      legal2odoo rollback 20260101T120000000000Z --yes
    """
    from legal2odoo.cli.load import rollback_command

    rollback_command(workdir, run_id, yes)


# Commands that live beside the code they run; their modules import heavy dependencies only
# when run, so `--help` stays fast.
from legal2odoo.cli.extract_actionstep import extract_actionstep as _extract_actionstep  # noqa: E402

extract.add_command(_extract_actionstep)

# Trust: preflight, verify, report, export (legal2odoo/cli/trust.py).
from legal2odoo.cli.trust import COMMANDS as _TRUST_COMMANDS  # noqa: E402

for _command in _TRUST_COMMANDS:
    main.add_command(_command)

# Commands of other installed distributions (the stand-ins of legal2odoo-sandbox: sample-data,
# sandbox actionstep|odoo): the product names none of them, it adds what is installed.
for _plugin in entry_points(group="legal2odoo.commands"):
    main.add_command(_plugin.load())
