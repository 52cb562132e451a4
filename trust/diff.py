"""Field-level comparison of what a run wrote with the marts: read back by database id,
normalise both sides (normalise.py), keep every difference and per-field mismatch counts."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import duckdb

from load.enrich import AUTHOR_XMLID
from load.marts import Mart
from load.references import lookup_xmlids
from load.rows import Row, read_rows
from load.transport import Transport
from load.upsert import field_of
from trust.normalise import compare
from trust.readback import ALL_RECORDS, read_records

log = logging.getLogger(__name__)
FIELD_ATTRIBUTES = ["type", "relation", "selection", "string"]
ALWAYS_DIFFERENT = frozenset({"create_date", "write_date", "create_uid", "write_uid"})


@dataclass(frozen=True)
class Difference:
    model: str
    external_id: str
    field: str
    source_value: Any
    odoo_value: Any


@dataclass
class FieldCount:
    model: str
    field: str
    compared: int = 0
    mismatched: int = 0

    @property
    def rate(self) -> float:
        return self.mismatched / self.compared if self.compared else 0.0


@dataclass
class ModelDiff:
    model: str
    compared: int = 0  # records read back and compared
    missing: list[str] = field(default_factory=list)  # written by the run, gone from Odoo
    records_with_differences: int = 0
    differences: list[Difference] = field(default_factory=list)
    fields: dict[str, FieldCount] = field(default_factory=dict)


class Resolver:
    """External id -> database id, looked up in bulk and remembered."""

    def __init__(self, odoo: Transport, known: dict[str, int] | None = None) -> None:
        self.odoo = odoo
        self.known: dict[str, int | None] = dict(known or {})  # e.g. from the ledger

    def prefetch(self, xmlids: set[str]) -> None:
        wanted = {x for x in xmlids if x and x not in self.known}
        if not wanted:
            return
        found = lookup_xmlids(self.odoo, wanted)
        for xmlid in wanted:
            self.known[xmlid] = found[xmlid][1] if xmlid in found else None

    def __call__(self, xmlid: str) -> int | None:
        if xmlid not in self.known:
            self.prefetch({xmlid})
        return self.known[xmlid]


def diff_model(
    odoo: Transport,
    warehouse: duckdb.DuckDBPyConnection,
    model: str,
    marts: list[Mart],
    written: dict[str, int],
    resolver: Resolver,
) -> ModelDiff:
    """Compare every record of `model` the run wrote (external id -> Odoo id)."""
    result = ModelDiff(model)
    meta = odoo.execute(model, "fields_get", [], {"attributes": FIELD_ATTRIBUTES})
    expected = _expected_cells(odoo, warehouse, marts, set(written), meta, resolver)
    columns = sorted({c for cells in expected.values() for c in cells})
    resolver.prefetch(
        {part.strip() for cells in expected.values() for c, v in cells.items()
         if c.endswith("/id") and v for part in v.split(",")}
    )  # fmt: skip
    fields = sorted({field_of(c) for c in columns})
    by_id = {written[x]: x for x in expected}
    seen: set[str] = set()
    for record in read_records(odoo, model, by_id, fields):
        external_id = by_id[int(record["id"])]
        seen.add(external_id)
        _compare_record(result, external_id, expected[external_id], record, meta, resolver)
    result.missing = sorted(set(expected) - seen)
    return result


def _compare_record(
    result: ModelDiff,
    external_id: str,
    cells: dict[str, str],
    record: dict[str, Any],
    meta: dict[str, Any],
    resolver: Resolver,
) -> None:
    result.compared += 1
    different = False
    for column, cell in cells.items():
        name = field_of(column)
        count = result.fields.setdefault(name, FieldCount(result.model, name))
        count.compared += 1
        equal, left, right = compare(column, meta[name], cell, record.get(name), resolver)
        if not equal:
            count.mismatched += 1
            different = True
            result.differences.append(
                Difference(result.model, external_id, name, _shown(left), _shown(right))
            )
    result.records_with_differences += different


def _expected_cells(
    odoo: Transport,
    warehouse: duckdb.DuckDBPyConnection,
    marts: list[Mart],
    external_ids: set[str],
    meta: dict[str, Any],
    resolver: Resolver,
) -> dict[str, dict[str, str]]:
    """external id -> {column: expected cell} merged over the model's marts (later passes
    win), with what the loader computes from `_` columns (load/enrich.py) as it sends it."""
    expected: dict[str, dict[str, str]] = {}
    for mart in marts:
        columns = [c for c in mart.columns if _comparable(c, meta)]
        index = [mart.columns.index(c) for c in columns]
        rows = list(_rows(warehouse, mart, external_ids))
        authors = _user_partners(odoo, rows) if "_author_user_id" in mart.metadata else {}
        resolver.prefetch({str(r.meta["_res_xmlid"]) for r in rows if r.meta.get("_res_xmlid")})
        for row in rows:
            cells = expected.setdefault(row.external_id, {})
            cells.update({c: row.cells[i] for c, i in zip(columns, index, strict=True)})
            _computed(cells, row.meta, meta, authors, resolver)
    return expected


def _computed(
    cells: dict[str, str],
    row_meta: dict[str, Any],
    meta: dict[str, Any],
    authors: dict[int, int],
    resolver: Resolver,
) -> None:
    """res_id from `_res_xmlid`; an attachment's content by its `_sha256`; the author as the
    user's partner when `_author_user_id` names a user (then sent instead of `author_id/id`)."""
    record = row_meta.get("_res_xmlid")
    if record and "res_id" in meta:
        cells["res_id/.id"] = str(resolver(str(record)) or "")
    if row_meta.get("_sha256") and "datas" in meta:  # the loader sends the file's bytes
        cells["datas"] = f"sha256:{row_meta['_sha256']}"
    user = row_meta.get("_author_user_id")
    if user is not None and int(user) in authors and "author_id" in meta:
        cells.pop(AUTHOR_XMLID, None)
        cells["author_id/.id"] = str(authors[int(user)])


def _user_partners(odoo: Transport, rows: list[Row]) -> dict[int, int]:
    ids = sorted({int(v) for r in rows if (v := r.meta.get("_author_user_id")) is not None})
    if not ids:
        return {}
    users = odoo.execute("res.users", "read", [ids, ["partner_id"]], dict(ALL_RECORDS))
    return {u["id"]: u["partner_id"][0] for u in users if u.get("partner_id")}


def _rows(warehouse: duckdb.DuckDBPyConnection, mart: Mart, external_ids: set[str]) -> Iterator:
    for row in read_rows(warehouse, mart):
        if row.external_id in external_ids:
            yield row


def _comparable(column: str, meta: dict[str, Any]) -> bool:
    name = field_of(column)
    return column not in ("id", ".id") and name in meta and name not in ALWAYS_DIFFERENT


def _shown(value: Any) -> Any:
    if isinstance(value, frozenset):
        return ",".join(str(v) for v in sorted(value, key=str))
    return value
