"""Per-model behaviour Odoo implements in Python or SQL: defaults, a few computes, constraints.

Only what a CRM migration meets is modelled; sandbox-fidelity.md lists what is not.
"""

from __future__ import annotations

import base64
import hashlib
import json
import mimetypes
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from legal2odoo_sandbox.odoo.exceptions import ConstraintError, UserError
from legal2odoo_sandbox.odoo.schema import FACTS, ModelDef
from legal2odoo_sandbox.odoo.views import check_view

if TYPE_CHECKING:
    from legal2odoo_sandbox.odoo.orm import Env

Row = dict[str, Any]
# (check(row) -> ok, message) evaluated on the row as it will be stored: SQL CHECK constraints.
CHECKS: dict[str, list[tuple[Callable[[Row], bool], str]]] = {
    "res.partner": [
        (lambda r: r.get("type") != "contact" or bool(r.get("name")), "Contacts require a name")
    ],
    "crm.lead": [
        (
            lambda r: r.get("probability") in (None, False) or 0 <= r["probability"] <= 100,
            "The probability of closing the deal should be between 0% and 100%!",
        )
    ],
    "ir.model.fields": [
        (
            lambda r: r.get("state") != "manual" or str(r.get("name", "")).startswith("x_"),
            "Custom fields must have a name that starts with 'x_'!",
        )
    ],
    "ir.model.data": [
        (lambda r: " " not in str(r.get("name", "")), "External IDs cannot contain spaces")
    ],
}
# SQL UNIQUE constraints: columns and message.
UNIQUES: dict[str, list[tuple[tuple[str, ...], str]]] = {
    "crm.tag": [(("name",), "Tag name already exists!")],
    "res.users": [(("login",), "You can not have two users with the same login!")],
    "ir.model.data": [
        (
            ("module", "name"),
            'duplicate key value violates unique constraint "ir_model_data_module_name_uniq_index"',
        )
    ],
    "ir.model.fields": [(("model", "name"), "Field names must be unique per model.")],
    "ir.model.fields.selection": [
        (("field_id", "value"), "Selections values must be unique per field")
    ],
}
# Defaults that depend on who calls and when (the measured ones were taken as admin, uid 2).
USER_DEFAULTS = {("crm.lead", "user_id"), ("mail.activity", "user_id"), ("utm.campaign", "user_id")}
NOW_DEFAULTS = {("mail.message", "date")}
TODAY_DEFAULTS = {("mail.activity", "date_deadline")}
SKIP_DEFAULTS = {
    ("res.partner", "calendar_last_notif_ack"),
    ("res.users", "calendar_last_notif_ack"),
}


@cache
def _measured_defaults() -> dict[str, dict[str, Any]]:
    return json.loads((FACTS / "17.0" / "defaults.json").read_text())


def defaults(env: Env, mdef: ModelDef) -> Row:
    """default_get of every field, as the calling user would get it."""
    result: Row = {}
    for name, value in _measured_defaults().get(mdef.name, {}).items():
        field = mdef.fields.get(name)
        key = (mdef.name, name)
        if field is None or field.type == "binary" or key in SKIP_DEFAULTS or value is None:
            continue
        if key in USER_DEFAULTS:
            value = env.uid
        elif key in NOW_DEFAULTS:
            value = env.store.now()
        elif key in TODAY_DEFAULTS:
            value = env.store.today()
        result[name] = value
    for key, value in env.context.items():
        if key.startswith("default_") and key[8:] in mdef.fields:
            result[key[8:]] = value
    return result


