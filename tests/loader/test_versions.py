"""One set of marts for Odoo 17 and 19: load/versions.py maps columns onto the target."""

from __future__ import annotations

import duckdb

from legal2odoo.load.marts import find_marts
from legal2odoo.load.rows import read_rows
from legal2odoo.load.versions import for_target
from tests.load_plan import write_load_plan


def _warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(
        "create table odoo__res_partner as select * from (values "
        "('p1', 'Ann', '555-0100', '555-0199'), ('p2', 'Bob', null, '555-0200'), "
        "('p3', 'Cy', '', null)) t(id, name, phone, mobile)"
    )
    con.execute(
        "create table odoo__crm_stage as select * from (values "
        "('s1', 'New', 'legal2odoo.team_a')) t(id, name, \"team_id/id\")"
    )
    write_load_plan(con, "odoo__res_partner", "odoo__crm_stage")
    return con


def test_odoo_19_folds_mobile_into_an_empty_phone() -> None:
    con = _warehouse()
    partners = next(m for m in find_marts(con) if m.model == "res.partner")
    mapped = for_target(partners, {"name": {}, "phone": {}})  # 19: no mobile
    assert mapped.columns == ("id", "name", "phone")
    assert [r.cells for r in read_rows(con, mapped)] == [
        ("p1", "Ann", "555-0100"),  # both: phone kept (as Odoo 19's upgrade does)
        ("p2", "Bob", "555-0200"),
        ("p3", "Cy", ""),
    ]


def test_odoo_19_names_the_stage_team_team_ids() -> None:
    con = _warehouse()
    stages = next(m for m in find_marts(con) if m.model == "crm.stage")
    mapped = for_target(stages, {"name": {}, "team_ids": {}})
    assert mapped.columns == ("id", "name", "team_ids/id")
    assert [r.cells for r in read_rows(con, mapped)] == [("s1", "New", "legal2odoo.team_a")]


def test_odoo_17_marts_pass_unchanged() -> None:
    con = _warehouse()
    for mart in find_marts(con):
        fields = {c.partition("/")[0]: {} for c in mart.columns}
        mapped = for_target(mart, fields)
        assert mapped.columns == mart.columns
        assert list(read_rows(con, mapped)) == list(read_rows(con, mart))


def test_a_field_missing_for_another_reason_stays_for_the_loader_to_report() -> None:
    con = _warehouse()
    partners = next(m for m in find_marts(con) if m.model == "res.partner")
    assert for_target(partners, {"name": {}}).columns == ("id", "name", "phone", "mobile")
