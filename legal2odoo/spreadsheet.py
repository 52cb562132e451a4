"""Spreadsheet-safe CSV cells: a text cell a spreadsheet would run as a formula is neutralised.

Excel, LibreOffice and Google Sheets evaluate a cell that starts with `=`, `+`, `-` or `@` (and
strip a leading tab or carriage return first), so a source value such as
`=HYPERLINK("http://evil", "click")` in a CSV we write would run when someone opens the file.
Such a text cell gets a leading apostrophe (OWASP "CSV injection"): it then shows as text.

What is left untouched:
- values that are not `str` (int, float, Decimal, date, datetime, bool, None): the csv module
  writes them as numbers, ISO dates, ...;
- text that is a plain number (`-12.50`, `+3`, `1e-5`): a spreadsheet reads it as that number;
- text that does not start with a trigger: dates (`2021-05-12`), external ids, names.

Phone numbers such as `+1 555 0100` or `+1-555-0100` ARE neutralised: a spreadsheet would
evaluate them (`+1-555-0100` shows as -654), so the apostrophe also keeps the phone readable.

Used by every report CSV (diff.csv, failed_<model>.csv, ...). It lives in `legal2odoo/` so that
extract/, trust/ and load/ can all import it without importing each other.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, Any

import pyarrow as pa
import pyarrow.compute as pc

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PREFIX = "'"
_TRIGGER_PATTERN = r"^[=+\-@\t\r]"
_NUMBER_PATTERN = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
_NUMBER = re.compile(_NUMBER_PATTERN)


def spreadsheet_safe(value: Any) -> Any:
    """`value` as a CSV cell a spreadsheet shows and never evaluates (see the module doc)."""
    if not isinstance(value, str) or not value.startswith(TRIGGERS) or _NUMBER.match(value):
        return value
    return PREFIX + value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [spreadsheet_safe(value) for value in row]


class SafeWriter:
    """`csv.writer` whose every cell goes through `spreadsheet_safe` (headers included)."""

    def __init__(self, handle: IO[str], **fmtparams: Any) -> None:
        self._writer = csv.writer(handle, **fmtparams)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def safe_writer(handle: IO[str], **fmtparams: Any) -> SafeWriter:
    """Drop-in for `csv.writer(handle)` in code that writes CSVs people open."""
    return SafeWriter(handle, **fmtparams)


def safe_array(array: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """The same rule on an Arrow column (for `pyarrow.csv` writers); other types untouched."""
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return array
    risky = pc.and_(
        pc.match_substring_regex(array, _TRIGGER_PATTERN),
        pc.invert(pc.match_substring_regex(array, _NUMBER_PATTERN)),
    )
    prefixed = pc.binary_join_element_wise(pa.scalar(PREFIX, array.type), array, "")
    return pc.if_else(pc.fill_null(risky, False), prefixed, array)


def safe_table(table: pa.Table) -> pa.Table:
    """Every text column of `table` through `safe_array`."""
    return pa.table([safe_array(column) for column in table.columns], schema=table.schema)
