"""Targets for the loader tests: a fresh strict sandbox Odoo per test (`make test`), or the
real Odoo 17 named by ODOO_URL/ODOO_DB/ODOO_USER/ODOO_PASSWORD (`make test-real-odoo`).

Marts are built once per session by the real pipeline (sample firm -> extract captorra ->
extract odoo from the target -> dbt build), so owners and adopted partners are ids the target
really has. A fresh sandbox always has the same ids, so one build serves every sandbox test.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from legal2odoo.dbt import run_dbt
from legal2odoo.extract.captorra.run import extract_captorra
from legal2odoo.load.connect import connect
from legal2odoo.load.settings import OdooSettings
from legal2odoo.load.snapshot import extract_odoo
from legal2odoo.load.transport import RetryPolicy, Transport
from legal2odoo.workdir import Workdir, new_run_id
from legal2odoo_sandbox.odoo import Faults, Sandbox
from tests.conftest import Firm, builds_a_warehouse

SANDBOX_DB = "odoo17"
REAL_ENV = ("ODOO_URL", "ODOO_DB", "ODOO_USER", "ODOO_PASSWORD")
FAST_RETRY = RetryPolicy(attempts=6, base_delay=0.01, max_delay=0.05)
TOUCHED = ("res.partner", "crm.lead", "crm.stage", "crm.team", "ir.model.data")


@dataclass
class Target:
    """One Odoo to load into, and how to look at it."""

    settings: OdooSettings
    sandbox: Sandbox | None = None

    def connect(self, protocol: str | None = None, retry: RetryPolicy = FAST_RETRY) -> Transport:
        return connect(self.with_protocol(protocol), retry)

    def with_protocol(self, protocol: str | None) -> OdooSettings:
        s = self.settings
        return OdooSettings(
            s.url, s.db, s.user, s.secret, protocol or s.protocol, s.api_key, s.timeout
        )

    def dump(self, models: tuple[str, ...] = TOUCHED) -> dict[str, Any]:
        """Every record of `models` (the sandbox: of every model), volatile dates left out."""
        if self.sandbox is not None:
            return self.sandbox.dump()
        odoo = self.connect()
        out = {}
        for model in models:
            fields = odoo.execute(model, "fields_get", [], {"attributes": ["type", "store"]})
            names = sorted(
                n
                for n, f in fields.items()
                if f.get("store")
                and f["type"] not in ("one2many", "binary")
                and n
                not in (
                    "write_date",
                    "create_date",
                    "write_uid",
                    "date_open",
                    "date_last_stage_update",
                    "__last_update",
                )
            )
            everything = {"order": "id", "context": {"active_test": False}}
            out[model] = odoo.execute(model, "search_read", [[], names], everything)
        odoo.close()
        return out


def _real_settings(config: pytest.Config) -> OdooSettings:
    if "real_odoo" not in (config.getoption("markexpr") or ""):
        pytest.skip("real Odoo tests run only with `make test-real-odoo` (pytest -m real_odoo)")
    missing = [name for name in REAL_ENV if not os.environ.get(name)]
    if missing:
        pytest.skip(f"real Odoo not configured: set {', '.join(missing)}")
    return OdooSettings(
        os.environ["ODOO_URL"].rstrip("/"),
        os.environ["ODOO_DB"],
        os.environ["ODOO_USER"],
        os.environ["ODOO_PASSWORD"],
        None,
        False,
        60.0,
    )


@pytest.fixture
def make_sandbox() -> Iterator[Callable[..., Target]]:
    """Fresh sandboxes, stopped after the test."""
    servers = []

    def make(version: str = "17.0", faults: Faults | None = None, protocol: str = "xmlrpc"):
        sandbox = Sandbox(version, db=SANDBOX_DB, faults=faults)
        server = sandbox.serve()
        servers.append(server)
        secret = sandbox.api_key if protocol == "json2" else sandbox.password
        settings = OdooSettings(
            server.url, server.db, "admin", secret, protocol, protocol == "json2", 5.0
        )
        return Target(settings, sandbox)

    yield make
    for server in servers:
        server.stop()


def _build(firm: Firm, root: Path, target: Target) -> Workdir:
    workdir = Workdir(root)
    extract_captorra(workdir, firm.captorra_files())
    odoo = target.connect()
    extract_odoo(odoo, workdir.raw / "odoo", new_run_id())
    odoo.close()
    run_dbt(workdir, ["build"])
    return workdir


@pytest.fixture(scope="session")
def sandbox_marts(versioned_marts: Callable[[str], Workdir]) -> Workdir:
    return versioned_marts("17.0")


@pytest.fixture(scope="session")
@builds_a_warehouse
def versioned_marts(
    firm: Firm, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], Workdir]:
    """Marts built against a fresh sandbox's snapshot of that version (every fresh sandbox of a
    version is the same), built once per session."""
    built: dict[str, Workdir] = {}

    def marts(version: str) -> Workdir:
        if version not in built:
            sandbox = Sandbox(version, db=SANDBOX_DB)
            with sandbox.running() as server:
                settings = OdooSettings(server.url, server.db, "admin", sandbox.password, "xmlrpc")
                folder = tmp_path_factory.mktemp(f"loader-marts-{version}")
                built[version] = _build(firm, folder, Target(settings, sandbox))
        return built[version]

    return marts


@pytest.fixture(scope="session")
def real_target(request: pytest.FixtureRequest) -> Target:
    return Target(_real_settings(request.config))


@pytest.fixture(scope="session")
@builds_a_warehouse
def real_marts(
    real_target: Target, firm: Firm, tmp_path_factory: pytest.TempPathFactory
) -> Workdir:
    return _build(firm, tmp_path_factory.mktemp("loader-real-marts"), real_target)


@pytest.fixture
def workdir_copy(tmp_path: Path) -> Callable[[Workdir], Workdir]:
    """A private copy of built marts: each test has its own ledger and reports."""

    def copy(built: Workdir) -> Workdir:
        mine = Workdir(tmp_path / "work")
        mine.root.mkdir()
        shutil.copy(built.warehouse, mine.warehouse)
        if built.files.exists():  # attachments' bytes: without them their rows are held
            shutil.copytree(built.files, mine.files)
        return mine

    return copy
