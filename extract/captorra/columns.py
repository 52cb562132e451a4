"""Which export header is which field: the editable seed `captorra_columns`, the custom-field
registry, and everything else kept under its own normalised name (never dropped)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from extract.control import CONTROL
from extract.errors import Problem, SourceFileError
from legal2odoo.workdir import PROJECT_DIR

COLUMN_SEED = PROJECT_DIR / "seeds" / "captorra_columns.csv"
REGISTRY_TYPES = frozenset(
    {"text", "memo", "number", "integer", "currency", "date", "datetime", "boolean", "picklist"}
)
REGISTRY_HEADERS = ("field_name", "label", "type", "options", "required")


def match_key(header: str) -> str:
    """Header matching ignores case, spacing and punctuation: 'Lead-ID ' == 'lead id'."""
    return re.sub(r"[^0-9a-z]+", "", header.casefold())


def snake(header: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", header.casefold()).strip("_") or "column"


@dataclass(frozen=True)
class Column:
    header: str  # as written in the export
    name: str  # raw Parquet column
    kind: str  # standard | custom | unknown


@dataclass(frozen=True)
class RegistryField:
    field_name: str
    label: str
    type: str
    options: str
    required: str


@dataclass(frozen=True)
class SeedRow:
    dataset: str
    canonical_field: str
    header: str
    required: bool
    type: str


def load_seed(path: Path = COLUMN_SEED) -> list[SeedRow]:
    with open(path, encoding="utf-8", newline="") as handle:
        return [
            SeedRow(
                row["dataset"],
                row["canonical_field"],
                row["header"],
                row["required"] == "true",
                row["type"],
            )
            for row in csv.DictReader(handle)
        ]


def read_registry(path: Path) -> list[RegistryField]:
    """The custom-field registry: one row per intake field, types from a fixed vocabulary."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [h for h in REGISTRY_HEADERS if h not in (reader.fieldnames or [])]
        if missing:
            raise SourceFileError(
                [Problem(path, 1, None, f"missing registry column(s) {', '.join(missing)}")],
                f"the registry needs the columns {', '.join(REGISTRY_HEADERS)}",
            )
        fields = [
            RegistryField(**{h: (row[h] or "").strip() for h in REGISTRY_HEADERS}) for row in reader
        ]
    problems = [
        Problem(path, n + 2, name, "a control byte (NUL etc.): remove it")
        for n, f in enumerate(fields)
        for name in REGISTRY_HEADERS
        if re.search(CONTROL, getattr(f, name))
    ]
    if problems:
        raise SourceFileError(problems, "fix those lines of the registry and export it again")
    problems = [
        Problem(path, n + 2, "type", f"unknown type {f.type!r} for {f.field_name!r}")
        for n, f in enumerate(fields)
        if f.type not in REGISTRY_TYPES
    ]
    if problems:
        raise SourceFileError(problems, f"use one of: {', '.join(sorted(REGISTRY_TYPES))}")
    return fields


def plan_columns(
    path: Path,
    headers: list[str],
    dataset: str,
    seed: list[SeedRow],
    registry: list[RegistryField],
) -> list[Column]:
    """Name every export column, or refuse when a required field has no column."""
    spellings = {match_key(r.header): r.canonical_field for r in seed if r.dataset == dataset}
    custom = {match_key(f.label): f.field_name for f in registry}
    columns = [_column(header, spellings, custom) for header in headers]
    problems = _missing_required(path, columns, dataset, seed) + _duplicates(path, columns)
    if problems:
        raise SourceFileError(
            problems,
            "add the export's spelling of each missing field to "
            f"{COLUMN_SEED.relative_to(PROJECT_DIR)} "
            f"(a row `{dataset},<field>,<header as in the export>,true,<type>`), or fix the header",
        )
    return columns


def _column(header: str, spellings: dict[str, str], custom: dict[str, str]) -> Column:
    key = match_key(header)
    if key in spellings:
        return Column(header, spellings[key], "standard")
    if key in custom:
        return Column(header, custom[key], "custom")
    return Column(header, snake(header), "unknown")


def _missing_required(
    path: Path, columns: list[Column], dataset: str, seed: list[SeedRow]
) -> list[Problem]:
    present = {c.name for c in columns if c.kind == "standard"}
    required = sorted({r.canonical_field for r in seed if r.dataset == dataset and r.required})
    return [
        Problem(path, 1, None, f"no column for required field {name!r}")
        for name in required
        if name not in present
    ]


def _duplicates(path: Path, columns: list[Column]) -> list[Problem]:
    seen: dict[str, str] = {}
    problems = []
    for column in columns:
        if column.name in seen:
            problems.append(
                Problem(path, 1, column.header, f"same field as column {seen[column.name]!r}")
            )
        seen.setdefault(column.name, column.header)
    return problems