def check_row(env: Env, mdef: ModelDef, row: Row, rid: int) -> None:
    """SQL CHECK and UNIQUE constraints, with the message Odoo wraps them in; a view's arch
    checked as Odoo 17's _check_xml does."""
    if mdef.name == "ir.ui.view":
        check_view(env, row)
    for check, message in CHECKS.get(mdef.name, []):
        if not check(row):
            raise ConstraintError(
                f"The operation cannot be completed: {message}", "check", detail=message
            )
    for columns, message in UNIQUES.get(mdef.name, []):
        key = tuple([row.get(c) for c in columns])
        if False in key or None in key:  # (as `v in (False, None)` for each value: 0 too)
            continue
        if env.store.lookup(mdef.name, columns, key) - {rid}:
            raise ConstraintError(
                f"The operation cannot be completed: {message}",
                "unique",
                field=columns[-1],
                detail=message,
            )


# Non-stored fields a caller may still write (their inverse stores something else).
WRITABLE_NONSTORED: dict[str, frozenset[str]] = {
    "res.partner": frozenset({"company_type"}),
    "res.users": frozenset({"name", "email", "phone"}),
    "ir.attachment": frozenset({"datas", "raw"}),
}


def before_create(env: Env, mdef: ModelDef, vals: Row) -> None:
    """Computed values Odoo fills in on create when the caller did not give them."""
    hook = _BEFORE_CREATE.get(mdef.name)
    if hook:
        hook(env, vals)


def before_write(env: Env, mdef: ModelDef, ids: list[int], vals: Row) -> None:
    """What the model's own write() does to vals before storing them."""
    if mdef.name == "res.partner" and "company_type" in vals:
        vals["is_company"] = vals.pop("company_type") == "company"
    elif mdef.name == "ir.attachment":
        _attachment(env, vals)
    elif mdef.name == "crm.lead":
        _lead_write(env, vals)


def _lead_write(env: Env, vals: Row) -> None:
    """crm.lead.write: a won stage means probability 100; winning or archiving stamps
    date_closed, a probability between 0 and 100 clears it; a new owner restamps date_open
    (crm/models/crm_lead.py)."""
    if "user_id" in vals:
        vals["date_open"] = env.store.now() if vals["user_id"] else False
    stage = env.store.tables["crm.stage"].get(vals.get("stage_id") or 0)
    won = bool(stage and stage.get("is_won"))
    if won:
        vals["probability"] = 100.0
        if "automated_probability" in env.store.schema["crm.lead"].fields:
            vals["automated_probability"] = 100.0
    if (vals.get("probability") or 0) >= 100 or not vals.get("active", True):
        vals["date_closed"] = env.store.now()
    elif (vals.get("probability") or 0) > 0 or (vals.get("stage_id") and "probability" not in vals):
        vals["date_closed"] = False
    if vals.get("stage_id"):
        vals["date_last_stage_update"] = env.store.now()


def _lead(env: Env, vals: Row) -> None:
    now = env.store.now()
    # date_open is a readonly compute on user_id: Odoo overwrites whatever the caller sent.
    vals["date_open"] = now if vals.get("user_id") else False
    vals.setdefault("date_last_stage_update", now)
    if "team_id" not in vals and vals.get("user_id"):
        vals["team_id"] = _team_of(env, vals["user_id"])
    if "stage_id" not in vals and vals.get("type") == "opportunity":
        vals["stage_id"] = _first_stage(env, vals.get("team_id") or False)
    stage = env.store.tables["crm.stage"].get(vals.get("stage_id") or 0)
    if "probability" not in vals:
        vals["probability"] = 100.0 if stage and stage.get("is_won") else 0.0
    if vals.get("partner_id") and "contact_name" not in vals:
        partner = env.store.tables["res.partner"].get(vals["partner_id"]) or {}
        if not partner.get("is_company"):
            vals.setdefault("email_from", partner.get("email") or False)


def _email_key(value: Any) -> Any:
    text = str(value or "").strip()
    return text.lower() if "@" in text else (value or False)


# crm.lead field → res.partner field it writes back, compared as crm_lead.py compares them
# (phone raw: `_phone_format` gives nothing without the phonenumbers library, as on real 17).
CONTACT_INVERSES = (("email_from", "email", _email_key), ("phone", "phone", lambda v: v or False))


