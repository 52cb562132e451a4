"""Every CSV people open in a spreadsheet: formula triggers neutralised, data kept."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pyarrow as pa
import pytest

from legal2odoo.spreadsheet import safe_array, safe_table, safe_writer, spreadsheet_safe


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://evil.example","click")',
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
        "+1 555 0100",  # a phone: a spreadsheet would evaluate it (documented choice)
        "+1-555-0100",
        "-",
        "=",
    ],
)
def test_text_starting_with_a_trigger_is_prefixed(value: str) -> None:
    assert spreadsheet_safe(value) == "'" + value


@pytest.mark.parametrize(
    "value",
    [
        "-12.50",
        "+3",
        "1e-5",
        "-.5",
        "42",  # numbers stay numbers
        "2021-05-12",
        "05/12/2021",  # dates
        "legal2odoo.lead_123",
        "__import__.x",
        "L-0001",  # ids
        "Smith, John",
        "",
        "a=b",
        "O'Brien",
        " =x",
        12,
        -3.5,
        Decimal("-1.20"),
        date(2021, 5, 12),
        None,
        True,
    ],
)
def test_numbers_dates_ids_and_plain_text_untouched(value: object) -> None:
    assert spreadsheet_safe(value) == value


def test_writer_neutralises_every_cell_and_round_trips_through_csv() -> None:
    handle = io.StringIO()
    writer = safe_writer(handle)
    writer.writerow(["model", "value"])
    writer.writerows([["crm.lead", "=1+1"], ["crm.lead", -5], ["crm.lead", "ok"]])
    rows = list(csv.reader(io.StringIO(handle.getvalue())))
    assert rows == [
        ["model", "value"],
        ["crm.lead", "'=1+1"],
        ["crm.lead", "-5"],
        ["crm.lead", "ok"],
    ]


def test_arrow_columns_follow_the_same_rule() -> None:
    values = ["=1+1", "-12.5", "+1 555 0100", None, "plain", "@x"]
    table = pa.table({"text": values, "n": [1, -2, 3, None, 5, 6]})
    safe = safe_table(table)
    assert safe.column("text").to_pylist() == [spreadsheet_safe(v) for v in values]
    assert safe.column("n").to_pylist() == [1, -2, 3, None, 5, 6]
    assert safe_array(pa.array([1, 2])).to_pylist() == [1, 2]


def test_report_writers_neutralise_hostile_cells(tmp_path) -> None:
    """diff.csv (trust/verify.py) and the dry-run problems (load/validate.py) as written."""
    from legal2odoo.load.validate import Problem, write_problems
    from legal2odoo.trust.verify import _write_csv

    hostile = '=HYPERLINK("http://evil.example","x")'
    _write_csv(tmp_path / "diff.csv", ["field", "source_value"], [["name", hostile], ["n", -5]])
    write_problems([Problem("crm.lead", "@SUM(A1)", "name", "+cmd")], tmp_path / "p.csv")
    with open(tmp_path / "diff.csv", encoding="utf-8", newline="") as handle:
        assert list(csv.reader(handle))[1:] == [["name", "'" + hostile], ["n", "-5"]]
    with open(tmp_path / "p.csv", encoding="utf-8", newline="") as handle:
        assert list(csv.reader(handle))[1] == ["crm.lead", "'@SUM(A1)", "name", "'+cmd"]
