"""search / search_count / search_read / name_search over the in-memory tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from legal2odoo_sandbox.odoo.domain import DomainEvaluator, PathReader
from legal2odoo_sandbox.odoo.exceptions import OdooValueError, UserError
from legal2odoo_sandbox.odoo.schema import RELATIONAL, Field, ModelDef
from legal2odoo_sandbox.odoo.values import as_ids

if TYPE_CHECKING:
    from legal2odoo_sandbox.odoo.orm import Env
    from legal2odoo_sandbox.odoo.store import Row, Store


class SearchMixin:
    env: Env
    store: Store
    mdef: ModelDef
    name: str
    table: dict[int, Row]

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

    def with_active_test(self, active_test: bool) -> Any:
        return type(self)(self.env.with_context(active_test=active_test), self.mdef)

    def _path_reader(self, rid: int) -> PathReader:
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
        model = type(self)(self.env, mdef)
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
        ids = [
            rid for rid in list(self.table) if evaluator.evaluate(prepared, self._path_reader(rid))
        ]
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
        return [[rid, self.display_name(rid)] for rid in as_ids(ids) if rid in self.table]
