"""Access rights as Odoo 17 checks them: ir.model.access rows against the user's groups."""

from __future__ import annotations

from typing import TYPE_CHECKING

from legal2odoo_sandbox.odoo.exceptions import AccessError

if TYPE_CHECKING:
    from legal2odoo_sandbox.odoo.store import Store

SUPERUSER_ID = 1
MODES = {"read", "write", "create", "unlink"}
_HEADS = {
    "read": "You are not allowed to access '{kind}' ({model}) records.",
    "write": "You are not allowed to modify '{kind}' ({model}) records.",
    "create": "You are not allowed to create '{kind}' ({model}) records.",
    "unlink": "You are not allowed to delete '{kind}' ({model}) records.",
}


def groups_field(store: Store) -> str:
    """res.users.groups_id was renamed group_ids in 19.0."""
    return "groups_id" if "groups_id" in store.schema["res.users"].fields else "group_ids"


def user_groups(store: Store, uid: int) -> set[int]:
    user = store.tables["res.users"].get(uid) or {}
    return set(user.get(groups_field(store)) or [])


def implied_closure(store: Store, group_ids: set[int]) -> set[int]:
    """Groups plus every group they imply (Odoo stores the closure in res.users.groups_id)."""
    groups = store.tables["res.groups"]
    result, todo = set(), list(group_ids)
    while todo:
        gid = todo.pop()
        if gid not in result:
            result.add(gid)
            todo.extend((groups.get(gid) or {}).get("implied_ids") or [])
    return result


def _rules(store: Store, model: str, mode: str) -> list[int | bool]:
    """Group ids of the ACL rows that grant `mode` on `model` (False = everyone)."""
    irm = store.schema[model].ir_model_id
    return [
        acl.get("group_id") or False
        for acl in store.acl
        if acl.get("model_id") == irm and acl.get(f"perm_{mode}") and acl.get("active", True)
    ]


def allowed(store: Store, uid: int, model: str, mode: str) -> bool:
    if uid == SUPERUSER_ID or model not in store.schema:
        return True
    groups = user_groups(store, uid)
    return any(g is False or g in groups for g in _rules(store, model, mode))


def check(store: Store, uid: int, model: str, mode: str) -> None:
    if allowed(store, uid, model, mode):
        return
    group_table = store.tables["res.groups"]
    names = sorted(
        {
            str(group_table[g].get("full_name") or "").replace(" / ", "/")
            for g in _rules(store, model, mode)
            if g and g in group_table
        }
    )
    head = _HEADS[mode].format(kind=store.schema[model].description, model=model)
    if names:
        info = "This operation is allowed for the following groups:\n" + "\n".join(
            f"\t- {n}" for n in names
        )
    else:
        info = "No group currently allows this operation."
    raise AccessError(
        f"{head}\n\n{info}\n\nContact your administrator to request access if necessary."
    )
