"""Verify from the source: expected values from the run's raw Parquet through the mapping spec
(trust/mapping_spec.py), compared with what Odoo holds and with what the marts say.

Three comparisons per mapped field of every in-scope source record:
- source -> Odoo: the expected value against the value read back from Odoo;
- source -> mart: the expected value against the mart cell the loader sent (a mart that
  disagrees with the spec is a finding even when Odoo holds what the mart said);
- cross-record invariants, checked against raw: every source email on exactly one partner,
  every spelling of a company on one company partner.
Reconciliation counts source records per record type against the records Odoo holds under
our external id; held for review is missing, excluded by rule is its own column.
"""

from __future__ import annotations

import json
import logging
import re
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import duckdb

from legal2odoo.load.marts import Mart, find_marts
from legal2odoo.load.references import lookup_xmlids
from legal2odoo.load.transport import Transport
from legal2odoo.trust.mapping_spec import (
    SourceRecord,
    SpecRow,
    expected_records,
    has_raw,
    source_objects,
)
from legal2odoo.trust.normalise import empty, moment, visible_text
from legal2odoo.trust.readback import ALL_RECORDS, read_records
from legal2odoo.trust.warehouse import has_table

log = logging.getLogger(__name__)
FLOAT_TOLERANCE = 0.005
NO_ELEMENT = "(no such element)"
CHATTER = "__chatter__"  # key of a record's message bodies among its read values
CHATTER_CHUNK = 2000
CHUNK_RECORDS = 10_000  # source records checked at a time: bounds memory, not speed
# DuckDB's memory for one source object's query, beyond it the sort spills to disk: measured
# on 654,610 custom values (50,000 matters + 50,000 leads), 428 MB peak unbounded, 330 MB at
# 300MB, 270 MB at 150MB, 5.0-6.1 s
SOURCE_QUERY_MEMORY = "256MB"
# (system, source id) -> [(position in the review queue, reason)]: see _held_links
HeldLinks = dict[tuple[str, str], list[tuple[int, str]]]


@dataclass(frozen=True)
class SourceDifference:
    check: str  # source->odoo | source->mart | invariant
    model: str
    external_id: str
    field: str
    source_value: Any
    expected_value: Any
    odoo_value: Any
    mart_value: Any = None
    source: str = ""  # system/object/source id


@dataclass
class SourceCount:
    """One record type of one source: what the source has and what Odoo holds."""

    source_system: str
    record_type: str
    source: int = 0
    excluded_by_rule: int = 0
    excluded_rules: Counter[str] = field(default_factory=Counter)
    in_odoo: int = 0
    held_for_review: int = 0
    held_reasons: Counter[str] = field(default_factory=Counter)

    @property
    def in_scope(self) -> int:
        return self.source - self.excluded_by_rule

    @property
    def missing(self) -> int:
        return self.in_scope - self.in_odoo

    @property
    def rate(self) -> float:
        return self.missing / self.in_scope if self.in_scope else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "source_system": self.source_system,
            "record_type": self.record_type,
            "source": self.source,
            "excluded_by_rule": self.excluded_by_rule,
            "exclusion_rules": "; ".join(
                f"{r} ({n})" for r, n in sorted(self.excluded_rules.items())
            ),
            "in_scope": self.in_scope,
            "in_odoo": self.in_odoo,
            "missing": self.missing,
            "held_for_review": self.held_for_review,
            "held_reasons": "; ".join(f"{r} ({n})" for r, n in sorted(self.held_reasons.items())),
            "rate": self.rate,
        }


@dataclass
class FieldTally:
    model: str
    field: str
    compared: int = 0
    mismatched: int = 0


