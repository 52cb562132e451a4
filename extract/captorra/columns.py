"""Which export header is which field: the editable seed `captorra_columns`, the custom-field
registry, and everything else kept under its own normalised name (never dropped).

The best match fills a field: the field's canonical spelling (its first header in the seed, or
the field name itself) written exactly, then normalised (case, spacing, punctuation ignored),
then an alias exactly, then normalised, then a near spelling (a typo away). When two headers
could fill one field the better one fills it and the other is kept as an unmapped column, with
a warning; only a true tie is refused. A seed row may instead mark a header `ignore` (kept in
raw, not migrated) or map it onto an existing crm.lead field (`odoo:<field>`)."""

from __future__ import annotations

import csv
import difflib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from legal2odoo.extract.control import CONTROL
from legal2odoo.extract.errors import Problem, SourceFileError
from legal2odoo.workdir import PROJECT_DIR

log = logging.getLogger(__name__)
COLUMN_SEED = PROJECT_DIR / "seeds" / "captorra_columns.csv"
REGISTRY_TYPES = frozenset(
    {"text", "memo", "number", "integer", "currency", "date", "datetime", "boolean", "picklist"}
)
REGISTRY_HEADERS = ("field_name", "label", "type", "options", "required")
IGNORE = "ignore"  # seed canonical_field: keep the column in raw, never migrate it
ODOO_PREFIX = "odoo:"  # seed canonical_field odoo:<field>: an existing crm.lead field
NEAR = 0.8  # difflib ratio of two match keys that counts as a near spelling ("Emial")
MIN_NEAR_KEY = 5  # shorter keys are too short to tell a typo from another word
META_COLUMNS = frozenset({"_line", "_run_id", "_extracted_at"})
# Match quality, best first.
EXACT_CANONICAL, CANONICAL, EXACT_ALIAS, ALIAS, NEAR_SPELLING = range(5)
QUALITY = (
    "canonical spelling",
    "canonical spelling (normalised)",
    "alias",
    "alias (normalised)",
    "near spelling",
)


def match_key(header: str) -> str:
    """Header matching ignores case, spacing and punctuation: 'Lead-ID ' == 'lead id'."""
    return re.sub(r"[^0-9a-z]+", "", header.casefold())


