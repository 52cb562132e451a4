"""Import-wizard files on disk: UTF-8 with BOM, chunked under the wizard's limits, every cell
spreadsheet-safe.

Limits: the wizard imports 2,000 rows per batch (base_import's `limit` option) and the web
client refuses uploads over 128 MiB (web.max_file_upload_size); files stay well under both.

A cell a spreadsheet would run as a formula is neutralised (legal2odoo.spreadsheet: a leading
apostrophe), and the wizard would store that apostrophe: Odoo must end with the source value.
So the rows holding such cells are repeated, with the cells as they are, in a `__verbatim`
file imported right after (an update by external id). `datas` (base64) is the exception that
needs no repeat: Odoo decodes it leniently and drops the apostrophe (base64.b64decode without
validate discards characters outside the alphabet).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from legal2odoo.spreadsheet import spreadsheet_safe

ROWS_PER_FILE = 2000  # the wizard's own batch (limit option): one file, one batch
BYTES_PER_FILE = 20 * 1024 * 1024  # far under the 128 MiB upload limit, and quick to upload
ENCODING = "utf-8-sig"  # UTF-8 with BOM: spreadsheets then read UTF-8; the wizard drops it
LENIENT = frozenset({"datas"})  # neutralised without a verbatim repeat (see module doc)
# Fields Odoo recomputes when a verbatim value changes, repeated with it: a lead's phone or
# email moves its automated probability, and a lead whose probability equalled the
# automated one then takes the new one (measured on Odoo 17: 0 became 95.45).
REPEATED = {"crm.lead": ("probability",)}


class ExportError(ValueError):
    """Marts the CSV route cannot write as they are (which mart, what to do)."""


@dataclass(frozen=True)
class ImportFile:
    path: Path
    model: str
    rows: int
    stage: str = "import"  # import | needs-ids (a template for `csv link-ids`)
    note: str = ""  # what the file is, for IMPORT.md


@dataclass
class PartWriter:
    """One logical file (header fixed) written as numbered parts under the limits."""

    folder: Path
    stem: str  # 08_crm_lead
    header: tuple[str, ...]
    model: str
    suffix: str = ".csv"
    stage: str = "import"
    note: str = ""
    rows_per_file: int = ROWS_PER_FILE
    bytes_per_file: int = BYTES_PER_FILE
    files: list[ImportFile] = field(default_factory=list)
    _buffer: io.StringIO = field(default_factory=io.StringIO)
    _rows: int = 0

    def add(self, cells: list[str]) -> None:
        line = io.StringIO()
        csv.writer(line).writerow(cells)
        text = line.getvalue()
        size = len(text.encode("utf-8"))
        if self._rows and (
            self._rows >= self.rows_per_file or self._buffer.tell() + size > self.bytes_per_file
        ):
            self._flush()
        self._buffer.write(text)
        self._rows += 1

    def close(self) -> list[ImportFile]:
        if self._rows:
            self._flush()
        return self.files

    def _flush(self) -> None:
        path = self.folder / f"{self.stem}_{len(self.files) + 1:03d}{self.suffix}"
        head = io.StringIO()
        csv.writer(head).writerow(self.header)
        with path.open("w", encoding=ENCODING, newline="") as handle:
            handle.write(head.getvalue())
            handle.write(self._buffer.getvalue())
        self.files.append(ImportFile(path, self.model, self._rows, self.stage, self.note))
        self._buffer = io.StringIO()
        self._rows = 0


@dataclass
class Verbatim:
    """Rows with a neutralised cell, kept as they are for the `__verbatim` repeat."""

    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)
    repeated: tuple[str, ...] = ()  # REPEATED of the model

    def safe(self, header: tuple[str, ...], cells: list[str]) -> list[str]:
        """The cells neutralised; the row remembered when one changed (not for `datas`)."""
        out = [spreadsheet_safe(c) for c in cells]
        risky = [
            h for h, a, b in zip(header, cells, out, strict=True) if a != b and h not in LENIENT
        ]
        if risky:
            for column in [*risky, *(r for r in self.repeated if r in header)]:
                if column not in self.columns:
                    self.columns.append(column)
            self.rows.append(dict(zip(header, cells, strict=True)))
        return out

    def write(self, writer: PartWriter) -> list[ImportFile]:
        for row in self.rows:
            writer.add([row["id"], *(row.get(c, "") for c in self.columns)])
        return writer.close()


def read_import_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a file we wrote (or one a person exported), BOM or not."""
    # a base64 file is one cell: the csv module's 128 KiB default is too small (Odoo's
    # server raises it to 500 MiB the same way, odoo/cli/server.py)
    csv.field_size_limit(max(csv.field_size_limit(), 2 * BYTES_PER_FILE))
    with path.open(encoding=ENCODING, newline="") as handle:
        rows = list(csv.reader(handle))
    if not rows:
        raise ValueError(f"{path}: empty file, expected a header row")
    return rows[0], rows[1:]