@dataclass
class SourceVerification:
    differences: list[SourceDifference] = field(default_factory=list)
    counts: dict[tuple[str, str], SourceCount] = field(default_factory=dict)
    fields: dict[tuple[str, str], FieldTally] = field(default_factory=dict)
    records_compared: int = 0
    records_differing: int = 0
    invariants_checked: int = 0
    invariants_failed: int = 0
    stages_before: Counter[str | None] = field(default_factory=Counter)  # leads per stage

    @property
    def reconciliation(self) -> list[SourceCount]:
        return [self.counts[k] for k in sorted(self.counts)]

    def by_check(self) -> Counter[str]:
        return Counter(d.check for d in self.differences)

    def summary(self) -> dict[str, Any]:
        return {
            "records_compared": self.records_compared,
            "records_with_differences": self.records_differing,
            "differences": dict(self.by_check()),
            "invariants_checked": self.invariants_checked,
            "invariants_failed": self.invariants_failed,
            "reconciliation": [c.as_dict() for c in self.reconciliation],
            "fields": [asdict(t) for t in self.fields.values()],
        }


def verify_from_source(
    odoo: Transport,
    warehouse: duckdb.DuckDBPyConnection,
    raw: Path,
    spec: list[SpecRow],
    scope: set[str] | None = None,
    anchors: set[str] | None = None,
) -> SourceVerification:
    """Compare Odoo (and the marts) with what the spec derives from raw. `scope`: the external
    ids a `load --sample` run answered for; `anchors`: the records a `build --sample` kept,
    whose dependants (notes, messages, attachments, custom values under a kept lead) are in
    scope too, so a row the SQL dropped under a sampled lead is still missed. None: every
    source record. Records are checked a chunk at a time, so memory does not grow with the
    firm; what spans chunks (why a record is held, the invariants' inputs) is kept small."""
    result = SourceVerification()
    checker = _Checker(odoo, warehouse, spec, _held(warehouse))
    invariants = _InvariantInputs()
    spill = tempfile.TemporaryDirectory(prefix="legal2odoo-verify-")
    con = duckdb.connect(config={"memory_limit": SOURCE_QUERY_MEMORY, "temp_directory": spill.name})
    try:
        checker.held_records = _held_records(con, raw, spec, checker.held, scope, anchors)
        for key in source_objects():
            if not has_raw(raw, key):
                continue
            by_container = any(r.source_key == key and r.transform == "json" for r in spec)
            records = (
                r
                for r in expected_records(con, raw, spec, key, by_container=by_container)
                if _in_scope(r, spec, scope, anchors)
            )
            for chunk in _chunks(records, CHUNK_RECORDS):
                checker.check(result, chunk)
                invariants.add(chunk, spec)
    finally:
        con.close()
        spill.cleanup()
    _invariants(result, odoo, invariants)
    return result


def _chunks(records: Iterable[SourceRecord], size: int) -> Iterator[list[SourceRecord]]:
    """Runs of about `size` records, never cut between two records of one external id: the
    JSON elements of one Odoo record are matched within one chunk (expected_records gives
    them together when asked by container; records without one, last, form one run)."""
    chunk: list[SourceRecord] = []
    for record in records:
        if len(chunk) >= size and record.external_id != chunk[-1].external_id:
            yield chunk
            chunk = []
        chunk.append(record)
    if chunk:
        yield chunk


@dataclass
class _Checker:
    """One chunk of source records against Odoo and the marts: located, read, compared."""

    odoo: Transport
    warehouse: duckdb.DuckDBPyConnection
    spec: list[SpecRow]
    held: dict[tuple[str, str, str], str]
    held_records: dict[str, str] = field(default_factory=dict)
    field_types: dict[str, dict[str, Any]] = field(default_factory=dict)  # fields_get by model

    @cached_property
    def held_links(self) -> HeldLinks:
        return _held_links(self.held)

    def check(self, result: SourceVerification, records: list[SourceRecord]) -> None:
        spec = self.spec
        targets = {
            str(value)
            for r in records
            for i, value in r.expected.items()
            if spec[i].transform == "lookup" and value
        }
        xmlids = {r.external_id for r in records if r.external_id}
        located = lookup_xmlids(self.odoo, xmlids | targets)
        odoo_values = _odoo_values(self.odoo, spec, records, located, self.field_types)
        mart_values = _mart_values(self.warehouse, spec, xmlids)
        elements = _json_elements(self.odoo, spec, records, located)
        for record in records:
            _count(result, record, located, elements, self.held_records, spec)
            if record.excluded_rule is None:
                _stage_before(result, record, spec)
                _compare(result, record, spec, located, odoo_values, mart_values, self.held_links)


