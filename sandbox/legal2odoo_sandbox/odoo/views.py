"""`ir.ui.view`: enough of Odoo 17's view validation to refuse what it refuses.

The sandbox has two form views, stand-ins for `crm.crm_lead_view_form` and
`base.view_partner_form` (their notebook and a few fields; the real arches are hundreds of
lines). A view written through the API is checked against its model as Odoo 17 does
(odoo/addons/base/models/ir_ui_view.py): well-formed XML; an extension's xpath must locate a
node of its parent (of the same model); every `<field>` must exist on the model; a `<page>`
sits directly in a `<notebook>`; `attrs` / `states` are gone since 17.0; a field a modifier
names (`invisible="not x_a"`) must be in the view. A custom field a view shows cannot be
deleted. Not modelled: other view types' rules, groups, qweb, translations of the arch.
"""

from __future__ import annotations

import ast
import builtins
import copy
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

from legal2odoo_sandbox.odoo.exceptions import UserError, ValidationError

if TYPE_CHECKING:
    from legal2odoo_sandbox.odoo.orm import Env
    from legal2odoo_sandbox.odoo.store import Row, Store

# (module, name, model, view name, arch): the stand-in parents
PARENT_FORMS = (
    (
        "crm",
        "crm_lead_view_form",
        "crm.lead",
        "crm.lead.form",
        '<form string="Opportunities"><sheet><group><field name="name"/>'
        '<field name="partner_id"/><field name="user_id"/></group><notebook>'
        '<page string="Internal Notes" name="internal_notes"><field name="description"/></page>'
        "</notebook></sheet></form>",
    ),
    (
        "base",
        "view_partner_form",
        "res.partner",
        "res.partner.form",
        '<form string="Partners"><sheet><group><field name="name"/><field name="email"/>'
        '</group><notebook><page string="Internal Notes" name="internal_notes">'
        '<field name="comment"/></page></notebook></sheet></form>',
    ),
)
MODIFIERS = ("invisible", "readonly", "required", "column_invisible")
# names a modifier may use that are not fields (Odoo 17's evaluation context)
CONTEXT_NAMES = frozenset({"context", "uid", "parent", "today", "now", "id"})


def seed_views(store: Store) -> None:
    """The parent forms and their external ids (in a fresh sandbox)."""
    for module, name, model, view_name, arch in PARENT_FORMS:
        vid = store.next_id("ir.ui.view")
        row = {
            "id": vid,
            "name": view_name,
            "model": model,
            "type": "form",
            "arch_db": arch,
            "mode": "primary",
            "priority": 1,
            "active": True,
            "inherit_id": False,
        }
        store.insert("ir.ui.view", _complete(store, "ir.ui.view", row))
        xmlid = {
            "id": store.next_id("ir.model.data"),
            "module": module,
            "name": name,
            "model": "ir.ui.view",
            "res_id": vid,
            "noupdate": False,
        }
        store.insert("ir.model.data", _complete(store, "ir.model.data", xmlid))


def _complete(store: Store, model: str, row: Row) -> Row:
    layout = store.schema[model].layout()
    full = {**layout.template, **row}
    for name in layout.lists:
        full[name] = list(full[name] or [])
    for name in layout.magic:
        full[name] = 1 if name.endswith("_uid") else store.now()
    return full


def check_view(env: Env, row: Row) -> None:
    """Odoo 17's checks of a view about to be stored (create or write)."""
    arch = _parse(row.get("arch_db") or "")
    model = row.get("model") or ""
    fields = env.store.schema[model].fields if model in env.store.schema else {}
    parent_id = row.get("inherit_id")
    views = env.store.tables["ir.ui.view"]
    if parent_id and parent_id not in views:
        return  # the foreign key check refuses it (ir_ui_view_inherit_id_fkey)
    if parent_id:
        parent = views[parent_id]
        if parent.get("model") != model:
            raise _error(
                f"Inherited view {parent['name']} is of model {parent.get('model')}, not {model}"
            )
        arch = _combine(_parse(parent.get("arch_db") or ""), arch)
    _validate(arch, model, fields)