def after_lead_saved(env: Env, row: Row, given: set[str]) -> None:
    """crm.lead's `_inverse_email_from` / `_inverse_phone`: a lead created or written with an
    email or phone that differs from its partner's writes it onto the partner, even when
    empty (measured on a real Odoo 17: leads without an email cleared their client's)."""
    partner_id = row.get("partner_id")
    partner = env.store.tables["res.partner"].get(partner_id or 0)
    if not partner:
        return
    updates = {
        partner_field: row.get(lead_field) or False
        for lead_field, partner_field, key in CONTACT_INVERSES
        if lead_field in given and key(row.get(lead_field)) != key(partner.get(partner_field))
    }
    if updates:
        env.model("res.partner").write([partner_id], updates)


def _team_of(env: Env, user_id: int) -> int | bool:
    for tid, team in sorted(env.store.tables["crm.team"].items()):
        if team.get("active", True) and (
            team.get("user_id") == user_id or user_id in (team.get("member_ids") or [])
        ):
            return tid
    user = env.store.tables["res.users"].get(user_id) or {}
    return user.get("sale_team_id") or False


def _first_stage(env: Env, team_id: int | bool) -> int | bool:
    stages = [
        (s.get("sequence") or 0, s.get("name") or "", sid)
        for sid, s in env.store.tables["crm.stage"].items()
        if not s.get("fold") and s.get("team_id") in (False, None, team_id)
    ]
    return min(stages)[2] if stages else False


ADDRESS_FIELDS = ("street", "street2", "zip", "city", "state_id", "country_id")
COMMERCIAL_FIELDS = ("vat", "company_registry", "industry_id")


def _attachment(env: Env, vals: Row) -> None:
    """ir.attachment keeps the content (datas in base64, or raw bytes) and derives size,
    checksum and mimetype from it (base/models/ir_attachment.py)."""
    if "raw" in vals:
        raw = vals.pop("raw") or b""
        raw = raw.encode() if isinstance(raw, str) else bytes(raw)
        vals["datas"] = base64.b64encode(raw).decode()
    if "datas" not in vals:
        return
    datas = vals.pop("datas") or ""
    datas = datas.decode() if isinstance(datas, bytes) else str(datas)
    content = base64.b64decode(datas) if datas else b""
    vals["db_datas"] = datas or False
    vals["file_size"] = len(content)
    vals["checksum"] = hashlib.sha1(content).hexdigest() if content else False
    if not vals.get("mimetype"):
        guessed = mimetypes.guess_type(str(vals.get("name") or ""))[0]
        vals["mimetype"] = guessed or ("text/plain" if content else "application/octet-stream")


def _partner(env: Env, vals: Row) -> None:
    if "company_type" in vals:  # non-stored field whose inverse sets is_company
        vals["is_company"] = vals.pop("company_type") == "company"
    vals.update(inherited_from_parent(env, vals))


def inherited_from_parent(env: Env, row: Row) -> Row:
    """A contact-type child takes its parent's address (when the parent has one) and the
    commercial fields (res.partner `_fields_sync`)."""
    parent = env.store.tables["res.partner"].get(row.get("parent_id") or 0)
    if not parent:
        return {}
    synced: Row = {}
    if (row.get("type") or "contact") == "contact" and any(parent.get(f) for f in ADDRESS_FIELDS):
        synced.update({f: parent.get(f, False) for f in ADDRESS_FIELDS})
    synced.update({f: parent.get(f, False) for f in COMMERCIAL_FIELDS if f in parent})
    return synced


