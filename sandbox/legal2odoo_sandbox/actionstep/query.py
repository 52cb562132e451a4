"""Filters, sort and sparse fields as Actionstep reads them from the query string."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

OPERATORS = ("nteq", "gteq", "lteq", "ilike", "eq", "gt", "lt")
RESERVED = {"page", "pageSize", "sort", "include", "fields"}
_BRACKET = re.compile(r"^(?P<link>[A-Za-z]+)\[(?P<inner>[A-Za-z_]+)\]$")


class QueryError(ValueError):
    """A parameter the API would refuse (400)."""


@dataclass(frozen=True)
class Condition:
    attribute: str
    op: str
    value: str
    via_link: str | None = None  # bracket filter: condition on the linked record


def split_operator(key: str) -> tuple[str, str]:
    for op in OPERATORS:
        if key.endswith(f"_{op}"):
            return key[: -len(op) - 1], op
    return key, "eq"


def parse_conditions(params: list[tuple[str, str]]) -> list[Condition]:
    conditions = []
    for key, value in params:
        if key in RESERVED or key.startswith("fields["):
            continue
        bracket = _BRACKET.match(key)
        if bracket:
            attribute, op = split_operator(bracket["inner"])
            conditions.append(Condition(attribute, op, value, bracket["link"]))
        else:
            attribute, op = split_operator(key)
            conditions.append(Condition(attribute, op, value))
    return conditions


def field_value(record: dict[str, Any], attribute: str) -> tuple[bool, Any]:
    """(known, value): attributes first, then links; names are case-sensitive."""
    if attribute in record and attribute != "links":
        return True, record[attribute]
    links = record.get("links") or {}
    if attribute in links:
        return True, links[attribute]
    return False, None


def _instant(text: str) -> datetime | None:
    if len(text) < 10 or text[4] != "-":
        return None
    try:
        parsed = datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(text[:10]), datetime.min.time())
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)  # no offset: UTC


def _compare(actual: Any, wanted: str) -> int | None:
    """-1/0/1 comparing a record value with a filter value; None when not comparable."""
    if actual is None:
        return None
    text = str(actual)
    a, b = _instant(text), _instant(wanted)
    if a is not None and b is not None:
        return (a > b) - (a < b)
    try:
        x, y = float(text), float(wanted)
        return (x > y) - (x < y)
    except ValueError:
        return (text > wanted) - (text < wanted)


def _like(pattern: str) -> Callable[[str], bool]:
    regex = re.compile("^" + ".*".join(re.escape(p) for p in pattern.split("*")) + "$", re.I | re.S)
    return lambda text: bool(regex.match(text))


def matches(value: Any, op: str, wanted: str) -> bool:
    values = value if isinstance(value, list) else [value]
    if op in ("eq", "nteq"):
        options = wanted.split(",")
        hit = any(v is not None and any(_compare(v, o) == 0 for o in options) for v in values)
        return hit if op == "eq" else not hit
    if op == "ilike":
        test = _like(wanted)
        return any(v is not None and test(str(v)) for v in values)
    results = [_compare(v, wanted) for v in values]
    accept = {"gt": (1,), "gteq": (0, 1), "lt": (-1,), "lteq": (-1, 0)}[op]
    return any(r in accept for r in results)


def sort_key(record: dict[str, Any], attribute: str) -> tuple[int, Any]:
    _, value = field_value(record, attribute)
    if value is None:
        return (0, "")
    text = str(value)
    instant = _instant(text)
    if instant is not None:
        return (1, instant.timestamp())
    try:
        return (1, float(text))
    except ValueError:
        return (2, text)


def id_key(record_id: Any) -> tuple[int, ...] | tuple[int, str]:
    """Numeric order for numbers and for `--` composite ids."""
    parts = str(record_id).split("--")
    try:
        return tuple(int(p) for p in parts)
    except ValueError:
        return (1 << 62, str(record_id))


def sparse(record: dict[str, Any], fields: list[str] | None) -> dict[str, Any]:
    if not fields:
        return record
    out = {k: v for k, v in record.items() if k in fields and k != "links"}
    links = record.get("links") or {}
    picked = {k: v for k, v in links.items() if k in fields}
    if picked:
        out["links"] = picked
    return out
