"""Targets for the conformance suite: the sandbox (17.0 through xmlrpc.client, raw JSON-RPC and
odoorpc; 19.0 through JSON-2) and, with `make test-real-odoo`, a real Odoo 17 read from
ODOO_URL, ODOO_DB, ODOO_USER, ODOO_PASSWORD through the same three 17.0 clients."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from legal2odoo_sandbox.odoo import Sandbox
from legal2odoo_sandbox.odoo.server import RunningServer
from tests.sandbox_odoo.clients import TRANSPORTS, Client, Json2Client, Target

REAL_ENV = ("ODOO_URL", "ODOO_DB", "ODOO_USER", "ODOO_PASSWORD")
SANDBOX_DB = "odoo17"


@pytest.fixture(scope="session")
def sandbox_servers() -> Iterator[dict[str, tuple[Sandbox, RunningServer]]]:
    servers: dict[str, tuple[Sandbox, RunningServer]] = {}
    try:
        for version in ("17.0", "19.0"):
            sandbox = Sandbox(version, db=SANDBOX_DB)
            servers[version] = (sandbox, sandbox.serve())
        yield servers
    finally:
        for _, server in servers.values():
            server.stop()


def _real_target(config: pytest.Config) -> Target:
    if "real_odoo" not in (config.getoption("markexpr") or ""):
        pytest.skip("real Odoo tests run only with `make test-real-odoo` (pytest -m real_odoo)")
    missing = [name for name in REAL_ENV if not os.environ.get(name)]
    if missing:
        pytest.skip(
            f"real Odoo not configured: set {', '.join(missing)} "
            '(eval "$(../shared/real-odoo/env.sh)")'
        )
    return Target(
        os.environ["ODOO_URL"].rstrip("/"),
        os.environ["ODOO_DB"],
        os.environ["ODOO_USER"],
        os.environ["ODOO_PASSWORD"],
        version="17.0",
        real=True,
    )


CLIENT_PARAMS = [
    pytest.param(("sandbox", "17.0", "xmlrpc"), id="sandbox17-xmlrpc"),
    pytest.param(("sandbox", "17.0", "jsonrpc"), id="sandbox17-jsonrpc"),
    pytest.param(("sandbox", "17.0", "odoorpc"), id="sandbox17-odoorpc"),
    pytest.param(("sandbox", "19.0", "json2"), id="sandbox19-json2"),
    pytest.param(("real", "17.0", "xmlrpc"), id="real17-xmlrpc", marks=pytest.mark.real_odoo),
    pytest.param(("real", "17.0", "jsonrpc"), id="real17-jsonrpc", marks=pytest.mark.real_odoo),
    pytest.param(("real", "17.0", "odoorpc"), id="real17-odoorpc", marks=pytest.mark.real_odoo),
]


def make_target(request: pytest.FixtureRequest, kind: str, version: str) -> Target:
    if kind == "real":
        return _real_target(request.config)
    sandbox, server = request.getfixturevalue("sandbox_servers")[version]
    return Target(server.url, server.db, "admin", sandbox.password, version, False, sandbox.api_key)


@pytest.fixture(params=CLIENT_PARAMS)
def odoo(request: pytest.FixtureRequest) -> Client:
    """A logged-in admin client: every conformance test runs through each of these."""
    kind, version, transport = request.param
    target = make_target(request, kind, version)
    if transport == "json2":
        return Json2Client(target)
    return TRANSPORTS[transport](target)


@pytest.fixture(params=[p for p in CLIENT_PARAMS if "json2" not in p.id])
def rpc_odoo(request: pytest.FixtureRequest) -> Client:
    """Same as `odoo`, for rules that only exist on the legacy RPC transports."""
    kind, version, transport = request.param
    return TRANSPORTS[transport](make_target(request, kind, version))


@pytest.fixture
def uniq() -> str:
    """A suffix that keeps names unique across runs on a real, persistent database."""
    return uuid.uuid4().hex[:10]


@pytest.fixture(
    params=[
        pytest.param(("sandbox", "17.0"), id="sandbox17"),
        pytest.param(("real", "17.0"), id="real17", marks=pytest.mark.real_odoo),
    ]
)
def target17(request: pytest.FixtureRequest) -> Target:
    """Where a 17.0 server answers, for transport-level tests that build their own clients."""
    kind, version = request.param
    return make_target(request, kind, version)
