"""The mapping spec (seeds/mapping_spec.csv) and the expected Odoo values it gives from raw.

The spec is written from the object-mapping tables of the two migration specifications and
kept apart from the dbt models: one row per mapped field (source system, source object,
source field, Odoo model, Odoo field, transform, argument). Each source object has one DuckDB
query in trust/source_sql/<system>__<object>.sql that reads the run's raw Parquet directly
(never a model) and yields one row per source record: source_id, external_id, record_type,
excluded_rule (null: in scope) and the source fields the spec names. The transforms, a small
fixed vocabulary, turn a source field into the value Odoo must hold.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import yaml

from legal2odoo.workdir import PROJECT_DIR, Workdir

SPEC_FILE = PROJECT_DIR / "seeds" / "mapping_spec.csv"
SQL_DIR = Path(__file__).resolve().parent / "source_sql"
SEEDS_DIR = PROJECT_DIR / "seeds"
COLUMNS = (
    "source_system",
    "source_object",
    "source_field",
    "odoo_model",
    "odoo_field",
    "transform",
    "argument",
    "spec",
)
TRANSFORMS = frozenset(
    {
        "copy",
        "trim",
        "email",
        "phone",
        "datetime-in-timezone",
        "text-to-html",
        "html",
        "json",
        "lookup",
        "constant",
    }
)
KEY_COLUMNS = ("source_id", "external_id", "record_type", "excluded_rule")
PLACEHOLDER = re.compile(r"\{(raw|current|seed|captorra_time|var):([A-Za-z0-9_/]+)\}")
CAPTORRA_FORMATS = (
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
)
ODOO_MOMENT = "%Y-%m-%d %H:%M:%S"


class SpecError(ValueError):
    """The mapping spec or a source query cannot be used as written."""


@dataclass(frozen=True)
class SpecRow:
    source_system: str
    source_object: str
    source_field: str
    odoo_model: str
    odoo_field: str
    transform: str
    argument: str
    spec: str

    @property
    def source_key(self) -> str:
        return f"{self.source_system}__{self.source_object}"


def load_spec(path: Path = SPEC_FILE) -> list[SpecRow]:
    """Every row of the spec, checked: known transform, a query for its source object."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise SpecError(f"{path}: header must be {','.join(COLUMNS)}")
        rows = [_row(path, number, raw) for number, raw in enumerate(reader, start=2)]
    return rows


def _row(path: Path, number: int, raw: dict[str, str]) -> SpecRow:
    row = SpecRow(**{k: (raw.get(k) or "").strip() for k in COLUMNS})
    where = f"{path}:{number}"
    if row.transform not in TRANSFORMS:
        raise SpecError(
            f"{where}: transform {row.transform!r} is not one of {', '.join(sorted(TRANSFORMS))}"
        )
    if not (SQL_DIR / f"{row.source_key}.sql").exists():
        raise SpecError(f"{where}: no source query {SQL_DIR / (row.source_key + '.sql')}")
    if row.transform in ("constant", "datetime-in-timezone") and not row.argument:
        raise SpecError(f"{where}: transform {row.transform} needs an argument")
    for name in ("source_system", "source_object", "source_field", "odoo_model", "odoo_field"):
        if not getattr(row, name):
            raise SpecError(f"{where}: {name} is empty")
    return row


def source_objects() -> list[str]:
    """Every source object with a query (`system__object`), counted whether mapped or not."""
    return sorted(p.stem for p in SQL_DIR.glob("*.sql"))


def render(source_key: str, raw: Path) -> str:
    """The source query of one object with its placeholders resolved to paths in `raw` and
    `{var:…}` to the dbt vars the marts were built with (build_vars)."""
    text = (SQL_DIR / f"{source_key}.sql").read_text(encoding="utf-8")
    found = build_vars(raw)
    return PLACEHOLDER.sub(lambda m: _expand(m.group(1), m.group(2), raw, found), text)


