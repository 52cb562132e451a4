"""The "Migrated data" form page (load/views.py): its arch, and the inherited views the schema
plan writes, re-writes in place and rolls back before the fields."""

from __future__ import annotations

import os
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from legal2odoo.load.ledger import Ledger
from legal2odoo.load.marts import open_warehouse
from legal2odoo.load.rollback import apply_rollback, plan_rollback
from legal2odoo.load.run import LoadOptions, load_to_odoo
from legal2odoo.load.schema import approved, plan_schema, write_plan
from legal2odoo.load.transport import Transport
from legal2odoo.load.views import FormField, canonical, form_arch, grouped, view_xmlid
from legal2odoo.workdir import Workdir
from tests.conftest import captorra_extract_args, extract_actionstep_in_process
from tests.loader.conftest import Target
from tests.loader.test_cli import CLI, odoo_env

SCHEMA_MARTS = ("odoo__ir_model_fields", "odoo__ir_model_fields_selection")


# -- the arch -----------------------------------------------------------------------------------
def test_arch_groups_fields_by_source_readonly_and_hidden_when_empty() -> None:
    fields = [
        FormField("x_trust_balance", "Trust Balance", "Trust ledger"),
        FormField("x_matter_type", "Matter Type", "Actionstep matter"),
        FormField("x_billing_lines", "Billing Lines", "Actionstep matter"),
        FormField("x_orphan", "Orphan", ""),
    ]
    root = ET.fromstring(form_arch(fields))
    (xpath,) = root
    assert (xpath.tag, xpath.get("expr"), xpath.get("position")) == (
        "xpath",
        "//notebook",
        "inside",
    )
    (page,) = xpath
    assert (page.tag, page.get("string"), page.get("name")) == (
        "page",
        "Migrated data",
        "legal2odoo_migrated_data",
    )
    groups = {g.get("string"): [f.get("name") for f in g] for g in page}
    assert groups == {
        "Actionstep matter": ["x_billing_lines", "x_matter_type"],  # by label
        "Migrated fields": ["x_orphan"],  # a field without a group
        "Trust ledger": ["x_trust_balance"],
    }
    assert list(groups) == ["Actionstep matter", "Migrated fields", "Trust ledger"]
    for group in page:
        names = [f.get("name") for f in group]
        assert group.get("invisible") == " and ".join(f"not {n}" for n in names)
        for field in group:
            assert field.get("readonly") == "1"
            assert field.get("invisible") == f"not {field.get('name')}"
            assert field.get("attrs") is None  # gone in Odoo 17


def test_labels_are_escaped_and_group_names_stay_identifiers() -> None:
    label = "Intake \"A\" & <B> 'C'"
    arch = form_arch([FormField("x_a", "A & <a>", label)])
    assert "&amp;" in arch and "&lt;B&gt;" in arch and "&quot;A&quot;" in arch
    (group,) = ET.fromstring(arch).iter("group")
    assert group.get("string") == label  # parsed back whole
    assert group.get("name") == "legal2odoo_intake_a_b_c"


def test_arch_does_not_depend_on_row_order_or_formatting() -> None:
    fields = [FormField(f"x_{i}", f"Field {i}", f"G{i % 3}") for i in range(9)]
    assert form_arch(fields) == form_arch(list(reversed(fields)))
    assert [label for label, _ in grouped(fields)] == ["G0", "G1", "G2"]
    squeezed = form_arch(fields).replace("\n", "").replace("  ", "")
    assert canonical(squeezed) == canonical(form_arch(fields))
    with pytest.raises(ValueError):
        form_arch([])


def test_view_xmlid() -> None:
    assert view_xmlid("crm.lead") == "legal2odoo.view_crm_lead_migrated_data"
    assert view_xmlid("res.partner") == "legal2odoo.view_res_partner_migrated_data"


