"""`load --to csv`: the marts as files for Odoo's own import wizard, for a server without API.

Files are numbered in import order (load/csv_plan.py says how a mart is shaped, csv_files.py
how files are written, csv_guide.py writes IMPORT.md). The folder is replaced whole: a failed
export leaves the previous one intact.
"""

from __future__ import annotations

import base64
import functools
import html
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from legal2odoo.load.csv_files import (
    BYTES_PER_FILE,
    REPEATED,
    ROWS_PER_FILE,
    ExportError,
    ImportFile,
    PartWriter,
    Verbatim,
)
from legal2odoo.load.csv_guide import import_guide
from legal2odoo.load.csv_plan import (
    AUTHOR_NAME,
    AUTHOR_XMLID,
    CARRIER_HEADER,
    FILE_PATH,
    RES_XMLID,
    CsvPlan,
    plan_mart,
    self_reference_targets,
)
from legal2odoo.load.marts import Mart, as_text, find_marts, open_warehouse

__all__ = ["ExportError", "ImportFile", "export_csv"]
READ_CHUNK = 2000


def export_csv(
    warehouse: Path,
    target: Path,
    rows_per_file: int = ROWS_PER_FILE,
    bytes_per_file: int = BYTES_PER_FILE,
    snapshot_of_target: bool = False,
) -> list[ImportFile]:
    """`snapshot_of_target`: the build's Odoo snapshot was taken from the Odoo the files are
    for, so its adoptions (ir.model.data rows naming that Odoo's partners) may go along."""
    # this run's own staging folder (never shared with another run), swapped in whole
    staging = target.with_name(f".{target.name}.partial-{os.getpid()}-{time.time_ns()}")
    staging.mkdir(parents=True)
    try:
        with open_warehouse(warehouse) as con:
            # A mart without rows (e.g. the Actionstep marts of a Captorra-only firm) has
            # nothing to import: no file, and the numbering stays consecutive.
            marts = [m for m in find_marts(con) if _has_rows(con, m)]
            _check_adoptions(marts, snapshot_of_target)
            files: list[ImportFile] = []
            logins: set[str] = set()
            for number, mart in enumerate(marts):
                plan = plan_mart(con, mart, self_reference_targets(con, mart))
                writer = _MartWriter(
                    con, plan, staging, number, warehouse.parent, rows_per_file, bytes_per_file
                )
                files += writer.run()
                logins |= writer.logins
        guide = import_guide(files, sorted(logins - {""}))
        (staging / "IMPORT.md").write_text(guide, encoding="utf-8")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = target.with_name(f".{target.name}.old-{os.getpid()}-{time.time_ns()}")
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return [ImportFile(target / f.path.name, f.model, f.rows, f.stage, f.note) for f in files]


def _check_adoptions(marts: list[Mart], snapshot_of_target: bool) -> None:
    """ir.model.data rows name partners of the snapshot's Odoo by database id: right only in
    that very Odoo, wrong (or someone else's record) anywhere else."""
    if snapshot_of_target or not any(m.model == "ir.model.data" for m in marts):
        return
    raise ExportError(
        "the marts adopt existing partners of the Odoo the snapshot came from (odoo__ir_model_data"
        " names them by database id). For that very Odoo pass --snapshot-of-target; for any "
        "other Odoo build without a snapshot (move DATA_DIR/raw/odoo away, `legal2odoo build`)"
    )


def _carrier(xmlid: str, name: str, extra: dict[str, str | None]) -> list[str]:
    """The note that carries attachment `xmlid` onto its record (CARRIED in csv_plan)."""
    body = f"<p>File: {html.escape(name, quote=False)}</p>"
    return [
        f"{xmlid}__note",
        str(extra.get("res_model") or ""),
        "",
        body,
        "comment",
        "mail.mt_note",
        xmlid,
        str(extra.get(RES_XMLID) or ""),
    ]


def _has_rows(con: duckdb.DuckDBPyConnection, mart: Mart) -> bool:
    return bool(con.execute(f"select exists (select 1 from {mart.table})").fetchall()[0][0])


