"""Test stand-in for the loader's missing `--apply-schema`: create the custom fields of the
`odoo__ir_model_fields` mart (with their external ids) so crm.lead can load. Remove when the
loader applies the schema plan itself."""

from __future__ import annotations

from pathlib import Path

import duckdb

from load.transport import Transport

COLUMNS = ("id", "model_id/id", "name", "field_description", "ttype", "relation", "required")


def create_custom_fields(odoo: Transport, warehouse: Path) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        quoted = ", ".join(f'"{c}"' for c in COLUMNS)
        rows = con.execute(f"select {quoted} from odoo__ir_model_fields order by id").fetchall()
    data = [["" if v is None else str(v) for v in row] for row in rows]
    result = odoo.execute("ir.model.fields", "load", [list(COLUMNS), data])
    errors = [m for m in result.get("messages", []) if m.get("type") == "error"]
    if errors:
        raise AssertionError(f"custom fields not created: {errors[:3]}")
    return len([i for i in result.get("ids") or [] if i])
