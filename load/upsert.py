"""One batch of one mart into Odoo through `load()`, bad rows isolated.

`load()` is all-or-nothing per call: one bad row and `ids` is false for the whole batch. Rows
that Odoo's messages name are set aside with that message; when the messages name none, the
batch is split in half until the bad rows are alone. A serialization conflict reported inside
the messages is not a bad row but a transient failure: the batch is retried with backoff.

Self-references (a contact's company) are set in a second pass, by write, once every row
exists: so order never fails a row, and because Odoo's create with a company is not the same:
the first contact created under an address-less company gives it its address and each later
one takes that address instead of its own (tests/sandbox_odoo/test_records.py). When the only
self-reference is a many2one (res.partner parent_id) the second pass is one write per target
rather than load()'s write per record: Odoo's res.partner.write runs `_fields_sync` per record
either way, so the end state is the same (tests/loader/test_self_reference_grouped_real_odoo.py)
and the 5,000-lead firm loads 6-9 % faster (docs/benchmarks.md, issue 19).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from legal2odoo.load import won_lost
from legal2odoo.load.enrich import Enricher
from legal2odoo.load.errors import ConnectError, OdooError, TransientError, is_serialization_failure
from legal2odoo.load.ledger import Write
from legal2odoo.load.references import ReferenceCache, lookup_xmlids, read_before
from legal2odoo.load.rows import Row
from legal2odoo.load.transport import RetryPolicy, Transport, with_retries

log = logging.getLogger(__name__)

# What Odoo's own importer sends, plus UTC: the marts hold UTC and load() reads datetimes in
# the context's tz. tracking_disable & co. keep chatter and followers out of a migration;
# mail_activity_quick_update keeps Odoo from sending each assignee of a migrated task an
# "assigned to you" message and e-mail (tests/loader/test_activities_real_odoo.py).
MIGRATION_CONTEXT: dict[str, Any] = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "mail_activity_quick_update": True,
    "import_file": True,
    "tz": "UTC",
}
# Fields Odoo sets itself whenever a write carries certain other fields, whatever we send:
# crm.lead.write stamps date_closed with the time of the write when the values hold
# active = False or probability >= 100 (crm/models/crm_lead.py), so re-loading a lost or won
# lead would restamp it. Written again alone after the batch (date_open, date_last_stage_update
# and date_conversion are Odoo's own bookkeeping: never in the marts, never compared).
RESTAMPED: dict[str, tuple[str, ...]] = {"crm.lead": ("date_closed",)}


@dataclass(frozen=True)
class ModelPlan:
    """How a mart's columns map onto one Odoo model."""

    model: str
    columns: tuple[str, ...]
    fields: dict[str, dict[str, Any]]  # fields_get of the model
    self_columns: tuple[str, ...] = ()  # references to the same model: second pass
    further_pass: bool = False  # an odoo__<model>__<pass> mart: updates records made before

    @property
    def first_pass_columns(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if c not in self.self_columns)

    def field_names(self) -> list[str]:
        """Fields a before-image must hold: every sent column's field."""
        names = {field_of(c) for c in self.columns if c not in ("id", ".id", "datas")}
        return sorted(n for n in names if n in self.fields)

    def references(self, row: Row) -> tuple[set[str], set[tuple[str, int]]]:
        """External ids and (model, db id) pairs this row points at, self-references aside."""
        xmlids: set[str] = set()
        db_ids: set[tuple[str, int]] = set()
        if self.further_pass and row.external_id:
            # the record must exist already: a row of a held or failed record would create a
            # new, half-made one
            xmlids.add(row.external_id)
        cells = row.cells
        if len(cells) != len(self.columns):
            raise ValueError(
                f"{row.external_id}: {len(cells)} cells for {len(self.columns)} columns"
            )
        for index in self._xmlid_indexes:
            if value := cells[index]:
                xmlids.update(v.strip() for v in value.split(",") if v.strip())
        for index, relation in self._db_id_indexes:
            if value := cells[index]:
                db_ids.update((relation, int(v)) for v in value.split(",") if v.strip())
        return xmlids, db_ids

    @cached_property
    def _xmlid_indexes(self) -> tuple[int, ...]:
        """Where the cells naming records by external id are (self-references aside)."""
        return tuple(
            i
            for i, c in enumerate(self.columns)
            if c not in self.self_columns and c not in ("id", ".id") and c.endswith("/id")
        )

    @cached_property
    def _db_id_indexes(self) -> tuple[tuple[int, str], ...]:
        """(index, related model) of the cells naming records by database id."""
        return tuple(
            (i, relation)
            for i, c in enumerate(self.columns)
            if c not in self.self_columns
            and c not in ("id", ".id")
            and c.endswith("/.id")
            and (relation := self.fields.get(field_of(c), {}).get("relation"))
        )