def snake(header: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", header.casefold()).strip("_") or "column"


@dataclass(frozen=True)
class Column:
    header: str  # as written in the export ("" for an absent field)
    name: str  # raw Parquet column (the canonical field for standard and absent)
    kind: str  # standard | custom | unknown | ignored | mapped | absent
    target: str = ""  # mapped: the existing crm.lead field; standard: how it matched


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
    """Name every export column, or refuse when a required field has no column or two headers
    tie for one field."""
    rows = [r for r in seed if r.dataset == dataset]
    custom = {match_key(f.label): f.field_name for f in registry}
    candidates = [_candidate(header, rows, set(custom)) for header in headers]
    winners, problems = _assign(path, headers, candidates)
    reserved = {r.canonical_field for r in rows if _is_field(r.canonical_field)} | META_COLUMNS
    columns: list[Column] = []
    used: set[str] = set()
    for index, header in enumerate(headers):
        column = _column(header, winners.get(index), custom, reserved | used)
        if column.kind == "custom" and column.name in used:
            first = next(c.header for c in columns if c.name == column.name)
            message = f"same registry field {column.name!r} as column {first!r}"
            problems.append(Problem(path, 1, header, message + ": rename or drop one"))
        used.add(column.name)
        columns.append(column)
    problems += _missing_required(path, columns, rows)
    if problems:
        raise SourceFileError(
            problems,
            "add the export's spelling of each missing field to "
            f"{COLUMN_SEED.relative_to(PROJECT_DIR)} "
            f"(a row `{dataset},<field>,<header as in the export>,true,<type>`), fix the header, "
            "or rename one of two headers that tie",
        )
    return columns


def absent_fields(columns: list[Column], dataset: str, seed: list[SeedRow]) -> list[Column]:
    """The dataset's fields no header fills (all optional: plan_columns refuses the others)."""
    present = {c.name for c in columns if c.kind == "standard"}
    fields = dict.fromkeys(
        r.canonical_field for r in seed if r.dataset == dataset and _is_field(r.canonical_field)
    )
    return [Column("", name, "absent") for name in fields if name not in present]


@dataclass(frozen=True)
class Candidate:
    target: str  # canonical field, `ignore` or odoo:<field>
    quality: int


def _is_field(canonical: str) -> bool:
    return canonical != IGNORE and not canonical.startswith(ODOO_PREFIX)


def _candidate(header: str, rows: list[SeedRow], custom: set[str]) -> Candidate | None:
    """The best seed match of one header, or None; a registry label is never a near match."""
    canonical = _canonical_spellings(rows)
    best: Candidate | None = None
    for row in rows:
        spellings = canonical.get(row.canonical_field, ())
        exact = EXACT_CANONICAL if row.header in spellings else EXACT_ALIAS
        quality = (
            exact
            if header.strip() == row.header.strip()
            else exact + 1
            if match_key(header) == match_key(row.header)
            else None
        )
        if quality is not None and (best is None or quality < best.quality):
            best = Candidate(row.canonical_field, quality)
    if best is not None or match_key(header) in custom:
        return best
    return _near(header, rows)


def _canonical_spellings(rows: list[SeedRow]) -> dict[str, tuple[str, ...]]:
    """Per field: its first header in the seed and the field name itself."""
    out: dict[str, tuple[str, ...]] = {}
    for row in rows:
        out.setdefault(row.canonical_field, (row.header, row.canonical_field))
    return out


def _near(header: str, rows: list[SeedRow]) -> Candidate | None:
    """A near spelling of exactly one field (a typo: 'Emial', 'Pipline')."""
    key = match_key(header)
    if len(key) < MIN_NEAR_KEY:
        return None
    scores: dict[str, float] = {}
    for row in rows:
        if _is_field(row.canonical_field):
            ratio = difflib.SequenceMatcher(None, key, match_key(row.header)).ratio()
            scores[row.canonical_field] = max(ratio, scores.get(row.canonical_field, 0.0))
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    if not ranked or ranked[0][1] < NEAR:
        return None
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None  # as near to two fields: not a spelling of either
    return Candidate(ranked[0][0], NEAR_SPELLING)


def _assign(
    path: Path, headers: list[str], candidates: list[Candidate | None]
) -> tuple[dict[int, Candidate], list[Problem]]:
    """Per field, the header that fills it (by index); a tie for the best is a problem."""
    by_target: dict[str, list[tuple[int, Candidate]]] = {}
    for index, candidate in enumerate(candidates):
        if candidate is not None:
            by_target.setdefault(candidate.target, []).append((index, candidate))
    winners: dict[int, Candidate] = {}
    problems = []
    for target, matches in by_target.items():
        if target == IGNORE:
            winners.update(matches)
            continue
        ranked = sorted(matches, key=lambda match: match[1].quality)
        best = ranked[0][1].quality
        tied = [index for index, candidate in ranked if candidate.quality == best]
        if len(tied) > 1:
            names = " and ".join(repr(headers[i]) for i in tied)
            message = f"columns {names} both match field {target!r} as {QUALITY[best]}"
            problems.append(Problem(path, 1, headers[tied[1]], message + ": rename or drop one"))
            continue
        winner = ranked[0][0]
        winners[winner] = ranked[0][1]
        for loser, _ in ranked[1:]:
            log.warning(
                "%s: column %r could fill field %r, but column %r matches it better (%s): "
                "kept as a column of its own",
                path.name,
                headers[loser],
                target,
                headers[winner],
                QUALITY[best],
            )
    return winners, problems


def _column(
    header: str,
    winner: Candidate | None,
    custom: dict[str, str],
    taken: set[str],
) -> Column:
    if winner is not None and winner.target == IGNORE:
        return Column(header, _free(snake(header), taken), "ignored")
    if winner is not None and winner.target.startswith(ODOO_PREFIX):
        field = winner.target.removeprefix(ODOO_PREFIX).strip()
        return Column(header, _free(snake(header), taken), "mapped", field)
    if winner is not None:
        return Column(header, winner.target, "standard", QUALITY[winner.quality])
    key = match_key(header)
    if key in custom:
        return Column(header, custom[key], "custom")
    return Column(header, _free(snake(header), taken), "unknown")


def _free(name: str, taken: set[str]) -> str:
    """A raw column name no other column uses (a canonical field's name is reserved)."""
    if name not in taken:
        return name
    n = 2
    while f"{name}_{n}" in taken:
        n += 1
    return f"{name}_{n}"


def _missing_required(path: Path, columns: list[Column], rows: list[SeedRow]) -> list[Problem]:
    present = {c.name for c in columns if c.kind == "standard"}
    required = sorted({r.canonical_field for r in rows if r.required})
    return [
        Problem(path, 1, None, f"no column for required field {name!r}")
        for name in required
        if name not in present
    ]