def build_vars(raw: Path) -> dict[str, Any]:
    """The dbt vars of the build that made the marts of the data dir `raw` belongs to (written
    by `build`), else the defaults in dbt_project.yml (no build yet)."""
    with open(PROJECT_DIR / "dbt_project.yml", encoding="utf-8") as handle:
        found = dict(yaml.safe_load(handle).get("vars") or {})
    written = Workdir(raw.parent).build_vars
    if written.exists():
        try:
            found.update(json.loads(written.read_text(encoding="utf-8")))
        except json.JSONDecodeError as error:
            raise SpecError(f"{written}: not the JSON `build` writes ({error})") from error
    return found


def _var_literal(name: str, found: dict[str, Any]) -> str:
    """A dbt var as a DuckDB literal: text quoted, a list as a list, numbers and booleans."""
    if name not in found:
        raise SpecError(f"{{var:{name}}}: no such dbt var (dbt_project.yml vars)")
    value = found[name]
    if isinstance(value, list):
        return "[" + ", ".join(_quote(str(v)) for v in value) + "]::varchar[]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return _quote(str(value))


def _expand(kind: str, name: str, raw: Path, found: dict[str, Any]) -> str:
    if kind == "var":
        return _var_literal(name, found)
    if kind == "raw":
        files = _quote(str(raw / name) + "/run=*/*.parquet")
        parquet = f"read_parquet({files}, union_by_name = true)"
        fields = (
            _captorra_fields(name.removeprefix("captorra/")) if name.startswith("captorra/") else []
        )
        if not fields:
            return parquet
        # an export may lack any optional column: it reads as NULL, as in staging
        empty = ", ".join(f"cast(null as varchar) as {field}" for field in fields)
        return f"(select * from {parquet} union all by name select {empty} where false)"
    if kind == "seed":
        seed = _quote(str(SEEDS_DIR / (name + ".csv")))
        return f"read_csv({seed}, header = true, all_varchar = true)"
    if kind == "captorra_time":
        return _captorra_time(name, "UTC")
    return _actionstep_current(name, raw)


def _captorra_fields(dataset: str) -> list[str]:
    """The canonical fields of one Captorra dataset (seeds/captorra_columns.csv)."""
    with open(SEEDS_DIR / "captorra_columns.csv", encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle)
        found = {
            row["canonical_field"]
            for row in rows
            if row["dataset"] == dataset and row["canonical_field"].isidentifier()
        }
    return sorted(found)


def _actionstep_current(resource: str, raw: Path) -> str:
    """The current version of each Actionstep record: newest extract, unless removed since."""
    if not any((raw / "actionstep" / resource).glob("run=*/*.parquet")):
        # a Captorra-only firm (or a resource with nothing in it): no records, not an error
        return "(select cast(null as varchar) as id, cast(null as varchar) as record where false)"
    records = _quote(str(raw / "actionstep" / resource) + "/run=*/*.parquet")
    removals = raw / "actionstep" / "removals"
    removed = (
        f"select id, max(_detected_at) as removed_at from read_parquet("
        f"{_quote(str(removals) + '/run=*/*.parquet')}, union_by_name = true) "
        f"where resource = {_quote(resource)} group by id"
        if any(removals.glob("run=*/*.parquet"))
        else "select cast(null as varchar) as id, cast(null as timestamp) as removed_at where false"
    )
    return (
        f"(select latest.id, latest.record from (select id, record, _extracted_at from "
        f"read_parquet({records}, union_by_name = true) qualify row_number() over "
        f"(partition by id order by _extracted_at desc, _run_id desc) = 1) as latest "
        f"left join ({removed}) as removed on latest.id = removed.id "
        f"where removed.removed_at is null or latest._extracted_at > removed.removed_at)"
    )


def _captorra_time(column: str, zone: str) -> str:
    formats = ", ".join(_quote(f) for f in CAPTORRA_FORMATS)
    return f"try_strptime(nullif(trim({column}), ''), [{formats}])"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def transform_sql(row: SpecRow) -> str:
    """DuckDB expression of the expected value (as text) from the source field `src`."""
    src = f'"{row.source_field}"'
    text = f"cast({src} as varchar)"
    if row.transform == "copy":
        return text
    if row.transform in ("trim", "html", "json"):
        return f"nullif(trim({text}), '')"
    if row.transform == "email":
        return f"nullif(lower(trim({text})), '')"
    if row.transform == "phone":  # digits (and a leading +): Odoo may format the rest
        return f"nullif(regexp_replace({text}, '[^0-9+]', '', 'g'), '')"
    if row.transform == "datetime-in-timezone":
        return _moment_sql(text, row.argument)
    if row.transform == "text-to-html":
        return _visible_lines_sql(text)
    if row.transform == "lookup":
        if not row.argument:  # the query gave the external id itself
            return text
        key = f"regexp_replace(trim({text}), '[^A-Za-z0-9_]', '_', 'g')"
        prefix = _quote(f"legal2odoo.{row.argument}_")
        return f"case when nullif(trim({text}), '') is not null then {prefix} || {key} end"
    return _quote(row.argument)  # constant


