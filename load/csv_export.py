"""`load --to csv`: the marts as Odoo Community import files, for a server without API access.

Files are numbered in load order and chunked so one import stays well inside a worker's time
limit; `IMPORT.md` says the order and the import settings. The folder is replaced whole: a
failed export leaves the previous one intact.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv

from load.marts import Mart, as_text, find_marts, open_warehouse

ROWS_PER_FILE = 2000  # the import wizard's own batch size: ~10 s per file at Odoo 17's ~195 rows/s
# Marts whose rows belong to a record named by external id (mail.message, ir.attachment): the
# import wizard can set neither res_id from an external id nor file bytes from a path, so they
# are written as `.needs-loader.csv` with what the loader (or a person) needs to finish them.
LOADER_COLUMNS = {
    "_res_xmlid": "record_external_id",
    "_file_path": "file_path",
    "_author_user_id": "author_user_id",
}


@dataclass(frozen=True)
class ImportFile:
    path: Path
    model: str
    rows: int
    importable: bool = True  # False: needs the loader (see LOADER_COLUMNS)


def export_csv(
    warehouse: Path, target: Path, rows_per_file: int = ROWS_PER_FILE
) -> list[ImportFile]:
    # this run's own staging folder (never shared with another run), swapped in whole
    staging = target.with_name(f".{target.name}.partial-{os.getpid()}-{time.time_ns()}")
    staging.mkdir(parents=True)
    try:
        with open_warehouse(warehouse) as con:
            # A mart without rows (e.g. the Actionstep marts of a firm that only uses Captorra)
            # has nothing to import: no file, and the numbering stays consecutive.
            marts = [m for m in find_marts(con) if _has_rows(con, m)]
            files = [
                written
                for number, mart in enumerate(marts)
                for written in _write_mart(con, mart, staging, number, rows_per_file)
            ]
        (staging / "IMPORT.md").write_text(import_guide(files), encoding="utf-8")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = target.with_name(f".{target.name}.old-{os.getpid()}-{time.time_ns()}")
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return [ImportFile(target / f.path.name, f.model, f.rows, f.importable) for f in files]


def _has_rows(con: duckdb.DuckDBPyConnection, mart: Mart) -> bool:
    return bool(con.execute(f"select exists (select 1 from {mart.table})").fetchall()[0][0])


def _write_mart(
    con: duckdb.DuckDBPyConnection, mart: Mart, folder: Path, number: int, rows_per_file: int
) -> list[ImportFile]:
    select = ", ".join(as_text(c, t) for c, t in zip(mart.columns, mart.types, strict=True))
    if mart.needs_loader:
        select += "".join(
            f', cast("{column}" as varchar) as "{header}"'
            for column, header in LOADER_COLUMNS.items()
            if column in mart.metadata
        )
    reader = con.sql(f"select {select} from {mart.table} order by {mart.order_by}").to_arrow_reader(
        rows_per_file
    )
    stem = f"{number:02d}_{mart.table.removeprefix('odoo__')}"
    files: list[ImportFile] = []
    pending = pa.Table.from_batches([], schema=reader.schema)
    for batch in reader:
        pending = pa.concat_tables([pending, pa.Table.from_batches([batch])])
        while pending.num_rows >= rows_per_file:
            files.append(_write_part(folder, stem, len(files) + 1, mart, pending[:rows_per_file]))
            pending = pending[rows_per_file:]
    if pending.num_rows or not files:
        files.append(_write_part(folder, stem, len(files) + 1, mart, pending))
    return files


def _write_part(folder: Path, stem: str, part: int, mart: Mart, rows: pa.Table) -> ImportFile:
    suffix = ".needs-loader.csv" if mart.needs_loader else ".csv"
    path = folder / f"{stem}_{part:03d}{suffix}"
    pacsv.write_csv(rows, path)
    return ImportFile(path, mart.model, rows.num_rows, not mart.needs_loader)


def import_guide(files: list[ImportFile]) -> str:
    lines = [
        "# Importing into Odoo without the API",
        "",
        "Import these files **in this order** (Odoo: the model's list view → Favorites →",
        "Import records → Load File). For every file: encoding **UTF-8**, separator **comma**,",
        'text delimiter **"**, *Use first row as header*; press **Test** first, then **Import**.',
        "",
        "- Set your user's timezone to **UTC** (Preferences) while importing: the files hold UTC",
        "  and Odoo reads import datetimes in the importing user's timezone.",
        "- `ir_model_data` files (external ids of records your Odoo already has) need developer",
        "  mode: Settings → Technical → External Identifiers → Import.",
        "- The `id` column is the external id: importing a file again updates, never duplicates.",
        "- `ir_model_fields` (custom fields) and `ir_model_fields_selection` (their options) need",
        "  developer mode: Settings → Technical → Fields. Import them before any file with `x_`",
        "  columns; `crm_lead__intake` is a second `crm.lead` import (same ids) with the custom",
        "  intake values; `crm_lead__matter_data` (Actionstep matter fields) and",
        "  `res_partner__actionstep` (role tags, trust ledger, participant fields) are further",
        "  passes over leads and partners, imported after the first one.",
        "",
        "| # | file | Odoo model | rows |",
        "|---|------|------------|-----:|",
    ]
    importable = [f for f in files if f.importable]
    lines += [
        f"| {n} | `{f.path.name}` | `{f.model}` | {f.rows:,} |" for n, f in enumerate(importable, 1)
    ]
    pending = [f for f in files if not f.importable]
    if pending:
        lines += [
            "",
            *NEEDS_LOADER,
            "",
            "| file | Odoo model | rows |",
            "|------|------------|-----:|",
        ]
        lines += [f"| `{f.path.name}` | `{f.model}` | {f.rows:,} |" for f in pending]
    return "\n".join(lines) + "\n"


NEEDS_LOADER = (
    "## Not importable through the wizard: `*.needs-loader.csv`",
    "",
    "Chatter messages (`mail.message`) and files (`ir.attachment`) hang on a lead through",
    "`res_model`/`res_id`. `res_id` is a database id the import wizard cannot look up from an",
    "external id, and the wizard cannot read file bytes from a path, so importing these files",
    "as they are would create messages and files attached to nothing. Load them through the",
    "API loader (`legal2odoo load --to odoo`, design §5) or finish them by hand:",
    "",
    "- `record_external_id` names the lead (`legal2odoo.captorra_lead_…`); after importing the",
    "  leads, export their External ID and ID and put that ID in a `res_id` column.",
    "- `file_path` is the file's bytes, relative to the working directory (`files/<sha256>`);",
    "  the wizard takes a `datas` column only as base64 text, so attach large files from the",
    "  lead's chatter instead.",
    "- `author_user_id` is the Odoo user who wrote a message; their partner is the author.",
    "- Drop the helper columns before importing (or choose *Don't import* for them).",
)