def first_contact_address(env: Env, rid: int, row: Row) -> None:
    """The first contact created under a company (or a top-level partner) that has no address
    gives it its own: res.partner `_handle_first_contact_creation`, on create only, never on
    write. A contact created later under that company then takes the company's address
    instead of its own (inherited_from_parent), which is why the loader sets a contact's
    company in a second pass (a write)."""
    table = env.store.tables["res.partner"]
    parent_id = row.get("parent_id")
    parent = table.get(parent_id or 0)
    if not parent or not (parent.get("is_company") or not parent.get("parent_id")):
        return
    if any(parent.get(f) for f in ADDRESS_FIELDS) or not any(row.get(f) for f in ADDRESS_FIELDS):
        return
    children = env.store.lookup("res.partner", ("parent_id",), (parent_id,))
    if [c for c in children if table[c].get("active", True)] == [rid]:  # child_ids: active only
        env.store.update(
            "res.partner",
            parent_id,
            {
                **{f: row.get(f, False) for f in ADDRESS_FIELDS},
                "write_uid": env.uid,
                "write_date": env.store.now(),
            },
        )


def after_partner_write(env: Env, rid: int, changed: set[str]) -> None:
    """Address changes on a parent flow down to its contact-type children."""
    if not changed & set(ADDRESS_FIELDS + COMMERCIAL_FIELDS):
        return
    table = env.store.tables["res.partner"]
    for cid in sorted(env.store.lookup("res.partner", ("parent_id",), (rid,))):
        child = table[cid]
        synced = inherited_from_parent(env, child)
        if any(child.get(k) != v for k, v in synced.items()):
            env.store.update("res.partner", cid, synced)


def _users(env: Env, vals: Row) -> None:
    """res.users inherits res.partner: create the partner from the delegated values."""
    if "partner_id" not in vals:
        partner_vals = {k: vals.pop(k) for k in ("name", "email", "phone") if k in vals}
        partner_vals.setdefault("name", vals.get("login"))
        vals["partner_id"] = env.model("res.partner").create([partner_vals])[0]
    for key in ("name", "email", "phone"):
        vals.pop(key, None)


def _ir_model_fields(env: Env, vals: Row) -> None:
    if vals.get("model_id") and "model" not in vals:
        irm = env.store.tables["ir.model"].get(vals["model_id"]) or {}
        vals["model"] = irm.get("model", False)


def _selection_option(env: Env, vals: Row) -> None:
    """Options of a field defined in code cannot be added over RPC (ir_model.py)."""
    field = env.store.tables["ir.model.fields"].get(vals.get("field_id") or 0) or {}
    if field and field.get("state") != "manual":
        raise UserError(
            "Properties of base fields cannot be altered in this manner! Please modify them"
            " through Python code, preferably through a custom addon!"
        )


def _activity(env: Env, vals: Row) -> None:
    vals.pop("res_model", None)  # readonly related, discarded on create (facts §6)
    if vals.get("res_model_id"):
        irm = env.store.tables["ir.model"].get(vals["res_model_id"]) or {}
        vals["res_model"] = irm.get("model", False)


def _team(env: Env, vals: Row) -> None:
    """mail.alias.mixin gives every team an alias (mail.alias is not modelled: an id only)."""
    if not vals.get("alias_id"):
        sequences = env.store.sequences
        sequences["mail.alias"] = sequences.get("mail.alias", 0) + 1
        vals["alias_id"] = sequences["mail.alias"]


def _campaign(env: Env, vals: Row) -> None:
    vals.setdefault("title", vals.get("name") or False)


def activity_state(env: Env, row: Row) -> str | bool:
    """mail.activity.state: overdue, today or planned against the deadline (done if archived)."""
    if not row.get("active", True):
        return "done"
    deadline = row.get("date_deadline")
    if not deadline:
        return False
    today = env.store.today()
    return "overdue" if deadline < today else "today" if deadline == today else "planned"


_BEFORE_CREATE: dict[str, Callable[[Env, Row], None]] = {
    "crm.team": _team,
    "utm.campaign": _campaign,
    "crm.lead": _lead,
    "res.partner": _partner,
    "res.users": _users,
    "ir.model.fields": _ir_model_fields,
    "ir.model.fields.selection": _selection_option,
    "mail.activity": _activity,
    "ir.attachment": _attachment,
}
