"""A live sandbox Odoo per test module and the ODOO_* environment that reaches it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from legal2odoo.load.connect import connect
from legal2odoo.load.marts import open_warehouse
from legal2odoo.load.run import LoadOptions, load_to_odoo
from legal2odoo.load.schema import plan_schema
from legal2odoo.load.settings import OdooSettings, load_settings
from legal2odoo.load.transport import Transport
from legal2odoo.workdir import Workdir
from legal2odoo_sandbox.odoo import Sandbox
from legal2odoo_sandbox.odoo.server import RunningServer
from tests.conftest import Firm, Pipeline

PASSWORD = "trust-sandbox-pw"


@dataclass(frozen=True)
class LiveOdoo:
    sandbox: Sandbox
    env: dict[str, str]

    @property
    def settings(self) -> OdooSettings:
        return load_settings(self.env, dotenv=None)

    def connect(self) -> Transport:
        return connect(self.settings)


@pytest.fixture(scope="module")
def live_odoo() -> Iterator[LiveOdoo]:
    sandbox = Sandbox("17.0", db="trust", password=PASSWORD)
    server = sandbox.serve()
    try:
        yield LiveOdoo(sandbox, _env(server.url))
    finally:
        server.stop()


def _env(url: str) -> dict[str, str]:
    return {
        "ODOO_URL": url,
        "ODOO_DB": "trust",
        "ODOO_USER": "admin",
        "ODOO_PASSWORD": PASSWORD,
        "ODOO_PROTOCOL": "xmlrpc",
    }


@dataclass(frozen=True)
class LoadedRun:
    """The Captorra pipeline's marts loaded into a sandbox Odoo holding the firm's users."""

    odoo: LiveOdoo
    workdir: Workdir
    run_id: str
    firm: Firm


def sandbox_firm(firm: Path, folder: Path) -> Path:
    """The firm's Odoo side for `Sandbox(firm=...)`, without its crm_team rows: the firm's
    team 1 collides with the sandbox's seeded team (no alias_id) in this sandbox version."""
    shutil.copytree(firm / "odoo", folder / "odoo", ignore=shutil.ignore_patterns("crm_team"))
    return folder


def start_firm_odoo(firm: Path, folder: Path) -> tuple[LiveOdoo, RunningServer]:
    sandbox = Sandbox("17.0", db="trust", password=PASSWORD, firm=sandbox_firm(firm, folder))
    server = sandbox.serve()
    return LiveOdoo(sandbox, _env(server.url)), server


def copy_warehouse(pipeline: Pipeline, folder: Path) -> Workdir:
    """A workdir of its own (ledger, reports) over a copy of the session's warehouse, reading
    the session's raw Parquet (verify derives what Odoo must hold from it)."""
    workdir = Workdir(folder)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(pipeline.workdir.warehouse, workdir.warehouse)
    if pipeline.workdir.raw.exists() and not workdir.raw.exists():
        workdir.raw.symlink_to(pipeline.workdir.raw.resolve(), target_is_directory=True)
    return workdir


@pytest.fixture(scope="module")
def loaded_run(
    captorra_pipeline: Pipeline, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LoadedRun]:
    root = tmp_path_factory.mktemp("loaded")
    live, server = start_firm_odoo(captorra_pipeline.firm.root, root / "firm")
    try:
        workdir = copy_warehouse(captorra_pipeline, root / "work")
        odoo = live.connect()
        try:
            with open_warehouse(workdir.warehouse) as warehouse:
                plan = plan_schema(odoo, warehouse)  # what `load --apply-schema` applies
        finally:
            odoo.close()
        summary = load_to_odoo(workdir, live.connect, LoadOptions(), schema=plan)
        yield LoadedRun(live, workdir, summary.run_id, captorra_pipeline.firm)
    finally:
        server.stop()
