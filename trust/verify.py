"""`legal2odoo verify [RUN_ID]`: read back what a run is answerable for and judge it against
the tolerance, from the source first:

- from the source (trust/source_check.py): expected values derived from the run's raw
  Parquet through seeds/mapping_spec.csv, compared with Odoo and with the marts; counts per
  source record type against the records Odoo holds under our external ids;
- the load check: every mart cell the loader sent against Odoo, counts per model.

Outputs in reports/<run>/: diff.csv (check, model, external id, field, source value, expected
value, Odoo value, mart value), field_mismatch.csv, reconciliation.csv (the load check),
source_reconciliation.csv (per source record type) and verify.json.
"""

from __future__ import annotations

import csv
import json
import logging
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import yaml

from legal2odoo.load.marts import Mart, find_marts, open_warehouse
from legal2odoo.load.references import lookup_xmlids
from legal2odoo.load.target import identify
from legal2odoo.load.transport import Transport
from legal2odoo.spreadsheet import safe_writer
from legal2odoo.trust.audit import earlier_external_ids, known_ids, open_audit, run_writes
from legal2odoo.trust.diff import Difference, FieldCount, ModelCheck, ModelDiff, Resolver
from legal2odoo.trust.mapping_spec import load_spec
from legal2odoo.trust.readback import read_records
from legal2odoo.trust.reconcile import (
    SCHEMA_MODELS,
    Reconciliation,
    mart_external_ids,
    queue_counts,
    reconcile,
)
from legal2odoo.trust.source_check import SourceVerification, verify_from_source
from legal2odoo.trust.stages import UNMAPPED, distribution, stage_labels, stages_after
from legal2odoo.workdir import PROJECT_DIR, Workdir

log = logging.getLogger(__name__)
DEFAULT_TOLERANCE_PCT = 0.5
READ_BACK_CHUNK = 20_000  # records compared with their mart cells at a time: bounds memory
VERIFY_FILE = "verify.json"
DIFF_COLUMNS = (
    "check",
    "model",
    "external_id",
    "field",
    "source_value",
    "expected_value",
    "odoo_value",
    "mart_value",
    "source",
)


@dataclass
class Verification:
    run_id: str
    mode: str
    tolerance_pct: float
    models: list[ModelDiff] = field(default_factory=list)
    reconciliation: list[Reconciliation] = field(default_factory=list)
    stages: list[dict[str, Any]] = field(default_factory=list)  # leads per stage, before/after
    folder: Path | None = None
    source: SourceVerification | None = None  # the comparison with the raw source

    @property
    def compared(self) -> int:
        return sum(m.compared for m in self.models)

    @property
    def records_with_differences(self) -> int:
        return sum(m.records_with_differences for m in self.models)

    @property
    def difference_rate(self) -> float:
        return self.records_with_differences / self.compared if self.compared else 0.0

    @property
    def field_counts(self) -> list[FieldCount]:
        return [c for m in self.models for c in m.fields.values()]

    @property
    def over_tolerance(self) -> list[str]:
        """What exceeds the tolerance, one line each (empty: the run is verified)."""
        limit = self.tolerance_pct / 100
        lines = [
            f"{r.model}: {r.unexplained:,} of {r.in_scope:,} records not (fully) in Odoo "
            f"({r.rate:.2%}; {r.in_scope - r.in_odoo:,} missing, {r.ledger_failed:,} with a "
            "failed write)"
            for r in self.reconciliation
            if r.rate > limit
        ]
        if self.difference_rate > limit:
            lines.append(
                f"{self.records_with_differences:,} of {self.compared:,} records differ from "
                f"the marts ({self.difference_rate:.2%}; see diff.csv)"
            )
        return lines + self._source_over(limit)

    def _source_over(self, limit: float) -> list[str]:
        if self.source is None:
            return []
        lines = [
            f"{c.source_system} {c.record_type}: {c.missing:,} of {c.in_scope:,} source records "
            f"not in Odoo ({c.rate:.2%}"
            + (f"; held for review: {c.held_for_review:,}" if c.held_for_review else "")
            + ")"
            for c in self.source.reconciliation
            if c.rate > limit
        ]
        checked = self.source.records_compared + self.source.invariants_checked
        failing = self.source.records_differing + self.source.invariants_failed
        if checked and failing / checked > limit:
            lines.append(
                f"{failing:,} of {checked:,} source records or invariants differ from the "
                f"source ({failing / checked:.2%}; see diff.csv)"
            )
        return lines


def tolerance_pct() -> float:
    """The dbt var `verify_tolerance_pct` (per cent), else 0.5."""
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return float(project.get("vars", {}).get("verify_tolerance_pct", DEFAULT_TOLERANCE_PCT))


