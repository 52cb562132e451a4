"""The marts as the loader sees them: which exist, in what order they load, which columns
are sent to Odoo (the `_` columns are metadata the loader keeps for itself)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

# Design §4: dependencies first. ir.model.data adopts existing records before anything
# refers to them by external id. `odoo__<model>__<pass>` is a further pass over the same model
# (same external ids), e.g. crm_lead__intake writes the custom intake values.
LOAD_ORDER = (
    "ir_model_data",
    "res_partner_category",
    "crm_team",
    "crm_stage",
    "crm_tag",
    "crm_lost_reason",
    "ir_model_fields",
    "ir_model_fields_selection",
    "res_partner",
    "res_partner__actionstep",
    "crm_lead",
    "crm_lead__intake",
    "crm_lead__matter_data",
    "ir_attachment",
    "mail_activity",
    "mail_message",
)


RES_XMLID = "_res_xmlid"  # external id of the record a message/attachment belongs to


@dataclass(frozen=True)
class Mart:
    table: str  # odoo__res_partner
    model: str  # res.partner
    columns: tuple[str, ...]  # sent to Odoo
    types: tuple[str, ...]  # DuckDB types of those columns
    order_by: str  # deterministic row order (load passes first)
    metadata: tuple[str, ...] = ()  # `_` columns: kept by the loader, never sent
    # SQL per sent column when a target names it differently (load/versions.py)
    sources: tuple[str, ...] = ()

    def selects(self) -> list[tuple[str, str, str]]:
        """(column, DuckDB type, SQL computing it) of every sent column."""
        sources = self.sources or tuple(f'"{c}"' for c in self.columns)
        return list(zip(self.columns, self.types, sources, strict=True))

    def only(self, columns: Sequence[str]) -> Mart:
        """The same mart reading just these sent columns."""
        typed = {column: (data_type, source) for column, data_type, source in self.selects()}
        return replace(
            self,
            columns=tuple(columns),
            types=tuple(typed[c][0] for c in columns),
            sources=tuple(typed[c][1] for c in columns),
        )

    @property
    def needs_loader(self) -> bool:
        """Rows name their record by external id in `_res_xmlid` (res_id is a
        many2one_reference: Odoo's import cannot resolve it; the loader does)."""
        return RES_XMLID in self.metadata


def as_text(column: str, data_type: str, source: str | None = None) -> str:
    """How Odoo's importer wants each type written (`source`: SQL computing the column)."""
    quoted = f'"{column}"'
    value = source or quoted
    if data_type.startswith("TIMESTAMP"):
        return f"strftime({value}, '%Y-%m-%d %H:%M:%S') as {quoted}"
    if data_type == "DATE":
        return f"strftime({value}, '%Y-%m-%d') as {quoted}"
    if data_type == "BOOLEAN":
        return f"case when {value} then 'True' when not {value} then 'False' end as {quoted}"
    return f"cast({value} as varchar) as {quoted}"


def open_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `legal2odoo build` first")
    return duckdb.connect(str(path), read_only=True)


def find_marts(con: duckdb.DuckDBPyConnection) -> list[Mart]:
    """The marts present in the warehouse, in load order."""
    rows = con.execute(
        "select table_name, column_name, data_type from information_schema.columns "
        "where table_name like 'odoo\\_\\_%' escape '\\' order by table_name, ordinal_position"
    ).fetchall()
    columns: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in rows:
        columns.setdefault(table, []).append((column, data_type))
    unknown = sorted(t for t in columns if t.removeprefix("odoo__") not in LOAD_ORDER)
    if unknown:
        raise ValueError(f"marts without a place in the load order: {', '.join(unknown)}")
    return [
        _mart(f"odoo__{name}", columns[f"odoo__{name}"])
        for name in LOAD_ORDER
        if f"odoo__{name}" in columns
    ]


def _mart(table: str, columns: list[tuple[str, str]]) -> Mart:
    names = [c for c in columns if not c[0].startswith("_")]
    key = "id" if any(c[0] == "id" for c in names) else names[0][0]
    passes = '"_load_pass", ' if any(c[0] == "_load_pass" for c in columns) else ""
    return Mart(
        table=table,
        model=table.removeprefix("odoo__").split("__")[0].replace("_", "."),
        columns=tuple(c[0] for c in names),
        types=tuple(c[1] for c in names),
        order_by=f'{passes}"{key}"',
        metadata=tuple(c[0] for c in columns if c[0].startswith("_")),
    )
