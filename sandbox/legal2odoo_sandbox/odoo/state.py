"""The starting state of a sandbox: the base records a fresh Odoo 17 with crm has (measured),
plus the ir.model.fields rows describing every field, plus the sandbox's credentials."""

from __future__ import annotations

import copy
import json

from legal2odoo_sandbox.odoo.schema import FACTS, RELATIONAL
from legal2odoo_sandbox.odoo.store import Row, Store, base_records
from legal2odoo_sandbox.odoo.values import empty
from legal2odoo_sandbox.odoo.views import seed_views

ADMIN_UID = 2
DEFAULT_API_KEY = "sandbox-api-key"  # documented sandbox default, like admin/admin


def seed(store: Store, *, password: str = "admin", api_key: str = DEFAULT_API_KEY) -> None:
    """Fill an empty store with Odoo's base records and the admin credentials."""
    records, xmlids = base_records(store.version)
    store.acl = copy.deepcopy(records.pop("ir.model.access", []))
    for model, rows in records.items():
        if model in store.schema:
            for row in rows:
                _insert(store, model, row)
    _seed_xmlids(store, xmlids)
    _seed_fields(store)
    seed_views(store)
    for model, last_id in _measured_sequences().items():
        # unmodelled ones too (mail.alias): new teams get alias ids after the measured ones
        store.sequences[model] = max(store.sequences.get(model, 0), last_id)
    store.credentials.passwords[ADMIN_UID] = password
    store.credentials.api_keys[api_key] = ADMIN_UID


def _measured_sequences() -> dict[str, int]:
    return json.loads((FACTS / "17.0" / "sequences.json").read_text())


def _insert(store: Store, model: str, row: Row) -> None:
    """Insert a measured row, completing fields the measurement left out."""
    mdef = store.schema[model]
    if "groups_id" in row and "groups_id" not in mdef.fields:  # renamed in 19.0
        row = {**row, "group_ids": row["groups_id"]}
    full: Row = {}
    for field in mdef.fields.values():
        if field.store and field.type != "one2many":
            full[field.name] = empty(field)
    for key, value in row.items():
        if key in mdef.fields or key == "id":
            full[key] = value
    for key in ("create_date", "write_date"):
        if key in mdef.fields:
            full[key] = store.now()
    store.insert(model, full)


def _seed_xmlids(store: Store, xmlids: list[Row]) -> None:
    for rid, x in enumerate(sorted(xmlids, key=lambda x: (x["module"], x["name"])), start=1):
        row = {k: x[k] for k in ("module", "name", "model", "res_id", "noupdate")}
        _insert(store, "ir.model.data", {"id": rid, **row})


def _seed_fields(store: Store) -> None:
    """ir.model.fields rows for every field of every modelled model (state 'base')."""
    rid = 0
    for mdef in store.schema.values():
        for field in mdef.fields.values():
            rid += 1
            row = {
                "id": rid,
                "name": field.name,
                "model": mdef.name,
                "model_id": mdef.ir_model_id,
                "ttype": field.type,
                "field_description": field.string,
                "state": "base",
                "required": field.required,
                "readonly": bool(field.attrs.get("readonly")),
                "store": field.store,
                "relation": field.relation or False,
                "relation_field": field.relation_field or False,
            }
            if field.type == "many2one":
                row["on_delete"] = field.on_delete
            if field.type in RELATIONAL and field.relation not in store.schema:
                row["relation"] = field.relation or False
            _insert(store, "ir.model.fields", row)