def _parse(arch: str) -> ET.Element:
    try:
        return ET.fromstring(arch)
    except ET.ParseError as error:
        raise ValidationError(f"Invalid view definition: {error}") from None


def _combine(parent: ET.Element, extension: ET.Element) -> ET.Element:
    """The parent arch with the extension's xpath specs applied (inside/after/before)."""
    combined = copy.deepcopy(parent)
    specs = list(extension) if extension.tag == "data" else [extension]
    for spec in specs:
        expr = (
            spec.get("expr") if spec.tag == "xpath" else f"//{spec.tag}[@name='{spec.get('name')}']"
        )
        target = _locate(combined, expr or "")
        if target is None:
            attrs = " ".join(f'{k}="{v}"' for k, v in spec.attrib.items())
            raise _error(f"Element '<{spec.tag} {attrs}>' cannot be located in parent view")
        _apply(combined, target, spec)
    return combined


def _locate(root: ET.Element, expr: str) -> ET.Element | None:
    """The first node `expr` (`//tag`, `//tag[@name='x']`, ...) selects, the root included."""
    wrapper = ET.Element("arch")
    wrapper.append(root)
    try:
        return wrapper.find("." + expr if expr.startswith("/") else expr)
    except SyntaxError:
        raise _error(f"Invalid xpath expression {expr!r}") from None


def _apply(root: ET.Element, target: ET.Element, spec: ET.Element) -> None:
    position = spec.get("position", "inside")
    children = [copy.deepcopy(child) for child in spec]
    if position == "inside":
        target.extend(children)
        return
    parent = next((p for p in root.iter() if target in list(p)), None)
    if parent is None or position not in ("after", "before", "replace"):
        raise _error(f"Invalid position attribute: '{position}'")
    index = list(parent).index(target) + (1 if position == "after" else 0)
    if position == "replace":
        parent.remove(target)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)


def _validate(arch: ET.Element, model: str, fields: dict[str, Any]) -> None:
    parents = {child: node for node in arch.iter() for child in node}
    in_view = {node.get("name") for node in arch.iter("field")}
    for node in arch.iter():
        for attr in ("attrs", "states"):
            if node.get(attr) is not None:
                raise _error('Since 17.0, the "attrs" and "states" attributes are no longer used.')
        if node.tag == "field" and node.get("name") not in fields:
            raise _error(f'Field "{node.get("name")}" does not exist in model "{model}"')
        if node.tag == "page" and getattr(parents.get(node), "tag", None) != "notebook":
            raise _error("Page direct ancestor must be notebook")
        for attr in MODIFIERS:
            for name in _names(node.get(attr)):
                if name not in fields:
                    raise _error(f'Field "{name}" does not exist in model "{model}"')
                if name not in in_view:
                    use = f'modifier "{attr}" ({node.get(attr)})'
                    raise _error(
                        f'Field "{name}" used in {use} must be present in view but is missing.'
                    )


def _names(expression: str | None) -> set[str]:
    """Field names a modifier's Python expression reads."""
    if not expression:
        return set()
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError:
        raise _error(f"Invalid modifier expression: {expression!r}") from None
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    return {n for n in names if n not in CONTEXT_NAMES and not hasattr(builtins, n)}


def _error(message: str) -> ValidationError:
    return ValidationError(f"Error while validating view:\n\n{message}")


def check_field_unused(store: Store, field_row: Row) -> None:
    """ir.model.fields unlink: Odoo refuses to drop a field a view still shows."""
    model, name = field_row.get("model"), field_row.get("name")
    users = [
        view["name"]
        for view in store.tables["ir.ui.view"].values()
        if view.get("model") == model and _shows(view.get("arch_db") or "", name)
    ]
    if users:
        raise UserError(
            "Cannot rename/delete fields that are still present in views:\n"
            f"Fields: {model}.{name}\nView: {', '.join(sorted(users))}"
        )


def _shows(arch: str, name: Any) -> bool:
    try:
        root = ET.fromstring(arch)
    except ET.ParseError:
        return False
    return any(node.get("name") == name for node in root.iter("field"))
