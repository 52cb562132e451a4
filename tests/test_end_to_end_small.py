"""The fast tier's one end-to-end run: the generator's smallest firm through both extracts
(Captorra files, Actionstep through its local API), dbt build against the firm's Odoo
snapshot, the load into a sandbox Odoo holding that firm's Odoo side, and verify reading it
back. The whole-firm tests (`make test-all`) pin the details; this one pins that the stages
still meet end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from legal2odoo.dbt import run_dbt
from legal2odoo.extract.captorra.run import extract_captorra
from legal2odoo.load.marts import open_warehouse
from legal2odoo.load.run import LoadOptions, load_to_odoo
from legal2odoo.load.schema import plan_schema
from legal2odoo.trust import source_check, verify
from legal2odoo.trust.verify import verify_run
from legal2odoo.workdir import Workdir
from legal2odoo_sandbox.firm.generate import generate
from tests.conftest import HOLD_UNKNOWN, Firm, extract_actionstep_in_process
from tests.trust.conftest import start_firm_odoo

SMALLEST_FIRM = 50  # the generator's lower bound: ~100 leads


@pytest.fixture(scope="module")
def small_firm(tmp_path_factory: pytest.TempPathFactory) -> Firm:
    root = tmp_path_factory.mktemp("small-firm")
    manifest = generate(SMALLEST_FIRM, 5, root)
    return Firm(root, manifest)


def test_small_firm_extract_build_load_verify(
    small_firm: Firm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workdir = Workdir(tmp_path / "work")
    extract_actionstep_in_process(small_firm.root, workdir)
    extract_captorra(workdir, small_firm.captorra_files())
    run_dbt(workdir, ["build"], odoo_snapshot=small_firm.root / "odoo", dbt_vars=HOLD_UNKNOWN)

    live, server = start_firm_odoo(small_firm.root, tmp_path / "odoo")
    try:
        odoo = live.connect()
        try:
            with open_warehouse(workdir.warehouse) as warehouse:
                plan = plan_schema(odoo, warehouse)  # what `load --apply-schema` applies
        finally:
            odoo.close()
        summary = load_to_odoo(workdir, live.connect, LoadOptions(), schema=plan)
        result = verify_run(workdir, live.connect, summary.run_id)
        # every record its own chunk, in the read-back and in the source check (memory)
        monkeypatch.setattr(verify, "READ_BACK_CHUNK", 1)
        monkeypatch.setattr(source_check, "CHUNK_RECORDS", 1)
        one_by_one = verify_run(workdir, live.connect, summary.run_id)
    finally:
        server.stop()

    recon = {r.model: r for r in result.reconciliation}
    leads = recon["crm.lead"]
    truth = small_firm.manifest["captorra"]
    assert leads.source >= truth["leads"]  # Captorra's leads, and Actionstep's matters
    assert leads.mart > 0 and leads.in_odoo == leads.mart
    assert leads.unexplained == leads.ledger_failed
    partners = recon["res.partner"]
    assert partners.mart > 0 and partners.in_odoo == partners.complete == partners.mart
    assert recon["mail.message"].in_odoo == recon["mail.message"].mart > 0
    assert result.records_with_differences == 0
    assert (workdir.reports(result.run_id) / "verify.json").exists()
    # a chunk at a time finds what it finds all at once
    assert one_by_one.models == result.models
    assert one_by_one.reconciliation == result.reconciliation
    assert result.source is not None and one_by_one.source is not None
    assert one_by_one.source.summary() == result.source.summary()
    assert one_by_one.source.differences == result.source.differences
    assert result.source.records_compared > 100
