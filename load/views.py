"""The "Migrated data" page: custom fields a user can see.

Fields created through ir.model.fields appear on no form by themselves. For each model that
gets custom fields from `odoo__ir_model_fields`, the schema plan adds one inherited form view
(external id `legal2odoo.view_<model>_migrated_data`, inheriting the model's standard form)
with a notebook page "Migrated data": one group per source object (the mart's `_form_group`),
every field read-only (migrated values are history) and hidden while empty (Odoo 17 modifier
syntax, `invisible="not x_field"`), a group hidden when all its fields are.

The views are part of the plan the operator approves (their arch is in the digest), written
in the load run (created, or their arch written in place when it changed: never a second
view), recorded in the ledger like any record, and unlinked by rollback before the fields
(Odoo refuses to delete a field a view shows).
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from legal2odoo.load.ledger import Write
from legal2odoo.load.references import MODULE, lookup_xmlids, split_xmlid
from legal2odoo.load.transport import Transport
from legal2odoo.load.upsert import MIGRATION_CONTEXT

log = logging.getLogger(__name__)

# The standard form each model's page goes into; both have exactly one <notebook> in Odoo 17
# (crm/views/crm_lead_views.xml, base/views/res_partner_views.xml).
PARENT_VIEWS = {"crm.lead": "crm.crm_lead_view_form", "res.partner": "base.view_partner_form"}
ANCHOR = "//notebook"
PAGE_LABEL = "Migrated data"
PAGE_NAME = "legal2odoo_migrated_data"
DEFAULT_GROUP = "Migrated fields"
PRIORITY = 90  # after the standard extensions: the page comes last


class ViewError(Exception):
    """A view the plan cannot write (its parent form is missing)."""


@dataclass(frozen=True)
class FormField:
    name: str  # x_... on the view's model
    label: str
    group: str  # the source object it comes from


def view_xmlid(model: str) -> str:
    return f"{MODULE}.view_{model.replace('.', '_')}_migrated_data"


def grouped(fields: Iterable[FormField]) -> list[tuple[str, list[FormField]]]:
    """Groups by label, fields by label then name: one order for one set of fields (the
    arch, and so the plan's digest, does not depend on the mart's row order)."""
    groups: dict[str, list[FormField]] = {}
    for f in fields:
        groups.setdefault(f.group or DEFAULT_GROUP, []).append(f)
    return [
        (label, sorted(members, key=lambda f: (f.label.lower(), f.name)))
        for label, members in sorted(groups.items(), key=lambda item: item[0].lower())
    ]


def form_arch(fields: Sequence[FormField]) -> str:
    """The inherited arch: a page at the end of the parent form's notebook."""
    if not fields:
        raise ValueError("a Migrated data page needs at least one field")
    data = ET.Element("data")
    xpath = ET.SubElement(data, "xpath", expr=ANCHOR, position="inside")
    page = ET.SubElement(xpath, "page", string=PAGE_LABEL, name=PAGE_NAME)
    for label, members in grouped(fields):
        names = [f.name for f in members]
        group = ET.SubElement(page, "group", string=label, name=_group_name(label))
        group.set("invisible", " and ".join(f"not {name}" for name in names))
        for name in names:
            ET.SubElement(group, "field", name=name, readonly="1", invisible=f"not {name}")
    ET.indent(data)
    return ET.tostring(data, encoding="unicode")


def _group_name(label: str) -> str:
    return "legal2odoo_" + (re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_") or "group")


def canonical(arch: str) -> str:
    """The arch without formatting: Odoo may store it re-indented."""
    return ET.canonicalize(arch, strip_text=True)


def plan_views(
    odoo: Transport, fields: dict[str, list[FormField]]
) -> tuple[list[dict[str, Any]], list[str]]:
    """The views to create or rewrite (model, external id, parent, action, arch), and what
    stops them. A view already holding the same arch is not in the plan."""
    views: list[dict[str, Any]] = []
    problems: list[str] = []
    wanted = {m: f for m, f in sorted(fields.items()) if f}
    for model in [m for m in wanted if m not in PARENT_VIEWS]:
        log.warning("no standard form known for %s: its migrated fields get no page", model)
    models = [m for m in wanted if m in PARENT_VIEWS]
    found = lookup_xmlids(odoo, [PARENT_VIEWS[m] for m in models] + [view_xmlid(m) for m in models])
    for model in models:
        parent, xmlid, arch = PARENT_VIEWS[model], view_xmlid(model), form_arch(wanted[model])
        if parent not in found:
            problems.append(f"{model}: no form view {parent} to add the Migrated data page to")
            continue
        action = "create"
        if xmlid in found:
            current = _read_arch(odoo, found[xmlid][1])
            if current is not None and canonical(current) == canonical(arch):
                continue
            action = "update"
        views.append(
            {
                "model": model,
                "external_id": xmlid,
                "inherit_id": parent,
                "action": action,
                "fields": len(wanted[model]),
                "arch": arch,
            }
        )
    return views, problems


def _read_arch(odoo: Transport, view_id: int) -> str | None:
    rows = odoo.execute("ir.ui.view", "read", [[view_id], ["arch_db"]])
    return rows[0]["arch_db"] if rows else None


def apply_views(odoo: Transport, views: Sequence[dict[str, Any]]) -> list[Write]:
    """Create each planned view (with its external id) or write its arch in place."""
    writes: list[Write] = []
    context = {"context": MIGRATION_CONTEXT}
    for spec in views:
        xmlid, parent = spec["external_id"], spec["inherit_id"]
        found = lookup_xmlids(odoo, [xmlid, parent])
        if parent not in found:
            raise ViewError(f"{spec['model']}: no form view {parent} in this Odoo")
        if xmlid in found:
            rid = found[xmlid][1]
            before = _read_arch(odoo, rid)
            odoo.execute("ir.ui.view", "write", [[rid], {"arch_db": spec["arch"]}], context)
            image = {"arch_db": before}
            writes.append(Write("ir.ui.view", xmlid, "updated", rid, True, before_image=image))
            log.info("view %s: arch rewritten (%d fields)", xmlid, spec["fields"])
            continue
        vals = {
            "name": f"{spec['model']}.form.legal2odoo.migrated_data",
            "type": "form",
            "model": spec["model"],
            "inherit_id": found[parent][1],
            "mode": "extension",
            "priority": PRIORITY,
            "arch_db": spec["arch"],
        }
        rid = odoo.execute("ir.ui.view", "create", [vals], context)
        rid = rid[0] if isinstance(rid, list) else rid
        module, name = split_xmlid(xmlid)
        odoo.execute(
            "ir.model.data",
            "create",
            [
                {
                    "module": module,
                    "name": name,
                    "model": "ir.ui.view",
                    "res_id": rid,
                    "noupdate": True,
                }
            ],
        )
        writes.append(Write("ir.ui.view", xmlid, "created", rid, False))
        log.info("view %s created (%d fields)", xmlid, spec["fields"])
    return writes
