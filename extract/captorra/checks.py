"""Value checks on a staged export, in DuckDB: duplicate ids, empty required values, and values
that do not parse as the type the field declares. Each finding names its line and column."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from legal2odoo.extract.control import CONTROL, describe
from legal2odoo.extract.errors import Problem

# Same formats as the SQL macro `captorra_timestamp`: US exports first, ISO as a fallback.
DATETIME_FORMATS = (
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
)
# The year in full: strptime's %Y reads `12/05/21` as year 21 AD. Same rule in the SQL macro.
FULL_YEAR = r"^(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{1,2}-\d{1,2})([ T]|$)"
SHORT_YEAR = re.compile(r"^\d{1,2}/\d{1,2}/\d{1,3}([ T]|$)|^\d{1,3}-\d{1,2}-\d{1,2}([ T]|$)")
BOOLEAN_WORDS = ("yes", "no", "y", "n", "true", "false", "1", "0")
LIMIT = 50


@dataclass(frozen=True)
class TypedColumn:
    name: str
    header: str
    type: str  # a registry type: date, datetime, number, integer, currency, boolean, …


def _invalid(type_: str) -> str | None:
    """SQL predicate over `v` (trimmed, non-empty) that is true when v is not a `type_`."""
    formats = ", ".join(f"'{f}'" for f in DATETIME_FORMATS)
    number = "try_cast(replace(replace(v, '$', ''), ',', '') as double) is null"
    return {
        "date": f"try_strptime(v, [{formats}]) is null or not regexp_matches(v, '{FULL_YEAR}')",
        "datetime": f"try_strptime(v, [{formats}]) is null or not regexp_matches(v, '{FULL_YEAR}')",
        "number": number,
        "currency": number,
        "integer": "try_cast(replace(v, ',', '') as bigint) is null",
        "boolean": f"lower(v) not in ({', '.join(repr(w) for w in BOOLEAN_WORDS)})",
    }.get(type_)


EXPECTED = {
    "date": "a date like 12/31/2024 or 2024-12-31",
    "datetime": "a date and time like 12/31/2024 09:30 AM or 2024-12-31 09:30:00",
    "number": "a number",
    "currency": "an amount like $1,234.50",
    "integer": "a whole number",
    "boolean": "Yes or No",
}


def check_values(
    parquet: Path,
    source: Path,
    key: TypedColumn,
    required: list[TypedColumn],
    typed: list[TypedColumn],
    every: Sequence[TypedColumn] = (),
) -> list[Problem]:
    """`every`: all columns of the file, checked for control bytes whatever their type."""
    with duckdb.connect() as con:
        con.execute(f"create view staged as select * from read_parquet('{parquet}')")
        return (
            [p for column in every for p in _control_bytes(con, source, column)]
            + _duplicates(con, source, key)
            + [p for column in required for p in _empty(con, source, column)]
            + [p for column in typed for p in _bad_type(con, source, column)]
        )


def _duplicates(con: duckdb.DuckDBPyConnection, source: Path, key: TypedColumn) -> list[Problem]:
    rows = con.execute(
        f'select "{key.name}", list(_line order by _line) as lines from staged '
        f"where trim(\"{key.name}\") <> '' group by 1 having count(*) > 1 "
        f"order by min(_line) limit {LIMIT}"
    ).fetchall()
    return [
        Problem(source, lines[1], key.header, f"duplicate id {value!r} (first on line {lines[0]})")
        for value, lines in rows
    ]


def _empty(con: duckdb.DuckDBPyConnection, source: Path, column: TypedColumn) -> list[Problem]:
    rows = con.execute(
        f"select _line from staged where trim(\"{column.name}\") = '' order by _line limit {LIMIT}"
    ).fetchall()
    return [Problem(source, line, column.header, "required value is empty") for (line,) in rows]


def _bad_type(con: duckdb.DuckDBPyConnection, source: Path, column: TypedColumn) -> list[Problem]:
    predicate = _invalid(column.type)
    if predicate is None:
        return []
    rows = con.execute(
        f'select _line, v from (select _line, trim("{column.name}") as v from staged) '
        f"where v <> '' and ({predicate}) order by _line limit {LIMIT}"
    ).fetchall()
    return [
        Problem(source, line, column.header, _not_a(column.type, value)) for line, value in rows
    ]


def _not_a(type_: str, value: str) -> str:
    if type_ in ("date", "datetime") and SHORT_YEAR.match(value):
        return f"{value!r} has a two-digit year: write the year in full, e.g. 12/05/2021"
    return f"{value!r} is not {EXPECTED[type_]}"


def _control_bytes(
    con: duckdb.DuckDBPyConnection, source: Path, column: TypedColumn
) -> list[Problem]:
    rows = con.execute(
        f'select _line, "{column.name}" from staged where regexp_matches("{column.name}", ?) '
        f"order by _line limit {LIMIT}",
        [CONTROL],
    ).fetchall()
    return [
        Problem(
            source,
            line,
            column.header,
            f"{describe(value)} of the value (NUL and other control bytes cannot reach Odoo)",
        )
        for line, value in rows
    ]
