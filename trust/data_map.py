"""The audit-phase data map the specifications promise, generated from the mapping spec: per
source object its record count in raw, the Odoo model(s) and fields it maps to, and what is
excluded by rule and why. Written into preflight.json and shown in the report."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import duckdb

from legal2odoo.trust.mapping_spec import SpecRow, expected_records, has_raw, source_objects


def data_map(raw: Path, spec: list[SpecRow]) -> list[dict[str, Any]]:
    """One entry per source object extracted into `raw` (objects of a source not extracted
    are left out)."""
    con = duckdb.connect()
    try:
        return [_entry(con, raw, spec, key) for key in source_objects() if has_raw(raw, key)]
    finally:
        con.close()


def _entry(
    con: duckdb.DuckDBPyConnection, raw: Path, spec: list[SpecRow], key: str
) -> dict[str, Any]:
    records = 0
    kinds: Counter[str] = Counter()
    excluded: Counter[str] = Counter()
    for record in expected_records(con, raw, spec, key):
        records += 1
        kinds[record.record_type] += 1
        if record.excluded_rule:
            excluded[record.excluded_rule] += 1
    rows = [r for r in spec if r.source_key == key]
    system, name = key.split("__", 1)
    return {
        "source_system": system,
        "source_object": name,
        "records": records,
        "record_types": dict(sorted(kinds.items())),
        "excluded_by_rule": dict(sorted(excluded.items())),
        "odoo_models": sorted({r.odoo_model for r in rows}),
        "fields": [
            {
                "source_field": r.source_field,
                "odoo": f"{r.odoo_model}.{r.odoo_field}",
                "transform": r.transform + (f" ({r.argument})" if r.argument else ""),
            }
            for r in rows
        ],
    }


def _field(row: SpecRow) -> dict[str, str]:
    return {
        "source_field": row.source_field,
        "odoo": f"{row.odoo_model}.{row.odoo_field}",
        "transform": row.transform + (f" ({row.argument})" if row.argument else ""),
    }


def render_lines(entries: list[dict[str, Any]]) -> list[str]:
    """The data map as plain lines (CLI output)."""
    lines = []
    for e in entries:
        models = ", ".join(e["odoo_models"]) or "(counted only)"
        name = f"{e['source_system']} {e['source_object']}"
        lines.append(f"{name}: {e['records']:,} records -> {models}")
        fields = ", ".join(f"{f['source_field']}->{f['odoo']}" for f in e["fields"])
        if fields:
            lines.append(f"    fields: {fields}")
        for rule, count in e["excluded_by_rule"].items():
            lines.append(f"    excluded by rule: {count:,} ({rule})")
    return lines