class _MartWriter:
    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        plan: CsvPlan,
        folder: Path,
        number: int,
        root: Path,
        rows_per_file: int,
        bytes_per_file: int,
    ) -> None:
        self.con, self.plan, self.root = con, plan, root
        stem = f"{number:02d}_{plan.mart.table.removeprefix('odoo__')}"
        # every part of this mart: its folder, its model and the size limits
        self.part = functools.partial(
            PartWriter,
            folder=folder,
            model=plan.mart.model,
            rows_per_file=rows_per_file,
            bytes_per_file=bytes_per_file,
        )
        first = plan.first_header
        suffix, stage = (".needs-ids.csv", "needs-ids") if plan.needs_ids else (".csv", "import")
        self.main = self.part(stem=stem, header=first, suffix=suffix, stage=stage)
        by_user = tuple("author_id" if h == AUTHOR_XMLID else h for h in first)
        note = "messages written by an Odoo user (author by name)"
        self.by_user = self.part(
            stem=f"{stem}__by_user", header=by_user, suffix=suffix, stage=stage, note=note
        )
        self.selfs = self.part(
            stem=f"{stem}__self",
            header=("id", *plan.self_columns),
            note="references into the same model",
        )
        self.carrier = self.part(
            stem=f"{stem}__on_record",
            header=CARRIER_HEADER,
            suffix=".needs-ids.csv",
            stage="needs-ids",
            note="a note on the lead carrying each file",
            model="mail.message",
        )
        self.verbatim = Verbatim(repeated=REPEATED.get(plan.mart.model, ()))
        self.verbatim_stem = f"{stem}__verbatim"
        self.logins: set[str] = set()

    def run(self) -> list[ImportFile]:
        plan = self.plan
        first = plan.first_header
        index = {h: i for i, h in enumerate(plan.header)}
        keep = [index[h] for h in first]
        self_index = [index[h] for h in plan.self_columns]
        for cells, extra in self._rows():
            if FILE_PATH in extra:
                self._fill_datas(cells, index["datas"], extra)
            row = [cells[i] for i in keep]
            author = extra.get(AUTHOR_NAME) if plan.user_author else None
            by_user = bool(author) and not row[first.index(AUTHOR_XMLID)]
            if by_user and author:
                row[first.index(AUTHOR_XMLID)] = author
            if "user_id" in first:
                self.logins.add(row[first.index("user_id")])
            writer = self.by_user if by_user else self.main
            writer.add(self.verbatim.safe(writer.header, row))
            if plan.carried:
                self.carrier.add(_carrier(cells[index["id"]], cells[index["name"]], extra))
            if self_index and any(cells[i] for i in self_index):
                selfs = [cells[index["id"]], *(cells[i] for i in self_index)]
                self.selfs.add(self.verbatim.safe(self.selfs.header, selfs))
        files = self.main.close() + self.by_user.close() + self.selfs.close()
        files += self.carrier.close()
        if self.verbatim.rows:
            header = ("id", *self.verbatim.columns)
            note = "values a spreadsheet would run as formulas, as they are: do not open"
            files += self.verbatim.write(
                self.part(stem=self.verbatim_stem, header=header, note=note)
            )
        return files

    def _rows(self) -> Iterator[tuple[list[str], dict[str, str | None]]]:
        mart = self.plan.mart
        sources = {c: (t, s) for c, t, s in mart.selects()}
        selects = []
        for i, read in enumerate(self.plan.reads):
            if read in sources:
                data_type, source = sources[read]
                selects.append(as_text(f"c{i}", data_type, source))
            elif read in mart.metadata:
                selects.append(f'cast("{read}" as varchar) as "c{i}"')
            else:  # res_id (filled by `csv link-ids`), datas (filled from _file_path)
                selects.append(f'cast(null as varchar) as "c{i}"')
        extras = [m for m in (FILE_PATH, AUTHOR_NAME, RES_XMLID) if m in mart.metadata]
        selects += [f'cast("{m}" as varchar) as "{m}"' for m in extras]
        if self.plan.carried:
            extras.append("res_model")
            selects.append('cast("res_model" as varchar) as "res_model"')
        reader = self.con.cursor()
        reader.execute(f"select {', '.join(selects)} from {mart.table} order by {mart.order_by}")
        width = len(self.plan.reads)
        while chunk := reader.fetchmany(READ_CHUNK):
            for values in chunk:
                cells = ["" if v is None else str(v) for v in values[:width]]
                yield cells, dict(zip(extras, values[width:], strict=True))

    def _fill_datas(self, cells: list[str], at: int, extra: dict[str, str | None]) -> None:
        if cells[at]:
            return  # the mart's own base64 (images inline in notes)
        relative = extra.get(FILE_PATH)
        path = self.root / str(relative)
        if not relative or not path.is_file():
            raise ExportError(
                f"{self.plan.mart.table}: attachment {cells[0]} has no file at "
                f"{relative or '(no path)'}: extract the documents again, then rerun"
            )
        cells[at] = base64.b64encode(path.read_bytes()).decode("ascii")
