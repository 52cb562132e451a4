"""Shared fixtures: one synthetic firm, one Captorra pipeline run and one pipeline run of
both sources (Actionstep through its local API) per test session.

Test tiers: a fixture decorated with `builds_a_warehouse` runs dbt build on a whole firm, and
every test that uses it (directly or through another fixture) is marked `slow`: `make test`
runs the rest (`-m "not slow"`), `make test-all` runs those too. A test that runs dbt in its
own body carries `@pytest.mark.slow` itself."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import httpx
import pytest

from legal2odoo.dbt import run_dbt
from legal2odoo.extract.actionstep.limiter import PacingOptions
from legal2odoo.extract.actionstep.runner import ExtractOptions, RunResult, run_extract
from legal2odoo.extract.actionstep.settings import ConnectionSettings
from legal2odoo.extract.captorra.run import CaptorraFiles, extract_captorra
from legal2odoo.load.csv_export import export_csv
from legal2odoo.workdir import Workdir
from legal2odoo_sandbox.actionstep.app import ActionstepApp
from legal2odoo_sandbox.actionstep.schema import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_REFRESH_TOKEN,
)
from legal2odoo_sandbox.firm.generate import generate

SCALE, SEED = 400, 7
# The generator's manifest counts its unknown statuses ("Pending - Legacy Import") as held for
# review: the tests that compare with it build with the var that keeps that behaviour.
HOLD_UNKNOWN = "{unknown_status: hold}"

F = TypeVar("F", bound=Callable[..., Any])
BUILDS_A_WAREHOUSE = "_builds_a_warehouse"


def builds_a_warehouse(function: F) -> F:
    """Put under `@pytest.fixture`: the tests using this fixture belong to the slow tier."""
    setattr(function, BUILDS_A_WAREHOUSE, True)
    return function


def _uses_a_warehouse(item: pytest.Item) -> bool:
    info = getattr(item, "_fixtureinfo", None)  # the fixture closure, fixtures of fixtures too
    if info is None:
        return False
    return any(
        getattr(definition.func, BUILDS_A_WAREHOUSE, False)
        for definitions in info.name2fixturedefs.values()
        for definition in definitions
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _uses_a_warehouse(item):
            item.add_marker(pytest.mark.slow)


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
@builds_a_warehouse
def captorra_pipeline(firm: Firm, tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    """sample firm → extract captorra → dbt build (models, data tests, unit tests) → CSVs."""
    workdir = Workdir(tmp_path_factory.mktemp("work"))
    extract_captorra(workdir, firm.captorra_files())
    run_dbt(workdir, ["build"], odoo_snapshot=firm.root / "odoo", dbt_vars=HOLD_UNKNOWN)
    # the snapshot is the firm's own sandbox Odoo: its adoptions belong to it
    export_csv(workdir.warehouse, workdir.odoo_import, snapshot_of_target=True)
    return Pipeline(workdir, firm)


def captorra_extract_args(firm_root: Path) -> list[str]:
    """`legal2odoo extract captorra` arguments for a sample firm's export, fields and files."""
    captorra = firm_root / "captorra"
    files = ["--export", str(captorra / "export.csv"), "--fields", str(captorra / "fields.csv")]
    return ["extract", "captorra", *files, "--attachments", str(captorra / "attachments")]


def extract_actionstep_in_process(firm_root: Path, workdir: Workdir) -> RunResult:
    """The firm's Actionstep side served in-process by the local API, read by the real
    extractor (OAuth, paging, documents, trust-ledger export) into the workdir's raw layer."""
    host = "http://as.local"
    settings = ConnectionSettings(
        api_url=None,
        token_url=f"{host}/api/oauth/token",
        access_token=None,
        refresh_token=SANDBOX_REFRESH_TOKEN,
        client_id=SANDBOX_CLIENT_ID,
        client_secret=SANDBOX_CLIENT_SECRET,
    )
    options = ExtractOptions(
        pacing=PacingOptions(start_rate=2000, max_rate=5000, creep=1.0, backoff_base_s=0.001),
        trust_export=firm_root / "actionstep" / "trust_ledger.csv",
    )
    transport = httpx.ASGITransport(app=ActionstepApp(firm_root))
    result = asyncio.run(run_extract(workdir, settings, options, transport=transport))
    assert result.ok, result.incomplete
    return result


@pytest.fixture(scope="session")
@builds_a_warehouse
def both_pipeline(firm: Firm, tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    """sample firm → local Actionstep API → extract actionstep, extract captorra → dbt build
    (models, data tests, unit tests) → CSVs: one firm using both sources, so people on both
    sides meet in one partner."""
    workdir = Workdir(tmp_path_factory.mktemp("work-both"))
    extract_actionstep_in_process(firm.root, workdir)
    extract_captorra(workdir, firm.captorra_files())
    run_dbt(workdir, ["build"], odoo_snapshot=firm.root / "odoo", dbt_vars=HOLD_UNKNOWN)
    # the snapshot is the firm's own sandbox Odoo: its adoptions belong to it
    export_csv(workdir.warehouse, workdir.odoo_import, snapshot_of_target=True)
    return Pipeline(workdir, firm)
