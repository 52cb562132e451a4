"""Stream a delimited export into Parquet with every value kept as text, and the physical
line each record starts on (so later checks can name it)."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from legal2odoo.extract.errors import Problem, SourceFileError

DELIMITERS = (",", ";", "\t", "|")
BLOCK_SIZE = 4 << 20
# A value longer than two blocks cannot be parsed (ArrowInvalid "straddling object"): such a
# file is read again with big blocks (memory for one block per column), then refused.
MAX_BLOCK_SIZE = 64 << 20


def read_header(path: Path, encoding: str) -> tuple[list[str], str]:
    """The header row and the delimiter it uses."""
    with open(path, encoding="utf-8-sig" if encoding == "utf-8" else encoding, newline="") as f:
        first = f.readline()
    if not first.strip():
        raise SourceFileError([Problem(path, 1, None, "the file is empty")], "export it again")
    delimiter = max(DELIMITERS, key=first.count)
    headers = next(csv.reader(io.StringIO(first), delimiter=delimiter))
    return [h.strip() for h in headers], delimiter


def to_parquet(
    path: Path,
    target: Path,
    names: list[str],
    encoding: str,
    delimiter: str,
    extra: Callable[[int], dict[str, pa.Array]],
) -> int:
    """Write `path` to `target` (one Parquet file) streaming; return the record count.

    `extra(n)` gives constant metadata columns for a batch of n rows."""
    try:
        return _to_parquet(path, target, names, encoding, delimiter, extra, BLOCK_SIZE)
    except pa.ArrowInvalid as error:
        if "straddl" not in str(error):
            raise
    try:
        return _to_parquet(path, target, names, encoding, delimiter, extra, MAX_BLOCK_SIZE)
    except pa.ArrowInvalid as error:
        if "straddl" not in str(error):
            raise
    limit = f"{MAX_BLOCK_SIZE / (1 << 20):g} MiB"
    raise SourceFileError(
        [Problem(path, None, None, f"a value longer than {limit} (the largest cell we read)")],
        f"shorten that value in the source system (a note or e-mail body over {limit}), "
        "or attach the text as a file instead, and export again",
    )


def _to_parquet(
    path: Path,
    target: Path,
    names: list[str],
    encoding: str,
    delimiter: str,
    extra: Callable[[int], dict[str, pa.Array]],
    block_size: int,
) -> int:
    ragged: list[str] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        ragged.append(row.text)
        return "skip"

    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(
            column_names=names, skip_rows=1, encoding=encoding, block_size=block_size
        ),
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter, newlines_in_values=True, invalid_row_handler=on_invalid
        ),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False
        ),
    )
    rows = 0
    next_line = 2  # the header is line 1
    with pq.ParquetWriter(target, _schema(names, extra)) as writer:
        for batch in reader:
            lines, next_line = _start_lines(batch, next_line)
            columns = {name: batch.column(name) for name in names}
            table = pa.table({**columns, "_line": lines, **extra(batch.num_rows)})
            writer.write_table(table)
            rows += batch.num_rows
    if ragged:
        raise SourceFileError(_locate_ragged(path, len(names), encoding, delimiter), _RAGGED)
    return rows


_RAGGED = (
    "each row must have as many fields as the header: look for a stray delimiter or an "
    "unclosed quote on those lines, or export again"
)


def _schema(names: list[str], extra: Callable[[int], dict[str, pa.Array]]) -> pa.Schema:
    meta = pa.table(extra(0)).schema
    return pa.schema([*(pa.field(n, pa.string()) for n in names), ("_line", pa.int64()), *meta])


def _start_lines(batch: pa.RecordBatch, first_line: int) -> tuple[pa.Array, int]:
    """Physical start line of each record: 1 + the newlines inside earlier records' values."""
    spans = pc.add(pc.count_substring(batch.column(0), "\n"), 1)
    for column in batch.columns[1:]:
        spans = pc.add(spans, pc.count_substring(column, "\n"))
    ends = pc.cumulative_sum(pc.cast(spans, pa.int64()))
    starts = pc.add(pc.subtract(ends, spans), first_line)
    return starts, first_line + (ends[-1].as_py() if len(ends) else 0)


def _locate_ragged(path: Path, expected: int, encoding: str, delimiter: str) -> list[Problem]:
    """Slow path, taken only to report a broken file: exact lines from the csv module."""
    problems = []
    csv.field_size_limit(sys.maxsize)  # a long note must not hide the broken line
    with open(path, encoding="utf-8-sig" if encoding == "utf-8" else encoding, newline="") as f:
        reader = csv.reader(f, delimiter=delimiter)
        next(reader, None)
        start = reader.line_num + 1
        for row in reader:
            if row and len(row) != expected:
                problems.append(
                    Problem(path, start, None, f"{len(row)} fields where the header has {expected}")
                )
            start = reader.line_num + 1
    return problems or [Problem(path, None, None, "rows the CSV parser could not split")]
