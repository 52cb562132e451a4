"""`x_` fields created through ir.model.fields: the field exists on its model at once (and
goes away with the row, or with the call that failed)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any

from sandbox.odoo.exceptions import UserError, ValidationError
from sandbox.odoo.schema import RELATIONAL, Field, link_inverses
from sandbox.odoo.values import empty

if TYPE_CHECKING:
    from sandbox.odoo.store import Row, Store


class ManualFieldsMixin:
    store: Store

    def _add_manual_field(self, row: Row, *, fill: bool = True) -> None:
        model = row.get("model")
        if model not in self.store.schema:
            raise UserError(f"Model {model!r} does not exist")
        mdef = self.store.schema[model]
        name = row["name"]
        attrs = {
            "type": row.get("ttype"), "string": row.get("field_description") or name,
            "required": bool(row.get("required")), "readonly": bool(row.get("readonly")),
            "store": True, "manual": True, "name": name, "searchable": True, "sortable": True,
            "change_default": False, "company_dependent": False, "depends": [],
            "exportable": True, "default_export_compatible": False,
        }  # fmt: skip
        if row.get("relation"):
            attrs["relation"] = row["relation"]
        if row.get("ttype") in ("char", "text", "html"):
            attrs.update(translate=bool(row.get("translate")), trim=True)
        if row.get("ttype") == "selection":
            attrs["selection"] = _parse_selection(row.get("selection")) or self._selection_rows(
                row["id"]
            )
        mdef.fields[name] = Field(name, attrs["type"], attrs)
        mdef.fields_changed()
        default = False if attrs["type"] not in RELATIONAL else []
        for oid in list(self.store.tables[model]) if fill else []:
            self.store.update(model, oid, {name: empty(mdef.fields[name]) or default})
        link_inverses(self.store.schema)

        def undo() -> None:
            mdef.fields.pop(name, None)
            mdef.fields_changed()
            link_inverses(self.store.schema)

        self.store.on_rollback(undo)

    def _selection_rows(self, field_id: int) -> list[list[str]]:
        """selection_ids given as commands: the ir.model.fields.selection rows, in order."""
        return _selection_rows_of(self.store, field_id)

    def _remove_manual_field(self, row: Row) -> None:
        mdef = self.store.schema.get(row.get("model") or "")
        if mdef is None or row.get("name") not in mdef.fields:
            return
        field = mdef.fields.pop(row["name"])
        mdef.fields_changed()
        link_inverses(self.store.schema)

        def undo() -> None:
            mdef.fields[field.name] = field
            mdef.fields_changed()
            link_inverses(self.store.schema)

        self.store.on_rollback(undo)


def _selection_rows_of(store: Store, field_id: int) -> list[list[str]]:
    rows = [
        r
        for r in store.tables["ir.model.fields.selection"].values()
        if r.get("field_id") == field_id
    ]
    rows.sort(key=lambda r: (r.get("sequence") or 0, r["id"]))
    return [[str(r["value"]), str(r["name"])] for r in rows]


def _parse_selection(value: Any) -> list[list[str]]:
    """ir.model.fields.selection given as a Python-literal string: "[('a','A'),('b','B')]"."""
    if not value:
        return []
    try:
        items = ast.literal_eval(value) if isinstance(value, str) else value
    except (ValueError, SyntaxError) as exc:
        raise ValidationError(
            f"The Selection Options expression is not a valid Pythonic expression."
            f" Please provide an expression in the [('key','Label'), ...] format."
            f" ({exc})"
        ) from None
    return [[str(k), str(v)] for k, v in items]
