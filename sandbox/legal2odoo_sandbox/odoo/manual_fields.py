"""`x_` fields created through ir.model.fields: the field exists on its model at once (and
goes away with the row, or with the call that failed)."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from legal2odoo_sandbox.odoo.exceptions import UserError, ValidationError
from legal2odoo_sandbox.odoo.schema import RELATIONAL, Field, link_inverses
from legal2odoo_sandbox.odoo.values import empty

if TYPE_CHECKING:
    from legal2odoo_sandbox.odoo.orm import Env
    from legal2odoo_sandbox.odoo.store import Row, Store


class ManualFieldsMixin:
    store: Store
    env: Env

    def _add_manual_field(self, row: Row, *, fill: bool = True) -> None:
        model = row.get("model")
        if model not in self.store.schema:
            raise UserError(f"Model {model!r} does not exist")
        mdef = self.store.schema[model]
        name = row["name"]
        attrs = {
            "type": row.get("ttype"),
            "string": row.get("field_description") or name,
            "required": bool(row.get("required")),
            "readonly": bool(row.get("readonly")),
            "store": True,
            "manual": True,
            "name": name,
            "searchable": True,
            "sortable": True,
            "change_default": False,
            "company_dependent": False,
            "depends": [],
            "exportable": True,
            "default_export_compatible": False,
        }
        if row.get("relation"):
            attrs["relation"] = row["relation"]
        if row.get("ttype") in ("char", "text", "html"):
            attrs.update(translate=bool(row.get("translate")), trim=True)
        if row.get("ttype") == "selection":
            self._reflect_selection_string(row)
            attrs["selection"] = self._selection_rows(row["id"])
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
        """The field's ir.model.fields.selection rows, in order: its options."""
        return _selection_rows_of(self.store, field_id)

    def _reflect_selection_string(self, row: Row) -> None:
        """`selection` given as a string: Odoo's inverse writes it as ir.model.fields.selection
        rows (sequence = position), so the options are rows either way."""
        options = _parse_selection(row.get("selection"))
        existing = {value for value, _ in self._selection_rows(row["id"])}
        new = [
            {"field_id": row["id"], "value": value, "name": label, "sequence": index}
            for index, (value, label) in enumerate(options)
            if value not in existing
        ]
        if new:
            self.env.model("ir.model.fields.selection").create(new)

    def _refresh_selections(self, field_ids: Iterable[int]) -> None:
        """Options rows changed: Odoo re-runs setup_models, so the live manual field takes
        its options from the rows again (a selection option added after the field counts)."""
        fields_table = self.store.tables["ir.model.fields"]
        for field_id in sorted(set(field_ids)):
            frow = fields_table.get(field_id) or {}
            mdef = self.store.schema.get(frow.get("model") or "")
            field = mdef.fields.get(frow.get("name") or "") if mdef else None
            if field is None or not field.attrs.get("manual") or field.type != "selection":
                continue  # not live yet: _add_manual_field reads the rows when it is
            before = field.attrs.get("selection")
            field.attrs["selection"] = self._selection_rows(field_id)
            self.store.on_rollback(lambda f=field, b=before: f.attrs.__setitem__("selection", b))

    def _selection_records(self, option: Row) -> tuple[str, str, list[int]] | None:
        """(model, field, record ids) holding this option's value on a live manual field."""
        frow = self.store.tables["ir.model.fields"].get(option.get("field_id") or 0) or {}
        model, name = frow.get("model") or "", frow.get("name") or ""
        mdef = self.store.schema.get(model)
        if mdef is None or name not in mdef.fields or not mdef.fields[name].attrs.get("manual"):
            return None
        ids = [i for i, r in self.store.tables[model].items() if r.get(name) == option["value"]]
        return model, name, ids

    def _rename_selection_value(self, option: Row, value: str) -> None:
        """Odoo rewrites the column when an option's value changes (an SQL UPDATE)."""
        found = self._selection_records(option)
        if found and value != option["value"]:
            model, name, ids = found
            for rid in ids:
                self.store.update(model, rid, {name: value})

    def _clear_selection_value(self, option: Row) -> None:
        """Deleting an option of a manual, optional field sets the records holding it to
        empty (ondelete 'set null', ir.model.fields.selection._process_ondelete)."""
        found = self._selection_records(option)
        if found:
            model, name, ids = found
            if not self.store.schema[model].fields[name].required:
                for rid in ids:
                    self.store.update(model, rid, {name: False})

    def _remove_manual_field(self, row: Row) -> None:
        mdef = self.store.schema.get(row.get("model") or "")
        if mdef is None or row.get("name") not in mdef.fields:
            return
        field = mdef.fields.pop(row["name"])
        mdef.fields_changed()
        link_inverses(self.store.schema)
        # Odoo drops the column: no record keeps a value for a field that no longer exists
        records = self.store.tables[row["model"]]
        dropped = {oid: rec.pop(field.name) for oid, rec in records.items() if field.name in rec}

        def undo() -> None:
            mdef.fields[field.name] = field
            mdef.fields_changed()
            link_inverses(self.store.schema)
            for oid, value in dropped.items():
                if oid in records:
                    records[oid][field.name] = value

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
