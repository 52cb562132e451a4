"""Schema first and the dry run, on a copy of the marts given a custom field."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pytest

from legal2odoo.load.ledger import Ledger
from legal2odoo.load.marts import open_warehouse
from legal2odoo.load.rollback import apply_rollback, plan_rollback
from legal2odoo.load.run import LoadOptions, load_to_odoo
from legal2odoo.load.schema import approved, plan_schema, write_plan
from legal2odoo.load.validate import validate
from legal2odoo.workdir import Workdir
from tests.loader.conftest import Target
from tests.loader.test_load import our_ids


def test_plan_apply_load_and_roll_back_custom_fields(
    sandbox_marts: Workdir,
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
) -> None:
    workdir, target = workdir_copy(sandbox_marts), make_sandbox()
    odoo = target.connect()
    with open_warehouse(workdir.warehouse) as con:
        plan = plan_schema(odoo, con)
        expected = {r[0] for r in con.execute("select name from odoo__ir_model_fields").fetchall()}
    assert {f["name"] for f in plan.fields} == expected and "x_captorra_id" in expected
    assert plan.loaded_by_mart
    assert {"crm.team", "crm.stage"} <= set(plan.records)
    assert not plan.problems
    path = workdir.exports / "odoo_schema_plan.yaml"
    write_plan(plan, path)
    assert not approved(plan, path)
    path.write_text(path.read_text().replace("approved: false", "approved: true"))
    assert approved(plan, path)

    before = target.dump()
    summary = load_to_odoo(workdir, target.connect, LoadOptions(), schema=plan)
    lead_actions = next(m.actions for m in summary.models if m.model == "crm.lead")
    assert set(lead_actions) == {"created"}, lead_actions
    leads = odoo.execute("crm.lead", "read", [our_ids(target, "crm.lead"), ["x_captorra_id"]])
    assert leads and all(lead["x_captorra_id"] for lead in leads)
    with open_warehouse(workdir.warehouse) as con:
        assert plan_schema(odoo, con).empty  # idempotent: nothing left to create

    with Ledger(workdir.audit) as ledger:
        apply_rollback(odoo, ledger, plan_rollback(odoo, ledger, summary.run_id))
    assert "x_captorra_id" not in odoo.execute("crm.lead", "fields_get", [], {})
    assert target.dump() == before


def test_an_unknown_x_column_is_a_problem_before_anything_is_sent(
    sandbox_marts: Workdir,
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
) -> None:
    workdir, target = workdir_copy(sandbox_marts), make_sandbox()
    with duckdb.connect(str(workdir.warehouse)) as con:
        con.execute("alter table odoo__crm_lead add column x_mystery varchar")
    with open_warehouse(workdir.warehouse) as con:
        plan = plan_schema(target.connect(), con)
    assert plan.problems == [
        "odoo__crm_lead.x_mystery: crm.lead has no field 'x_mystery' "
        "and odoo__ir_model_fields does not define it"
    ]


def test_dry_run_finds_bad_values_and_references_and_writes_nothing(
    sandbox_marts: Workdir,
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
) -> None:
    workdir, target = workdir_copy(sandbox_marts), make_sandbox()
    with duckdb.connect(str(workdir.warehouse)) as con:
        first, second, third = (
            r[0]
            for r in con.execute("select id from odoo__crm_lead order by id limit 3").fetchall()
        )
        con.execute(f"update odoo__crm_lead set type = 'matter' where id = '{first}'")
        con.execute(
            "update odoo__crm_lead set \"partner_id/id\" = 'legal2odoo.nobody' "
            f"where id = '{second}'"
        )
        con.execute(f"update odoo__crm_lead set \"user_id/.id\" = 99999 where id = '{third}'")
    before = target.dump()
    odoo = target.connect()
    with open_warehouse(workdir.warehouse) as con:
        problems = validate(odoo, con, plan_schema(odoo, con))
    found = {(p.external_id, p.column): p.message for p in problems}
    assert found == {
        (first, "type"): "'matter' is not one of: lead, opportunity",
        (second, "partner_id/id"): "reference legal2odoo.nobody not found",
        (third, "user_id/.id"): "res.users id 99999 not found",
    }
    assert target.dump() == before


@pytest.mark.real_odoo
def test_schema_and_load_on_real_odoo(
    real_marts: Workdir, workdir_copy: Callable[[Workdir], Workdir], real_target: Target
) -> None:
    """Custom fields created over RPC on a real Odoo 17 without Studio, loaded, rolled back."""
    workdir = workdir_copy(real_marts)
    before = real_target.dump()
    odoo = real_target.connect()
    with open_warehouse(workdir.warehouse) as con:
        plan = plan_schema(odoo, con)
    summary = load_to_odoo(workdir, real_target.connect, LoadOptions(), schema=plan)
    try:
        ours = our_ids(real_target, "crm.lead")
        leads = odoo.execute("crm.lead", "read", [ours, ["x_captorra_id"]])
        assert leads and all(lead["x_captorra_id"] for lead in leads)
    finally:  # the database is shared with later tests and later CI runs
        with Ledger(workdir.audit) as ledger:
            apply_rollback(odoo, ledger, plan_rollback(odoo, ledger, summary.run_id))
    assert "x_captorra_id" not in odoo.execute("crm.lead", "fields_get", [], {})
    assert real_target.dump() == before