@dataclass
class _InvariantInputs:
    """What the cross-record invariants need of every in-scope source record."""

    emails: set[str] = field(default_factory=set)
    companies: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, records: list[SourceRecord], spec: list[SpecRow]) -> None:
        for record in records:
            if record.excluded_rule is not None:
                continue
            self.emails.update(
                str(value).strip().lower()
                for i in record.expected
                if (row := spec[i]).odoo_model == "res.partner"
                and row.transform == "email"
                and not empty(value := record.source.get(row.source_field))
            )
            name = record.source.get("company")
            if not empty(name):
                self.companies[company_key(str(name))].add(str(name).strip())


def _in_scope(
    record: SourceRecord, spec: list[SpecRow], scope: set[str] | None, anchors: set[str] | None
) -> bool:
    if scope is not None and record.external_id not in scope:
        return False
    if anchors is None or record.external_id in anchors:
        return True
    return any(
        spec[i].transform == "lookup" and spec[i].odoo_field == "res_id" and v in anchors
        for i, v in record.expected.items()
    )


def _count(
    result: SourceVerification,
    record: SourceRecord,
    located: dict[str, tuple[str, int]],
    elements: dict[tuple[int, str | None], list[Any]],
    held: dict[str, str],
    spec: list[SpecRow],
) -> None:
    """Count the record in its system's tally: excluded, in Odoo, held (`held`: why, by
    system/object/id and by external id, from _held_records), or missing."""
    system = record.source_key.split("__")[0]
    count = result.counts.setdefault(
        (system, record.record_type), SourceCount(system, record.record_type)
    )
    count.source += 1
    if record.excluded_rule:
        count.excluded_by_rule += 1
        count.excluded_rules[record.excluded_rule] += 1
        return
    json_rows = [i for i in record.expected if spec[i].transform == "json"]
    present = (
        _element_of(elements, json_rows, record, spec) is not None
        if json_rows
        else bool(record.external_id and record.external_id in located)
    )
    if present:
        count.in_odoo += 1
        return
    reason = (
        held.get(_key(record))
        or held.get(record.external_id or "")
        or next(
            (
                held[str(v)]
                for i, v in record.expected.items()
                if spec[i].transform == "lookup" and v and str(v) in held
            ),
            None,
        )
    )
    if reason:
        count.held_for_review += 1
        count.held_reasons[reason] += 1


def _key(record: SourceRecord) -> str:
    system, kind = record.source_key.split("__")
    return f"{system}/{kind}/{record.source_id}"


def _held_records(
    con: duckdb.DuckDBPyConnection,
    raw: Path,
    spec: list[SpecRow],
    held: dict[tuple[str, str, str], str],
    scope: set[str] | None,
    anchors: set[str] | None,
) -> dict[str, str]:
    """Why a record is held, by system/object/id and by its external id (so what hangs under
    a held lead, its activities or custom values, names the lead's reason). Only the held
    records are read for it, before any chunk is checked: a child may come before its lead."""
    by_key = {f"{s}/{m}/{i}": reason for (s, m, i), reason in held.items()}
    wanted: dict[str, set[str]] = defaultdict(set)
    for system, model, source_id in held:
        wanted[f"{system}__{model}"].add(source_id)
    by_xmlid = {
        r.external_id: f"{by_key[_key(r)]} ({r.source_key.split('__')[1]} {r.source_id})"
        for key in source_objects()
        if key in wanted and has_raw(raw, key)
        for r in expected_records(con, raw, spec, key, only=wanted[key])
        if r.external_id and _key(r) in by_key and _in_scope(r, spec, scope, anchors)
    }
    return by_key | by_xmlid


