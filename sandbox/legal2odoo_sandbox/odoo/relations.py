"""Relational command lists on many2many and one2many fields, and the cascade of relation
tables when a record goes away."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from legal2odoo_sandbox.odoo.exceptions import OdooValueError
from legal2odoo_sandbox.odoo.integrity import fk_error
from legal2odoo_sandbox.odoo.schema import Field

if TYPE_CHECKING:
    from legal2odoo_sandbox.odoo.orm import Env
    from legal2odoo_sandbox.odoo.store import Row, Store


class RelationsMixin:
    env: Env
    store: Store
    name: str
    table: dict[int, Row]

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
            raise fk_error("Unknown", "unknown", f"{table}_{column}_fkey")
        if ids != self.table[rid].get(field.name):  # (a new record's empty set stays as it is)
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
