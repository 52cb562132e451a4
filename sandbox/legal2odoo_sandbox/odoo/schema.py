"""Models and fields per Odoo version, built from the facts in `facts/`.

17.0 replays `fields_get` as measured on a real Odoo 17 (every attribute). 18.0 and 19.0 start from
the 17.0 definitions and apply the field table of `facts/odoo-models.json` (fields added, removed or
changed type between versions).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

FACTS = Path(__file__).parent / "facts"
VERSIONS = ("17.0", "18.0", "19.0")
# The models the issue asks for, plus the ones their many2one fields point at.
MODELLED_MODELS = [
    "res.partner",
    "res.partner.category",
    "res.users",
    "crm.lead",
    "crm.stage",
    "crm.team",
    "crm.tag",
    "crm.lost.reason",
    "ir.attachment",
    "mail.activity",
    "mail.activity.type",
    "mail.message",
    "ir.model",
    "ir.model.fields",
    "ir.model.fields.selection",
    "ir.model.data",
    "res.company",
    "res.country",
    "res.country.state",
    "res.partner.title",
    "res.partner.industry",
    "utm.source",
    "utm.medium",
    "utm.campaign",
    "mail.message.subtype",
    "res.currency",
    "res.groups",
    "ir.module.module",
    "ir.ui.view",
]
# _rec_name other than `name`: declared in Odoo's Python, not in ir.model (measured).
REC_NAMES = {"ir.module.module": "shortdesc"}
MAGIC_FIELDS = ("id", "create_uid", "create_date", "write_uid", "write_date")
RELATIONAL = frozenset({"many2one", "many2many", "one2many"})
NEVER_NULL = frozenset({"boolean", "one2many", "many2many"})  # never NOT NULL-checked
# Fields never stored whatever fields_get says (the sandbox computes them on read).
ALWAYS_COMPUTED = frozenset({"display_name"})


@dataclass
class Field:
    name: str
    type: str
    attrs: dict[str, Any]  # what fields_get returns for it
    # derived from attrs once (hot paths read them for every row)
    required: bool = field(init=False)
    store: bool = field(init=False)
    relation: str | None = field(init=False)

    def __post_init__(self) -> None:
        self.required = bool(self.attrs.get("required"))
        self.store = bool(self.attrs.get("store", True)) and self.name not in ALWAYS_COMPUTED
        self.relation = self.attrs.get("relation")

    @property
    def string(self) -> str:
        return self.attrs.get("string", self.name)

    @property
    def relation_field(self) -> str | None:
        return self.attrs.get("relation_field")

    @property
    def selection_values(self) -> set[str] | None:
        """Allowed values (Odoo checks dynamic selections like `lang` too), None if unknown."""
        sel = self.attrs.get("selection")
        if not isinstance(sel, list):
            return None
        return {str(v[0]) for v in sel}

    @property
    def on_delete(self) -> str:
        return self.attrs.get("on_delete") or "set null"

    @property
    def m2m_table(self) -> tuple[str, str]:
        """(relation table, column of the target) as named in Odoo's FK error messages."""
        table = self.attrs.get("relation_table") or "unknown_rel"
        return table, self.attrs.get("column2") or "id"


@dataclass
class ModelDef:
    name: str
    description: str
    fields: dict[str, Field]
    order: str = "id"
    ir_model_id: int | None = None
    inverse_m2o: list[tuple[str, str]] = field(default_factory=list)  # (model, field) → here
    _layout: Layout | None = field(default=None, repr=False)

    @property
    def table(self) -> str:
        return self.name.replace(".", "_")

    @property
    def rec_name(self) -> str | None:
        if self.name in REC_NAMES:
            return REC_NAMES[self.name]
        if "name" in self.fields:
            return "name"
        return "x_name" if "x_name" in self.fields else None

    @property
    def has_active(self) -> bool:
        return "active" in self.fields

    def layout(self) -> Layout:
        """Per-row work lists, rebuilt when fields change (manual fields)."""
        if self._layout is None or self._layout.size != len(self.fields):
            self._layout = Layout.of(self)
        return self._layout

    def fields_changed(self) -> None:
        self._layout = None