def _stage_before(result: SourceVerification, record: SourceRecord, spec: list[SpecRow]) -> None:
    for index, expected in record.expected.items():
        row = spec[index]
        if (row.odoo_model, row.odoo_field) == ("crm.lead", "stage_id"):
            result.stages_before[expected] += 1


def _held(warehouse: duckdb.DuckDBPyConnection) -> dict[tuple[str, str, str], str]:
    """(system, source model, source id) -> why the models hold it for review."""
    if not has_table(warehouse, "int_records_held_for_review"):
        return {}
    rows = warehouse.execute(
        "select source_system, source_model, source_id, min(reason) "
        "from int_records_held_for_review group by all"
    ).fetchall()
    return {(s, m, str(i)): r for s, m, i, r in rows}


def _odoo_values(
    odoo: Transport,
    spec: list[SpecRow],
    records: list[SourceRecord],
    located: dict[str, tuple[str, int]],
    field_types: dict[str, dict[str, Any]],
) -> dict[tuple[str, int], dict[str, Any]]:
    """(model, database id) -> the spec's fields as Odoo reads them (references as ids).
    `field_types`: fields_get by model, filled on first use."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for row in spec:
        if row.transform != "json":
            wanted[row.odoo_model].add(row.odoo_field)
    ids: dict[str, set[int]] = defaultdict(set)
    for record in records:
        if record.external_id in located:
            model, res_id = located[record.external_id]
            ids[model].add(res_id)
    values: dict[tuple[str, int], dict[str, Any]] = {}
    for model, fields in wanted.items():
        if not ids.get(model):
            continue
        if model not in field_types:
            field_types[model] = odoo.execute(model, "fields_get", [], {"attributes": ["type"]})
        known = field_types[model]
        names = sorted(f for f in fields if f in known)
        for found in read_records(odoo, model, ids[model], names, names=False):
            values[(model, int(found["id"]))] = found
        values[(model, -1)] = {f: known[f]["type"] for f in names}  # field types of the model
    for model in {r.odoo_model for r in spec if r.argument == "within"} & ids.keys():
        _chatter(odoo, model, ids[model], values)
    return values


def _chatter(
    odoo: Transport, model: str, ids: set[int], values: dict[tuple[str, int], dict[str, Any]]
) -> None:
    """The message bodies in each record's chatter: a note's text may be there instead of in
    the record's notes field (`within` rows accept either)."""
    wanted = sorted(ids)
    for start in range(0, len(wanted), CHATTER_CHUNK):
        chunk = wanted[start : start + CHATTER_CHUNK]
        domain = [["model", "=", model], ["res_id", "in", chunk]]
        found = odoo.execute("mail.message", "search_read", [domain, ["res_id", "body"]])
        for message in found:
            record = values.get((model, int(message["res_id"])))
            if record is not None:
                record.setdefault(CHATTER, []).append(message.get("body"))


