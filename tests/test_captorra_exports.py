"""Captorra exports written by hand (tests/fixtures/captorra_exports/<variant>/export.csv), not
by the generator: each goes through extract → build → load into a fresh strict sandbox Odoo,
and the leads that arrive are compared with what the file says.

Every variant is its own extract run into one shared workdir (lead ids differ per variant), so
one dbt build and one load serve them all. No target snapshot is given: the build assumes an
empty Odoo (every owner on the fallback owner, no partner adopted)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from extract.captorra.run import CaptorraFiles, extract_captorra
from legal2odoo.dbt import run_dbt
from legal2odoo.workdir import Workdir
from load.connect import connect
from load.run import LoadOptions, load_to_odoo
from load.settings import OdooSettings
from load.transport import Transport
from sandbox.odoo import Sandbox
from trust.preflight import run_preflight

FIXTURES = Path(__file__).parent / "fixtures" / "captorra_exports"
VARIANTS = sorted(p.name for p in FIXTURES.iterdir() if (p / "export.csv").is_file())


@dataclass(frozen=True)
class Loaded:
    workdir: Workdir
    odoo: Transport

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.workdir.warehouse), read_only=True) as con:
            return con.execute(sql).fetchall()

    def leads(self, prefix: str) -> dict[str, dict]:
        """The loaded crm.lead records of one variant, by Captorra id."""
        rows = self.odoo.execute(
            "crm.lead",
            "search_read",
            [[["x_captorra_id", "=like", f"{prefix}-%"]]],
            {"context": {"active_test": False}},
        )
        return {r["x_captorra_id"]: r for r in rows}


def _files(variant: str) -> CaptorraFiles:
    folder = FIXTURES / variant
    fields = folder / "fields.csv"
    return CaptorraFiles(export=folder / "export.csv", fields=fields if fields.exists() else None)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    workdir = Workdir(tmp_path_factory.mktemp("captorra-exports"))
    for variant in VARIANTS:
        extract_captorra(workdir, _files(variant))
    run_dbt(workdir, ["build"])  # no --odoo-snapshot and no raw/odoo: an empty target
    sandbox = Sandbox("17.0", db="odoo17")
    with sandbox.running() as server:
        settings = OdooSettings(server.url, server.db, "admin", sandbox.password, "xmlrpc")

        def session() -> Transport:
            return connect(settings)

        summary = load_to_odoo(workdir, session, LoadOptions())
        assert not [m.failed_report for m in summary.models if m.failed_report]
        odoo = session()
        yield Loaded(workdir, odoo)
        odoo.close()


def test_without_a_snapshot_every_owner_is_the_fallback_and_no_partner_is_adopted(
    loaded: Loaded,
) -> None:
    leads = loaded.leads("B")
    assert set(leads) == {"B-101", "B-102", "B-103"}
    # the empty target's administrator (base.user_admin) owns every lead
    assert {lead["user_id"][0] for lead in leads.values()} == {2}
    assert loaded.query("select count(*) from odoo__ir_model_data") == [(0,)]
    preflight = run_preflight(loaded.workdir, check_api=False)
    snapshot = [f for f in preflight.findings if f.check == "target_snapshot"]
    assert len(snapshot) == 1 and "empty Odoo is assumed" in snapshot[0].summary
    assert not preflight.blocked, [f.message for f in preflight.findings]