@dataclass
class Layout:
    size: int
    template: dict[str, Any]  # every stored column with its empty value
    lists: list[str]  # many2many columns: each row needs its own list
    required: list[Field]
    many2one: list[Field]
    magic: list[str]

    @classmethod
    def of(cls, mdef: ModelDef) -> Layout:
        from legal2odoo_sandbox.odoo.values import empty

        stored = [
            f
            for f in mdef.fields.values()
            if f.store and f.name not in MAGIC_FIELDS and f.type != "one2many"
        ]
        return cls(
            size=len(mdef.fields),
            template={f.name: empty(f) for f in stored},
            lists=[f.name for f in stored if f.type == "many2many"],
            required=[f for f in stored if f.required and f.type not in NEVER_NULL],
            many2one=[f for f in stored if f.type == "many2one" and f.relation],
            magic=[n for n in MAGIC_FIELDS if n in mdef.fields and n != "id"],
        )


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text())


@cache
def _facts17() -> tuple[dict[str, Any], dict[str, Any]]:
    base = FACTS / "17.0"
    return _read_json(base / "fields_get.json"), _read_json(base / "models.json")


@cache
def _version_table() -> dict[str, Any]:
    return _read_json(FACTS / "odoo-models.json")


def _apply_version(fields: dict[str, dict[str, Any]], model: str, version: str) -> None:
    """Change 17.0's definitions of `model` into `version`'s, from the versions table."""
    table = _version_table()
    old, new = table["17.0"].get(model), table[version].get(model)
    if not old or not new:
        return
    for name in set(old) - set(new):
        fields.pop(name, None)
    for name, spec in new.items():
        if name in old and old[name] == spec and name in fields:
            continue
        attrs = copy.deepcopy(fields.get(name, {}))
        if attrs.get("type") != spec["type"]:
            attrs = {"string": name.replace("_", " ").title(), "name": name, "manual": False}
            attrs.update(store=spec.get("stored", True), searchable=True, sortable=True)
        attrs.update(type=spec["type"], required=spec["required"], readonly=spec["readonly"])
        for key in ("relation", "relation_field"):
            if key in spec:
                attrs[key] = spec[key]
        if isinstance(spec.get("selection"), list):
            labels = dict(attrs.get("selection") or [])
            attrs["selection"] = [[v, labels.get(v, v)] for v in spec["selection"]]
        fields[name] = attrs
    if version != "17.0" and "group_operator" in str(fields):
        for attrs in fields.values():
            if "group_operator" in attrs:
                attrs["aggregator"] = attrs.pop("group_operator")


@cache
def _schema_json(version: str) -> dict[str, dict[str, dict[str, Any]]]:
    fields_get, _ = _facts17()
    result = copy.deepcopy(fields_get)
    if version != "17.0":
        for model, fields in result.items():
            _apply_version(fields, model, version)
    return result


def load_schema(version: str) -> dict[str, ModelDef]:
    """Fresh model definitions for an Odoo version (callers may add manual fields to them)."""
    if version not in VERSIONS:
        raise ValueError(f"unsupported Odoo version {version!r}; choose one of {VERSIONS}")
    _, models = _facts17()
    schema: dict[str, ModelDef] = {}
    for model, fields in copy.deepcopy(_schema_json(version)).items():
        info = models.get(model, {})
        schema[model] = ModelDef(
            name=model,
            description=info.get("name", model),
            fields={n: Field(n, a["type"], a) for n, a in fields.items()},
            order=info.get("order") or "id",
            ir_model_id=info.get("id"),
        )
    link_inverses(schema)
    return schema


def link_inverses(schema: dict[str, ModelDef]) -> None:
    """Record, on each model, the stored many2one fields that point at it (for unlink)."""
    for mdef in schema.values():
        mdef.inverse_m2o.clear()
    for mdef in schema.values():
        for f in mdef.fields.values():
            if f.type == "many2one" and f.store and f.relation in schema:
                schema[f.relation].inverse_m2o.append((mdef.name, f.name))
