"""Odoo search domains evaluated in memory.

A domain is Polish notation: `&`, `|`, `!` prefix operators over leaves `(path, operator, value)`,
with an implicit `&` between consecutive terms. Leaves follow Odoo 17's SQL semantics, including
its NULL handling: `!=`, `not in`, `not like` also match empty values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from legal2odoo_sandbox.odoo.exceptions import OdooValueError

TERM_OPERATORS = frozenset(
    {"=", "!=", "<=", "<", ">", ">=", "=?", "=like", "=ilike", "like", "not like", "ilike"}
    | {"not ilike", "in", "not in", "child_of", "parent_of"}
)
NEGATIVE = {"!=": "=", "not like": "like", "not ilike": "ilike", "not in": "in"}
TRUE_LEAF = (1, "=", 1)
FALSE_LEAF = (0, "=", 1)

# Given a leaf path (as a list of field names), return the values found at the end of it for one
# record: [] when empty, [id, ...] for relational paths, [value] for scalars.
PathReader = Callable[[Sequence[str]], list[Any]]
# Check a leaf before evaluation: raises for unknown fields, returns the last field's type.
LeafChecker = Callable[[Sequence[str], tuple], str]
# Match a relational leaf given by name (`partner_id ilike "acme"`): returns the matching ids.
NameMatcher = Callable[[Sequence[str], str, Any], set[int]]


def normalize(domain: Sequence[Any]) -> list[Any]:
    """Add the implicit `&` operators so the domain is pure prefix notation."""
    if not isinstance(domain, list | tuple):
        raise OdooValueError(f"Invalid domain {domain!r}")
    result: list[Any] = []
    expected = 1
    for token in domain:
        if expected == 0:
            result[0:0] = ["&"]
            expected = 1
        if isinstance(token, list | tuple):
            token = tuple(token)
            if len(token) != 3:
                raise OdooValueError(f"Invalid leaf {token}")
            expected -= 1
        elif token in ("&", "|"):
            expected += 1
        elif token == "!":
            pass
        else:
            raise OdooValueError(f"Invalid domain term {token!r}")
        result.append(token)
    if expected != 0 and domain:
        raise OdooValueError(f"Domain {list(domain)} is syntactically not correct.")
    return result


@lru_cache(maxsize=512)
def _like_regex(pattern: str, wrap: bool, ignore_case: bool) -> re.Pattern[str]:
    out = []
    for char in pattern:
        out.append(".*" if char == "%" else "." if char == "_" else re.escape(char))
    body = "".join(out)
    if wrap:
        body = f".*{body}.*"
    return re.compile(body, re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def _match_like(op: str, stored: Any, value: Any) -> bool:
    if stored is False or stored is None:
        return False
    wrap = not op.startswith("=")
    return bool(_like_regex(str(value), wrap, "ilike" in op).fullmatch(str(stored)))


def _compare(op: str, stored: Any, value: Any) -> bool:
    if stored is False or stored is None or value is False or value is None:
        return False
    try:
        if op == "<":
            return stored < value
        if op == ">":
            return stored > value
        if op == "<=":
            return stored <= value
        return stored >= value
    except TypeError:
        return False


def _eq(stored: Any, value: Any) -> bool:
    if isinstance(stored, bool) or isinstance(value, bool):
        return bool(stored) == bool(value) if stored is not None else value is False
    return stored == value


def match_positive(op: str, values: list[Any], value: Any) -> bool:
    """Does one of `values` (the record's values at the leaf path) satisfy a positive operator?"""
    if op in ("=", "=?"):
        if op == "=?" and (value is False or value is None):
            return True
        if value is False or value is None:
            return not values or all(v is False or v is None for v in values)
        return any(_eq(v, value) for v in values)
    if op == "in":
        wanted = value if isinstance(value, frozenset) else _as_set(value)
        if False in wanted and (not values or all(v is False for v in values)):
            return True
        return any(v in wanted for v in values if v is not False and v is not None)
    if op in ("like", "ilike", "=like", "=ilike"):
        if value is False or value == "":
            return op in ("like", "ilike") or not values
        return any(_match_like(op, v, value) for v in values)
    if op in ("<", ">", "<=", ">="):
        return any(_compare(op, v, value) for v in values)
    raise OdooValueError(f"Wrong search operator {op!r}")


def _as_set(value: Any) -> frozenset[Any]:
    """`in` operands as a set: a list of 2,000 external ids must not be scanned per row."""
    items = value if isinstance(value, list | tuple | set | frozenset) else [value]
    return frozenset(v for v in items if _hashable(v))


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


class DomainEvaluator:
    """Turns a domain into a predicate over one record, given how to read paths from it."""

    def __init__(self, check: LeafChecker, names: NameMatcher) -> None:
        self._check = check
        self._names = names

    def prepare(self, domain: Sequence[Any]) -> list[Any]:
        """Normalise and validate a domain once; evaluate it many times."""
        prepared: list[Any] = []
        for token in normalize(domain):
            if not isinstance(token, tuple):
                prepared.append(token)
                continue
            if token in (TRUE_LEAF, FALSE_LEAF):
                prepared.append(("__const__", token == TRUE_LEAF))
                continue
            path, op, value = token
            if not isinstance(path, str) or op not in TERM_OPERATORS:
                raise OdooValueError(f"Invalid leaf {token}")
            parts = path.split(".")
            ftype = self._check(parts, token)
            relational = ftype in ("many2one", "many2many", "one2many")
            if relational and isinstance(value, str) and op not in ("=like", "=ilike"):
                positive = NEGATIVE.get(op, op)
                ids = self._names(parts, "ilike" if positive in ("like", "ilike") else "=", value)
                op, value = ("not in" if op in NEGATIVE else "in"), sorted(ids)
            elif (
                relational
                and isinstance(value, list | tuple)
                and any(isinstance(v, str) for v in value)
            ):
                ids: set[int] = set()
                for name in value:
                    ids |= self._names(parts, "=", name) if isinstance(name, str) else {name}
                value = sorted(ids)
            if op in ("in", "not in"):
                value = _as_set(value)
            prepared.append((parts, op, value))
        return prepared

    def evaluate(self, prepared: list[Any], read: PathReader) -> bool:
        if not prepared:
            return True
        stack: list[bool] = []
        for token in reversed(prepared):
            if token == "!":
                stack.append(not stack.pop())
            elif token == "&":
                stack.append(stack.pop() & stack.pop())
            elif token == "|":
                stack.append(stack.pop() | stack.pop())
            elif token[0] == "__const__":
                stack.append(token[1])
            else:
                parts, op, value = token
                values = read(parts)
                if op in NEGATIVE:
                    stack.append(not match_positive(NEGATIVE[op], values, value))
                else:
                    stack.append(match_positive(op, values, value))
        return stack.pop()
