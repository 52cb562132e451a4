"""Which rows a search has to evaluate its domain on: all of them, unless the domain's top-level
conjunction pins `id` or every column of a hash index (store.INDEXED) to a few values.

PostgreSQL answers `id in (...)` from its primary key; a full scan per call made reading back
100,000 records in chunks quadratic here. Narrowing never changes the answer: the full domain
is still evaluated on every candidate, and a candidate is only skipped when it cannot match.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import product
from math import prod
from typing import TYPE_CHECKING, Any

from legal2odoo_sandbox.odoo.store import INDEXED

if TYPE_CHECKING:
    from legal2odoo_sandbox.odoo.store import Row, Store

MAX_INDEX_KEYS = 100_000  # beyond this many key combinations a scan is as cheap


def candidates(
    prepared: list[Any], model: str, table: dict[int, Row], store: Store
) -> Iterable[int]:
    """Row ids in ascending id order that may match, or the whole table in its own order."""
    leaves = _conjuncts(prepared)
    pinned = _pinned_ids(leaves)
    if pinned is None:
        pinned = _indexed_ids(leaves, model, store)
    if pinned is None:
        return table
    return sorted(rid for rid in pinned if rid in table)


def _conjuncts(prepared: list[Any]) -> list[tuple]:
    """The leaves every match must satisfy: those joined to the root by `&` only."""
    leaves: list[tuple] = []
    if prepared:
        _walk(prepared, 0, leaves, conjunctive=True)
    return leaves


def _walk(prepared: list[Any], at: int, leaves: list[tuple], conjunctive: bool) -> int:
    """Walk the prefix term starting at `at`; collect its conjunctive leaves; return the index
    after it."""
    token = prepared[at]
    if token in ("&", "|"):
        inner = conjunctive and token == "&"
        after = _walk(prepared, at + 1, leaves, inner)
        return _walk(prepared, after, leaves, inner)
    if token == "!":
        return _walk(prepared, at + 1, leaves, False)
    if conjunctive and token[0] != "__const__":
        leaves.append(token)
    return at + 1


def _keys(leaf: tuple) -> list[Any] | None:
    """The values an `=`/`in` leaf accepts when they are plain ids or strings (False, None and
    booleans have their own matching rules: no narrowing then)."""
    _, op, value = leaf
    values = list(value) if op == "in" else [value] if op == "=" else None
    if values is None or not all(_plain(v) for v in values):
        return None
    return values


def _plain(value: Any) -> bool:
    return isinstance(value, int | str) and not isinstance(value, bool)


def _pinned_ids(leaves: list[tuple]) -> set[int] | None:
    for leaf in leaves:
        if leaf[0] == ["id"] and (keys := _keys(leaf)) is not None:
            return {k for k in keys if isinstance(k, int)}  # an id never equals a string
    return None


def _indexed_ids(leaves: list[tuple], model: str, store: Store) -> set[int] | None:
    fields = store.schema[model].fields
    for columns in INDEXED.get(model, ()):
        if not all(c in fields and fields[c].store for c in columns):
            continue  # the index holds stored values; a computed field reads differently
        wanted = [_column_keys(leaves, column) for column in columns]
        if any(w is None for w in wanted):
            continue
        if prod(len(w) for w in wanted if w is not None) > MAX_INDEX_KEYS:
            continue
        found: set[int] = set()
        for key in product(*[w for w in wanted if w is not None]):
            found |= store.lookup(model, columns, key)
        return found
    return None


def _column_keys(leaves: list[tuple], column: str) -> list[Any] | None:
    for leaf in leaves:
        if leaf[0] == [column] and (keys := _keys(leaf)) is not None:
            return keys
    return None
