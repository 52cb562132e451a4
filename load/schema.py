"""Schema first: what the marts need that the target lacks, as a plan the operator approves.

Custom fields come from `odoo__ir_model_fields` (columns `model`, `name`, `field_description`,
`ttype`, optional `relation`, `selection` as JSON [[value, label], ...], `help`); a mart
column naming an `x_` field that neither Odoo nor that mart has is an error before anything
is sent. Stages, teams, tags and contact tags the target lacks are listed too: they are
created by their own marts' load, but only once the plan is approved. Nothing is created
unless the operator passes `--apply-schema` or sets `approved: true` in
`exports/odoo_schema_plan.yaml` for exactly this plan. The plan also holds the inherited
form views that show the custom fields (load/views.py): part of the digest, so an arch the
operator has not seen is never written.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import yaml

from legal2odoo.load.enrich import computed_columns
from legal2odoo.load.ledger import Write
from legal2odoo.load.marts import Mart, find_marts
from legal2odoo.load.references import lookup_xmlids
from legal2odoo.load.rows import read_rows
from legal2odoo.load.transport import Transport
from legal2odoo.load.upsert import MIGRATION_CONTEXT, field_of
from legal2odoo.load.versions import for_target
from legal2odoo.load.views import FormField, plan_views

RECORD_MARTS = ("crm.team", "crm.stage", "crm.tag", "res.partner.category")
FIELD_KEYS = ("model", "name", "field_description", "ttype", "relation", "selection", "help")


class SchemaError(Exception):
    """The marts need something the plan cannot provide."""


@dataclass
class SchemaPlan:
    fields: list[dict[str, Any]] = field(default_factory=list)  # ir.model.fields to create
    loaded_by_mart: bool = False  # the mart has external ids: load() creates the fields
    records: dict[str, list[str]] = field(default_factory=dict)  # model -> external ids
    problems: list[str] = field(default_factory=list)
    views: list[dict[str, Any]] = field(default_factory=list)  # ir.ui.view to create/rewrite

    @property
    def empty(self) -> bool:
        return not self.fields and not any(self.records.values()) and not self.views

    def digest(self) -> str:
        content: dict[str, Any] = {"fields": self.fields, "records": self.records}
        if self.views:  # a plan without views keeps the digest it had before views existed
            content["views"] = self.views
        body = json.dumps(content, sort_keys=True)
        return hashlib.sha256(body.encode()).hexdigest()[:16]

    def to_yaml(self) -> str:
        return yaml.dump(
            {
                "plan": self.digest(),
                "approved": False,
                "fields_to_create": self.fields,
                "records_to_create": self.records,
                "views_to_write": self.views,
                "problems": self.problems,
            },
            Dumper=_PlanDumper,
            sort_keys=False,
            allow_unicode=True,
        )


class _PlanDumper(yaml.SafeDumper):
    """Multi-line strings (a view's arch) as literal blocks: the operator reads them as XML."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_PlanDumper.add_representer(str, _str)


def plan_schema(odoo: Transport, con: duckdb.DuckDBPyConnection) -> SchemaPlan:
    plan = SchemaPlan()
    marts = find_marts(con)
    existing: dict[str, dict[str, Any]] = {}

    def fields_of(model: str) -> dict[str, Any]:
        if model not in existing:
            existing[model] = odoo.execute(model, "fields_get", [], {"attributes": ["type"]})
        return existing[model]

    planned: set[tuple[str, str]] = set()
    on_forms: dict[str, list[FormField]] = {}
    for mart in marts:
        if mart.table == "odoo__ir_model_fields":
            plan.loaded_by_mart = "id" in mart.columns
            rows = _dicts(con, mart)
            groups = _form_groups(con, mart)
            models = _model_names(odoo, {r["model_id/id"] for r in rows if r.get("model_id/id")})
            for row in rows:
                key = (row.get("model_id/id") or row.get("model") or "", row["name"])
                row.setdefault("model", models.get(row.get("model_id/id", "")))
                values = {k: row[k] for k in FIELD_KEYS if row.get(k) not in (None, "")}
                if values["name"] not in fields_of(values["model"]):
                    plan.fields.append(values)
                planned.add((values["model"], values["name"]))
                label = values.get("field_description") or values["name"]
                on_forms.setdefault(values["model"], []).append(
                    FormField(values["name"], label, groups.get(key, ""))
                )
    for mart in marts:
        if mart.model in ("ir.model.fields", "ir.model.fields.selection", "ir.model.data"):
            continue
        known = fields_of(mart.model)
        for column in for_target(mart, known).columns + computed_columns(mart.metadata):
            name = field_of(column)
            if column in ("id", ".id") or name in known or (mart.model, name) in planned:
                continue
            plan.problems.append(
                f"{mart.table}.{column}: {mart.model} has no field {name!r}"
                + (" and odoo__ir_model_fields does not define it" if name.startswith("x_") else "")
            )
        if mart.model in RECORD_MARTS:
            ids = [r.external_id for r in read_rows(con, mart)]
            found = lookup_xmlids(odoo, ids)
            missing = [x for x in ids if x not in found]
            if missing:
                plan.records[mart.model] = missing
    plan.views, problems = plan_views(odoo, on_forms)
    plan.problems += problems
    return plan


def _form_groups(con: duckdb.DuckDBPyConnection, mart: Mart) -> dict[tuple[str, str], str]:
    """(model or model_id/id, name) -> the form group (`_form_group`) of each field."""
    if "_form_group" not in mart.metadata:
        return {}
    model = '"model_id/id"' if "model_id/id" in mart.columns else "model"
    rows = con.execute(f"select {model}, name, _form_group from {mart.table}").fetchall()
    return {(str(m), str(n)): str(g or "") for m, n, g in rows}


def _model_names(odoo: Transport, xmlids: set[str]) -> dict[str, str]:
    """`crm.model_crm_lead` -> `crm.lead` (ir.model by external id)."""
    found = lookup_xmlids(odoo, xmlids)
    ids = [rid for model, rid in found.values() if model == "ir.model"]
    names = {r["id"]: r["model"] for r in odoo.execute("ir.model", "read", [ids, ["model"]])}
    return {x: names[rid] for x, (_, rid) in found.items() if rid in names}


def _dicts(con: duckdb.DuckDBPyConnection, mart: Mart) -> list[dict[str, Any]]:
    return [dict(zip(mart.columns, r.cells, strict=True)) for r in read_rows(con, mart, "name")]


def write_plan(plan: SchemaPlan, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(plan.to_yaml(), encoding="utf-8")


def approved(plan: SchemaPlan, path: Path) -> bool:
    """The operator approved this very plan (same digest) in the YAML file."""
    if plan.empty:
        return True
    if not path.exists():
        return False
    saved = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return bool(saved.get("approved")) and saved.get("plan") == plan.digest()


def apply_fields(odoo: Transport, plan: SchemaPlan) -> list[Write]:
    """Create the planned custom fields (one call per field: each reloads Odoo's registry)."""
    writes: list[Write] = []
    model_ids: dict[str, int] = {}
    for spec in plan.fields:
        model = spec["model"]
        if model not in model_ids:
            found = odoo.execute("ir.model", "search", [[["model", "=", model]]])
            if not found:
                raise SchemaError(f"no model {model} in this Odoo for field {spec['name']}")
            model_ids[model] = found[0]
        vals: dict[str, Any] = {
            "model_id": model_ids[model],
            "name": spec["name"],
            "field_description": spec.get("field_description") or spec["name"],
            "ttype": spec["ttype"],
            "state": "manual",
        }
        if spec.get("relation"):
            vals["relation"] = spec["relation"]
        if spec.get("help"):
            vals["help"] = spec["help"]
        if spec.get("selection"):
            # the Python-literal form: accepted by 16-19 (selection_ids is 17+ only)
            vals["selection"] = repr([tuple(pair) for pair in json.loads(spec["selection"])])
        rid = odoo.execute("ir.model.fields", "create", [vals], {"context": MIGRATION_CONTEXT})
        rid = rid[0] if isinstance(rid, list) else rid
        xmlid = f"{model}.{spec['name']}"
        writes.append(Write("ir.model.fields", xmlid, "created", odoo_id=rid, existed=False))
    return writes