def verify_run(
    workdir: Workdir,
    connect: Callable[[], Transport],
    run_id: str | None = None,
    tolerance: float | None = None,
) -> Verification:
    odoo = connect()
    try:
        with open_audit(workdir.audit) as audit:  # runs of the target we read back only
            writes = run_writes(audit, run_id, identify(odoo))
            earlier = earlier_external_ids(audit, writes.run_id)
            ledger_ids = known_ids(audit, writes.run_id)
        result = Verification(writes.run_id, str(writes.run["mode"]), _tolerance(tolerance))
        with open_warehouse(workdir.warehouse) as warehouse:
            queued = queue_counts(warehouse)
            stage_counts: Counter[int | None] | None = None
            resolver = Resolver(odoo, ledger_ids)
            for model, marts in _by_model(find_marts(warehouse)).items():
                in_mart = mart_external_ids(warehouse, marts)
                written = writes.ok.get(model, {})
                failed = set(writes.failed.get(model, {}))
                sent = set(written) | failed | writes.unchanged.get(model, set())
                scope = sent if result.mode == "sample" else in_mart
                started = time.perf_counter()
                named = _named(odoo, scope, ledger_ids)
                check = ModelCheck(odoo, warehouse, model, marts, set(), resolver)
                expected = {named[x]: x for x in sorted(named.keys() & in_mart - failed)}
                present, stage_ids = _read_back(odoo, model, named, expected, check)
                log.info(
                    "%s: %s records expected, %s read back and %s compared in %.1f s",
                    model,
                    f"{len(expected):,}",
                    f"{len(present):,}",
                    f"{check.result.compared:,}",
                    time.perf_counter() - started,
                )
                result.reconciliation.append(
                    reconcile(
                        model,
                        in_mart,
                        queued.get(model, 0),
                        result.mode,
                        sent,
                        set(written),
                        failed,
                        set(present),
                        earlier.get(model, set()),
                    )
                )
                if check.result.compared:
                    result.models.append(check.finish())
                if model == "crm.lead":
                    stage_counts = stage_ids
            sent_all = {x for ids in (writes.ok, writes.failed) for m in ids.values() for x in m}
            sent_all |= {x for m in writes.unchanged.values() for x in m}
            anchors = (
                mart_external_ids(warehouse, find_marts(warehouse))
                if workdir.sample_marker.exists()
                else None
            )
            result.source = verify_from_source(
                odoo,
                warehouse,
                workdir.raw,
                load_spec(),
                sent_all if result.mode == "sample" else None,
                anchors,
            )
            if stage_counts is not None:
                result.stages = _stages(odoo, warehouse, result.source, stage_counts, resolver)
    finally:
        odoo.close()
    result.folder = write_outputs(workdir, result)
    return result


def _read_back(
    odoo: Transport,
    model: str,
    named: dict[str, int],
    expected: dict[int, str],
    check: ModelCheck,
) -> tuple[dict[str, int], Counter[int | None]]:
    """Read every named record once: which exist (external id -> database id), each one in
    `expected` (database id -> external id: in the marts, no failed write) compared with its
    mart cells as it arrives, and (leads) the stage of every lead in Odoo. The compared ones go
    a chunk at a time (their mart cells are read per chunk: memory); the others are read with
    only what that needs."""
    owners: dict[int, list[str]] = {}
    for xmlid, res_id in named.items():
        owners.setdefault(res_id, []).append(xmlid)
    stage = ["stage_id"] if model == "crm.lead" else []
    present: dict[str, int] = {}
    stage_ids: Counter[int | None] = Counter()
    wanted = sorted(expected)
    chunks = [wanted[i : i + READ_BACK_CHUNK] for i in range(0, len(wanted), READ_BACK_CHUNK)]
    passes: list[tuple[list[int], bool]] = [(ids, True) for ids in chunks]
    passes.append((sorted(owners.keys() - expected.keys()), False))
    for ids, compared in passes:
        if compared:
            check.expect({expected[i] for i in ids})
        fields = sorted(set(check.fields) | set(stage)) if compared else stage
        for record in read_records(odoo, model, ids, fields, names=False):
            res_id = int(record["id"])
            present.update(dict.fromkeys(owners[res_id], res_id))
            if compared:
                check.compare(expected[res_id], record)
            if stage:
                stage_ids[record.get("stage_id") or None] += 1
    return present, stage_ids


def _stages(
    odoo: Transport,
    warehouse: Any,
    source: SourceVerification,
    stage_ids: Counter[int | None],
    resolver: Resolver,
) -> list[dict[str, Any]]:
    """Leads per stage: before from the source (the stage map applied to raw), after from
    Odoo."""
    labels = stage_labels(warehouse)
    before = Counter({k or UNMAPPED: n for k, n in source.stages_before.items()})
    after = stages_after(odoo, stage_ids, resolver, list(labels))
    return distribution(labels, before, after)


