"""The trust-ledger report export (CSV): Actionstep has no trust endpoint, so the firm exports
the report and `--trust-export FILE` brings it in. Validated whole before anything is written."""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import re
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from legal2odoo.extract.actionstep.rawwrite import RAW_SCHEMA, part_name, utc_now

log = logging.getLogger(__name__)
REQUIRED = ("Transaction ID", "Date", "Matter Reference", "Type", "Receipt", "Payment", "Balance")
DATE_FORMATS = ("%m/%d/%Y", "%Y-%m-%d", "%d-%b-%Y")
_AMOUNT = re.compile(r"^\(?-?\$?(\d{1,3}(,\d{3})*|\d+)(\.\d+)?\)?$")
MAX_REPORTED = 20
BATCH = 50_000


class TrustExportError(ValueError):
    """The export cannot be used; every problem names file, line, column and what to do."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        shown = problems[:MAX_REPORTED]
        more = f"\n  … and {len(problems) - len(shown)} more" if len(problems) > len(shown) else ""
        super().__init__(
            f"trust ledger export {path} refused, nothing was written:\n  "
            + "\n  ".join(shown)
            + more
        )
        self.problems = problems


def _text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise TrustExportError(path, [f"{path}: cannot read ({error.strerror})"]) from error
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        log.warning("%s is not UTF-8 (line %d); reading it as Windows-1252", path, line)
        return raw.decode("cp1252", errors="strict")


def _rows(path: Path, text: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample.splitlines()[0] if sample else ",", delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise TrustExportError(
            path, [f"{path}:1: the file is empty; export the trust ledger report with its header"]
        ) from None

    def rows() -> Iterator[tuple[int, list[str]]]:
        start = 2
        for row in reader:
            if any(cell.strip() for cell in row):
                yield start, row
            start = reader.line_num + 1

    return [h.strip() for h in header], rows()


def validate(path: Path) -> int:
    """Check the whole export; returns the row count or raises TrustExportError."""
    header, rows = _rows(path, _text(path))
    problems = _check_header(path, header)
    if problems:
        raise TrustExportError(path, problems)
    index = {name.lower(): i for i, name in enumerate(header)}
    seen: dict[str, int] = {}
    count = 0
    for line, row in rows:
        count += 1
        problems += _check_row(path, line, row, header, index, seen)
    if count == 0:
        problems.append(
            f"{path}:2: no transactions after the header; export a non-empty date range"
        )
    if problems:
        raise TrustExportError(path, problems)
    return count


def _check_header(path: Path, header: list[str]) -> list[str]:
    present = {h.lower() for h in header}
    missing = [c for c in REQUIRED if c.lower() not in present]
    problems = [
        f"{path}:1: column {c!r} is missing; export the trust ledger report with all columns "
        f"({', '.join(REQUIRED)})"
        for c in missing
    ]
    duplicated = {h for h in header if header.count(h) > 1}
    problems += [f"{path}:1: column {h!r} appears twice; remove one" for h in sorted(duplicated)]
    return problems


def _check_row(
    path: Path,
    line: int,
    row: list[str],
    header: list[str],
    index: dict[str, int],
    seen: dict[str, int],
) -> list[str]:
    if len(row) != len(header):
        return [
            f"{path}:{line}: {len(row)} fields where the header has {len(header)}; "
            "fix quoting or delimiters"
        ]

    def cell(name: str) -> str:
        return row[index[name.lower()]].strip()

    problems = []
    tid = cell("Transaction ID")
    if not tid:
        problems.append(f"{path}:{line}: column 'Transaction ID' is empty; every row needs one")
    elif tid in seen:
        problems.append(
            f"{path}:{line}: column 'Transaction ID' value {tid!r} repeats line {seen[tid]}; "
            "remove the duplicate row"
        )
    else:
        seen[tid] = line
    if not _is_date(cell("Date")):
        problems.append(
            f"{path}:{line}: column 'Date' value {cell('Date')!r} is not a date "
            "(MM/DD/YYYY or YYYY-MM-DD)"
        )
    for name in ("Receipt", "Payment", "Balance"):
        value = cell(name)
        if value and not _AMOUNT.match(value):
            problems.append(
                f"{path}:{line}: column {name!r} value {value!r} is not an amount like 1,234.56"
            )
    if bool(cell("Receipt")) == bool(cell("Payment")):
        problems.append(
            f"{path}:{line}: columns 'Receipt'/'Payment': exactly one must hold the amount"
        )
    return problems


def _is_date(value: str) -> bool:
    for fmt in DATE_FORMATS:
        try:
            datetime.strptime(value, fmt)
            return True
        except ValueError:
            continue
    return False


def write(path: Path, run_dir: Path, run_id: str) -> int:
    """Validate, then write the rows as raw JSON records into run_dir (atomically, whole)."""
    count = validate(path)
    header, rows = _rows(path, _text(path))
    tmp = run_dir.with_name(f".{run_dir.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    now = utc_now()
    tid = [h.lower() for h in header].index("transaction id")
    with pq.ParquetWriter(tmp / part_name(0), RAW_SCHEMA, compression="zstd") as writer:
        batch: list[list[str]] = []
        for _, row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                writer.write_table(_table(batch, header, tid, now, run_id))
                batch = []
        if batch:
            writer.write_table(_table(batch, header, tid, now, run_id))
    shutil.rmtree(run_dir, ignore_errors=True)
    os.replace(tmp, run_dir)
    return count


def _table(
    batch: list[list[str]], header: list[str], tid: int, now: datetime, run_id: str
) -> pa.Table:
    return pa.table(
        {
            "id": [row[tid].strip() for row in batch],
            "record": [
                json.dumps(
                    dict(zip(header, row, strict=True)), ensure_ascii=False, separators=(",", ":")
                )
                for row in batch
            ],
            "_extracted_at": [now] * len(batch),
            "_run_id": [run_id] * len(batch),
        },
        schema=RAW_SCHEMA,
    )
