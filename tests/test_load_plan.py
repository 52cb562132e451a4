"""Each mart's Odoo model and load order come from its YAML meta (config.meta
{odoo_model, load_order}) through the table mart_load_plan, which the loader reads."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from legal2odoo.load.marts import LoadPlanError, find_marts
from legal2odoo.load.rollback import MODEL_ORDER
from legal2odoo.workdir import PROJECT_DIR
from tests.conftest import Pipeline
from tests.load_plan import write_load_plan


def test_the_loader_follows_the_marts_meta(both_pipeline: Pipeline) -> None:
    plan = both_pipeline.query("select mart, odoo_model, load_order from mart_load_plan")
    tables = {
        t
        for (t,) in both_pipeline.query(
            "select table_name from information_schema.tables "
            "where table_name like 'odoo\\_\\_%' escape '\\'"
        )
    }
    assert {mart for mart, _, _ in plan} == tables  # every mart has meta, and only marts
    with duckdb.connect(str(both_pipeline.workdir.warehouse), read_only=True) as con:
        marts = find_marts(con)
    in_order = [mart for mart, _, _ in sorted(plan, key=lambda row: row[2])]
    assert [m.table for m in marts] == in_order
    assert {m.table: m.model for m in marts} == {mart: model for mart, model, _ in plan}
    assert dict((m.table, m.model) for m in marts)["odoo__crm_lead__intake"] == "crm.lead"


def test_rollback_order_agrees_with_the_plan(both_pipeline: Pipeline) -> None:
    """Rollback reads only the ledger: its model order must be the marts' (first pass)."""
    plan = both_pipeline.query("select odoo_model, min(load_order) from mart_load_plan group by 1")
    by_plan = [model for model, _ in sorted(plan, key=lambda row: row[1])]
    assert by_plan == [m for m in MODEL_ORDER if m in by_plan]


def test_a_mart_outside_the_plan_is_refused() -> None:
    con = duckdb.connect()
    con.execute("create table odoo__res_partner (id varchar, name varchar)")
    con.execute("create table odoo__crm_tag (id varchar, name varchar)")
    write_load_plan(con, "odoo__res_partner")
    with pytest.raises(LoadPlanError, match=r"odoo__crm_tag.*config meta"):
        find_marts(con)


def test_a_warehouse_without_marts_needs_no_plan() -> None:
    """A partial build (intermediate models only) has nothing to load."""
    con = duckdb.connect()
    con.execute("create table int_records_held_for_review (source_id varchar)")
    assert find_marts(con) == []


def test_a_warehouse_without_a_plan_is_refused() -> None:
    con = duckdb.connect()
    con.execute("create table odoo__res_partner (id varchar, name varchar)")
    with pytest.raises(LoadPlanError, match="legal2odoo build"):
        find_marts(con)


def test_a_mart_without_meta_stops_the_build(tmp_path: Path) -> None:
    """dbt refuses to compile the plan when a mart's YAML lacks the meta."""
    project = tmp_path / "project"
    skip = (".venv", "data", "target", "logs", ".git", "tests", "sandbox", "bench", "docs")
    shutil.copytree(PROJECT_DIR, project, ignore=shutil.ignore_patterns(*skip))
    (tmp_path / "data").mkdir()
    (project / "models" / "marts" / "odoo__stray.sql").write_text("select 'x' as id\n")
    (project / "models" / "marts" / "_odoo__stray.yml").write_text(
        "version: 2\nmodels:\n  - name: odoo__stray\n    config: {contract: {enforced: false}}\n"
    )
    dbt = Path(sys.executable).parent / "dbt"
    command = [str(dbt), "compile", "--select", "mart_load_plan"]
    command += ["--project-dir", str(project), "--profiles-dir", str(project)]
    env = {"LEGAL2ODOO_DATA": str(tmp_path / "data"), "PATH": str(dbt.parent)}
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "odoo__stray" in result.stdout and "config meta" in result.stdout
