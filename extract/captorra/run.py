"""`extract captorra`: one export (and its companions) into one all-or-nothing raw run."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from legal2odoo.extract.captorra.checks import TypedColumn, check_values
from legal2odoo.extract.captorra.columns import (
    Column,
    RegistryField,
    SeedRow,
    absent_fields,
    load_seed,
    plan_columns,
    read_registry,
)
from legal2odoo.extract.csvfile import read_header, to_parquet
from legal2odoo.extract.encoding import detect_encoding
from legal2odoo.extract.errors import Problem, SourceFileError
from legal2odoo.extract.files import store_file
from legal2odoo.extract.paths import UnsafePath, component_problem, confined_file
from legal2odoo.extract.rawstore import RawRun, raw_run
from legal2odoo.workdir import Workdir, new_run_id

log = logging.getLogger(__name__)
SOURCE = "captorra"
ATTACHMENT_SEPARATOR = ";"


@dataclass(frozen=True)
class CaptorraFiles:
    export: Path
    fields: Path | None = None
    activities: Path | None = None
    attachments: Path | None = None


@dataclass
class ExtractSummary:
    run_id: str
    rows: dict[str, int] = field(default_factory=dict)
    unknown_columns: list[str] = field(default_factory=list)
    missing_attachments: int = 0
    attachments_folder_missing: bool = False


def extract_captorra(
    workdir: Workdir, files: CaptorraFiles, run_id: str | None = None
) -> ExtractSummary:
    """Validate everything first, publish the run only when all of it is good."""
    summary = ExtractSummary(run_id or new_run_id())
    registry = read_registry(files.fields) if files.fields else []
    seed = load_seed()
    extracted_at = datetime.now(UTC)
    with raw_run(workdir, SOURCE, summary.run_id) as run:
        meta = _meta(summary.run_id, extracted_at)
        datasets = [("leads", files.export, "lead_id")]
        if files.activities:
            datasets.append(("activities", files.activities, "activity_id"))
        plans: list[tuple[str, Column]] = []
        for dataset, path, key in datasets:
            columns, summary.rows[dataset] = _stage_csv(
                run, dataset, path, key, seed, registry, meta
            )
            plans += [(dataset, c) for c in columns + absent_fields(columns, dataset, seed)]
        if not files.activities:
            run.write_table("activities", _empty_activities(seed, meta))
        summary.unknown_columns = [c.header for d, c in plans if c.kind == "unknown"]
        run.write_table("columns", _columns_table(plans, meta))
        run.write_table("fields", _registry_table(registry, meta))
        names_files = any(c.name == "attachments" and c.kind == "standard" for _, c in plans)
        if files.attachments and names_files:
            table = _attachments_table(run, files, files.attachments, workdir.files, meta)
            run.write_table("attachments", table)
            summary.rows["attachments"] = table.num_rows
            summary.missing_attachments = table.num_rows - sum(table.column("present").to_pylist())
            summary.attachments_folder_missing = not files.attachments.is_dir()
        else:
            run.write_table("attachments", _attachment_rows([], meta))
    for name in summary.unknown_columns:
        log.warning(
            "column %r is not in the column map: proposed as a custom intake field "
            "(see preflight and exports/odoo_schema_plan.yaml)",
            name,
        )
    return summary


def _meta(run_id: str, extracted_at: datetime):
    def columns(n: int) -> dict[str, pa.Array]:
        return {
            "_extracted_at": pa.array([extracted_at] * n, pa.timestamp("us", tz="UTC")),
            "_run_id": pa.array([run_id] * n, pa.string()),
        }

    return columns


def _stage_csv(
    run: RawRun,
    dataset: str,
    path: Path,
    key: str,
    seed: list[SeedRow],
    registry: list[RegistryField],
    meta,
) -> tuple[list[Column], int]:
    encoding = detect_encoding(path)
    headers, delimiter = read_header(path, encoding)
    columns = plan_columns(path, headers, dataset, seed, registry)
    target = run.staged(dataset) / "part-00000.parquet"
    log.info("reading %s (%s, delimiter %r)", path, encoding, delimiter)
    rows = to_parquet(path, target, [c.name for c in columns], encoding, delimiter, meta)
    key_column, required, typed = _typed_columns(columns, dataset, key, seed, registry)
    every = [TypedColumn(c.name, c.header, "text") for c in columns]
    problems = check_values(target, path, key_column, required, typed, every)
    if problems:
        raise SourceFileError(
            problems,
            "fix those values in the source system and export again (or correct the file); "
            "dates must be US (MM/DD/YYYY) or ISO (YYYY-MM-DD) with a four-digit year; "
            "remove control bytes (NUL etc.)",
        )
    return columns, rows


def _typed_columns(
    columns: list[Column],
    dataset: str,
    key: str,
    seed: list[SeedRow],
    registry: list[RegistryField],
) -> tuple[TypedColumn, list[TypedColumn], list[TypedColumn]]:
    seed_rows = {r.canonical_field: r for r in seed if r.dataset == dataset}
    custom = {f.field_name: f for f in registry}
    required, typed = [], []
    key_column = None
    for column in columns:
        if column.kind == "standard":
            row = seed_rows[column.name]
            typed_column = TypedColumn(column.name, column.header, row.type)
            if row.required:
                required.append(typed_column)
        elif column.kind == "custom":
            definition = custom[column.name]
            typed_column = TypedColumn(column.name, column.header, definition.type)
            if definition.required == "true":
                required.append(typed_column)
        else:
            continue
        typed.append(typed_column)
        if column.name == key:
            key_column = typed_column
    assert key_column is not None, "plan_columns guarantees the key column"  # required in seed
    return key_column, required, typed


def _columns_table(plans: list[tuple[str, Column]], meta) -> pa.Table:
    return pa.table(
        {
            "dataset": [d for d, _ in plans],
            "header": [c.header for _, c in plans],
            "column_name": [c.name for _, c in plans],
            "kind": [c.kind for _, c in plans],
            "target": [c.target for _, c in plans],
            **meta(len(plans)),
        }
    )


def _registry_table(registry: list[RegistryField], meta) -> pa.Table:
    names = ("field_name", "label", "type", "options", "required")
    return pa.table(
        {
            **{n: pa.array([getattr(f, n) for f in registry], pa.string()) for n in names},
            **meta(len(registry)),
        }
    )


def _attachments_table(
    run: RawRun, files: CaptorraFiles, folder: Path, store: Path, meta
) -> pa.Table:
    """One row per file the export names; the content goes to the store, a missing file is a
    row with present = false (reported, never silently skipped)."""
    leads = run.staged("leads") / "part-00000.parquet"
    names = duckdb.execute(
        f"select lead_id, _line, trim(unnest(string_split(attachments, '{ATTACHMENT_SEPARATOR}'))) "
        f"as file_name from read_parquet('{leads}') where trim(coalesce(attachments, '')) <> ''"
    ).fetchall()
    folder_exists = folder.is_dir()
    found: list[tuple[str, str, Path | None]] = []
    problems = []
    for lead_id, line, name in names:  # every path checked before any file is stored
        if not name:
            continue
        try:
            path = confined_file(folder, lead_id, name) if folder_exists else None
        except UnsafePath as error:
            column = "Attachments" if component_problem(name) else "Lead ID"
            problems.append(Problem(files.export, line, column, str(error)))
            continue
        found.append((lead_id, name, path))
    if problems:
        raise SourceFileError(
            problems,
            "lead ids and attachment names must be plain names (no '..', '/', '\\', drive "
            "letters or control bytes) and attachments must be real files, not symlinks: "
            "fix the export or the attachments folder",
        )
    rows = []
    for lead_id, name, path in found:
        stored = store_file(path, store) if path else None
        rows.append(
            {
                "lead_id": lead_id,
                "file_name": name,
                "present": stored is not None,
                "sha256": stored.sha256 if stored else None,
                "size": stored.size if stored else None,
                "mime": stored.mime if stored else None,
            }
        )
    if rows and not folder_exists:
        log.warning(
            "attachments folder %s does not exist: all %d attachment(s) named in the export "
            "are counted as missing (pass --attachments FOLDER if they are elsewhere)",
            folder,
            len(rows),
        )
    return _attachment_rows(rows, meta)


def _empty_activities(seed: list[SeedRow], meta) -> pa.Table:
    """An export without activity: an empty dataset, so every run has the same datasets."""
    names = dict.fromkeys(r.canonical_field for r in seed if r.dataset == "activities")
    table = pa.table(
        {**{name: pa.array([], pa.string()) for name in names}, "_line": pa.array([], pa.int64())}
    )
    for name, column in meta(0).items():
        table = table.append_column(name, column)
    return table


def _attachment_rows(rows: list[dict], meta) -> pa.Table:
    schema = pa.schema(
        [
            ("lead_id", pa.string()),
            ("file_name", pa.string()),
            ("present", pa.bool_()),
            ("sha256", pa.string()),
            ("size", pa.int64()),
            ("mime", pa.string()),
        ]
    )
    table = pa.Table.from_pylist(rows, schema=schema)
    for name, column in meta(table.num_rows).items():
        table = table.append_column(name, column)
    return table
