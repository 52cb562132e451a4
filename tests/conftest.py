"""Shared fixtures: one synthetic firm and one Captorra pipeline run per test session."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from extract.captorra.run import CaptorraFiles, extract_captorra
from legal2odoo.dbt import run_dbt
from legal2odoo.workdir import Workdir
from load.csv_export import export_csv
from sandbox.firm.generate import generate

SCALE, SEED = 400, 7


@dataclass(frozen=True)
class Firm:
    root: Path
    manifest: dict[str, Any]

    @property
    def captorra(self) -> Path:
        return self.root / "captorra"

    def captorra_files(self) -> CaptorraFiles:
        return CaptorraFiles(
            export=self.captorra / "export.csv",
            fields=self.captorra / "fields.csv",
            activities=self.captorra / "activities.csv",
            attachments=self.captorra / "attachments",
        )


@pytest.fixture(scope="session")
def firm(tmp_path_factory: pytest.TempPathFactory) -> Firm:
    root = tmp_path_factory.mktemp("firm")
    generate(SCALE, SEED, root)
    return Firm(root, json.loads((root / "manifest.json").read_text()))


@dataclass(frozen=True)
class Pipeline:
    workdir: Workdir
    firm: Firm

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.workdir.warehouse), read_only=True) as con:
            return con.execute(sql).fetchall()


@pytest.fixture(scope="session")
def captorra_pipeline(firm: Firm, tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    """sample firm → extract captorra → dbt build (models, data tests, unit tests) → CSVs."""
    workdir = Workdir(tmp_path_factory.mktemp("work"))
    extract_captorra(workdir, firm.captorra_files())
    run_dbt(workdir, ["build"], odoo_snapshot=firm.root / "odoo")
    export_csv(workdir.warehouse, workdir.odoo_import)
    return Pipeline(workdir, firm)
