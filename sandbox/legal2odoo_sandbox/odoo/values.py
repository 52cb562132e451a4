"""Conversion of incoming values to what Odoo 17 stores, with its error messages.

Odoo converts a value with the field's `convert_to_cache`/`convert_to_column`; what it cannot
convert raises a plain Python error (ValueError…), which RPC clients see as `builtins.ValueError`
with Python's own message.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from legal2odoo_sandbox.odoo.exceptions import OdooError, OdooTypeError, OdooValueError
from legal2odoo_sandbox.odoo.schema import Field

DATE_FORMAT = "%Y-%m-%d"
TEXT_TYPES = frozenset({"char", "text", "html"})  # stored as str(value)
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def parse_date(text: str) -> dt.date:
    return dt.datetime.strptime(text, DATE_FORMAT).date()


def parse_datetime(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, DATETIME_FORMAT)


def format_datetime(value: dt.datetime) -> str:
    return value.strftime(DATETIME_FORMAT)


class PsycopgInvalidText(OdooError):
    """PostgreSQL refusing a value for an integer column (a many2one given a string)."""

    odoo_name = "psycopg2.errors.InvalidTextRepresentation"


def _to_int(value: Any) -> int:
    try:
        return int(value or 0)
    except ValueError as exc:
        raise OdooValueError(str(exc)) from None
    except TypeError as exc:
        raise OdooTypeError(str(exc)) from None


def _to_float(value: Any) -> float:
    try:
        return float(value or 0.0)
    except ValueError as exc:
        raise OdooValueError(str(exc)) from None
    except TypeError as exc:
        raise OdooTypeError(str(exc)) from None


def _to_date(value: Any) -> str | bool:
    if not value:
        return False
    text = str(value)[:10]
    try:
        return parse_date(text).isoformat()
    except ValueError as exc:
        raise OdooValueError(str(exc)) from None


def _to_datetime(value: Any) -> str | bool:
    if not value:
        return False
    text = str(value)
    if len(text) == 10:
        return _to_date(text) and f"{text} 00:00:00"
    try:
        return format_datetime(parse_datetime(text[:19]))
    except ValueError as exc:
        raise OdooValueError(str(exc)) from None


def _to_selection(model: str, field: Field, value: Any) -> str | bool:
    if value is False or value is None:
        return False
    allowed = field.selection_values
    if allowed is not None and str(value) not in allowed:
        raise OdooValueError(f"Wrong value for {model}.{field.name}: {value!r}")
    return str(value)


def _to_many2one(value: Any) -> int | bool:
    if value is False or value is None or value == 0:
        return False
    if isinstance(value, list | tuple) and value:  # [id, name] as read() returns it
        value = value[0]
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    raise PsycopgInvalidText(f'invalid input syntax for type integer: "{value}"')


def convert(model: str, field: Field, value: Any) -> Any:
    """The value Odoo would store for `field` (relational command lists are handled elsewhere)."""
    kind = field.type
    if kind in TEXT_TYPES:
        return False if value is False or value is None else str(value)
    if kind == "many2one":
        return _to_many2one(value)
    if kind == "selection":
        return _to_selection(model, field, value)
    if kind == "integer":
        return _to_int(value)
    if kind in ("float", "monetary"):
        return _to_float(value)
    if kind == "boolean":
        return bool(value)
    if kind == "date":
        return _to_date(value)
    if kind == "datetime":
        return _to_datetime(value)
    return value if value is not None else False


def empty(field: Field) -> Any:
    """What read() returns for a field with no value."""
    if field.type == "integer":
        return 0
    if field.type in ("float", "monetary"):
        return 0.0
    if field.type in ("many2many", "one2many"):
        return []
    return False


def as_ids(ids: Any) -> list[int]:
    """Ids as RPC callers send them (an int, a list, False) as a list of ints."""
    if isinstance(ids, bool) or ids is None:
        return []
    if isinstance(ids, int):
        return [ids]
    if not isinstance(ids, list | tuple):
        raise OdooValueError(f"Invalid ids {ids!r}")
    return [int(i) for i in ids]
