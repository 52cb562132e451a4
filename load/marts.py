"""The marts as the loader sees them: which exist, in what order they load, which columns
are sent to Odoo (the `_` columns are metadata the loader keeps for itself)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

# Design §4: dependencies first. Each mart's YAML names its Odoo model and place in the load
# order (config meta {odoo_model, load_order}); dbt writes them to this table
# (models/marts/mart_load_plan.sql). `odoo__<model>__<pass>` is a further pass over the same
# model (same external ids), e.g. crm_lead__intake writes the custom intake values.
LOAD_PLAN = "mart_load_plan"


class LoadPlanError(ValueError):
    """The warehouse does not say where a mart loads (no plan, or a mart missing from it)."""


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
    load_order: int = 0  # from the mart's meta (mart_load_plan)

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


def load_plan(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int]]:
    """(mart table, Odoo model, load order) in load order, from the marts' meta."""
    present = con.execute(
        "select count(*) from information_schema.tables where table_name = ?", [LOAD_PLAN]
    ).fetchone()
    if not present or not present[0]:
        raise LoadPlanError(
            f"no {LOAD_PLAN} in the warehouse: run `legal2odoo build` (it lists every mart's "
            "config meta {odoo_model, load_order})"
        )
    rows = con.execute(
        f"select mart, odoo_model, load_order from {LOAD_PLAN} order by load_order"
    ).fetchall()
    return [(str(mart), str(model), int(order)) for mart, model, order in rows]


def find_marts(con: duckdb.DuckDBPyConnection) -> list[Mart]:
    """The marts present in the warehouse, in load order (their meta, via mart_load_plan)."""
    rows = con.execute(
        "select table_name, column_name, data_type from information_schema.columns "
        "where table_name like 'odoo\\_\\_%' escape '\\' order by table_name, ordinal_position"
    ).fetchall()
    columns: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in rows:
        columns.setdefault(table, []).append((column, data_type))
    if not columns:  # a partial build (no marts yet): nothing to place
        return []
    plan = load_plan(con)
    planned = {table for table, _, _ in plan}
    unknown = sorted(t for t in columns if t not in planned)
    if unknown:
        raise LoadPlanError(
            f"marts without a place in the load order: {', '.join(unknown)}; give each one "
            "config meta {odoo_model: <model>, load_order: <integer>} in its YAML and rebuild"
        )
    return [
        replace(_mart(table, model, columns[table]), load_order=order)
        for table, model, order in plan
        if table in columns
    ]


def _mart(table: str, model: str, columns: list[tuple[str, str]]) -> Mart:
    names = [c for c in columns if not c[0].startswith("_")]
    key = "id" if any(c[0] == "id" for c in names) else names[0][0]
    passes = '"_load_pass", ' if any(c[0] == "_load_pass" for c in columns) else ""
    return Mart(
        table=table,
        model=model,
        columns=tuple(c[0] for c in names),
        types=tuple(c[1] for c in names),
        order_by=f'{passes}"{key}"',
        metadata=tuple(c[0] for c in columns if c[0].startswith("_")),
    )