# -- apply, re-apply, rollback on the sandbox ---------------------------------------------------
def _view(odoo: Transport, model: str) -> dict[str, Any] | None:
    module, name = view_xmlid(model).split(".")
    found = odoo.execute(
        "ir.model.data", "search_read", [[["module", "=", module], ["name", "=", name]], ["res_id"]]
    )
    if not found:
        return None
    (view,) = odoo.execute("ir.ui.view", "read", [[found[0]["res_id"]], ["arch_db", "inherit_id"]])
    return view


def _mart_fields(workdir: Workdir, model: str) -> dict[str, str]:
    model_id = {"crm.lead": "crm.model_crm_lead", "res.partner": "base.model_res_partner"}[model]
    with duckdb.connect(str(workdir.warehouse), read_only=True) as con:
        rows = con.execute(
            'select name, _form_group from odoo__ir_model_fields where "model_id/id" = ?',
            [model_id],
        ).fetchall()
    return dict(rows)


def _shown(arch: str) -> dict[str, str]:
    """field -> group label, as the arch shows them."""
    return {f.get("name"): g.get("string") for g in ET.fromstring(arch).iter("group") for f in g}


def test_views_are_planned_written_in_place_and_rolled_back_before_the_fields(
    sandbox_marts: Workdir,
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
) -> None:
    workdir, target = workdir_copy(sandbox_marts), make_sandbox()
    odoo = target.connect()
    before = target.dump()
    with open_warehouse(workdir.warehouse) as con:
        plan = plan_schema(odoo, con)
    (view,) = [v for v in plan.views if v["model"] == "crm.lead"]
    expected = _mart_fields(workdir, "crm.lead")
    assert (view["action"], view["inherit_id"], view["fields"]) == (
        "create",
        "crm.crm_lead_view_form",
        len(expected),
    )
    assert _shown(view["arch"]) == expected
    assert "views_to_write" in plan.to_yaml() and "Migrated data" in plan.to_yaml()

    first = load_to_odoo(workdir, target.connect, LoadOptions(marts=SCHEMA_MARTS), schema=plan)
    written = _view(odoo, "crm.lead")
    assert written is not None and canonical(written["arch_db"]) == canonical(view["arch"])
    with open_warehouse(workdir.warehouse) as con:
        assert not plan_schema(odoo, con).views  # the same arch: nothing to write again

    # a field moves to another group: the plan rewrites the arch (a new digest to approve)
    with duckdb.connect(str(workdir.warehouse)) as con:
        con.execute(
            "update odoo__ir_model_fields set _form_group = 'Moved & <renamed>' "
            "where name = 'x_matter_ref'"
        )
    with open_warehouse(workdir.warehouse) as con:
        replan = plan_schema(odoo, con)
    assert [(v["model"], v["action"]) for v in replan.views] == [("crm.lead", "update")]
    path = workdir.exports / "odoo_schema_plan.yaml"
    write_plan(plan, path)
    path.write_text(path.read_text().replace("approved: false", "approved: true"))
    assert approved(plan, path) and not approved(replan, path)
    second = load_to_odoo(workdir, target.connect, LoadOptions(marts=SCHEMA_MARTS), schema=replan)
    rewritten = _view(odoo, "crm.lead")
    assert rewritten is not None and rewritten["id"] == written["id"]  # in place
    assert _shown(rewritten["arch_db"])["x_matter_ref"] == "Moved & <renamed>"
    name = odoo.execute("ir.ui.view", "read", [[written["id"]], ["name"]])[0]["name"]
    assert odoo.execute("ir.ui.view", "search_count", [[["name", "=", name]]]) == 1
    with Ledger(workdir.audit) as ledger:
        views = [
            (w["run_id"], w["action"])
            for run in (first.run_id, second.run_id)
            for w in ledger.writes(run)
            if w["model"] == "ir.ui.view"
        ]
    assert (first.run_id, "created") in views and (second.run_id, "updated") in views

    with Ledger(workdir.audit) as ledger:
        apply_rollback(odoo, ledger, plan_rollback(odoo, ledger, second.run_id))
    restored = _view(odoo, "crm.lead")
    assert restored is not None and restored["arch_db"] == written["arch_db"]
    with Ledger(workdir.audit) as ledger:
        apply_rollback(odoo, ledger, plan_rollback(odoo, ledger, first.run_id))
    assert _view(odoo, "crm.lead") is None
    assert "x_matter_ref" not in odoo.execute("crm.lead", "fields_get", [], {})
    assert target.dump() == before


