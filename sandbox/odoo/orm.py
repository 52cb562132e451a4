"""Odoo's model methods over the in-memory store, with Odoo 17's checks and messages.

`Env` is one caller (uid + context); `Model` is one model seen by that caller. Methods take and
return what Odoo's RPC layer takes and returns (ids, dicts, lists), never record objects.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from typing import Any

from sandbox.odoo import access, rules
from sandbox.odoo.domain import DomainEvaluator
from sandbox.odoo.exceptions import (
    ConstraintError,
    MissingError,
    OdooValueError,
    UserError,
    ValidationError,
)
from sandbox.odoo.schema import MAGIC_FIELDS, RELATIONAL, Field, ModelDef, link_inverses
from sandbox.odoo.store import Row, Store
from sandbox.odoo.values import convert, empty

# Attributes the sandbox keeps for itself; real fields_get does not return them.
PRIVATE_ATTRS = ("on_delete", "relation_table", "column1", "column2")
NEVER_NULL = frozenset({"boolean", "one2many", "many2many"})
DROPPED_ON_WRITE = frozenset(MAGIC_FIELDS) | {"display_name", "__last_update"}


def _not_null(mdef: ModelDef, field: Field) -> ConstraintError:
    return ConstraintError(
        "The operation cannot be completed:\n"
        "- Create/update: a mandatory field is not set.\n"
        "- Delete: another model requires the record being deleted. If possible, archive it"
        " instead.\n\n"
        f"Model: {mdef.description} ({mdef.name})\n"
        f"Field: {field.string} ({field.name})\n",
        "not_null",
        field=field.name,
        detail=field.string,
    )


def _fk_error(description: str, model: str, constraint: str) -> ConstraintError:
    return ConstraintError(
        "The operation cannot be completed: another model requires the record being deleted."
        " If possible, archive it instead.\n\n"
        f"Model: {description} ({model})\n"
        f"Constraint: {constraint}\n",
        "fk",
        detail=constraint,
    )


class Env:
    def __init__(self, store: Store, uid: int, context: dict[str, Any] | None = None) -> None:
        self.store = store
        self.uid = uid
        self.context = dict(context or {})

    def model(self, name: str) -> Model:
        if name not in self.store.schema:
            raise UserError(f"Object {name} doesn't exist")
        return Model(self, self.store.schema[name])

    def sudo(self) -> Env:
        return Env(self.store, access.SUPERUSER_ID, self.context)

    def with_context(self, **extra: Any) -> Env:
        return Env(self.store, self.uid, {**self.context, **extra})


class Model:
    def __init__(self, env: Env, mdef: ModelDef) -> None:
        self.env = env
        self.store = env.store
        self.mdef = mdef
        self.name = mdef.name
        self.table = env.store.tables[mdef.name]

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
        ids = _as_ids(ids)
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
    def _prepare(self, vals: dict[str, Any], *, create: bool) -> tuple[Row, dict[str, Any]]:
        """Split vals into converted stored values and relational command lists."""
        if not isinstance(vals, dict):
            raise OdooValueError(f"Invalid values {vals!r} for {self.name}")
        for name in vals:
            if name not in self.mdef.fields:
                raise OdooValueError(f"Invalid field {name!r} on model {self.name!r}")
        scalars: Row = {}
        x2many: dict[str, Any] = {}
        for name, value in vals.items():
            field = self.mdef.fields[name]
            delegated = self.name == "res.users" and name in ("name", "email", "phone")
            ignored = name in DROPPED_ON_WRITE or (not field.store and name != "company_type")
            if ignored and not delegated:
                continue
            if field.type in ("many2many", "one2many"):
                x2many[name] = value
            elif field.store:
                scalars[name] = convert(self.name, field, value)
            else:
                scalars[name] = value
        return scalars, x2many

    def _check_m2o(self, row: Row) -> None:
        for name, value in row.items():
            field = self.mdef.fields.get(name)
            if field is None or field.type != "many2one" or not value:
                continue
            target = self.store.tables.get(field.relation or "")
            if target is not None and value not in target:
                raise _fk_error(self.mdef.description, self.name, f"{self.mdef.table}_{name}_fkey")

    def _check_required(self, row: Row) -> None:
        for field in self.mdef.fields.values():
            if field.required and field.store and field.type not in NEVER_NULL:
                value = row.get(field.name, False)
                if value is False or value is None or value == "":
                    if field.type in ("integer", "float", "monetary") and value is not None:
                        continue
                    raise _not_null(self.mdef, field)

    # -- create ----------------------------------------------------------------------------------
    def create(self, vals_list: dict[str, Any] | list[dict[str, Any]]) -> list[int]:
        self._check_access("create")
        if isinstance(vals_list, dict):
            vals_list = [vals_list]
        return [self._create_one(vals) for vals in vals_list]

    def _create_one(self, vals: dict[str, Any]) -> int:
        password = vals.get("password") if self.name == "res.users" else None
        scalars, x2many = self._prepare(vals, create=True)
        given = set(scalars) | set(x2many)
        for name, value in rules.defaults(self.env, self.mdef).items():
            if name in given:
                continue
            field = self.mdef.fields[name]
            if field.type in ("many2many", "one2many"):
                x2many[name] = value
            elif field.store:
                scalars[name] = convert(self.name, field, value)
        rules.before_create(self.env, self.mdef, scalars)
        scalars = {k: v for k, v in scalars.items() if self.mdef.fields[k].store}
        rid = self.store.next_id(self.name)  # consumed even if the insert fails, as in PostgreSQL
        row = self._new_row(rid, scalars)
        self._check_required(row)
        rules.check_row(self.env, self.mdef, row, rid)
        self._check_m2o(row)
        self.store.insert(self.name, row)
        for name, commands in x2many.items():
            self._write_x2many(rid, self.mdef.fields[name], commands)
        self._after_create(rid, row)
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
        now = self.store.now()
        row: Row = {"id": rid}
        for field in self.mdef.fields.values():
            if field.store and field.name not in MAGIC_FIELDS and field.type != "one2many":
                row[field.name] = empty(field)
        row.update(scalars)
        for name, value in (("create_uid", self.env.uid), ("write_uid", self.env.uid)):
            if name in self.mdef.fields:
                row[name] = value
        for name in ("create_date", "write_date"):
            if name in self.mdef.fields:
                row[name] = now
        return row

    def _after_create(self, rid: int, row: Row) -> None:
        if self.name == "ir.model.fields":
            self._add_manual_field(row)
        elif self.name == "res.users":
            self._expand_groups(rid)

    # -- write / unlink --------------------------------------------------------------------------
    def write(self, ids: Sequence[int], vals: dict[str, Any]) -> bool:
        self._check_access("write")
        ids = self._existing(ids)
        scalars, x2many = self._prepare(vals, create=False)
        if self.name == "res.users" and vals.get("password"):
            for rid in ids:
                self._set_password(rid, str(vals["password"]))
        if self.name == "res.partner" and "company_type" in scalars:
            scalars["is_company"] = scalars.pop("company_type") == "company"
        if self.name == "res.users":
            delegated = {k: scalars.pop(k) for k in ("name", "email", "phone") if k in scalars}
            if delegated:
                partners = [self.table[i]["partner_id"] for i in ids]
                self.env.model("res.partner").write(partners, delegated)
        scalars = {k: v for k, v in scalars.items() if self.mdef.fields[k].store}
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
            for name, commands in x2many.items():
                self._write_x2many(rid, self.mdef.fields[name], commands)
            if self.name == "res.users" and access.groups_field(self.store) in x2many:
                self._expand_groups(rid)
            self._check_injected(rid)
        return True

    def unlink(self, ids: Sequence[int]) -> bool:
        self._check_access("unlink")
        ids = self._existing(ids)
        for rid in ids:
            if rid in self.table:
                self._unlink_one(rid)
        return True

    def _unlink_one(self, rid: int) -> None:
        if self.name == "ir.model.fields":
            self._remove_manual_field(self.table[rid])
        self.store.delete(self.name, rid)
        for model, fname in list(self.mdef.inverse_m2o):
            other = self.env.model(model)
            field = other.mdef.fields[fname]
            refs = [i for i, r in other.table.items() if r.get(fname) == rid]
            if not refs:
                continue
            if field.on_delete == "restrict" or (field.required and field.on_delete != "cascade"):
                raise _fk_error(other.mdef.description, model, f"{other.mdef.table}_{fname}_fkey")
            for ref in refs:
                if field.on_delete == "cascade":
                    if ref in other.table:
                        other._unlink_one(ref)
                else:
                    self.store.update(model, ref, {fname: False})
        self._drop_m2m_links(rid)

    def _drop_m2m_links(self, rid: int) -> None:
        """Relation tables cascade: links to a deleted record disappear."""
        for mdef in self.store.schema.values():
            for field in mdef.fields.values():
                if field.type != "many2many" or field.relation != self.name or not field.store:
                    continue
                for oid, row in self.store.tables[mdef.name].items():
                    if rid in (row.get(field.name) or []):
                        kept = [i for i in row[field.name] if i != rid]
                        self.store.update(mdef.name, oid, {field.name: kept})

    # -- relational commands ---------------------------------------------------------------------
    def _write_x2many(self, rid: int, field: Field, commands: Any) -> None:
        if commands is False or commands is None:
            commands = [[5]]
        if not isinstance(commands, list | tuple):
            raise OdooValueError(f"Wrong value for {self.name}.{field.name}: {commands}")
        if field.type == "many2many":
            self._write_m2m(rid, field, commands)
        else:
            self._write_o2m(rid, field, commands)

    def _write_m2m(self, rid: int, field: Field, commands: Sequence[Any]) -> None:
        current = list(self.table[rid].get(field.name) or [])
        target = self.env.model(field.relation or "")
        for command in commands:
            if isinstance(command, int) and not isinstance(command, bool):
                command = (4, command)
            if not isinstance(command, list | tuple) or not command:
                raise OdooValueError(f"Wrong value for {self.name}.{field.name}: {commands}")
            code = command[0]
            if code == 0:
                current.append(target._create_one(command[2]))
            elif code == 1:
                target.write([command[1]], command[2])
                current.append(command[1])
            elif code in (2, 3):
                current = [i for i in current if i != command[1]]
                if code == 2:
                    target.unlink([command[1]])
            elif code == 4:
                current.append(command[1])
            elif code == 5:
                current = []
            elif code == 6:
                current = list(command[2] or [])
            else:
                raise OdooValueError(f"Wrong value for {self.name}.{field.name}: {commands}")
        ids = sorted(set(current))
        missing = [i for i in ids if i not in target.table]
        if missing:
            table, column = field.m2m_table
            raise _fk_error("Unknown", "unknown", f"{table}_{column}_fkey")
        self.store.update(self.name, rid, {field.name: ids})

    def _write_o2m(self, rid: int, field: Field, commands: Sequence[Any]) -> None:
        target = self.env.model(field.relation or "")
        inverse = field.relation_field
        if not inverse or inverse not in target.mdef.fields:
            return  # one2many without a stored inverse (e.g. over a reference): nothing to store
        for command in commands:
            if not isinstance(command, list | tuple) or not command:
                raise OdooValueError(f"Wrong value for {self.name}.{field.name}: {commands}")
            code = command[0]
            if code == 0:
                target._create_one({**command[2], inverse: rid})
            elif code == 1:
                target.write([command[1]], command[2])
            elif code == 2:
                target.unlink([command[1]])
            elif code == 3:
                target.write([command[1]], {inverse: False})
            elif code == 4:
                target.write([command[1]], {inverse: rid})
            elif code in (5, 6):
                keep = set(command[2] or []) if code == 6 else set()
                for oid, row in list(target.table.items()):
                    if row.get(inverse) == rid and oid not in keep:
                        target.write([oid], {inverse: False})
                for oid in keep:
                    target.write([oid], {inverse: rid})

    # -- manual fields ---------------------------------------------------------------------------
    def _add_manual_field(self, row: Row) -> None:
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
            attrs["selection"] = _parse_selection(row.get("selection"))
        mdef.fields[name] = Field(name, attrs["type"], attrs)
        default = False if attrs["type"] not in RELATIONAL else []
        for oid in list(self.store.tables[model]):
            self.store.update(model, oid, {name: empty(mdef.fields[name]) or default})
        link_inverses(self.store.schema)

        def undo() -> None:
            mdef.fields.pop(name, None)
            link_inverses(self.store.schema)

        self.store.on_rollback(undo)

    def _remove_manual_field(self, row: Row) -> None:
        mdef = self.store.schema.get(row.get("model") or "")
        if mdef is None or row.get("name") not in mdef.fields:
            return
        field = mdef.fields.pop(row["name"])
        link_inverses(self.store.schema)

        def undo() -> None:
            mdef.fields[field.name] = field
            link_inverses(self.store.schema)

        self.store.on_rollback(undo)

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
        return [self._read_row(rid, names, load) for rid in _as_ids(ids) if rid in self.table]

    def _read_row(self, rid: int, names: Sequence[str], load: str | None) -> Row:
        row = self.table[rid]
        out: Row = {"id": rid}
        for name in names:
            if name == "id":
                continue
            out[name] = self._read_value(rid, row, self.mdef.fields[name], load)
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
        value = row.get(name, empty(field))
        if field.type == "many2many":
            return list(value or [])
        if field.type == "many2one" and value and load == "_classic_read":
            target = self.env.model(field.relation or "") if field.relation else None
            return [value, target.display_name(value) if target else f"{field.relation},{value}"]
        return copy.deepcopy(value)

    def _o2m_ids(self, rid: int, field: Field) -> list[int]:
        target = self.store.tables.get(field.relation or "")
        inverse = field.relation_field
        if target is None or not inverse:
            return []
        return sorted(i for i, r in target.items() if r.get(inverse) == rid)

    # -- search ----------------------------------------------------------------------------------
    def _evaluator(self) -> DomainEvaluator:
        return DomainEvaluator(self._check_leaf, self._name_ids)

    def _check_leaf(self, parts: Sequence[str], leaf: tuple) -> str:
        mdef = self.mdef
        field: Field | None = None
        for i, part in enumerate(parts):
            field = mdef.fields.get(part) if part != "id" else Field("id", "integer", {})
            if field is None:
                raise OdooValueError(f"Invalid field {mdef.name}.{part} in leaf {leaf}")
            if i < len(parts) - 1:
                if field.type not in RELATIONAL or field.relation not in self.store.schema:
                    raise OdooValueError(f"Invalid field {mdef.name}.{part} in leaf {leaf}")
                mdef = self.store.schema[field.relation]
        return field.type if field else "integer"

    def _name_ids(self, parts: Sequence[str], operator: str, value: Any) -> set[int]:
        mdef = self.mdef
        for part in parts:
            mdef = self.store.schema[mdef.fields[part].relation or ""]
        target = self.env.model(mdef.name).with_active_test(False)
        ids = target._name_search_ids(str(value), operator, None)
        return set(ids)

    def with_active_test(self, active_test: bool) -> Model:
        return Model(self.env.with_context(active_test=active_test), self.mdef)

    def _path_reader(self, rid: int):
        def read(parts: Sequence[str]) -> list[Any]:
            return self._values_at(self.mdef, [rid], parts)

        return read

    def _values_at(self, mdef: ModelDef, ids: list[int], parts: Sequence[str]) -> list[Any]:
        table = self.store.tables[mdef.name]
        name, rest = parts[0], parts[1:]
        values: list[Any] = []
        if name == "id":
            return list(ids)
        field = mdef.fields[name]
        model = Model(self.env, mdef)
        for rid in ids:
            row = table.get(rid)
            if row is None:
                continue
            if field.type == "one2many":
                values.extend(model._o2m_ids(rid, field))
            elif field.type == "many2many":
                values.extend(row.get(name) or [])
            elif not field.store:
                values.append(model._read_value(rid, row, field, None))
            else:
                value = row.get(name, False)
                if field.type == "many2one":
                    if value:
                        values.append(value)
                else:
                    values.append(value)
        if rest:
            return self._values_at(self.store.schema[field.relation or ""], values, rest)
        return values

    def _search_ids(
        self,
        domain: Sequence[Any] | None,
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
    ) -> list[int]:
        domain = list(domain or [])
        evaluator = self._evaluator()
        prepared = evaluator.prepare(domain)
        if self.mdef.has_active and self.env.context.get("active_test", True):
            mentions_active = any(
                isinstance(t, tuple) and t[0] == ["active"] for t in prepared if t != "!"
            )
            if not mentions_active:
                prepared = (
                    ["&", (["active"], "=", True), *prepared]
                    if prepared
                    else [(["active"], "=", True)]
                )
        ids = [rid for rid in self.table if evaluator.evaluate(prepared, self._path_reader(rid))]
        ids = self._sorted(ids, order or self.mdef.order)
        end = None if limit in (None, False) else offset + int(limit)
        return ids[offset:end]

    def _sorted(self, ids: list[int], order: str) -> list[int]:
        for term in reversed([t.strip() for t in order.split(",") if t.strip()]):
            words = term.split()
            name, desc = words[0], len(words) > 1 and words[1].lower() == "desc"
            if name != "id" and name not in self.mdef.fields:
                raise OdooValueError(f"Invalid field {name!r} on model {self.name!r}")
            ids.sort(key=lambda rid, n=name, d=desc: self._sort_key(rid, n, d), reverse=desc)
        return ids

    def _sort_key(self, rid: int, name: str, desc: bool) -> tuple:
        if name == "id":
            return (0, rid)
        row = self.table[rid]
        field = self.mdef.fields[name]
        if name == "complete_name" or not field.store:
            value: Any = self.display_name(rid) if name in ("complete_name", "display_name") else 0
        else:
            value = row.get(name)
        if field.type == "many2one" and value:
            value = self.env.model(field.relation or "").display_name(value).lower()
        if value is None or (value is False and field.type != "boolean"):
            return (1 if not desc else -1, "")  # PostgreSQL: NULLs last ascending, first desc
        if isinstance(value, str):
            value = value.lower()
        if isinstance(value, list):
            value = tuple(value)
        return (0, value)

    def search(
        self,
        domain: Sequence[Any] | None = None,
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
    ) -> list[int]:
        self._check_access("read")
        return self._search_ids(domain, offset, limit, order)

    def search_count(self, domain: Sequence[Any] | None = None, limit: int | None = None) -> int:
        self._check_access("read")
        return len(self._search_ids(domain, 0, limit))

    def search_read(
        self,
        domain: Sequence[Any] | None = None,
        fields: Sequence[str] | None = None,
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
        load: str = "_classic_read",
    ) -> list[Row]:
        ids = self.search(domain, offset, limit, order)
        return self.read(ids, fields, load) if ids else []

    # -- names -----------------------------------------------------------------------------------
    def _name_search_ids(self, name: str, operator: str, limit: int | None) -> list[int]:
        field = "name" if self.mdef.rec_name else "id"
        if self.name == "res.partner":
            field = "complete_name"
        if self.name == "res.users":
            field = "partner_id.name"
        domain = [(field, operator, name)] if name or operator not in ("ilike", "like") else []
        if field == "complete_name":
            ids = self._search_ids([], 0, None)
            matcher = self._evaluator()
            prepared = matcher.prepare([("name", operator, name)]) if domain else []
            ids = [
                rid
                for rid in ids
                if not prepared
                or matcher.evaluate(prepared, lambda _p, r=rid: [self.display_name(r)])
            ]
            return ids[:limit] if limit else ids
        return self._search_ids(domain, 0, limit)

    def name_search(
        self,
        name: str = "",
        args: Sequence[Any] | None = None,
        operator: str = "ilike",
        limit: int = 100,
    ) -> list[list[Any]]:
        self._check_access("read")
        ids = self._name_search_ids(name, operator, None)
        if args:
            allowed = set(self._search_ids(args))
            ids = [i for i in ids if i in allowed]
        return [[rid, self.display_name(rid)] for rid in ids[:limit] if limit] or (
            [] if limit else [[rid, self.display_name(rid)] for rid in ids]
        )

    def name_create(self, name: str) -> list[Any]:
        rec_name = self.mdef.rec_name
        if not rec_name:
            raise UserError(
                f"Cannot create new '{self.mdef.description}' records from their name"
                " alone. Please create those records manually and try to import again."
            )
        rid = self.create([{rec_name: name}])[0]
        return [rid, self.display_name(rid)]

    def name_get(self, ids: Sequence[int]) -> list[list[Any]]:
        self._check_access("read")
        return [[rid, self.display_name(rid)] for rid in _as_ids(ids) if rid in self.table]

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
        return [i for i in _as_ids(ids) if i in self.table]


def _as_ids(ids: Any) -> list[int]:
    if isinstance(ids, bool) or ids is None:
        return []
    if isinstance(ids, int):
        return [ids]
    if not isinstance(ids, list | tuple):
        raise OdooValueError(f"Invalid ids {ids!r}")
    return [int(i) for i in ids]


def _parse_selection(value: Any) -> list[list[str]]:
    """ir.model.fields.selection given as a Python-literal string: "[('a','A'),('b','B')]"."""
    import ast

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
