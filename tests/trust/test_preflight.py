"""preflight against the Captorra pipeline and the firm's manifest (the ground truth)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from click.testing import CliRunner

from legal2odoo.cli import main
from legal2odoo.load.snapshot import SCHEMAS, WRITTEN_MODELS
from legal2odoo.trust.findings import BLOCK
from legal2odoo.trust.preflight import run_preflight
from legal2odoo.trust.target import check_target
from tests.conftest import Pipeline
from tests.trust.conftest import LiveOdoo


def _by_check(findings: list) -> dict:
    return {f.check: f for f in findings}


def test_findings_match_the_manifest(captorra_pipeline: Pipeline) -> None:
    truth = captorra_pipeline.firm.manifest["captorra"]
    result = run_preflight(
        captorra_pipeline.workdir, captorra_pipeline.firm.root / "odoo", check_api=False
    )
    found = _by_check(result.findings)
    assert found["owners_on_fallback"].count == truth["owner_fallback_leads"]
    assert (
        sum(i["records"] for i in found["owners_on_fallback"].items)
        == truth["owner_fallback_leads"]
    )
    assert found["attachments_missing"].count == truth["attachments_missing"]
    held = {
        i["reason"]: i["records"] for i in found["review_queue"].items if i["model"] == "crm.lead"
    }
    assert held == truth["review_queue"]
    (stage_count,) = captorra_pipeline.query("select count(*) from odoo__crm_stage")[0]
    assert 0 < found["missing_crm_stage"].count <= stage_count
    assert found["target_version"].items == [{"version": "17.0", "edition": "unknown edition"}]
    written = json.loads(Path(result.path).read_text())
    assert written["blocked"] is False
    assert {f["check"] for f in written["findings"]} == set(found)


def test_html_notes_are_source_markup_only(captorra_pipeline: Pipeline) -> None:
    (expected,) = captorra_pipeline.query(
        "select count(*) from odoo__crm_lead where description like '%<b>%' "
        "or description like '%<ul>%' or description like '%&lt;%'"
    )[0]
    result = run_preflight(
        captorra_pipeline.workdir, captorra_pipeline.firm.root / "odoo", check_api=False
    )
    notes = _by_check(result.findings).get("html_notes")
    assert expected > 0 and notes is not None
    assert {i["model"] for i in notes.items} == {"crm.lead"}  # our <p> wrapping is not a finding
    assert notes.count == expected


def test_live_target_version_and_transport(live_odoo: LiveOdoo) -> None:
    (finding,) = check_target(live_odoo.env)
    assert finding.severity == "info"
    assert finding.items[0]["version"].startswith("17.0")
    assert finding.items[0]["transport"] == "xmlrpc"
    assert finding.items[0]["edition"] in ("Community", "unknown edition")  # no modules model
    assert live_odoo.env["ODOO_PASSWORD"] not in json.dumps(finding.as_dict())


def test_unreachable_target_blocks() -> None:
    env = {
        "ODOO_URL": "http://127.0.0.1:9",
        "ODOO_DB": "x",
        "ODOO_USER": "admin",
        "ODOO_PASSWORD": "secret-pw",
    }
    (finding,) = check_target(env)
    assert finding.severity == BLOCK
    assert "secret-pw" not in finding.summary


def test_missing_custom_fields_block_and_exit_1(
    captorra_pipeline: Pipeline, live_odoo: LiveOdoo, tmp_path: Path
) -> None:
    """The firm's snapshot plus the live target's fields_get (no x_ fields there yet)."""
    shutil.copytree(captorra_pipeline.firm.root / "odoo", tmp_path / "odoo")
    _write_fields_get(live_odoo, tmp_path / "odoo" / "fields_get" / "run=test")
    result = CliRunner().invoke(
        main,
        [
            "--data-dir",
            str(captorra_pipeline.workdir.root),
            "preflight",
            "--odoo-snapshot",
            str(tmp_path / "odoo"),
        ],
        env=live_odoo.env,
    )
    assert result.exit_code == 1, result.output
    assert "custom_fields_missing" in result.output
    report = sorted((captorra_pipeline.workdir.root / "reports").glob("*/preflight.json"))[-1]
    found = {f["check"]: f for f in json.loads(report.read_text())["findings"]}
    missing = {(i["model"], i["field"]) for i in found["custom_fields_missing"]["items"]}
    assert ("crm.lead", "x_captorra_id") in missing
    assert found["odoo_api"]["items"][0]["transport"] == "xmlrpc"


def _write_fields_get(live_odoo: LiveOdoo, folder: Path) -> None:
    """What `extract odoo` writes for fields_get (the sandbox has no ir.module.module, which
    the full snapshot also reads)."""
    odoo = live_odoo.connect()
    try:
        rows = [
            {"model": model, "name": name, "type": meta.get("type")}
            for model in WRITTEN_MODELS
            for name, meta in odoo.execute(
                model, "fields_get", [], {"attributes": ["type"]}
            ).items()
        ]
    finally:
        odoo.close()
    folder.mkdir(parents=True)
    schema = SCHEMAS["fields_get"]
    table = pa.Table.from_pylist([{n: r.get(n) for n in schema.names} for r in rows], schema=schema)
    pq.write_table(table, folder / "part-00000.parquet")
