"""`legal2odoo csv link-ids`: fill `res_id` into the message, activity and attachment files.

`res_id` is the database id of the record in the Odoo being imported into, known only once
the leads are imported. The person exports external ids with their ids from Odoo (External
Identifiers: Complete ID + Record ID, or a list view: External ID + ID); every
`*.needs-ids.csv` template then becomes the `.csv` to import, `res_id` filled and the helper
column dropped. All or nothing: one record missing from the export and no file is written.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

from legal2odoo.load.csv_files import ENCODING, read_import_csv
from legal2odoo.load.csv_plan import HELPER

XMLID_HEADERS = ("Complete ID", "External ID", "id")
DBID_HEADERS = ("Record ID", "ID", ".id")
SHOWN = 5  # missing ids named in the error


class LinkError(ValueError):
    """An export that cannot link the templates (wrong columns, records missing)."""


@dataclass(frozen=True)
class Linked:
    path: Path
    rows: int


def read_exported_ids(paths: list[Path]) -> dict[str, int]:
    """External id -> database id from Odoo's own CSV export(s)."""
    ids: dict[str, int] = {}
    for path in paths:
        header, rows = read_import_csv(path)
        xmlid_at = _column(path, header, XMLID_HEADERS)
        dbid_at = _column(path, header, DBID_HEADERS)
        for number, row in enumerate(rows, start=2):
            xmlid, dbid = row[xmlid_at].strip(), row[dbid_at].strip()
            if not xmlid:
                continue
            try:
                ids[xmlid] = int(dbid)
            except ValueError as error:
                raise LinkError(
                    f"{path}, row {number}: ID {dbid!r} of {xmlid} is not a number; export "
                    "the ID (database id) column, not a name"
                ) from error
    return ids


def link_ids(folder: Path, exported: list[Path]) -> list[Linked]:
    templates = sorted(folder.glob("*.needs-ids.csv"))
    if not templates:
        raise LinkError(f"{folder}: no *.needs-ids.csv templates (run `load --to csv` first)")
    ids = read_exported_ids(exported)
    outputs: list[tuple[Path, str, int]] = []
    missing: list[str] = []
    for template in templates:
        text, rows, lost = _linked_text(template, ids)
        missing += lost
        outputs.append(
            (template.with_name(template.name.replace(".needs-ids.csv", ".csv")), text, rows)
        )
    if missing:
        shown = "; ".join(missing[:SHOWN]) + (
            f"; and {len(missing) - SHOWN} more" if len(missing) > SHOWN else ""
        )
        raise LinkError(
            f"{len(missing)} row(s) name a record the export does not have ({shown}). "
            "Import every file of step 1 first, then export all `legal2odoo` external ids "
            "(archived leads included); nothing was written"
        )
    for path, text, _ in outputs:  # all checked: now write, each file atomically
        partial = path.with_name(f".{path.name}.partial")
        partial.write_text(text, encoding=ENCODING, newline="")
        os.replace(partial, path)
    return [Linked(path, rows) for path, _, rows in outputs]


def _linked_text(template: Path, ids: dict[str, int]) -> tuple[str, int, list[str]]:
    header, rows = read_import_csv(template)
    if HELPER not in header or "res_id" not in header:
        raise LinkError(f"{template}: no {HELPER}/res_id columns; export the files again")
    helper, res_id = header.index(HELPER), header.index("res_id")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([h for i, h in enumerate(header) if i != helper])
    missing: list[str] = []
    for number, row in enumerate(rows, start=2):
        xmlid = row[helper]
        if xmlid not in ids:
            missing.append(f"{template.name} row {number}: {xmlid}")
            continue
        row[res_id] = str(ids[xmlid])
        writer.writerow([c for i, c in enumerate(row) if i != helper])
    return out.getvalue(), len(rows), missing


def _column(path: Path, header: list[str], names: tuple[str, ...]) -> int:
    for name in names:
        if name in header:
            return header.index(name)
    raise LinkError(
        f"{path}: no column {' or '.join(repr(n) for n in names)} (found: {', '.join(header)}); "
        "export the external id and the database id of the records"
    )