def project(rows: list[Row], columns: tuple[str, ...], keep: tuple[str, ...]) -> list[Row]:
    """The rows with only the cells of `keep` (the original row when nothing is dropped)."""
    if keep == columns:
        return rows
    index = [columns.index(c) for c in keep]
    return [
        Row(r.external_id, tuple(map(r.cells.__getitem__, index)), r.meta, r.size) for r in rows
    ]


def field_of(column: str) -> str:
    return column.split("/", 1)[0]


def self_reference_columns(model: str, columns: tuple[str, ...], fields: dict) -> tuple[str, ...]:
    return tuple(
        c
        for c in columns
        if c not in ("id", ".id")
        and "/" in c
        and fields.get(field_of(c), {}).get("relation") == model
    )


@dataclass
class BatchResult:
    writes: list[Write] = field(default_factory=list)
    calls: int = 0
    write_dates: dict[str, str] = field(default_factory=dict)  # second pass: new write_date


class BatchLoader:
    """Sends batches of one model; safe to use from one thread per Transport."""

    def __init__(
        self,
        plan: ModelPlan,
        references: ReferenceCache,
        retry: RetryPolicy | None = None,
        context: dict[str, Any] | None = None,
        enricher: Enricher | None = None,
    ) -> None:
        self.enricher = enricher
        self.plan = plan
        self.references = references
        self.retry = retry or RetryPolicy()
        self.context = {**MIGRATION_CONTEXT, **(context or {})}

    def send(self, odoo: Transport, rows: list[Row]) -> BatchResult:
        result = BatchResult()
        plan = self.plan
        if self.enricher is not None and self.enricher.active:
            rows, held = self.enricher.apply(odoo, rows)
            result.writes += held
        sendable, held = self._hold_unresolved(odoo, rows)
        result.writes += held
        existing = lookup_xmlids(odoo, [r.external_id for r in sendable])
        wrong_model = {x for x, (model, _) in existing.items() if model != plan.model}
        before = read_before(
            odoo,
            plan.model,
            [rid for x, (_, rid) in existing.items() if x not in wrong_model],
            plan.field_names(),
        )
        columns = plan.first_pass_columns
        sent = project(sendable, plan.columns, columns)
        won = None
        if won_lost.enabled(plan.model, columns):  # new won leads: one stage write per batch
            won = won_lost.prepare(odoo, sent, columns, set(existing))
            sent = won.rows
        landed, failed = self._isolate(odoo, sent, columns, result)
        if won is not None:
            load = lambda c, d: self._load(odoo, c, d, result)  # noqa: E731
            result.calls += won_lost.finish(odoo, won, landed, self.context, load)
        self._restore_stamped(odoo, landed, columns, result)
        dates = self._write_dates(odoo, [rid for _, rid in landed])
        for row, rid in landed:
            found = existing.get(row.external_id)
            result.writes.append(
                Write(
                    plan.model,
                    row.external_id,
                    "updated" if found else "created",
                    odoo_id=rid,
                    existed=bool(found),
                    source=row.meta,
                    before_image=before.get(found[1]) if found else None,
                    write_date=dates.get(rid),
                )
            )
        result.writes += [
            Write(plan.model, row.external_id, "failed", source=row.meta, error=message)
            for row, message in failed
        ]
        self.references.add(row.external_id for row, _ in landed)
        return result

    def send_self_references(self, odoo: Transport, rows: list[Row]) -> BatchResult:
        """Second pass: only `id` and the self-reference columns, once every row exists."""
        result = BatchResult()
        columns = ("id", *self.plan.self_columns)
        slim = [r for r in project(rows, self.plan.columns, columns) if any(r.cells[1:])]
        if slim:
            landed, rest = self._write_by_target(odoo, slim, result)
            more, failed = self._isolate(odoo, rest, columns, result)
            landed += more
            dates = self._write_dates(odoo, [rid for _, rid in landed])
            result.write_dates = {r.external_id: dates[rid] for r, rid in landed}
            result.writes += [
                Write(self.plan.model, r.external_id, "failed", source=r.meta, error=message)
                for r, message in failed
            ]
        return result

    # -- internals ----------------------------------------------------------------------------
    def _write_by_target(
        self, odoo: Transport, rows: list[Row], result: BatchResult
    ) -> tuple[list[tuple[Row, int]], list[Row]]:
        """One `write(ids, {field: target})` per distinct target instead of load()'s write per
        record; returns what landed and the rows left to load() (anything unresolved or
        refused: load() then isolates the bad ones with Odoo's messages)."""
        name = _grouped_field(self.plan)
        if name is None or not rows:
            return [], rows
        found = lookup_xmlids(odoo, [r.external_id for r in rows] + [_target(r) for r in rows])
        grouped = _by_target(rows, found, self.plan.model)
        if grouped is None:
            return [], rows
        groups, rest = grouped
        landed: list[tuple[Row, int]] = []
        for target, members in groups.items():
            ids = [rid for _, rid in members]
            try:
                result.calls += 1
                odoo.execute(
                    self.plan.model, "write", [ids, {name: target}], {"context": self.context}
                )
            except (TransientError, ConnectError):
                raise  # the server, not the rows: as in _load
            except OdooError as error:
                log.debug("%s: grouped write refused (%s), load() instead", self.plan.model, error)
                rest += [row for row, _ in members]
                continue
            landed += members
        return landed, rest

    def _hold_unresolved(self, odoo: Transport, rows: list[Row]) -> tuple[list[Row], list[Write]]:
        wanted = [self.plan.references(r) for r in rows]
        xmlids = set().union(*(w[0] for w in wanted)) if wanted else set()
        db_ids = set().union(*(w[1] for w in wanted)) if wanted else set()
        missing_x, missing_d = self.references.unresolved(odoo, xmlids, db_ids)
        if not missing_x and not missing_d:
            return rows, []
        sendable, held = [], []
        for row, (xs, ds) in zip(rows, wanted, strict=True):
            bad = sorted(xs & missing_x) + [f"{m},{i}" for m, i in sorted(ds & missing_d)]
            if bad:
                reason = f"held for review: reference not found in Odoo: {', '.join(bad)}"
                held.append(
                    Write(self.plan.model, row.external_id, "held", source=row.meta, error=reason)
                )
            else:
                sendable.append(row)
        return sendable, held

    def _isolate(
        self, odoo: Transport, rows: list[Row], columns: tuple[str, ...], result: BatchResult
    ) -> tuple[list[tuple[Row, int]], list[tuple[Row, str]]]:
        landed: list[tuple[Row, int]] = []
        failed: list[tuple[Row, str]] = []
        todo = [rows] if rows else []
        while todo:
            part = todo.pop()
            data = [list(r.cells) for r in part]
            ids, messages = self._load(odoo, list(columns), data, result)
            if ids:
                landed += list(zip(part, ids, strict=True))
                continue
            blamed = _blame(messages, len(part))
            if len(part) == 1:
                failed.append((part[0], _describe(messages) or "rejected by Odoo"))
            elif blamed:
                failed += [(part[i], text) for i, text in blamed.items()]
                rest = [r for i, r in enumerate(part) if i not in blamed]
                if rest:
                    todo.append(rest)
            else:
                middle = len(part) // 2
                todo += [part[middle:], part[:middle]]
        return landed, failed

    def _load(
        self, odoo: Transport, columns: list[str], data: list[list[str]], result: BatchResult
    ) -> tuple[list[int] | None, list[dict[str, Any]]]:
        def call() -> dict[str, Any]:
            result.calls += 1
            answer = odoo.execute(
                self.plan.model, "load", [columns, data], {"context": self.context}
            )
            errors = [m for m in answer.get("messages", []) if m.get("type") == "error"]
            if any(is_serialization_failure(str(m.get("message"))) for m in errors):
                raise TransientError(f"serialization conflict in load(): {_describe(errors)}")
            return answer

        try:
            answer = with_retries(call, self.retry, f"{self.plan.model}.load")
        except OdooError as error:
            if isinstance(error, TransientError | ConnectError):
                raise  # the server, not the rows: stop the run (resume later), never bisect
            # A fault rather than messages (e.g. a constraint Odoo raises outside load's
            # savepoint handling): treat as the batch's error, to be isolated like the others.
            return None, [{"type": "error", "message": error.message}]
        ids = answer.get("ids") or None
        if ids and all(isinstance(i, int) and i for i in ids) and len(ids) == len(data):
            return ids, []
        errors = [m for m in answer.get("messages", []) if m.get("type") == "error"]
        return None, errors or [{"type": "error", "message": "load() returned no ids"}]

    def _restore_stamped(
        self,
        odoo: Transport,
        landed: list[tuple[Row, int]],
        columns: tuple[str, ...],
        result: BatchResult,
    ) -> None:
        """Put back the values Odoo overwrote during load() (RESTAMPED): read them, write the
        source's value alone (a write without the triggering fields keeps it) where they differ."""
        names = [n for n in RESTAMPED.get(self.plan.model, ()) if n in columns]
        if not names or not landed:
            return
        ids = [rid for _, rid in landed]
        found = odoo.execute(
            self.plan.model, "read", [ids, names], {"context": {"active_test": False}}
        )
        result.calls += 1
        now = {row["id"]: row for row in found}
        for name in names:
            index = columns.index(name)
            fix: dict[Any, list[int]] = {}
            for row, rid in landed:
                want = _stamp(row.cells[index])
                if _stamp(now.get(rid, {}).get(name)) != want:
                    fix.setdefault(want, []).append(rid)
            for value, targets in fix.items():
                odoo.execute(
                    self.plan.model, "write", [targets, {name: value}], {"context": self.context}
                )
                result.calls += 1
            if fix:
                log.debug(
                    "%s: %s put back on %d record(s)",
                    self.plan.model,
                    name,
                    sum(map(len, fix.values())),
                )

    def _write_dates(self, odoo: Transport, ids: list[int]) -> dict[int, str]:
        """Read back what landed: proof that it is there, and the write_date rollback compares
        to notice later changes by someone else."""
        if not ids:
            return {}
        rows = odoo.execute(
            self.plan.model, "read", [ids, ["write_date"]], {"context": {"active_test": False}}
        )
        if len(rows) != len(set(ids)):
            raise OdooError(
                f"{len(set(ids)) - len(rows)} record(s) load() reported are not readable",
                model=self.plan.model,
                method="load",
            )
        return {row["id"]: str(row["write_date"]) for row in rows}


