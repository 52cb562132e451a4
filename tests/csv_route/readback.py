"""What a route left in Odoo, named so two databases compare: every record with a legal2odoo
external id, the fields its marts send, relations as external ids (or names), attachment
bytes as their checksum, res_id as the record's external id."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from legal2odoo.load.marts import find_marts, open_warehouse
from legal2odoo.load.transport import Transport
from legal2odoo.load.upsert import field_of

EVERYTHING = {"context": {"active_test": False}}
SKIP = {"id", ".id", "datas"}  # datas: compared as checksum
CARRIER = "__note"  # the CSV route's note carrying a file (load/csv_plan.py CARRIED)
EXTRA = {
    "ir.attachment": {"checksum", "res_id", "res_model"},
    "mail.message": {"res_id", "author_id"},
    "mail.activity": {"res_id"},
}


def sent_fields(warehouse: Path) -> dict[str, set[str]]:
    """model -> the fields the marts write on it."""
    fields: dict[str, set[str]] = {}
    with open_warehouse(warehouse) as con:
        for mart in find_marts(con):
            if mart.model == "ir.model.data":
                continue
            names = {field_of(c) for c in mart.columns if c not in SKIP}
            fields.setdefault(mart.model, set()).update(names | EXTRA.get(mart.model, set()))
    # which record a file is on is compared as "file on" (the CSV route carries it by a note)
    fields.get("ir.attachment", set()).difference_update({"res_model", "res_id"})
    return fields


def readback(odoo: Transport, fields: dict[str, set[str]]) -> dict[str, Any]:
    xmlids = _xmlids(odoo)
    by_model: dict[str, dict[int, str]] = {}
    for (model, rid), xmlid in xmlids.items():
        by_model.setdefault(model, {})[rid] = xmlid
    out: dict[str, Any] = {}
    for model, names in sorted(fields.items()):
        ours = by_model.get(model, {})
        meta = odoo.execute(
            model, "fields_get", [sorted(names)], {"attributes": ["type", "relation"]}
        )
        rows = odoo.execute(model, "read", [sorted(ours), sorted(meta)], EVERYTHING) if ours else []
        out[model] = {
            ours[r["id"]]: {n: _named(r, n, meta[n], xmlids) for n in sorted(meta)} for r in rows
        }
    messages = out.get("mail.message", {})
    out["mail.message"] = {x: v for x, v in messages.items() if not x.endswith(CARRIER)}
    out["file on"] = _files_on(odoo, xmlids)
    leads = sorted(by_model.get("crm.lead", {}))
    # the chatter as a whole: nothing extra (creation notes, tracking) on either route
    chatter = odoo.execute(
        "mail.message", "search_count", [[["model", "=", "crm.lead"], ["res_id", "in", leads]]]
    )
    notes = sum(x.endswith(CARRIER) for (m, _), x in xmlids.items() if m == "mail.message")
    out["chatter"] = chatter - notes
    return out


def _files_on(odoo: Transport, xmlids: dict[tuple[str, int], str]) -> dict[str, str | None]:
    """attachment -> the record it is on: its res_id (API route) or the record of the note
    carrying it (CSV route)."""
    ids = {rid: x for (m, rid), x in xmlids.items() if m == "ir.attachment"}
    rows = odoo.execute("ir.attachment", "read", [sorted(ids), ["res_model", "res_id"]])
    out = {ids[r["id"]]: xmlids.get((r["res_model"], r["res_id"])) for r in rows if r["res_id"]}
    notes = odoo.execute(
        "mail.message",
        "search_read",
        [[["attachment_ids", "in", sorted(ids)]], ["model", "res_id", "attachment_ids"]],
    )
    for note in notes:
        for attachment in note["attachment_ids"]:
            out.setdefault(ids[attachment], xmlids.get((note["model"], note["res_id"])))
    return out


def _xmlids(odoo: Transport) -> dict[tuple[str, int], str]:
    rows = odoo.execute(
        "ir.model.data",
        "search_read",
        [[["module", "=", "legal2odoo"]], ["model", "res_id", "name"]],
    )
    return {(r["model"], r["res_id"]): f"legal2odoo.{r['name']}" for r in rows}


def _named(row: dict, name: str, meta: dict, xmlids: dict[tuple[str, int], str]) -> Any:
    value = row[name]
    kind, relation = meta["type"], meta.get("relation")
    if kind == "many2one":
        return value and xmlids.get((relation, value[0]), f"name:{value[1]}")
    if kind in ("many2many", "one2many"):
        return sorted(xmlids.get((relation, v), f"id:{relation}") for v in value)
    if kind == "many2one_reference" and value:
        return xmlids.get((row.get("res_model") or row.get("model") or "crm.lead", value), value)
    return value
