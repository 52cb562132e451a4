"""Field-level comparison of what a run wrote with the marts: read back by database id,
normalise both sides (normalise.py), keep every difference and per-field mismatch counts."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import duckdb

from legal2odoo.load.enrich import AUTHOR_XMLID
from legal2odoo.load.marts import Mart
from legal2odoo.load.references import lookup_xmlids
from legal2odoo.load.rows import read_rows
from legal2odoo.load.transport import Transport
from legal2odoo.load.upsert import field_of
from legal2odoo.load.versions import for_target
from legal2odoo.trust.normalise import compare
from legal2odoo.trust.readback import ALL_RECORDS, read_records

log = logging.getLogger(__name__)
FIELD_ATTRIBUTES = ["type", "relation", "selection", "string"]
ALWAYS_DIFFERENT = frozenset({"create_date", "write_date", "create_uid", "write_uid"})
REFERENCES = frozenset({"many2one", "many2many", "one2many"})
FLAG_TEXTS = {True: ("True",), False: ("False", "")}  # booleans as the loader sends them
EXACT_INT = 2**53  # every int below converts to float and back unchanged
EXACT_DIGITS = 16  # digits of a number below EXACT_INT
NUMERIC = frozenset({"integer", "float", "monetary"})
MartRow = tuple[str, tuple[str, ...], dict[str, Any]]  # external id, cells, `_` columns


@dataclass(frozen=True)
class Difference:
    model: str
    external_id: str
    field: str
    source_value: Any
    odoo_value: Any
    expected_value: Any = None  # from the source (diff.csv): what the spec says Odoo must hold
    mart_value: Any = None
    check: str = "mart->odoo"  # source->odoo, source->mart, invariant, mart->odoo
    source: str = ""  # system/object/source id


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


class ModelCheck:
    """What one model's records must hold (the marts, as the loader sent them) and the
    comparison of each record Odoo returns, one at a time, as it streams in."""

    def __init__(
        self,
        odoo: Transport,
        warehouse: duckdb.DuckDBPyConnection,
        model: str,
        marts: list[Mart],
        external_ids: set[str],
        resolver: Resolver,
    ) -> None:
        self.result = ModelDiff(model)
        self.resolver = resolver
        self.odoo, self.warehouse, self.marts = odoo, warehouse, marts
        self.meta = odoo.execute(model, "fields_get", [], {"attributes": FIELD_ATTRIBUTES})
        self.expected: dict[str, dict[str, str]] = {}
        self.fields: list[str] = []
        self._columns: dict[str, _Column] = {}
        self._seen: set[str] = set()
        self._missing: list[str] = []
        self.expect(external_ids)

    def expect(self, external_ids: set[str]) -> None:
        """Compare these records next, in place of the ones before (a large model is read
        back a chunk at a time, so its mart cells are never all in memory)."""
        self._missing += set(self.expected) - self._seen
        self._seen = set()
        self.expected = _expected_cells(
            self.odoo, self.warehouse, self.marts, external_ids, self.meta, self.resolver
        )
        columns = {c for cells in self.expected.values() for c in cells}
        references = [c for c in columns if c.endswith("/id")]
        self.resolver.prefetch(
            {
                part.strip()
                for cells in self.expected.values()
                for c in references
                if (v := cells.get(c))
                for part in v.split(",")
            }
        )
        self.fields = sorted({field_of(c) for c in columns})

    def compare(self, external_id: str, record: dict[str, Any]) -> None:
        """Compare one record read back (many2one as id or [id, name]) with its mart cells."""
        cells = self.expected.get(external_id)
        if cells is None:
            return
        self._seen.add(external_id)
        result = self.result
        result.compared += 1
        different = False
        known = self.resolver.known
        for column, cell in cells.items():
            spec = self._columns.get(column) or self._column(column)
            spec.count.compared += 1
            value = record.get(spec.name)
            if spec.plain and cell == value:
                continue  # one normaliser applied to equal values: equal, not run
            if spec.by_xmlid and (
                (type(value) is int and known.get(cell) == value) or (cell == "" and value is False)
            ):
                continue  # the external id resolves to the id Odoo holds (or both are empty)
            if cell == "" and (value is False or value == [] or (spec.numeric and value == 0)):
                continue  # nothing sent, nothing stored: every normaliser calls that equal
            if spec.same is not None and spec.same(cell, value):
                continue
            equal, left, right = compare(column, spec.meta, cell, value, self.resolver)
            if not equal:
                spec.count.mismatched += 1
                different = True
                result.differences.append(
                    Difference(result.model, external_id, spec.name, _shown(left), _shown(right))
                )
        result.records_with_differences += different

    def finish(self) -> ModelDiff:
        self.result.missing = sorted([*self._missing, *(set(self.expected) - self._seen)])
        return self.result

    def _column(self, column: str) -> _Column:
        name = field_of(column)
        meta = self.meta[name]
        count = self.result.fields.setdefault(name, FieldCount(self.result.model, name))
        plain = "/" not in column and meta.get("type") not in REFERENCES
        kind = meta.get("type")
        by_xmlid = column.endswith("/id") and kind == "many2one"
        same = _quick_equal(column, str(kind))
        numeric = kind in NUMERIC and "/" not in column
        spec = self._columns[column] = _Column(name, meta, count, plain, by_xmlid, same, numeric)
        return spec


@dataclass(frozen=True)
class _Column:
    name: str  # the Odoo field
    meta: dict[str, Any]  # its fields_get attributes
    count: FieldCount
    plain: bool  # both sides go through the same normaliser (not a reference)
    by_xmlid: bool  # a many2one given by external id
    same: Callable[[str, Any], bool] | None  # True only where normalise.compare is equal
    numeric: bool  # integer or float: an empty cell is 0 after the load


def _quick_equal(column: str, kind: str) -> Callable[[str, Any], bool] | None:
    """A cheap test for the common equal cases of a column whose sides normalise differently
    (text against a typed value); False sends the cell through normalise.compare."""
    if column.endswith("/.id") and kind not in ("many2many", "one2many"):
        return _same_id
    if "/" in column:
        return None
    if kind == "integer":
        return _same_id
    if kind in ("float", "monetary"):
        return _same_float
    if kind == "boolean":
        return _same_flag
    return None


def _same_id(cell: str, value: Any) -> bool:
    # the normaliser goes through float: beyond 2**53 it can call equal texts different
    if type(value) is str:  # a many2one_reference some servers return as text
        return cell == value and value.isascii() and value.isdigit() and len(value) < EXACT_DIGITS
    return type(value) is int and -EXACT_INT < value < EXACT_INT and cell == str(value)


def _same_float(cell: str, value: Any) -> bool:
    return type(value) is float and abs(value) < math.inf and cell == str(value)  # not NaN/inf


def _same_flag(cell: str, value: Any) -> bool:
    return type(value) is bool and cell in FLAG_TEXTS[value]


def diff_model(
    odoo: Transport,
    warehouse: duckdb.DuckDBPyConnection,
    model: str,
    marts: list[Mart],
    written: dict[str, int],
    resolver: Resolver,
) -> ModelDiff:
    """Compare every record of `model` the run wrote (external id -> Odoo id)."""
    check = ModelCheck(odoo, warehouse, model, marts, set(written), resolver)
    by_id = {written[x]: x for x in check.expected}
    for record in read_records(odoo, model, by_id, check.fields, names=False):
        check.compare(by_id[int(record["id"])], record)
    return check.finish()


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
        mart = for_target(mart, meta)
        columns = [c for c in mart.columns if _comparable(c, meta)]
        rows = list(_mart_rows(warehouse, mart, columns, external_ids))
        authors = _user_partners(odoo, rows) if "_author_user_id" in mart.metadata else {}
        resolver.prefetch({str(m["_res_xmlid"]) for _, _, m in rows if m.get("_res_xmlid")})
        for external_id, values, row_meta in rows:
            cells = expected.setdefault(external_id, {})
            cells.update(zip(columns, values, strict=True))
            _computed(cells, row_meta, meta, authors, resolver)
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


def _user_partners(odoo: Transport, rows: list[MartRow]) -> dict[int, int]:
    ids = sorted({int(v) for _, _, m in rows if (v := m.get("_author_user_id")) is not None})
    if not ids:
        return {}
    users = odoo.execute("res.users", "read", [ids, ["partner_id"]], dict(ALL_RECORDS))
    return {u["id"]: u["partner_id"][0] for u in users if u.get("partner_id")}


def _mart_rows(
    warehouse: duckdb.DuckDBPyConnection, mart: Mart, columns: list[str], external_ids: set[str]
) -> Iterator[MartRow]:
    """(external id, cells as the loader sends them, `_` columns) of the wanted rows, in load
    order; only the compared columns are read."""
    if "id" not in mart.columns or not external_ids:
        return
    for row in read_rows(warehouse, mart.only(["id", *columns]), only=external_ids):
        yield row.external_id, row.cells[1:], row.meta


def _comparable(column: str, meta: dict[str, Any]) -> bool:
    name = field_of(column)
    return column not in ("id", ".id") and name in meta and name not in ALWAYS_DIFFERENT


def _shown(value: Any) -> Any:
    if isinstance(value, frozenset):
        return ",".join(str(v) for v in sorted(value, key=str))
    return value
