"""`legal2odoo inspect captorra EXPORT`: what an export holds and how it would be read, before
anything is written: encoding, delimiter, rows, how each header maps, absent optional fields,
date formats seen, statuses per pipeline with their proposed stage, shared emails.

The file is parsed exactly as `extract captorra` parses it (same header matching, same CSV
reader, into a temporary Parquet file that is deleted afterwards). Stage and type proposals
follow the rules of int_captorra__stages and int_captorra__custom_fields (SQL is the truth
once built; this is the preview)."""

from __future__ import annotations

import csv
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import yaml

from legal2odoo.extract.captorra.checks import DATETIME_FORMATS
from legal2odoo.extract.captorra.columns import (
    COLUMN_SEED,
    Column,
    absent_fields,
    load_seed,
    plan_columns,
    read_registry,
)
from legal2odoo.extract.csvfile import read_header, to_parquet
from legal2odoo.extract.encoding import detect_encoding
from legal2odoo.workdir import PROJECT_DIR

STAGE_SEED = PROJECT_DIR / "seeds" / "captorra_stages.csv"
MAX_OPTIONS = 10  # a picklist has at most this many distinct values, and some repeat
MAX_CHAR = 255


@dataclass
class Inspection:
    path: Path
    encoding: str
    delimiter: str
    rows: int
    columns: list[Column]
    absent: list[str]
    proposed_types: dict[str, str] = field(default_factory=dict)  # raw column -> type
    date_formats: dict[str, list[str]] = field(default_factory=dict)  # header -> formats
    stages: list[dict] = field(default_factory=list)  # seed rows and proposed ones
    shared_emails: list[tuple[str, int]] = field(default_factory=list)


def inspect_export(path: Path, fields: Path | None = None) -> Inspection:
    encoding = detect_encoding(path)
    headers, delimiter = read_header(path, encoding)
    seed = load_seed()
    columns = plan_columns(path, headers, "leads", seed, read_registry(fields) if fields else [])
    absent = [c.name for c in absent_fields(columns, "leads", seed)]
    with tempfile.TemporaryDirectory(prefix="legal2odoo-inspect-") as folder:
        target = Path(folder) / "leads.parquet"
        rows = to_parquet(path, target, [c.name for c in columns], encoding, delimiter, _no_meta)
        with duckdb.connect() as con:
            con.execute(f"create view leads as select * from read_parquet('{target}')")
            result = Inspection(
                path, _encoding_label(path, encoding), delimiter, rows, columns, absent
            )
            result.proposed_types = {
                c.name: _infer_type(con, c.name) for c in columns if c.kind == "unknown"
            }
            result.date_formats = _date_formats(con, columns, result.proposed_types)
            result.stages = _stages(con)
            result.shared_emails = _shared_emails(con, columns)
    return result


def _no_meta(n: int) -> dict[str, pa.Array]:
    return {}


def _encoding_label(path: Path, encoding: str) -> str:
    if encoding == "utf-8":
        with open(path, "rb") as handle:
            return "UTF-8 with BOM" if handle.read(3) == b"\xef\xbb\xbf" else "UTF-8"
    return f"{encoding} (Windows; re-export as CSV UTF-8 if you can)"


def _values(con: duckdb.DuckDBPyConnection, column: str) -> list[str]:
    rows = con.execute(
        f'select trim("{column}") from leads where trim("{column}") <> \'\''
    ).fetchall()
    return [v for (v,) in rows]


def _infer_type(con: duckdb.DuckDBPyConnection, column: str) -> str:
    """The rule of int_captorra__custom_fields (registry vocabulary)."""
    (n, distinct, longest, separator, boolean, integer, zero, number, date, datetime_) = (
        con.execute(
            f"""
            with v as (select trim("{column}") as v from leads where trim("{column}") <> '')
            select count(*), count(distinct v), max(length(v)),
                bool_or(contains(v, chr(10)) or contains(v, '|')),
                bool_and(lower(v) in ('yes', 'no', 'y', 'n', 'true', 'false')),
                bool_and(try_cast(replace(v, ',', '') as bigint) is not null),
                bool_or(regexp_matches(v, '^0[0-9]')),
                bool_and(try_cast(nullif(regexp_replace(v, '[$€£,\\s]', '', 'g'), '')
                    as double) is not null),
                bool_and(try_strptime(v, ['%m/%d/%Y', '%Y-%m-%d']) is not null),
                bool_and(try_strptime(v, {list(DATETIME_FORMATS)}) is not null)
            from v
            """
        ).fetchone()
        or (0,) * 10
    )
    if not n:
        return "text"
    for flag, name in (
        (boolean, "boolean"),
        (integer and not zero, "integer"),
        (number and not zero, "number"),
        (date, "date"),
        (datetime_, "datetime"),
    ):
        if flag:
            return name
    if longest > MAX_CHAR or separator:
        return "memo"
    if distinct <= MAX_OPTIONS and distinct < n and longest <= 60:
        return "picklist"
    return "text"


