"""export workflows: the raw Actionstep datasets (in their documented layout, built from the
generator's API records) and the Captorra registry, against the firm's manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import yaml
from click.testing import CliRunner

from legal2odoo.cli import main
from tests.conftest import Firm, Pipeline

RESOURCES = ("actiontypes", "steps", "datacollections", "datacollectionfields")


def _raw_actionstep(firm: Firm, raw: Path) -> None:
    """raw/actionstep/<resource>/run=<id>/part-00000.parquet: id, record (JSON), metadata."""
    for resource in RESOURCES:
        lines = (firm.root / "actionstep" / f"{resource}.jsonl").read_text().splitlines()
        records = [json.loads(line) for line in lines]
        table = pa.table(
            {
                "id": [str(r["id"]) for r in records],
                "record": [json.dumps(r, separators=(",", ":")) for r in records],
                "_extracted_at": pa.array([0] * len(records), pa.timestamp("us", tz="UTC")),
                "_run_id": ["r1"] * len(records),
            }
        )
        folder = raw / "actionstep" / resource / "run=r1"
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, folder / "part-00000.parquet")


def test_workflows_export(captorra_pipeline: Pipeline, tmp_path: Path) -> None:
    firm = captorra_pipeline.firm
    workdir = tmp_path / "work"
    (workdir / "raw").mkdir(parents=True)
    _raw_actionstep(firm, workdir / "raw")
    (workdir / "raw" / "captorra").symlink_to(captorra_pipeline.workdir.raw / "captorra")
    result = CliRunner().invoke(main, ["--data-dir", str(workdir), "export", "workflows"])
    assert result.exit_code == 0, result.output
    document = yaml.safe_load((workdir / "exports" / "workflows.yaml").read_text())
    records = firm.manifest["actionstep"]["records"]
    types = document["actionstep"]["matter_types"]
    assert len(types) == records["actiontypes"]
    assert sum(len(t["steps"]) for t in types) == records["steps"]
    collections = [c for t in types for c in t["data_collections"]]
    assert len(collections) == records["datacollections"]
    assert sum(len(c["fields"]) for c in collections) == records["datacollectionfields"]
    for matter_type in types:
        numbers = [s["number"] for s in matter_type["steps"]]
        assert numbers == sorted(numbers)
    form = document["captorra"]["intake_form"]
    assert len(form) == firm.manifest["captorra"]["custom_fields"]
    assert any(f["options"] for f in form)  # picklists keep their options
    pipelines = {p["pipeline"] for p in document["captorra"]["pipelines"]}
    assert {"Personal Injury", "Family Law", "Employment"} <= pipelines
