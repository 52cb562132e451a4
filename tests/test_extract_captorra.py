"""extract captorra: faithful raw Parquet from a good export; a clear refusal, with nothing
written, for each kind of broken export."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from legal2odoo.extract.captorra.run import CaptorraFiles, extract_captorra
from legal2odoo.extract.errors import SourceFileError
from legal2odoo.workdir import Workdir


def _rows(firm, limit: int = 40) -> tuple[list[str], list[list[str]]]:
    with open(firm.captorra / "export.csv", encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, [row for _, row in zip(range(limit), reader, strict=False)]


def _csv_text(header: list[str], rows: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _raw_runs(workdir: Workdir) -> list[Path]:
    return sorted((workdir.raw / "captorra").glob("*/run=*")) if workdir.raw.exists() else []


def test_good_export_is_kept_as_text_with_source_lines(firm, tmp_path: Path) -> None:
    workdir = Workdir(tmp_path)
    summary = extract_captorra(workdir, firm.captorra_files())
    assert summary.rows["leads"] == firm.manifest["captorra"]["leads"]
    assert {p.parent.name for p in _raw_runs(workdir)} == {
        "leads",
        "activities",
        "columns",
        "fields",
        "attachments",
    }
    header, rows = _rows(firm, limit=10_000)
    raw = duckdb.sql(
        "select lead_id, notes, email, _line "
        f"from read_parquet('{workdir.raw}/captorra/leads/*/*.parquet') order by _line"
    ).fetchall()
    col = {name: header.index(name) for name in ("Lead ID", "Notes", "Email")}
    assert [(r[col["Lead ID"]], r[col["Notes"]], r[col["Email"]]) for r in rows] == [
        (lead, notes, email) for lead, notes, email, _ in raw
    ], "values exactly as exported (spaces, case, CRLF inside notes)"
    lines = [line for *_, line in raw]
    assert lines[0] == 2 and lines == sorted(lines)
    spans = [1 + sum(value.count("\n") for value in row) for row in rows]
    assert max(spans) > 1, "some records span several lines"
    assert lines == [2 + sum(spans[:i]) for i in range(len(rows))]


def test_missing_attachments_are_rows_not_silence(firm, tmp_path: Path) -> None:
    workdir = Workdir(tmp_path)
    extract_captorra(workdir, firm.captorra_files())
    present, missing, stored = duckdb.sql(
        f"select count(*) filter (where present), count(*) filter (where not present), "
        "count(distinct sha256) "
        f"from read_parquet('{workdir.raw}/captorra/attachments/*/*.parquet')"
    ).fetchall()[0]
    assert missing > 0 and present > 0
    assert stored == len(list(workdir.files.iterdir())), "content-addressed: one file per content"


def test_headers_match_ignoring_case_spacing_punctuation_and_unknown_columns_are_kept(
    firm, tmp_path: Path
) -> None:
    header, rows = _rows(firm)
    renamed = [
        "intake-id" if h == "Lead ID" else "DATE CREATED" if h == "Created Date" else h
        for h in header
    ]
    export = tmp_path / "renamed.csv"
    export.write_text(_csv_text([*renamed, "Favourite Color"], [[*r, "blue"] for r in rows], ";"))
    workdir = Workdir(tmp_path / "work")
    summary = extract_captorra(workdir, CaptorraFiles(export, fields=firm.captorra / "fields.csv"))
    assert summary.unknown_columns == ["Favourite Color"]
    ids = duckdb.sql(
        "select lead_id, favourite_color "
        f"from read_parquet('{workdir.raw}/captorra/leads/*/*.parquet')"
    ).fetchall()
    assert len(ids) == len(rows) and ids[0] == (rows[0][0], "blue")


def test_windows_export_is_read_as_cp1252_with_a_warning(tmp_path: Path, caplog) -> None:
    export = tmp_path / "windows.csv"
    text = (
        "Lead ID,Created Date,Last Modified,Pipeline,Status,First Name\r\n"
        "1,01/02/2024,01/03/2024,Employment,Retained,José\r\n"
    )
    export.write_bytes(text.encode("cp1252"))
    workdir = Workdir(tmp_path / "work")
    with caplog.at_level(logging.WARNING):
        extract_captorra(workdir, CaptorraFiles(export))
    assert "cp1252" in caplog.text
    name = duckdb.sql(
        f"select first_name from read_parquet('{workdir.raw}/captorra/leads/*/*.parquet')"
    )
    assert name.fetchall() == [("José",)]


Breaker = Callable[[list[str], list[list[str]]], tuple[list[str], list[list[str]]]]


def _drop_column(name: str) -> Breaker:
    def breaker(header, rows):
        i = header.index(name)
        return header[:i] + header[i + 1 :], [r[:i] + r[i + 1 :] for r in rows]

    return breaker


def _set_value(row: int, column: str, value: str) -> Breaker:
    def breaker(header, rows):
        rows[row][header.index(column)] = value
        return header, rows

    return breaker


def _duplicate_id(header, rows):
    rows[7][0] = rows[3][0]
    return header, rows


# (what is broken, how, expected fragment naming the place and the fault)
BROKEN: list[tuple[str, Breaker, str]] = [
    ("missing required column", _drop_column("Status"), "no column for required field 'status'"),
    ("unparseable date", _set_value(4, "Created Date", "31/31/2024"), "line"),
    ("duplicate lead ids", _duplicate_id, "duplicate id"),
    ("empty required value", _set_value(2, "Pipeline", "  "), "required value is empty"),
    (
        "custom integer not a number",
        _set_value(5, "Number of Vehicles", "three"),
        "not a whole number",
    ),
    ("custom currency not an amount", _set_value(6, "Estimated Damages", "lots"), "not an amount"),
    ("custom boolean not yes/no", _set_value(6, "Hospitalized", "maybe"), "not Yes or No"),
    ("unsafe attachment name", _set_value(1, "Attachments", "../../etc/passwd"), "unsafe name"),
]


@pytest.mark.parametrize(("case", "breaker", "expected"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_export_is_refused_with_nothing_written(
    firm, tmp_path: Path, case: str, breaker: Breaker, expected: str
) -> None:
    header, rows = breaker(*_rows(firm))
    export = tmp_path / "export.csv"
    export.write_text(_csv_text(header, rows), encoding="utf-8")
    workdir = Workdir(tmp_path / "work")
    files = CaptorraFiles(export, fields=firm.captorra / "fields.csv", attachments=tmp_path)
    with pytest.raises(SourceFileError) as refused:
        extract_captorra(workdir, files)
    message = str(refused.value)
    assert expected in message and "export.csv" in message and "nothing was written" in message
    assert refused.value.problems[0].line is not None
    assert _raw_runs(workdir) == [] and not list((workdir.raw / "captorra").glob(".staging-*"))


def test_bad_date_names_line_and_column(firm, tmp_path: Path) -> None:
    header, rows = _set_value(4, "Created Date", "31/31/2024")(*_rows(firm))
    export = tmp_path / "export.csv"
    export.write_text(_csv_text(header, rows), encoding="utf-8")
    with pytest.raises(SourceFileError) as refused:
        extract_captorra(Workdir(tmp_path / "w"), CaptorraFiles(export))
    problem = refused.value.problems[0]
    expected_line = 2 + sum(1 + sum(v.count("\n") for v in r) for r in rows[:4])
    assert (problem.line, problem.column) == (expected_line, "Created Date")
    assert "'31/31/2024' is not a date and time" in problem.message


RAW_BREAKS = [
    (
        "ragged row",
        lambda text: text.replace("\r\n", "\r\nextra,,\r\n", 3),
        "fields where the header has",
    ),
    (
        "damaged UTF-8",
        lambda text: text.encode("utf-8").replace(b"Status", b"St\xc3\x28tus", 1),
        "not valid UTF-8",
    ),
    ("empty file", lambda text: "", "the file is empty"),
    ("unclosed quote", lambda text: text + '1,"never closed\r\n', "fields where the header has"),
]


@pytest.mark.parametrize(("case", "mangle", "expected"), RAW_BREAKS, ids=[b[0] for b in RAW_BREAKS])
def test_file_level_damage_is_refused(
    firm, tmp_path: Path, case: str, mangle, expected: str
) -> None:
    text = _csv_text(*_rows(firm))
    mangled = mangle(text)
    export = tmp_path / "export.csv"
    if isinstance(mangled, bytes):
        export.write_bytes(mangled)
    else:
        export.write_text(mangled, encoding="utf-8")
    workdir = Workdir(tmp_path / "work")
    with pytest.raises(SourceFileError, match=expected) as refused:
        extract_captorra(workdir, CaptorraFiles(export))
    assert "export.csv" in str(refused.value)
    assert _raw_runs(workdir) == []
