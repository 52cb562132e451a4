"""`legal2odoo export workflows`: the source systems' workflows, for a consultant to rebuild
in Odoo (Studio, stages, automated actions). Nothing here is migrated automatically.

Actionstep: every matter type (actiontypes) with its steps in order, its data collections and
their fields, and any attribute the API returned that we do not interpret (kept verbatim, so
triggers or conditions a firm's API exposes are not lost). Captorra: the intake form from the
custom-field registry and each pipeline's statuses with the stage they map to.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import yaml

from legal2odoo.trust.warehouse import latest_raw
from legal2odoo.workdir import PROJECT_DIR, Workdir

STEP_KEYS = {
    "id",
    "stepNumber",
    "stepName",
    "description",
    "actionStatus",
    "assignedToMandatory",
    "links",
}
TYPE_KEYS = {"id", "name", "description", "isDisabled", "templateIdentifier", "links"}
COLLECTION_KEYS = {"id", "name", "label", "description", "multipleRecords", "order", "links"}
FIELD_KEYS = {"id", "name", "label", "dataType", "required", "formOrder", "description", "links"}
WORKFLOWS_FILE = "workflows.yaml"


def export_workflows(workdir: Workdir) -> Path:
    document = {
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "note": "Source workflows to rebuild in Odoo; not migrated automatically.",
        "actionstep": {"matter_types": actionstep_matter_types(workdir.raw / "actionstep")},
        "captorra": {
            "intake_form": captorra_intake_form(workdir.raw / "captorra"),
            "pipelines": captorra_pipelines(PROJECT_DIR / "seeds" / "captorra_stages.csv"),
        },
    }
    path = workdir.exports / WORKFLOWS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def latest_records(dataset: Path) -> list[dict[str, Any]]:
    """The newest version of each record of an Actionstep raw dataset (`id`, `record` JSON),
    without those a later run marked removed."""
    source = _all_runs(dataset)
    if source is None:
        return []
    removals = _all_runs(dataset.parent / "removals")
    gone = (
        f"and not exists (select 1 from {removals} r where r.resource = '{dataset.name}' "
        "and r.id = l.id and r._detected_at > l._extracted_at)"
        if removals
        else ""
    )
    rows = duckdb.execute(
        f"select record from (select id, record, _extracted_at from {source} "
        "qualify row_number() over (partition by id order by _extracted_at desc, _run_id desc) "
        f"= 1) l where true {gone}"
    ).fetchall()
    return [json.loads(r[0]) for r in rows]


def actionstep_matter_types(raw: Path) -> list[dict[str, Any]]:
    steps = latest_records(raw / "steps")
    collections = latest_records(raw / "datacollections")
    fields = latest_records(raw / "datacollectionfields")
    types = sorted(latest_records(raw / "actiontypes"), key=lambda t: int(t["id"]))
    return [
        {
            "id": t["id"],
            "name": t.get("name"),
            "description": t.get("description"),
            "disabled": _flag(t.get("isDisabled")),
            "template": t.get("templateIdentifier"),
            "steps": [_step(s) for s in _of_type(steps, t["id"], "stepNumber")],
            "data_collections": [
                _collection(c, fields) for c in _of_type(collections, t["id"], "order")
            ],
            **_other(t, TYPE_KEYS),
        }
        for t in types
    ]


def captorra_intake_form(raw: Path) -> list[dict[str, Any]]:
    source = latest_raw(raw / "fields")
    if source is None:
        return []
    rows = duckdb.execute(f"select * from {source} order by 1").fetchall()
    names = [d[0] for d in duckdb.execute(f"describe select * from {source}").fetchall()]
    out = []
    for row in rows:
        record = {k: v for k, v in zip(names, row, strict=True) if not k.startswith("_")}
        record.pop("run", None)
        options = record.get("options") or ""
        if isinstance(options, str):
            record["options"] = [o for o in options.split("|") if o]
        out.append(record)
    return out


def captorra_pipelines(seed: Path) -> list[dict[str, Any]]:
    if not seed.exists():
        return []
    pipelines: dict[str, list[dict[str, Any]]] = {}
    with seed.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            pipelines.setdefault(row["pipeline"], []).append(
                {
                    "status": row["status"],
                    "odoo_stage": row["stage_name"],
                    "sequence": int(row["sequence"]),
                    "probability": float(row["probability"]),
                    "won": row["is_won"] == "true",
                    "folded": row["fold"] == "true",
                }
            )
    return [
        {"pipeline": name, "statuses": sorted(rows, key=lambda r: r["sequence"])}
        for name, rows in pipelines.items()
    ]


def _all_runs(dataset: Path) -> str | None:
    if not any(dataset.glob("run=*/*.parquet")):
        return None
    files = str(dataset / "run=*" / "*.parquet").replace("'", "''")
    return f"read_parquet('{files}', union_by_name = true)"


def _of_type(records: list[dict[str, Any]], type_id: Any, order: str) -> list[dict[str, Any]]:
    mine = [r for r in records if str((r.get("links") or {}).get("actionType")) == str(type_id)]
    return sorted(mine, key=lambda r: (r.get(order) is None, r.get(order) or 0, str(r["id"])))


def _step(step: dict[str, Any]) -> dict[str, Any]:
    links = step.get("links") or {}
    return {
        "number": step.get("stepNumber"),
        "name": step.get("stepName"),
        "description": step.get("description"),
        "status": step.get("actionStatus"),
        "assignee_required": _flag(step.get("assignedToMandatory")),
        "assign_to_participant_type": links.get("assignToParticipantType"),
        **_other(step, STEP_KEYS),
    }


def _collection(collection: dict[str, Any], fields: list[dict[str, Any]]) -> dict[str, Any]:
    mine = [
        f
        for f in fields
        if str((f.get("links") or {}).get("dataCollection")) == str(collection["id"])
    ]
    return {
        "id": collection["id"],
        "name": collection.get("name"),
        "label": collection.get("label"),
        "description": collection.get("description"),
        "multiple_records": _flag(collection.get("multipleRecords")),
        "fields": [
            {
                "name": f.get("name"),
                "label": f.get("label"),
                "data_type": f.get("dataType"),
                "required": _flag(f.get("required")),
                "description": f.get("description"),
                **_other(f, FIELD_KEYS),
            }
            for f in sorted(mine, key=lambda f: (f.get("formOrder") or 0, str(f.get("name"))))
        ],
        **_other(collection, COLLECTION_KEYS),
    }


def _other(record: dict[str, Any], known: set[str]) -> dict[str, Any]:
    """Attributes we do not interpret (triggers, conditions...), verbatim."""
    extra = {k: v for k, v in record.items() if k not in known}
    return {"other_attributes": extra} if extra else {}


def _flag(value: Any) -> bool | None:
    return None if value is None else str(value).upper() in ("T", "TRUE", "1")