def _moment_sql(text: str, zone: str) -> str:
    """Naive UTC seconds: a value with an offset is converted by it, one without is wall-clock
    time in `zone`."""
    with_offset = f"regexp_matches(trim({text}), '([+-][0-9]{{2}}:?[0-9]{{2}}|Z)$')"
    local = f"timezone('UTC', timezone({_quote(zone)}, {_captorra_time(text, zone)}))"
    return (
        f"strftime(case when {with_offset} "
        f"then timezone('UTC', try_cast(trim({text}) as timestamptz)) "
        f"else {local} end, {_quote(ODOO_MOMENT)})"
    )


def _visible_lines_sql(text: str) -> str:
    """What a person sees of plain text: its lines, spaces collapsed, blank lines dropped."""
    unix = f"replace(replace({text}, chr(13) || chr(10), chr(10)), chr(13), chr(10))"
    lines = f"string_split({unix}, chr(10))"
    cleaned = f"list_transform({lines}, lambda l: trim(regexp_replace(l, '\\s+', ' ', 'g')))"
    return f"nullif(array_to_string(list_filter({cleaned}, lambda l: l <> ''), chr(10)), '')"


@dataclass(frozen=True)
class SourceRecord:
    source_key: str
    source_id: str
    external_id: str | None
    record_type: str
    excluded_rule: str | None
    source: dict[str, Any]  # source field -> raw value
    expected: dict[int, Any]  # index of the spec row -> expected value


def expected_records(
    con: duckdb.DuckDBPyConnection,
    raw: Path,
    spec: list[SpecRow],
    source_key: str,
    only: Collection[str] | None = None,
    by_container: bool = False,
) -> Iterator[SourceRecord]:
    """Every record of one source object (`only`: those with these source ids) with the
    expected value of each of its spec rows, by source id; `by_container`: by external id
    first (the records one Odoo record holds as JSON elements come together), then source id."""
    rows = [(i, r) for i, r in enumerate(spec) if r.source_key == source_key]
    fields = sorted({r.source_field for _, r in rows})
    expected = ", ".join(f'{transform_sql(r)} as "e{i}"' for i, r in rows) or "null as e"
    keys = ", ".join(KEY_COLUMNS)
    src = ", ".join(f'cast("{f}" as varchar) as "s:{f}"' for f in fields) or "null as s"
    where = "where cast(source_id as varchar) in (select unnest($only))" if only is not None else ""
    order = "external_id nulls last, source_id" if by_container else "source_id, external_id"
    query = (
        f"with source as ({render(source_key, raw)}) select {keys}, {src}, {expected} "
        f"from source {where} order by {order}"  # the same order every run
    )
    try:
        cursor = con.execute(query, {"only": sorted(only)} if only is not None else None)
    except duckdb.Error as error:
        raise SpecError(f"{SQL_DIR / (source_key + '.sql')}: {error}") from error
    names = [d[0] for d in cursor.description]
    while batch := cursor.fetchmany(2000):
        for values in batch:
            record = dict(zip(names, values, strict=True))
            yield SourceRecord(
                source_key=source_key,
                source_id=str(record["source_id"]),
                external_id=record["external_id"],
                record_type=str(record["record_type"]),
                excluded_rule=record["excluded_rule"],
                source={f: record[f"s:{f}"] for f in fields},
                expected={i: record[f"e{i}"] for i, _ in rows},
            )


def has_raw(raw: Path, source_key: str) -> bool:
    """Whether the object's source system was extracted in this data dir."""
    system = source_key.split("__", 1)[0]
    return any((raw / system).glob("*/run=*/*.parquet"))