def _tolerance(given: float | None) -> float:
    return tolerance_pct() if given is None else given


def _by_model(marts: list[Mart]) -> dict[str, list[Mart]]:
    grouped: dict[str, list[Mart]] = {}
    for mart in marts:
        if mart.model not in SCHEMA_MODELS:
            grouped.setdefault(mart.model, []).append(mart)
    return grouped


def _named(odoo: Transport, external_ids: set[str], ledger_ids: dict[str, int]) -> dict[str, int]:
    """external id -> database id: from the ledger where it has them (what this tool wrote),
    else from Odoo's external ids. Whether each record still exists is asked of Odoo when it
    is read back (a record can be deleted behind the ledger's back)."""
    named = {x: ledger_ids[x] for x in external_ids if x in ledger_ids}
    unknown = external_ids - named.keys()
    if unknown:
        named |= {x: res_id for x, (_, res_id) in lookup_xmlids(odoo, unknown).items()}
    return named


def write_outputs(workdir: Workdir, result: Verification) -> Path:
    folder = workdir.reports(result.run_id)
    folder.mkdir(parents=True, exist_ok=True)
    source_diffs = result.source.differences if result.source else []
    _write_csv(
        folder / "diff.csv",
        list(DIFF_COLUMNS),
        [
            *(
                [
                    d.check,
                    d.model,
                    d.external_id,
                    d.field,
                    _cell(d.source_value),
                    _cell(d.expected_value),
                    _cell(d.odoo_value),
                    _cell(d.mart_value),
                    d.source,
                ]
                for d in source_diffs
            ),
            *(
                [
                    "mart->odoo",
                    d.model,
                    d.external_id,
                    d.field,
                    _cell(d.source_value),
                    _cell(d.source_value),
                    _cell(d.odoo_value),
                    _cell(d.source_value),
                    "",
                ]
                for m in result.models
                for d in m.differences
            ),
        ],
    )
    source_recon = [c.as_dict() for c in result.source.reconciliation] if result.source else []
    _write_csv(
        folder / "source_reconciliation.csv",
        list(source_recon[0]) if source_recon else ["source_system"],
        ([row[k] for k in row] for row in source_recon),
    )
    _write_csv(
        folder / "field_mismatch.csv",
        ["model", "field", "compared", "mismatched", "rate"],
        (
            [c.model, c.field, c.compared, c.mismatched, f"{c.rate:.6f}"]
            for c in sorted(result.field_counts, key=lambda c: (-c.rate, c.model, c.field))
        ),
    )
    recon = [r.as_dict() for r in result.reconciliation]
    _write_csv(
        folder / "reconciliation.csv",
        list(recon[0]) if recon else ["model"],
        ([row[k] for k in row] for row in recon),
    )
    (folder / VERIFY_FILE).write_text(json.dumps(summary(result), indent=2), encoding="utf-8")
    return folder


def summary(result: Verification) -> dict[str, Any]:
    return {
        "run_id": result.run_id,
        "mode": result.mode,
        "tolerance_pct": result.tolerance_pct,
        "records_compared": result.compared,
        "records_with_differences": result.records_with_differences,
        "difference_rate": result.difference_rate,
        "missing_in_odoo": {m.model: len(m.missing) for m in result.models if m.missing},
        "fields": [
            {
                "model": c.model,
                "field": c.field,
                "compared": c.compared,
                "mismatched": c.mismatched,
                "rate": c.rate,
            }
            for c in result.field_counts
        ],
        "reconciliation": [r.as_dict() for r in result.reconciliation],
        "stages": result.stages,
        "source": result.source.summary() if result.source else None,
        "over_tolerance": result.over_tolerance,
        "verified": not result.over_tolerance,
    }


def read_summary(workdir: Workdir, run_id: str) -> dict[str, Any] | None:
    path = workdir.reports(run_id) / VERIFY_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def differences(workdir: Workdir, run_id: str, limit: int) -> list[Difference]:
    path = workdir.reports(run_id) / "diff.csv"
    if not path.exists():
        return []
    csv.field_size_limit(sys.maxsize)  # a difference may hold a long note or file content
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(islice(csv.DictReader(handle), limit))
    fields = Difference.__dataclass_fields__
    # a column the file lacks reads as None, as it always has (any field may hold any value)
    values: list[dict[str, Any]] = [{k: row.get(k) for k in fields} for row in rows]
    return [Difference(**v) for v in values]


def _write_csv(path: Path, header: list[str], rows: Any) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = safe_writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _cell(value: Any) -> str:
    return "" if value is None else str(value)
