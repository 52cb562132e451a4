"""A live sandbox Odoo per test module and the ODOO_* environment that reaches it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from load.connect import connect
from load.settings import OdooSettings, load_settings
from load.transport import Transport
from sandbox.odoo import Sandbox


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
    sandbox = Sandbox("17.0", db="trust", password="trust-sandbox-pw")
    server = sandbox.serve()
    env = {
        "ODOO_URL": server.url,
        "ODOO_DB": "trust",
        "ODOO_USER": "admin",
        "ODOO_PASSWORD": sandbox.password,
        "ODOO_PROTOCOL": "xmlrpc",
    }
    try:
        yield LiveOdoo(sandbox, env)
    finally:
        server.stop()
