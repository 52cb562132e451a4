"""The in-memory database: records per model, id sequences, and per-call transactions.

Rows hold stored values only, in write form: many2one as an id or False, many2many as a sorted
list of ids; one2many values are derived from their inverse many2one on read. Every mutation
goes through `insert`/`update`/`delete`, which log an undo step while a transaction is open, so a
failing call leaves nothing behind, like Odoo's one-transaction-per-call. Id sequences are not
rolled back (PostgreSQL sequences are not either: a failed insert still consumes an id).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import threading
from collections.abc import Callable, Iterator
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from legal2odoo_sandbox.odoo.schema import FACTS, ModelDef, load_schema

Row = dict[str, Any]
VOLATILE = ("write_date", "write_uid")  # change on every write, also on a rollback's restore


@dataclass
class Credentials:
    """Logins and API keys (sandbox only: stored in clear)."""

    passwords: dict[int, str] = field(default_factory=dict)
    api_keys: dict[str, int] = field(default_factory=dict)


# Column sets looked up by value (unique constraints, external ids): kept as hash indexes so
# that a load of thousands of rows stays linear.
INDEXED: dict[str, tuple[tuple[str, ...], ...]] = {
    "ir.model.data": (("module", "name"), ("model", "res_id")),
    "crm.tag": (("name",),),
    "res.users": (("login",),),
    "ir.model.fields": (("model", "name"),),
    "ir.model.fields.selection": (("field_id", "value"),),
    "ir.attachment": (("res_model", "res_id"),),
    "mail.message": (("model", "res_id"),),
    "mail.activity": (("res_model", "res_id"),),
    "res.partner": (("parent_id",),),  # a parent's write syncs its children: found by index
}


class Store:
    def __init__(self, version: str = "17.0", *, clock: Callable[[], dt.datetime] | None = None):
        self.version = version
        self.schema: dict[str, ModelDef] = load_schema(version)
        self.tables: dict[str, dict[int, Row]] = {m: {} for m in self.schema}
        self.indexes: dict[tuple[str, tuple[str, ...]], dict[tuple, set[int]]] = {
            (model, cols): {} for model, sets in INDEXED.items() for cols in sets
        }
        # per model, its (columns, index) pairs: what _index keeps up to date on each change
        self._indexed: dict[str, list[tuple[tuple[str, ...], dict[tuple, set[int]]]]] = {
            model: [(cols, self.indexes[(model, cols)]) for cols in sets]
            for model, sets in INDEXED.items()
        }
        self.sequences: dict[str, int] = dict.fromkeys(self.schema, 0)
        self.credentials = Credentials()
        self.acl: list[Row] = []  # ir.model.access rows (not a modelled model)
        self.injected: list[Any] = []  # faults.InjectedValidation rules checked on create/write
        self.lock = threading.RLock()
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._journal: list[Callable[[], None]] | None = None
        self._now: str | None = None

    # -- time -------------------------------------------------------------------------------
    def now(self) -> str:
        """The transaction's time, as PostgreSQL's now(): one value for a whole call."""
        if self._now is None:
            stamp = self._clock().strftime("%Y-%m-%d %H:%M:%S")
            if self._journal is None:
                return stamp
            self._now = stamp
        return self._now

    def today(self) -> str:
        return self._clock().strftime("%Y-%m-%d")

    # -- transactions -----------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One call: all its changes land, or (on any exception) none of them."""
        with self.lock:
            if self._journal is not None:  # nested: the outer transaction decides
                yield
                return
            self._journal = []
            try:
                yield
            except BaseException:
                for undo in reversed(self._journal):
                    undo()
                raise
            finally:
                self._journal = None
                self._now = None

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Undo only what happens inside on failure (load's row-by-row retry uses it)."""
        if self._journal is None:
            raise RuntimeError("savepoint outside a transaction")
        mark = len(self._journal)
        try:
            yield
        except BaseException:
            while len(self._journal) > mark:
                self._journal.pop()()
            raise

    def on_rollback(self, undo: Callable[[], None]) -> None:
        if self._journal is not None:
            self._journal.append(undo)

    # -- primitive mutations ----------------------------------------------------------------
    def next_id(self, model: str) -> int:
        self.sequences[model] += 1
        return self.sequences[model]

    def insert(self, model: str, row: Row) -> None:
        rid = row["id"]
        self._put(model, row)
        self.sequences[model] = max(self.sequences[model], rid)
        self.on_rollback(lambda: self._pop(model, rid))

    def update(self, model: str, rid: int, changes: Row) -> None:
        row = self.tables[model][rid]
        before = {k: row.get(k, _MISSING) for k in changes}
        self._set(model, row, changes)

        def undo() -> None:
            self._set(model, row, {k: v for k, v in before.items() if v is not _MISSING})
            for key in [k for k, v in before.items() if v is _MISSING]:
                row.pop(key, None)

        self.on_rollback(undo)

    def delete(self, model: str, rid: int) -> None:
        row = self._pop(model, rid)
        self.on_rollback(lambda: self._put(model, row))

    def lookup(self, model: str, columns: tuple[str, ...], key: tuple) -> AbstractSet[int]:
        """Ids of the rows whose `columns` equal `key` (columns must be indexed; the set is
        the index's own: read it, do not change it)."""
        return self.indexes[(model, columns)].get(key, _NO_IDS)

    # -- index-keeping raw operations (also used by undo steps) -------------------------------
    def _index(self, model: str, row: Row, add: bool) -> None:
        for cols, bucket in self._indexed.get(model, ()):
            key = tuple([row.get(c) for c in cols])
            if add:
                bucket.setdefault(key, set()).add(row["id"])
            else:
                ids = bucket.get(key)
                if ids:
                    ids.discard(row["id"])
                    if not ids:
                        del bucket[key]

    def _put(self, model: str, row: Row) -> None:
        self.tables[model][row["id"]] = row
        self._index(model, row, True)

    def _pop(self, model: str, rid: int) -> Row:
        row = self.tables[model].pop(rid)
        self._index(model, row, False)
        return row

    def _set(self, model: str, row: Row, changes: Row) -> None:
        indexed = model in INDEXED
        if indexed:
            self._index(model, row, False)
        row.update(changes)
        if indexed:
            self._index(model, row, True)

    # -- snapshots --------------------------------------------------------------------------
    def dump(self, *, volatile: bool = False) -> dict[str, list[Row]]:
        """Every record of every model, sorted by id, as plain JSON-able data.

        Without `volatile`, `write_date`/`write_uid` are left out so that "state after rollback
        equals state before load" compares data, not the time of the restore."""
        skip = () if volatile else VOLATILE
        return {
            model: [
                {k: _copy(v) for k, v in sorted(table[rid].items()) if k not in skip}
                for rid in sorted(table)
            ]
            for model, table in sorted(self.tables.items())
            if table
        }


def _copy(value: Any) -> Any:
    """Rows hold scalars and lists of ids; only containers need copying (fast path)."""
    if isinstance(value, list | dict):
        return copy.deepcopy(value)
    return value


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING = _Missing()
_NO_IDS: frozenset[int] = frozenset()


def base_records(version: str) -> tuple[dict[str, list[Row]], list[Row]]:
    """The records and external ids a fresh Odoo 17 with crm has (measured)."""
    base = FACTS / "17.0"
    records = json.loads((base / "records.json").read_text())
    xmlids = json.loads((base / "xmlids.json").read_text())
    return records, xmlids