def test_a_field_a_view_shows_cannot_be_removed_first(
    sandbox_marts: Workdir,
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
) -> None:
    """What makes the rollback order matter: Odoo 17 (and the sandbox) refuse it."""
    workdir, target = workdir_copy(sandbox_marts), make_sandbox()
    odoo = target.connect()
    with open_warehouse(workdir.warehouse) as con:
        plan = plan_schema(odoo, con)
    load_to_odoo(workdir, target.connect, LoadOptions(marts=SCHEMA_MARTS), schema=plan)
    field = odoo.execute(
        "ir.model.fields", "search", [[["model", "=", "crm.lead"], ["name", "=", "x_matter_ref"]]]
    )
    with pytest.raises(Exception, match="still present in views"):
        odoo.execute("ir.model.fields", "unlink", [field])


# -- the real Odoo 17 ---------------------------------------------------------------------------
@pytest.mark.real_odoo
def test_migrated_fields_are_on_the_forms_of_a_real_odoo(
    real_target: Target, tmp_path: Path
) -> None:
    """The demo's fields (both sources of a small firm): after the schema plan, every one is in
    the form Odoo 17 serves (get_views); after rollback the views and the fields are gone."""
    root = tmp_path / "work"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ODOO_")},
        **odoo_env(real_target),
    }

    def ok(*args: str) -> None:
        done = subprocess.run(
            [*CLI, "--data-dir", str(root), *args], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, f"{args}: {done.stdout[-3000:]}{done.stderr[-3000:]}"

    sample = root / "sample"
    ok("sample-data", "--scale", "50", "--seed", "42", "--out", str(sample))
    ok(*captorra_extract_args(sample))
    workdir = Workdir(root)
    extract_actionstep_in_process(sample, workdir)
    ok("extract", "odoo")
    ok("build")
    odoo = real_target.connect()
    custom_before = _custom_fields(odoo)
    with open_warehouse(workdir.warehouse) as con:
        plan = plan_schema(odoo, con)
    assert {v["model"] for v in plan.views} == {"crm.lead", "res.partner"}
    run = load_to_odoo(workdir, real_target.connect, LoadOptions(marts=SCHEMA_MARTS), schema=plan)
    try:
        for model in ("crm.lead", "res.partner"):
            expected = _mart_fields(workdir, model)
            views = odoo.execute(model, "get_views", [[[False, "form"]]])
            arch = ET.fromstring(views["views"]["form"]["arch"])
            (page,) = [p for p in arch.iter("page") if p.get("name") == "legal2odoo_migrated_data"]
            assert _shown(ET.tostring(page, encoding="unicode")) == expected, model
            groups = {g.get("string") for g in page.iter("group")}
            print(f"{model}: {len(expected)} fields in {len(groups)} groups: {sorted(groups)}")
    finally:  # the database is shared with later tests
        with Ledger(workdir.audit) as ledger:
            apply_rollback(odoo, ledger, plan_rollback(odoo, ledger, run.run_id))
    for model in ("crm.lead", "res.partner"):
        assert _view(odoo, model) is None
        arch = odoo.execute(model, "get_views", [[[False, "form"]]])["views"]["form"]["arch"]
        assert "legal2odoo_migrated_data" not in arch
    assert _custom_fields(odoo) == custom_before


def _custom_fields(odoo: Transport) -> list[str]:
    rows = odoo.execute(
        "ir.model.fields", "search_read", [[["state", "=", "manual"]], ["model", "name"]]
    )
    return sorted(f"{r['model']}.{r['name']}" for r in rows)
