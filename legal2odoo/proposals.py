"""Seeds the build proposes for the operator to edit and copy over the shipped ones."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from legal2odoo.workdir import Workdir

STAGES_FILE = "captorra_stages.proposed.csv"
STAGE_COLUMNS = (
    "pipeline",
    "status",
    "stage_name",
    "sequence",
    "probability",
    "is_won",
    "is_lost",
    "fold",
)


def write_proposed_stages(workdir: Workdir) -> Path | None:
    """exports/captorra_stages.proposed.csv: the seed's rows and every status it does not
    list with the stage the build inferred (int_captorra__stages), in the seed's columns."""
    if not workdir.warehouse.exists():
        return None
    with duckdb.connect(str(workdir.warehouse), read_only=True) as con:
        found = con.execute(
            "select count(*) from information_schema.tables where table_name = ?",
            ["int_captorra__stages"],
        ).fetchone()
        if not found or not found[0]:
            return None
        rows = con.execute(
            f"select {', '.join(STAGE_COLUMNS)} from int_captorra__stages "
            "order by pipeline, sequence, status"
        ).fetchall()
    return write_stages_csv(workdir.exports / STAGES_FILE, rows)


def write_stages_csv(path: Path, rows: list[tuple]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(STAGE_COLUMNS)
        writer.writerows([_cell(v) for v in row] for row in rows)
    return path


def _cell(value: object) -> object:
    """Booleans as the seed spells them; whole numbers without a trailing .0."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