def _grouped_field(plan: ModelPlan) -> str | None:
    """The many2one written by target, when it is the only self-reference column (res.partner
    parent_id); None keeps the second pass on load(). LEGAL2ODOO_GROUP_SELF=0 turns it off."""
    if os.environ.get("LEGAL2ODOO_GROUP_SELF") == "0" or len(plan.self_columns) != 1:
        return None
    column = plan.self_columns[0]
    name = field_of(column)
    many2one = plan.fields.get(name, {}).get("type") == "many2one"
    return name if many2one and column == f"{name}/id" else None


def _by_target(
    rows: list[Row], found: dict[str, tuple[str, int]], model: str
) -> tuple[dict[int, list[tuple[Row, int]]], list[Row]] | None:
    """Target id -> (row, record id) of the rows whose record and target both exist, and the
    other rows. None when a target is itself re-parented in this batch: then write order
    matters (a record's address and commercial fields flow to its children as they are at the
    time of the write), so load() keeps the row order."""
    own = {r.external_id for r in rows}
    if any(_target(r) in own for r in rows):
        return None
    groups: dict[int, list[tuple[Row, int]]] = {}
    rest: list[Row] = []
    for row in rows:
        record, target = found.get(row.external_id), found.get(_target(row))
        if record and target and record[0] == target[0] == model:
            groups.setdefault(target[1], []).append((row, record[1]))
        else:
            rest.append(row)
    return groups, rest


def _target(row: Row) -> str:
    """The external id a second-pass row (id, self-reference) points at."""
    return row.cells[1].strip()


def _stamp(value: Any) -> str | bool:
    """A datetime cell or read() value as write() takes it (seconds; False when empty)."""
    if not value:
        return False
    return str(value).replace("T", " ")[:19]


def _blame(messages: list[dict[str, Any]], size: int) -> dict[int, str]:
    """Row index -> Odoo's message, for messages that name exactly one row."""
    blamed: dict[int, str] = {}
    for message in messages:
        index = message.get("record")
        rows = message.get("rows") or {}
        if index is None and rows.get("from") == rows.get("to"):
            index = rows.get("from")
        if isinstance(index, int) and 0 <= index < size:
            text = _describe([message])
            blamed[index] = f"{blamed[index]}; {text}" if index in blamed else text
    return blamed


def _describe(messages: list[dict[str, Any]]) -> str:
    parts = []
    for m in messages:
        where = m.get("field_name") or m.get("field")
        parts.append(f"{where}: {m.get('message')}" if where else str(m.get("message")))
    return "; ".join(parts)