def _mart_values(
    warehouse: duckdb.DuckDBPyConnection, spec: list[SpecRow], external_ids: set[str]
) -> dict[tuple[str, str, str], Any]:
    """(model, external id, Odoo field) -> the cell the loader sent (later passes win)."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for row in spec:
        wanted[row.odoo_model].add(row.odoo_field)
    cells: dict[tuple[str, str, str], Any] = {}
    if not external_ids:
        return cells
    chosen = {"ids": sorted(external_ids)}
    for mart in find_marts(warehouse):
        for odoo_field in sorted(wanted.get(mart.model, ())):
            column = _mart_column(mart, odoo_field)
            if column is None or "id" not in mart.columns:
                continue
            query = f'select "id", "{column}" from {mart.table} where "id" in (select unnest($ids))'
            for external_id, value in warehouse.execute(query, chosen).fetchall():
                cells[(mart.model, external_id, odoo_field)] = value
    return cells


def _mart_column(mart: Mart, odoo_field: str) -> str | None:
    if odoo_field == "res_id" and "_res_xmlid" in mart.metadata:
        return "_res_xmlid"
    for column in (odoo_field, f"{odoo_field}/id"):
        if column in mart.columns:
            return column
    return None


def _json_elements(
    odoo: Transport,
    spec: list[SpecRow],
    records: list[SourceRecord],
    located: dict[str, tuple[str, int]],
) -> dict[tuple[int, str | None], list[Any]]:
    """(spec row, container external id or None) -> the JSON elements Odoo holds there. A
    row without a container (the source does not say which record holds it) reads them all."""
    elements: dict[tuple[int, str | None], list[Any]] = {}
    first: dict[tuple[str, str, str], int] = {}
    for index, row in enumerate(spec):
        if (
            row.transform != "json"
            or first.setdefault((row.source_key, row.odoo_model, row.odoo_field), index) != index
        ):
            continue
        mine = [r for r in records if index in r.expected and r.excluded_rule is None]
        containers = {r.external_id for r in mine if r.external_id in located}
        if any(r.external_id is None for r in mine):
            found = odoo.execute(
                row.odoo_model,
                "search_read",
                [[[row.odoo_field, "!=", False]], [row.odoo_field]],
                dict(ALL_RECORDS),
            )
            elements[(index, None)] = [e for f in found for e in _parsed(f.get(row.odoo_field))]
        by_id = {located[x][1]: x for x in containers}
        for found in read_records(odoo, row.odoo_model, by_id, [row.odoo_field], names=False):
            elements[(index, by_id[int(found["id"])])] = _parsed(found.get(row.odoo_field))
    return elements


def _parsed(value: Any) -> list[Any]:
    if empty(value):
        return []
    try:
        parsed = json.loads(str(value))
    except ValueError:
        return [NO_ELEMENT]
    return parsed if isinstance(parsed, list) else [parsed]


def _element_of(
    elements: dict[tuple[int, str | None], list[Any]],
    rows: list[int],
    record: SourceRecord,
    spec: list[SpecRow],
) -> Any:
    """The element of the record's container whose keys (the source fields) hold every
    expected value the record has; it is taken, so two equal source lines need two."""
    wanted = {spec[i].source_field: record.expected[i] for i in rows if record.expected[i]}
    pool = elements.get((rows[0], record.external_id), [])
    for position, element in enumerate(pool):
        if isinstance(element, dict) and all(
            _same_text(element.get(k), v) for k, v in wanted.items()
        ):
            return pool.pop(position)
    return None


def _same_text(left: Any, right: Any) -> bool:
    return (None if empty(left) else str(left).strip()) == (
        None if empty(right) else str(right).strip()
    )


def _compare(
    result: SourceVerification,
    record: SourceRecord,
    spec: list[SpecRow],
    located: dict[str, tuple[str, int]],
    odoo_values: dict[tuple[str, int], dict[str, Any]],
    mart_values: dict[tuple[str, str, str], Any],
    held_links: HeldLinks,
) -> None:
    """Every spec row of one record against Odoo and the mart. A difference the review queue
    explains (e.g. the link that breaks a related-matter cycle) is listed with the reason and
    does not count as a differing record."""
    if not record.external_id or record.external_id not in located:
        return  # missing: the reconciliation counts it
    model, res_id = located[record.external_id]
    values = odoo_values.get((model, res_id))
    types = odoo_values.get((model, -1), {})
    if values is None:
        return
    differs = compared = False
    unused = _unused_alternatives(record, spec)
    for index, expected in record.expected.items():
        row = spec[index]
        if row.odoo_model != model or row.transform == "json" or row.odoo_field not in types:
            continue  # another record type of the object (an open task is an activity)
        if row.argument == "within" and expected is None:
            continue  # nothing of this kind in this record (e.g. a note without markup)
        if index in unused:
            continue  # the field's value is of the other kind (notes_html, not notes_text)
        compared = True
        kind = types[row.odoo_field]
        odoo_value = values.get(row.odoo_field)
        explained = _explained(held_links, record, spec, row, odoo_value)
        suffix = f" (held: {explained})" if explained else ""
        tally = result.fields.setdefault((model, row.odoo_field), FieldTally(model, row.odoo_field))
        tally.compared += 1
        found = []
        in_chatter = row.argument == "within" and any(
            _matches(row, "html", expected, body, located, "odoo")
            for body in values.get(CHATTER, [])
        )
        if not in_chatter and not _matches(row, kind, expected, odoo_value, located, "odoo"):
            tally.mismatched += 1
            found.append(("source->odoo", _shown_odoo(kind, odoo_value), None))
        mart_key = (model, record.external_id, row.odoo_field)
        if (
            not in_chatter
            and mart_key in mart_values
            and not _matches(row, kind, expected, mart_values[mart_key], located, "mart")
        ):
            found.append(("source->mart", None, mart_values[mart_key]))
        for check, odoo_shown, mart_value in found:
            result.differences.append(
                SourceDifference(
                    check=check + suffix,
                    model=model,
                    external_id=record.external_id,
                    field=row.odoo_field,
                    source_value=record.source.get(row.source_field),
                    expected_value=expected,
                    odoo_value=odoo_shown,
                    mart_value=mart_value,
                    source=_key(record),
                )
            )
        differs = differs or (bool(found) and not explained)
    if compared:
        result.records_compared += 1
        result.records_differing += differs


def _held_links(held: dict[tuple[str, str, str], str]) -> HeldLinks:
    """The review queue by (system, source id), each entry with its position in `held`: one
    look-up per link instead of a pass over the whole queue per compared field (quadratic: 35
    minutes at 50,000 matters + 50,000 leads)."""
    links: HeldLinks = defaultdict(list)
    for position, ((system, _, source_id), reason) in enumerate(held.items()):
        links[(system, source_id)].append((position, reason))
    return links


def _explained(
    held_links: HeldLinks,
    record: SourceRecord,
    spec: list[SpecRow],
    row: SpecRow,
    odoo_value: Any,
) -> str | None:
    """The review-queue reason for a link of this record the models held back (an entry
    `source id->target id`: a related matter that is missing or closes a cycle). It explains
    the link itself and what the record leaves empty with it (the link's companion fields).
    Of several, the first in the queue's order."""
    system = record.source_key.split("__")[0]
    links = {
        f"{record.source_id}->{str(value).rsplit('_', 1)[-1]}": spec[i]
        for i, value in record.expected.items()
        if spec[i].transform == "lookup" and value
    }
    found = [
        entry
        for link, link_row in links.items()
        if link_row == row or empty(odoo_value)
        for entry in held_links.get((system, link), ())
    ]
    return min(found)[1] if found else None


def _unused_alternatives(record: SourceRecord, spec: list[SpecRow]) -> set[int]:
    """Spec rows of this record that are alternatives for one Odoo field (the same source
    value split by kind, e.g. notes as plain text or as HTML) and not the one this record
    uses: every empty one when another has a value; when all are empty, all but the first
    (the field is compared once, as empty)."""
    by_field: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index in record.expected:
        if spec[index].transform != "json" and spec[index].argument != "within":
            by_field[(spec[index].odoo_model, spec[index].odoo_field)].append(index)
    unused: set[int] = set()
    for indexes in by_field.values():
        if len(indexes) < 2:
            continue
        filled = [i for i in indexes if not empty(record.expected[i])]
        unused.update(i for i in indexes if i not in (filled or indexes[:1]))
    return unused


def _matches(
    row: SpecRow,
    kind: str,
    expected: Any,
    actual: Any,
    located: dict[str, tuple[str, int]],
    side: str,
) -> bool:
    """Whether `actual` (Odoo's value, or the mart's cell) is what the spec expects."""
    if row.transform == "lookup":
        if side == "mart":  # the mart names the record by external id
            return _same_text(actual, expected)
        target = located.get(str(expected)) if expected else None
        wanted = target[1] if target else None
        got = actual[0] if isinstance(actual, list | tuple) and actual else actual
        return (None if empty(got) else int(got)) == wanted if expected else empty(got)
    if row.transform in ("text-to-html", "html"):
        want = expected if row.transform == "text-to-html" else visible_text(expected)
        seen = visible_text(actual) if kind == "html" or side == "mart" else _lines(actual)
        if row.argument == "within":
            return want is not None and bool(want) and seen is not None and want in seen
        return want == seen
    if row.transform == "datetime-in-timezone":
        return moment(expected) == moment(actual)
    if row.transform == "phone":
        digits = None if empty(actual) else re.sub(r"[^0-9+]", "", str(actual)) or None
        return digits == expected
    if row.transform == "email":
        return _same_text(None if empty(actual) else str(actual).lower(), expected)
    if kind == "boolean" or isinstance(actual, bool):
        return _flag(actual) == _flag(expected)
    if kind in ("float", "integer", "monetary"):
        return abs(_number(actual) - _number(expected)) <= FLOAT_TOLERANCE
    return _same_text(actual, expected)


def _lines(value: Any) -> str | None:
    """Plain text as the spec's text-to-html sees it (a text field shows its lines)."""
    if empty(value):
        return None
    lines = [" ".join(line.split()) for line in str(value).splitlines()]
    return "\n".join(line for line in lines if line) or None


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1", "yes", "t")


def _number(value: Any) -> float:
    return 0.0 if empty(value) else float(value)


def _shown_odoo(kind: str, value: Any) -> Any:
    if kind == "html":
        return visible_text(value)
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return value


def _invariants(result: SourceVerification, odoo: Transport, inputs: _InvariantInputs) -> None:
    """Every source email on exactly one Odoo partner; every spelling of a company on one
    company partner."""
    partners = odoo.execute(
        "res.partner", "search_read", [[["email", "!=", False]], ["email"]], dict(ALL_RECORDS)
    )
    holders = Counter(str(p["email"]).strip().lower() for p in partners)
    for email in sorted(inputs.emails):
        result.invariants_checked += 1
        if holders[email] != 1:
            result.invariants_failed += 1
            result.differences.append(
                SourceDifference(
                    "invariant",
                    "res.partner",
                    "",
                    "email",
                    email,
                    "on exactly one partner",
                    f"on {holders[email]} partners",
                )
            )
    _company_invariant(result, odoo, inputs.companies)


def company_key(name: str) -> str:
    """A company's name without case, punctuation, spacing or legal form: the spellings a
    person takes for the same company."""
    plain = re.sub(r"[^a-z0-9]+", " ", name.lower().replace("&", " and ").replace(".", ""))
    plain = re.sub(
        r"( (llc|llp|pllc|pc|pa|inc|incorporated|corp|corporation|ltd|limited|co))+$",
        "",
        " " + plain.strip(),
    )
    return plain.strip()


def _company_invariant(
    result: SourceVerification, odoo: Transport, companies: dict[str, set[str]]
) -> None:
    spellings = {key: names for key, names in companies.items() if key}
    if not spellings:
        return
    partners = odoo.execute(
        "res.partner", "search_read", [[["is_company", "=", True]], ["name"]], dict(ALL_RECORDS)
    )
    holders = Counter(company_key(str(p["name"])) for p in partners if p.get("name"))
    for key, names in sorted(spellings.items()):
        result.invariants_checked += 1
        if holders[key] != 1:
            result.invariants_failed += 1
            result.differences.append(
                SourceDifference(
                    "invariant",
                    "res.partner",
                    "",
                    "name (company)",
                    " | ".join(sorted(names)),
                    "one company partner",
                    f"{holders[key]} company partners",
                )
            )
