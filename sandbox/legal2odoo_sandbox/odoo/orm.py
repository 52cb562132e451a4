"""Odoo's model methods over the in-memory store, with Odoo 17's checks and messages.

`Env` is one caller (uid + context); `Model` is one model seen by that caller. Methods take and
return what Odoo's RPC layer takes and returns (ids, dicts, lists), never record objects.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from typing import Any

from legal2odoo_sandbox.odoo import access, rules
from legal2odoo_sandbox.odoo.exceptions import (
    MissingError,
    OdooValueError,
    UserError,
    ValidationError,
)
from legal2odoo_sandbox.odoo.integrity import fk_error, not_null
from legal2odoo_sandbox.odoo.manual_fields import ManualFieldsMixin
from legal2odoo_sandbox.odoo.relations import RelationsMixin
from legal2odoo_sandbox.odoo.schema import MAGIC_FIELDS, Field, ModelDef
from legal2odoo_sandbox.odoo.search import SearchMixin
from legal2odoo_sandbox.odoo.store import Row, Store
from legal2odoo_sandbox.odoo.values import as_ids, convert, empty
from legal2odoo_sandbox.odoo.views import check_field_unused

# Attributes the sandbox keeps for itself; real fields_get does not return them.
PRIVATE_ATTRS = ("on_delete", "relation_table", "column1", "column2")
# (model, model column, id column) of records attached to any record by reference
DEPENDENTS = (
    ("ir.model.data", "model", "res_id"),
    ("ir.attachment", "res_model", "res_id"),
    ("mail.message", "model", "res_id"),
    ("mail.activity", "res_model", "res_id"),
)
X2MANY = frozenset({"many2many", "one2many"})
READ_AS_IDS = X2MANY | {"many2one"}  # read() shapes these: lists, [id, name]
# Fields _read_value computes or takes from elsewhere than the row itself
SPECIAL_READS = frozenset(
    {
        ("res.users", "name"),
        ("res.users", "email"),
        ("res.users", "phone"),
        ("res.partner", "company_type"),
        ("ir.attachment", "datas"),
        ("mail.activity", "state"),
    }
)
IMMUTABLE = frozenset({str, int, float, bool, type(None)})
MISSING = object()
DROPPED_ON_WRITE = frozenset(MAGIC_FIELDS) | {"display_name", "__last_update"}


class Env:
    """One caller for one call. Models and the sudo env are cached: a load of thousands of
    rows asks for them per row, and a Model caches per-call work (defaults)."""

    def __init__(self, store: Store, uid: int, context: dict[str, Any] | None = None) -> None:
        self.store = store
        self.uid = uid
        self.context = dict(context or {})
        self._models: dict[str, Model] = {}
        self._sudo: Env | None = None

    def model(self, name: str) -> Model:
        model = self._models.get(name)
        if model is None:
            if name not in self.store.schema:
                raise UserError(f"Object {name} doesn't exist")
            model = self._models[name] = Model(self, self.store.schema[name])
        return model

    def sudo(self) -> Env:
        if self._sudo is None:
            self._sudo = Env(self.store, access.SUPERUSER_ID, self.context)
        return self._sudo

    def with_context(self, **extra: Any) -> Env:
        return Env(self.store, self.uid, {**self.context, **extra})


class Model(SearchMixin, RelationsMixin, ManualFieldsMixin):
    def __init__(self, env: Env, mdef: ModelDef) -> None:
        self.env = env
        self.store = env.store
        self.mdef = mdef
        self.name = mdef.name
        self.table = env.store.tables[mdef.name]
        self._defaults: tuple[Row, dict[str, Any]] | None = None

    # -- helpers -----------------------------------------------------------------------------
    def _check_access(self, mode: str) -> None:
        access.check(self.store, self.env.uid, self.name, mode)

    def _field(self, name: str) -> Field:
        field = self.mdef.fields.get(name)
        if field is None:
            raise OdooValueError(f"Invalid field {name!r} on model {self.name!r}")
        return field

    def _missing(self, ids: Iterable[int]) -> MissingError:
        ids = list(ids)
        shown = f"{ids[0]}," if len(ids) == 1 else ", ".join(map(str, ids))
        return MissingError(
            "Record does not exist or has been deleted.\n"
            f"(Record: {self.name}({shown}), User: {self.env.uid})"
        )

    def _existing(self, ids: Sequence[int]) -> list[int]:
        ids = as_ids(ids)
        missing = [i for i in ids if i not in self.table]
        if missing:
            raise self._missing(missing)
        return ids

    def display_name(self, rid: int) -> str:
        row = self.table.get(rid)
        if row is None:
            return f"{self.name},{rid}"
        if self.name == "res.users":
            return self.env.model("res.partner").display_name(row.get("partner_id") or 0)
        if self.name == "res.partner" and row.get("parent_id") and row.get("name"):
            parent = self.table.get(row["parent_id"]) or {}
            if parent.get("is_company") or parent.get("name"):
                return f"{self.display_name(row['parent_id'])}, {row['name']}"
        if self.name == "ir.model.data":
            return f"{row.get('module')}.{row.get('name')}"
        rec_name = self.mdef.rec_name
        value = row.get(rec_name) if rec_name else None
        return str(value) if value else f"{self.name},{rid}"

    # -- value conversion ----------------------------------------------------------------------
    def _prepare(self, vals: dict[str, Any]) -> tuple[Row, dict[str, Any]]:
        """Split vals into converted stored values and relational command lists."""
        if not isinstance(vals, dict):
            raise OdooValueError(f"Invalid values {vals!r} for {self.name}")
        fields = self.mdef.fields
        if not vals.keys() <= fields.keys():
            for name in vals:
                if name not in fields:
                    raise OdooValueError(f"Invalid field {name!r} on model {self.name!r}")
        scalars: Row = {}
        x2many: dict[str, Any] = {}
        writable = rules.WRITABLE_NONSTORED.get(self.name, ())
        for name, value in vals.items():
            field = fields[name]
            if name in DROPPED_ON_WRITE or (not field.store and name not in writable):
                continue
            if field.type in X2MANY:
                x2many[name] = value
            elif not field.store:
                scalars[name] = value
            else:
                scalars[name] = convert(self.name, field, value)
        return scalars, x2many

    def _prepared_defaults(self) -> tuple[Row, dict[str, Any]]:
        """Defaults split and converted once per call (the same for every row)."""
        if self._defaults is None:
            scalars: Row = {}
            x2many: dict[str, Any] = {}
            for name, value in rules.defaults(self.env, self.mdef).items():
                field = self.mdef.fields[name]
                if field.type in X2MANY:
                    if value not in ([[6, 0, []]], [(6, 0, [])], []):  # empty: nothing to do
                        x2many[name] = value
                elif field.store:
                    scalars[name] = convert(self.name, field, value)
            self._defaults = (scalars, x2many)
        return self._defaults

    def _check_m2o(self, row: Row) -> None:
        tables = self.store.tables
        for field in self.mdef.layout().many2one:
            value = row.get(field.name)
            if not value:
                continue
            target = tables.get(field.relation)  # type: ignore[arg-type]
            if target is not None and value not in target:
                constraint = f"{self.mdef.table}_{field.name}_fkey"
                raise fk_error(self.mdef.description, self.name, constraint)

    def _check_required(self, row: Row) -> None:
        for field in self.mdef.layout().required:
            value = row.get(field.name, False)
            if value is False or value is None or value == "":
                if field.type in ("integer", "float", "monetary") and value is not None:
                    continue
                raise not_null(self.mdef, field)

    # -- create ----------------------------------------------------------------------------------
    def create(self, vals_list: dict[str, Any] | list[dict[str, Any]]) -> list[int]:
        self._check_access("create")
        if isinstance(vals_list, dict):
            vals_list = [vals_list]
        return [self._create_one(vals) for vals in vals_list]

    def _create_one(self, vals: dict[str, Any]) -> int:
        password = vals.get("password") if self.name == "res.users" else None
        scalars, x2many = self._prepare(vals)
        default_scalars, default_x2many = self._prepared_defaults()
        scalars = {**default_scalars, **scalars}
        for name, value in default_x2many.items():
            if name not in x2many and name not in scalars:
                x2many[name] = copy.deepcopy(value)
        rules.before_create(self.env, self.mdef, scalars)
        fields = self.mdef.fields
        scalars = {k: v for k, v in scalars.items() if fields[k].store}
        rid = self.store.next_id(self.name)  # consumed even if the insert fails, as in PostgreSQL
        row = self._new_row(rid, scalars)
        self._check_required(row)
        rules.check_row(self.env, self.mdef, row, rid)
        self._check_m2o(row)
        self.store.insert(self.name, row)
        for name, commands in x2many.items():
            self._write_x2many(rid, self.mdef.fields[name], commands)
        if self.name == "ir.model.fields" and vals.get("selection"):
            # `selection` is not stored (computed with an inverse in Odoo) but defines the
            # options of a manual selection field. Added by the loader branch.
            row = {**row, "selection": vals["selection"]}
        self._after_create(rid, row)
        if self.name == "crm.lead":
            rules.after_lead_saved(self.env, row, set(vals))
        if password:
            self._set_password(rid, str(password))
        self._check_injected(rid)
        return rid

    def _set_password(self, uid: int, password: str) -> None:
        """res.users.password is write-only and not stored on the row."""
        passwords = self.store.credentials.passwords
        before = passwords.get(uid)
        passwords[uid] = password
        self.store.on_rollback(
            lambda: passwords.__setitem__(uid, before) if before else passwords.pop(uid, None)
        )

    def _check_injected(self, rid: int) -> None:
        """Fault injection: a ValidationError for rows matching a configured domain."""
        for rule in self.store.injected:
            if rule.model == self.name:
                evaluator = self._evaluator()
                if evaluator.evaluate(evaluator.prepare(rule.domain), self._path_reader(rid)):
                    raise ValidationError(rule.message)

    def _new_row(self, rid: int, scalars: Row) -> Row:
        layout = self.mdef.layout()
        row: Row = {"id": rid, **layout.template}
        for name in layout.lists:
            row[name] = []  # never share the template's list
        row.update(scalars)
        now = self.store.now()
        for name in layout.magic:
            row[name] = self.env.uid if name.endswith("_uid") else now
        return row

    def _after_create(self, rid: int, row: Row) -> None:
        if self.name == "ir.model.fields":
            self._add_manual_field(row)
        elif self.name == "ir.model.fields.selection":
            self._refresh_selections([row["field_id"]])
        elif self.name == "res.users":
            self._expand_groups(rid)
        elif self.name == "res.partner":
            rules.first_contact_address(self.env, rid, row)

    # -- write / unlink --------------------------------------------------------------------------
    def write(self, ids: Sequence[int], vals: dict[str, Any]) -> bool:
        self._check_access("write")
        ids = self._existing(ids)
        scalars, x2many = self._prepare(vals)
        if self.name == "res.users" and vals.get("password"):
            for rid in ids:
                self._set_password(rid, str(vals["password"]))
        rules.before_write(self.env, self.mdef, ids, scalars)
        if self.name == "res.users":
            delegated = {k: scalars.pop(k) for k in ("name", "email", "phone") if k in scalars}
            if delegated:
                partners = [self.table[i]["partner_id"] for i in ids]
                self.env.model("res.partner").write(partners, delegated)
        scalars = {k: v for k, v in scalars.items() if self.mdef.fields[k].store}
        options_of = self._options_before_write(ids, scalars)
        for rid in ids:
            changes = dict(scalars)
            if "write_uid" in self.mdef.fields:
                changes.update(write_uid=self.env.uid, write_date=self.store.now())
            merged = {**self.table[rid], **changes}
            self._check_required(merged)
            rules.check_row(self.env, self.mdef, merged, rid)
            self._check_m2o(changes)
            if self.name == "res.partner" and ("parent_id" in changes or "type" in changes):
                changes.update(rules.inherited_from_parent(self.env, merged))
            self.store.update(self.name, rid, changes)
            if self.name == "res.partner":
                rules.after_partner_write(self.env, rid, set(changes))
            elif self.name == "crm.lead":
                rules.after_lead_saved(self.env, self.table[rid], set(scalars))
            for name, commands in x2many.items():
                self._write_x2many(rid, self.mdef.fields[name], commands)
            if self.name == "res.users" and access.groups_field(self.store) in x2many:
                self._expand_groups(rid)
            self._check_injected(rid)
        if options_of:
            self._refresh_selections(options_of | {r["field_id"] for r in self._rows(ids)})
        return True

    def _rows(self, ids: Sequence[int]) -> list[Row]:
        return [self.table[i] for i in ids if i in self.table]

    def _options_before_write(self, ids: Sequence[int], scalars: Row) -> set[int]:
        """ir.model.fields.selection: rewrite records holding a renamed value (as Odoo's SQL
        UPDATE does) and return the fields whose options change."""
        if self.name != "ir.model.fields.selection":
            return set()
        rows = self._rows(ids)
        if "value" in scalars:
            for option in rows:
                self._rename_selection_value(option, scalars["value"])
        return {r["field_id"] for r in rows}

    def unlink(self, ids: Sequence[int]) -> bool:
        self._check_access("unlink")
        ids = self._existing(ids)
        for rid in ids:
            if rid in self.table:
                self._unlink_one(rid)
        return True

    def _unlink_one(self, rid: int) -> None:
        option = self.table[rid] if self.name == "ir.model.fields.selection" else None
        if self.name == "ir.model.fields":
            check_field_unused(self.store, self.table[rid])
            self._remove_manual_field(self.table[rid])
        elif option is not None:
            self._clear_selection_value(option)
        self.store.delete(self.name, rid)
        if option is not None:
            self._refresh_selections([option["field_id"]])
        for model, fname in list(self.mdef.inverse_m2o):
            other = self.env.model(model)
            field = other.mdef.fields[fname]
            refs = [i for i, r in other.table.items() if r.get(fname) == rid]
            if not refs:
                continue
            if field.on_delete == "restrict" or (field.required and field.on_delete != "cascade"):
                raise fk_error(other.mdef.description, model, f"{other.mdef.table}_{fname}_fkey")
            for ref in refs:
                if field.on_delete == "cascade":
                    if ref in other.table:
                        other._unlink_one(ref)
                else:
                    self.store.update(model, ref, {fname: False})
        self._drop_m2m_links(rid)
        self._unlink_dependents(rid)

    def _unlink_dependents(self, rid: int) -> None:
        """Rows that point here by (model, res_id), which no foreign key protects: Odoo's
        unlink removes the external ids and attachments; mail.thread the messages and
        activities (odoo/models.py, mail_thread.py, mail_activity_mixin.py)."""
        for model, model_col, id_col in DEPENDENTS:
            if model == self.name:
                continue
            for oid in sorted(self.store.lookup(model, (model_col, id_col), (self.name, rid))):
                if oid in self.store.tables[model]:
                    Model(self.env, self.store.schema[model])._unlink_one(oid)

    def _expand_groups(self, rid: int) -> None:
        fname = access.groups_field(self.store)
        groups = set(self.table[rid].get(fname) or [])
        closure = access.implied_closure(self.store, groups)
        if closure != groups:
            self.store.update(self.name, rid, {fname: sorted(closure)})

    # -- read ------------------------------------------------------------------------------------
    def read(
        self, ids: Sequence[int], fields: Sequence[str] | None = None, load: str = "_classic_read"
    ) -> list[Row]:
        self._check_access("read")
        names = list(fields) if fields else list(self.mdef.fields)
        for name in names:
            self._field(name)
        plan = [(n, self.mdef.fields[n], self._plain(n)) for n in names if n != "id"]
        return [self._read_row(rid, plan, load) for rid in as_ids(ids) if rid in self.table]

    def _plain(self, name: str) -> bool:
        """A stored scalar that _read_value would return as stored (or its empty value)."""
        field = self.mdef.fields[name]
        return (
            field.store and field.type not in READ_AS_IDS and (self.name, name) not in SPECIAL_READS
        )

    def _read_row(self, rid: int, plan: list[tuple[str, Field, bool]], load: str | None) -> Row:
        """Plain fields straight from the row (copied only when mutable, e.g. a json value),
        the others through _read_value."""
        row = self.table[rid]
        out: Row = {"id": rid}
        for name, field, plain in plan:
            if not plain:
                out[name] = self._read_value(rid, row, field, load)
            elif (value := row.get(name, MISSING)) is MISSING:
                out[name] = empty(field)
            else:
                out[name] = value if type(value) in IMMUTABLE else copy.deepcopy(value)
        return out

    def _read_value(self, rid: int, row: Row, field: Field, load: str | None) -> Any:
        name = field.name
        if name == "display_name":
            return self.display_name(rid)
        if self.name == "res.users" and name in ("name", "email", "phone") and name not in row:
            partner = self.store.tables["res.partner"].get(row.get("partner_id") or 0) or {}
            return partner.get(name, False)
        if field.type == "one2many":
            return self._o2m_ids(rid, field)
        if self.name == "res.partner" and name == "company_type":
            return "company" if row.get("is_company") else "person"
        if self.name == "ir.attachment" and name == "datas":
            return row.get("db_datas") or False
        if self.name == "mail.activity" and name == "state":
            return rules.activity_state(self.env, row)
        value = row.get(name, empty(field))
        if field.type == "many2many":
            return list(value or [])
        if field.type == "many2one" and value and load == "_classic_read":
            # an unmodelled target (mail.alias) has no name here: show "model,id"
            modelled = field.relation in self.store.schema
            target = self.env.model(field.relation or "") if modelled else None
            return [value, target.display_name(value) if target else f"{field.relation},{value}"]
        return copy.deepcopy(value)

    def _o2m_ids(self, rid: int, field: Field) -> list[int]:
        target = self.store.tables.get(field.relation or "")
        inverse = field.relation_field
        if target is None or not inverse:
            return []
        return sorted(i for i, r in target.items() if r.get(inverse) == rid)

    # -- metadata ----------------------------------------------------------------------------------
    def fields_get(
        self, allfields: Sequence[str] | None = None, attributes: Sequence[str] | None = None
    ) -> dict[str, dict[str, Any]]:
        result = {}
        for name, field in self.mdef.fields.items():
            if allfields and name not in allfields:
                continue
            attrs = {k: copy.deepcopy(v) for k, v in field.attrs.items() if k not in PRIVATE_ATTRS}
            if attributes:
                attrs = {k: v for k, v in attrs.items() if k in attributes}
            result[name] = attrs
        return result

    def default_get(self, fields_list: Sequence[str]) -> dict[str, Any]:
        defaults = rules.defaults(self.env, self.mdef)
        return {k: v for k, v in defaults.items() if k in fields_list}

    def check_access_rights(self, operation: str, raise_exception: bool = True) -> bool:
        if operation not in access.MODES:
            raise OdooValueError(f"Invalid access mode {operation!r}")
        if raise_exception:
            self._check_access(operation)
            return True
        return access.allowed(self.store, self.env.uid, self.name, operation)

    def exists(self, ids: Sequence[int]) -> list[int]:
        return [i for i in as_ids(ids) if i in self.table]
