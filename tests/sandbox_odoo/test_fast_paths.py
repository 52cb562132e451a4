"""Quick paths give what the plain ones give: same values, same errors (the sandbox's dates)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from legal2odoo_sandbox.odoo.values import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    format_datetime,
    parse_date,
    parse_datetime,
)

DATES = [
    "2024-02-29", "2023-02-29", "2024-13-01", "2024-00-10", "2024-01-00", "2024-01-32",
    "0000-01-01", "0001-01-01", "0999-12-31", "1000-01-01", "9999-12-31", "2024-1-5",
    "2024-01-05 ", " 2024-01-05", "2024-01-05\n", "2024/01/05", "",
    "\uff12\uff10\uff12\uff14-01-05", "2024-01-0x", "+024-01-05", "2024-04-31",
]  # fmt: skip
TIMES = ["00:00:00", "23:59:59", "24:00:00", "12:60:00", "12:00:60", "12:00:61", "1:2:3",
         "12:00", "12:00:00.5", "12:00:0\uff15"]  # fmt: skip


def _outcome(func, text):
    try:
        return "ok", func(text)
    except ValueError as exc:
        return "error", str(exc)


@pytest.mark.parametrize("text", DATES)
def test_parse_date_is_strptime(text):
    assert _outcome(parse_date, text) == _outcome(
        lambda t: dt.datetime.strptime(t, DATE_FORMAT).date(), text
    )


def test_parse_datetime_is_strptime():
    for day, time, sep in itertools.product(DATES, TIMES, (" ", "  ", "T", "\t")):
        text = f"{day}{sep}{time}"
        expected = _outcome(lambda t: dt.datetime.strptime(t, DATETIME_FORMAT), text)
        assert _outcome(parse_datetime, text) == expected, text


@pytest.mark.parametrize(
    "value",
    [dt.datetime(999, 1, 2, 3, 4, 5), dt.datetime(1000, 1, 2), dt.datetime(1, 1, 1),
     dt.datetime(2024, 12, 31, 23, 59, 59), dt.datetime(2024, 1, 1, 0, 0, 0, 5)],
)  # fmt: skip
def test_format_datetime_is_strftime(value):
    assert format_datetime(value) == value.strftime(DATETIME_FORMAT)
