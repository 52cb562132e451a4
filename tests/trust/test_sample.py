"""build --sample: a deterministic slice of leads with its closure, against the full marts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from legal2odoo.cli import main
from legal2odoo.load.marts import open_warehouse
from legal2odoo.load.run import LoadOptions, load_to_odoo
from legal2odoo.load.schema import plan_schema
from legal2odoo.trust.verify import verify_run
from legal2odoo.workdir import Workdir
from tests.conftest import HOLD_UNKNOWN, Pipeline
from tests.trust.conftest import start_firm_odoo

SIZE = 150
# (mart, column holding external ids, where they must exist)
REFERENCES = (
    ("odoo__crm_lead", "partner_id/id", "partners"),
    ("odoo__crm_lead", "x_referral_partner_id/id", "partners"),
    ("odoo__res_partner", "parent_id/id", "partners"),
    ("odoo__mail_message", "author_id/id", "partners"),
    ("odoo__mail_message", "_res_xmlid", "leads"),
    ("odoo__ir_attachment", "_res_xmlid", "leads"),
    ("odoo__crm_lead__intake", "id", "leads"),
)


def _build_sample(pipeline: Pipeline, folder: Path) -> Path:
    shutil.copytree(pipeline.workdir.raw, folder / "raw")
    result = CliRunner().invoke(
        main,
        [
            "--data-dir",
            str(folder),
            "build",
            "--sample",
            str(SIZE),
            "--odoo-snapshot",
            str(pipeline.firm.root / "odoo"),
            "--vars",
            HOLD_UNKNOWN,
        ],
    )
    assert result.exit_code == 0, result.output
    used = json.loads((folder / "build_vars.json").read_text(encoding="utf-8"))
    assert used["unknown_status"] == "hold"  # what verify derives the stages by
    assert used["referral_mode"] == "partner"  # a default, not given
    return folder / "warehouse.duckdb"


def _query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.mark.slow
def test_sample_is_representative_closed_and_deterministic(
    captorra_pipeline: Pipeline, tmp_path: Path
) -> None:
    first = _build_sample(captorra_pipeline, tmp_path / "a")
    leads = {r[0] for r in _query(first, "select id from odoo__crm_lead")}
    assert len(leads) == SIZE
    all_stages = captorra_pipeline.query('select count(distinct "stage_id/id") from odoo__crm_lead')
    assert _query(first, 'select count(distinct "stage_id/id") from odoo__crm_lead') == all_stages
    assert _query(first, "select count(*) from odoo__crm_team")[0][0] >= 3
    assert _query(first, "select count(*) from odoo__res_partner")[0][0] >= 10
    for table in ("odoo__mail_message", "odoo__ir_attachment"):
        assert _query(first, f"select count(*) from {table}")[0][0] > 0
    (intake,) = _query(first, "select count(*) from odoo__crm_lead__intake")[0]
    assert intake == SIZE  # custom intake values travel with their leads

    targets = {
        "partners": "select id from odoo__res_partner union all "
        "select module || '.' || name from odoo__ir_model_data",
        "leads": "select id from odoo__crm_lead",
    }
    for table, column, kind in REFERENCES:
        dangling = _query(
            first,
            f'select count(*) from {table} where "{column}" is not null '
            f'and "{column}" not in ({targets[kind]})',
        )
        assert dangling == [(0,)], (table, column)

    second = _build_sample(captorra_pipeline, tmp_path / "b")
    assert {r[0] for r in _query(second, "select id from odoo__crm_lead")} == leads
    _sample_loads_on_its_own(captorra_pipeline, tmp_path / "a", tmp_path / "odoo")


def _sample_loads_on_its_own(pipeline: Pipeline, data: Path, folder: Path) -> None:
    """No reference of the sample is held for lack of a record outside it."""
    live, server = start_firm_odoo(pipeline.firm.root, folder)
    try:
        workdir = Workdir(data)
        odoo = live.connect()
        try:
            with open_warehouse(workdir.warehouse) as warehouse:
                plan = plan_schema(odoo, warehouse)
        finally:
            odoo.close()
        run = load_to_odoo(workdir, live.connect, LoadOptions(), schema=plan)
        result = verify_run(workdir, live.connect, run.run_id)
    finally:
        server.stop()
    held = {m.model: m.actions.get("held", 0) for m in run.models}
    assert held["res.partner"] == held["crm.lead"] == held["mail.message"] == 0
    recon = {r.model: r for r in result.reconciliation}
    assert recon["crm.lead"].in_odoo == SIZE
    assert recon["res.partner"].unexplained == recon["mail.message"].unexplained == 0
    assert result.records_with_differences == 0


def test_every_pass_mart_is_cut_to_the_sample(both_pipeline: Pipeline, tmp_path: Path) -> None:
    """A further pass over a model (`odoo__<model>__<pass>`) holds only the sample's records:
    a pass row whose record is not in the sample would be held at load (and fail verify); and
    no kept matter names a related matter outside the sample (its write would fail)."""
    sample = _build_sample(both_pipeline, tmp_path / "both")
    tables = [
        r[0]
        for r in _query(
            sample,
            "select table_name from information_schema.tables "
            "where table_name like 'odoo\\_\\_%\\_\\_%' escape '\\'",
        )
    ]
    assert {"odoo__res_partner__actionstep", "odoo__crm_lead__matter_data"} <= set(tables)
    for table in tables:
        main_table = "odoo__" + table.removeprefix("odoo__").split("__")[0]
        (full,) = both_pipeline.query(f"select count(*) from {table}")[0]
        outside = _query(  # the record is in the sample's mart, or an adopted one it keeps
            sample,
            f"select count(*) from {table} where id not in (select id from {main_table} "
            "union all select module || '.' || name from odoo__ir_model_data)",
        )
        assert full > 0 and outside == [(0,)], table
    dangling = _query(  # a kept matter's related matter is kept with it, transitively
        sample,
        'select count(*) from odoo__crm_lead where "x_related_matter_id/id" is not null '
        'and "x_related_matter_id/id" not in (select id from odoo__crm_lead)',
    )
    assert dangling == [(0,)]