def _date_formats(
    con: duckdb.DuckDBPyConnection, columns: list[Column], types: dict[str, str]
) -> dict[str, list[str]]:
    """Per date column (created, modified, and unmapped ones typed date or datetime), the
    formats its values use: for each value, the first of extract's formats that parses it."""
    dated = [
        c
        for c in columns
        if (c.name in ("created_at", "modified_at") and c.kind == "standard")
        or types.get(c.name) in ("date", "datetime")
    ]
    tries = ", ".join(f"try_strptime(v, '{f}') is not null" for f in DATETIME_FORMATS)
    out = {}
    for column in dated:
        rows = con.execute(
            f"select distinct list_position([{tries}], true) as n "
            f"from (select trim(\"{column.name}\") as v from leads) where v <> '' order by n"
        ).fetchall()
        out[column.header] = [DATETIME_FORMATS[n - 1] if n else "unreadable" for (n,) in rows]
    return out


def _project_vars() -> dict:
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return project.get("vars", {})


def _stages(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """The seed's rows for the export's pipelines, then each unlisted status as
    int_captorra__stages would create it."""
    with open(STAGE_SEED, encoding="utf-8", newline="") as handle:
        seed = list(csv.DictReader(handle))
    seen = con.execute(
        "select trim(pipeline), trim(status) from leads "
        "where trim(pipeline) <> '' and trim(status) <> '' "
        "group by all order by min(_line)"
    ).fetchall()
    listed = {(r["pipeline"], r["status"]) for r in seed}
    variables = _project_vars()
    won = "|".join(variables.get("captorra_won_words", []))
    lost = "|".join(variables.get("captorra_lost_words", []))
    last: dict[str, int] = {}
    for row in seed:
        last[row["pipeline"]] = max(last.get(row["pipeline"], 0), int(row["sequence"]))
    pipelines = {p for p, _ in seen}
    out = [
        {**row, "leads_use_it": (row["pipeline"], row["status"]) in set(seen), "proposed": False}
        for row in seed
        if row["pipeline"] in pipelines
    ]
    for pipeline, status in seen:
        if (pipeline, status) in listed:
            continue
        words = status.lower()
        is_lost = bool(
            re.search(rf"\b({lost})\b", words) or re.search(rf"\b(not|never)\s+({won})\b", words)
        )
        is_won = bool(re.search(rf"\b({won})\b", words)) and not is_lost
        last[pipeline] = last.get(pipeline, 0) + 1
        out.append(
            {
                "pipeline": pipeline,
                "status": status,
                "stage_name": status,
                "sequence": str(last[pipeline]),
                "probability": "0" if is_lost else "100" if is_won else "10",
                "is_won": str(is_won).lower(),
                "is_lost": str(is_lost).lower(),
                "fold": str(is_lost).lower(),
                "leads_use_it": True,
                "proposed": True,
            }
        )
    return out


def _shared_emails(con: duckdb.DuckDBPyConnection, columns: list[Column]) -> list[tuple[str, int]]:
    if not any(c.name == "email" and c.kind == "standard" for c in columns):
        return []
    return con.execute(
        "select lower(trim(email)), count(*) from leads where trim(email) <> '' "
        "group by 1 having count(*) > 1 order by 2 desc, 1"
    ).fetchall()


def write_seeds(inspection: Inspection, folder: Path) -> list[Path]:
    """The seeds to edit: captorra_stages.csv (the shipped rows and the proposed ones) and
    captorra_columns.csv (the shipped rows, plus each near spelling this export uses, so it
    is explicit). Copy them over seeds/ once edited."""
    folder.mkdir(parents=True, exist_ok=True)
    stages = folder / "captorra_stages.csv"
    with open(STAGE_SEED, encoding="utf-8", newline="") as handle:
        shipped = list(csv.DictReader(handle))
    proposed = [r for r in inspection.stages if r["proposed"]]
    names = list(shipped[0].keys())
    with open(stages, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, names, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(shipped + proposed)
    columns = folder / "captorra_columns.csv"
    text = COLUMN_SEED.read_text(encoding="utf-8")
    seed = {(r.canonical_field, r.header) for r in load_seed()}
    types = {r.canonical_field: r for r in load_seed() if r.dataset == "leads"}
    extra = [
        f"leads,{c.name},{_csv_cell(c.header)},{str(types[c.name].required).lower()},"
        f"{types[c.name].type}\n"
        for c in inspection.columns
        if c.kind == "standard" and (c.name, c.header) not in seed
    ]
    columns.write_text(text + ("" if text.endswith("\n") else "\n") + "".join(extra), "utf-8")
    return [stages, columns]


def _csv_cell(value: str) -> str:
    return f'"{value.replace(chr(34), chr(34) * 2)}"' if re.search(r'[,"\n]', value) else value
