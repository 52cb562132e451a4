"""The load plan a hand-made test warehouse needs (dbt writes the real one from the marts'
meta, models/marts/mart_load_plan.sql)."""

from __future__ import annotations

import duckdb

from legal2odoo.load.rollback import MODEL_ORDER


def write_load_plan(con: duckdb.DuckDBPyConnection, *marts: str) -> None:
    """mart_load_plan for these marts (odoo__<model>[__<pass>]), in the rollback model order."""
    con.execute("create table mart_load_plan (mart varchar, odoo_model varchar, load_order int)")
    for mart in marts:
        model = mart.removeprefix("odoo__").split("__")[0].replace("_", ".")
        order = MODEL_ORDER.index(model) * 10 + len(mart.split("__")) - 2
        con.execute("insert into mart_load_plan values (?, ?, ?)", [mart, model, order])
