"""`load --to odoo --dry-run`: every row checked against the target's `fields_get` and its
existing records (types, selections, required values, references); nothing is written.

A reference resolves when Odoo has it or an earlier (or the same) mart will create it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from legal2odoo.load.marts import find_marts
from legal2odoo.load.references import existing_ids, lookup_xmlids
from legal2odoo.load.rows import read_rows
from legal2odoo.load.schema import SchemaPlan
from legal2odoo.load.transport import Transport
from legal2odoo.load.upsert import field_of
from legal2odoo.load.versions import for_target
from legal2odoo.spreadsheet import safe_writer

SKIPPED = ("ir.model.data",)
BOOLEANS = {"1", "0", "true", "false", "yes", "no", ""}
ATTRIBUTES = ["type", "selection", "required", "relation", "readonly"]


@dataclass(frozen=True)
class Problem:
    model: str
    external_id: str
    column: str
    message: str


def _is_date(fmt: str) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        try:
            datetime.strptime(value, fmt)
        except ValueError:
            return False
        return True

    return check


def _is_number(kind: type) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        try:
            kind(value)
        except ValueError:
            return False
        return True

    return check


TYPE_CHECKS: dict[str, tuple[Callable[[str], bool], str]] = {
    "integer": (_is_number(int), "not an integer"),
    "float": (_is_number(float), "not a number"),
    "monetary": (_is_number(float), "not a number"),
    "boolean": (lambda v: v.lower() in BOOLEANS, "not a boolean"),
    "date": (_is_date("%Y-%m-%d"), "not a date YYYY-MM-DD"),
    "datetime": (_is_date("%Y-%m-%d %H:%M:%S"), "not a datetime YYYY-MM-DD HH:MM:SS"),
}


def validate(
    odoo: Transport, con: duckdb.DuckDBPyConnection, schema: SchemaPlan | None = None
) -> list[Problem]:
    problems: list[Problem] = []
    will_exist: set[str] = set()
    planned = {(f["model"], f["name"]): f for f in (schema.fields if schema else [])}
    for mart in find_marts(con):
        if mart.model in SKIPPED:
            if mart.model == "ir.model.data":
                will_exist.update(r.external_id for r in read_rows(con, mart, "name"))
            continue
        fields = odoo.execute(mart.model, "fields_get", [], {"attributes": ATTRIBUTES})
        mart = for_target(mart, fields)
        for (model, name), spec in planned.items():
            if model == mart.model:
                fields.setdefault(name, {"type": spec["ttype"], "relation": spec.get("relation")})
        refs: dict[str, list[tuple[str, str]]] = {}  # xmlid -> rows using it
        db_refs: dict[tuple[str, int], list[tuple[str, str]]] = {}
        for row in read_rows(con, mart):
            will_exist.add(row.external_id)
            for column, value in zip(mart.columns, row.cells, strict=True):
                meta = fields.get(field_of(column))
                if column in ("id", ".id") or meta is None:
                    continue
                where = (row.external_id, column)
                if column.endswith("/id"):
                    for x in filter(None, (v.strip() for v in value.split(","))):
                        refs.setdefault(x, []).append(where)
                elif column.endswith("/.id"):
                    for v in filter(None, (v.strip() for v in value.split(","))):
                        if not v.isdigit():
                            problems.append(Problem(mart.model, *where, f"{v!r} is not an id"))
                        elif meta.get("relation"):
                            db_refs.setdefault((meta["relation"], int(v)), []).append(where)
                else:
                    message = _check_value(value, meta)
                    if message:
                        problems.append(Problem(mart.model, *where, message))
        problems += _unresolved(odoo, mart.model, refs, db_refs, will_exist)
    return problems


def _check_value(value: str, meta: dict[str, Any]) -> str | None:
    kind = meta.get("type", "")
    if value == "":
        return (
            f"required field {meta.get('string') or ''} is empty" if meta.get("required") else None
        )
    if kind in TYPE_CHECKS:
        check, message = TYPE_CHECKS[kind]
        return None if check(value) else f"{value!r} {message}"
    if kind == "selection" and isinstance(meta.get("selection"), list):
        allowed = {str(v).lower() for pair in meta["selection"] for v in pair}
        if value.lower() not in allowed:
            values = ", ".join(str(p[0]) for p in meta["selection"])
            return f"{value!r} is not one of: {values}"
    return None


def _unresolved(
    odoo: Transport,
    model: str,
    refs: dict[str, list[tuple[str, str]]],
    db_refs: dict[tuple[str, int], list[tuple[str, str]]],
    will_exist: set[str],
) -> list[Problem]:
    problems: list[Problem] = []
    wanted = [x for x in refs if x not in will_exist]
    found = lookup_xmlids(odoo, wanted) if wanted else {}
    for xmlid in wanted:
        if xmlid not in found:
            problems += [
                Problem(model, rid, col, f"reference {xmlid} not found") for rid, col in refs[xmlid]
            ]
    by_model: dict[str, set[int]] = {}
    for relation, rid in db_refs:
        by_model.setdefault(relation, set()).add(rid)
    for relation, ids in by_model.items():
        present = existing_ids(odoo, relation, ids)
        for rid in sorted(ids - present):
            problems += [
                Problem(model, x, col, f"{relation} id {rid} not found")
                for x, col in db_refs[(relation, rid)]
            ]
    return problems


def write_problems(problems: list[Problem], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = safe_writer(handle)
        writer.writerow(["model", "external_id", "column", "problem"])
        writer.writerows((p.model, p.external_id, p.column, p.message) for p in problems)
