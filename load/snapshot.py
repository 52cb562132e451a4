"""`extract odoo`: read the target Odoo once, before the build, as raw Parquet for dbt.

Same layout as every source (`raw/odoo/<resource>/run=<run_id>/part-00000.parquet`, plus
`_extracted_at` and `_run_id`). The SQL resolves owners, stages and existing partners from it;
the loader validates rows against its `fields_get`. A run is written to a hidden folder and
renamed into place, so a failed snapshot never leaves half a run for dbt to read.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from legal2odoo.load.errors import OdooError
from legal2odoo.load.transport import Transport

log = logging.getLogger(__name__)

PAGE = 5000
ACTIVE_AND_ARCHIVED = {"context": {"active_test": False}}

# The models the marts write: their fields_get is what `--dry-run` validates against.
WRITTEN_MODELS = (
    "res.partner",
    "res.partner.category",
    "crm.team",
    "crm.stage",
    "crm.tag",
    "crm.lead",
    "ir.attachment",
    "mail.activity",
    "mail.message",
    "ir.model.fields",
)

SCHEMAS: dict[str, pa.Schema] = {
    "server": pa.schema([("server_version", pa.string()), ("server_serie", pa.string())]),
    "res_users": pa.schema(
        [
            ("id", pa.int64()),
            ("login", pa.string()),
            ("email", pa.string()),
            ("name", pa.string()),
            ("active", pa.bool_()),
        ]
    ),
    "crm_team": pa.schema([("id", pa.int64()), ("name", pa.string())]),
    "crm_stage": pa.schema(
        [
            ("id", pa.int64()),
            ("name", pa.string()),
            ("sequence", pa.int64()),
            ("team_id", pa.int64()),
            ("is_won", pa.bool_()),
            ("fold", pa.bool_()),
        ]
    ),
    "res_partner": pa.schema(
        [
            ("id", pa.int64()),
            ("name", pa.string()),
            ("email", pa.string()),
            ("is_company", pa.bool_()),
        ]
    ),
    "res_partner_category": pa.schema([("id", pa.int64()), ("name", pa.string())]),
    "crm_tag": pa.schema([("id", pa.int64()), ("name", pa.string())]),
    "mail_activity_type": pa.schema([("id", pa.int64()), ("name", pa.string())]),
    "installed_modules": pa.schema(
        [("name", pa.string()), ("latest_version", pa.string()), ("state", pa.string())]
    ),
    "fields_get": pa.schema(
        [
            ("model", pa.string()),
            ("name", pa.string()),
            ("type", pa.string()),
            ("string", pa.string()),
            ("relation", pa.string()),
            ("required", pa.bool_()),
            ("readonly", pa.bool_()),
            ("store", pa.bool_()),
            ("selection", pa.string()),  # JSON [[value, label], ...]
        ]
    ),
}
META = [("_extracted_at", pa.timestamp("us", tz="UTC")), ("_run_id", pa.string())]

# resource -> (model, domain): records read page by page with search_read.
RECORDS: dict[str, tuple[str, list[Any]]] = {
    "res_users": ("res.users", []),
    "crm_team": ("crm.team", []),
    "crm_stage": ("crm.stage", []),
    "res_partner": ("res.partner", [["email", "!=", False]]),
    "res_partner_category": ("res.partner.category", []),
    "crm_tag": ("crm.tag", []),
    "mail_activity_type": ("mail.activity.type", []),
}


@dataclass(frozen=True)
class Snapshot:
    run_id: str
    rows: dict[str, int]
    version: str


def extract_odoo(odoo: Transport, raw_odoo: Path, run_id: str) -> Snapshot:
    """Write every snapshot resource for one run; return what was written."""
    extracted_at = datetime.now(UTC)
    staging = raw_odoo / f".run={run_id}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    version = odoo.version()
    datasets: dict[str, list[dict[str, Any]]] = {
        "server": [
            {
                "server_version": str(version.get("server_version")),
                "server_serie": str(version.get("server_serie") or version.get("server_version")),
            }
        ],
        "installed_modules": _modules(odoo),
        "fields_get": list(_fields(odoo)),
    }
    for resource, (model, domain) in RECORDS.items():
        datasets[resource] = list(_records(odoo, model, domain, SCHEMAS[resource].names))
    try:
        for resource, rows in datasets.items():
            _write(staging / resource, resource, rows, run_id, extracted_at)
        for resource in datasets:
            target = raw_odoo / resource / f"run={run_id}"
            target.parent.mkdir(parents=True, exist_ok=True)
            (staging / resource).rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Snapshot(
        run_id, {r: len(rows) for r, rows in datasets.items()}, str(version["server_version"])
    )


def _modules(odoo: Transport) -> list[dict[str, Any]]:
    try:
        return odoo.execute(
            "ir.module.module",
            "search_read",
            [[["state", "=", "installed"]], ["name", "latest_version", "state"]],
        )
    except OdooError as error:  # a user without Settings rights cannot read modules
        log.warning("installed modules not readable: %s", error.message)
        return []


def _records(
    odoo: Transport, model: str, domain: list[Any], columns: list[str]
) -> Iterator[dict[str, Any]]:
    available = odoo.execute(model, "fields_get", [], {"attributes": ["type"]})
    fields = [c for c in columns if c in available and c != "id"]
    offset = 0
    while True:
        page = odoo.execute(
            model,
            "search_read",
            [domain, fields],
            {"offset": offset, "limit": PAGE, "order": "id", **ACTIVE_AND_ARCHIVED},
        )
        for row in page:
            yield {c: _scalar(row.get(c)) for c in columns}
        if len(page) < PAGE:
            return
        offset += PAGE


def _scalar(value: Any) -> Any:
    """Odoo's read shapes to plain columns: many2one [id, name] -> id, False -> null."""
    if value is False:
        return None
    if isinstance(value, list) and value and isinstance(value[0], int):
        return value[0]
    return value


def _fields(odoo: Transport) -> Iterator[dict[str, Any]]:
    attributes = ["type", "string", "relation", "required", "readonly", "store", "selection"]
    for model in WRITTEN_MODELS:
        try:
            described = odoo.execute(model, "fields_get", [], {"attributes": attributes})
        except OdooError as error:  # a model whose module is not installed: nothing to check
            log.warning("no fields_get for %s: %s", model, error.message)
            continue
        for name, meta in sorted(described.items()):
            selection = meta.get("selection")
            yield {
                "model": model,
                "name": name,
                "type": meta.get("type"),
                "string": meta.get("string"),
                "relation": meta.get("relation") or None,
                "required": bool(meta.get("required")),
                "readonly": bool(meta.get("readonly")),
                "store": bool(meta.get("store", True)),
                "selection": json.dumps(selection) if isinstance(selection, list) else None,
            }


def _write(
    folder: Path, resource: str, rows: list[dict[str, Any]], run_id: str, at: datetime
) -> None:
    schema = pa.schema([*SCHEMAS[resource], *META])
    names = SCHEMAS[resource].names
    stamped = [
        {**{n: _scalar(r.get(n)) for n in names}, "_extracted_at": at, "_run_id": run_id}
        for r in rows
    ]
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(stamped, schema=schema), folder / "part-00000.parquet")
