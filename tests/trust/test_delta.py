"""Delta pickup: full load, then a newer full Captorra export with one lead changed, one added
and one gone; `load --delta` sends only the changed and new leads, verify is clean for them,
and the lead gone at source is reported and still in Odoo (never deleted automatically)."""

from __future__ import annotations

import csv
import hashlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import pytest

from legal2odoo.dbt import run_dbt
from legal2odoo.extract.captorra.run import CaptorraFiles, extract_captorra
from legal2odoo.load.marts import open_warehouse
from legal2odoo.load.references import lookup_xmlids
from legal2odoo.load.run import LoadOptions, load_to_odoo
from legal2odoo.load.schema import plan_schema
from legal2odoo.trust.verify import verify_run
from legal2odoo.workdir import Workdir
from tests.conftest import Firm, builds_a_warehouse
from tests.trust.conftest import LiveOdoo, start_firm_odoo

CHANGED, GONE, NEW = "500010", "500020", "599999"
LEAD = "legal2odoo.captorra_lead_{}"


def _edit_export(source: Path, target: Path) -> None:
    """The same export with lead CHANGED moved to another city, GONE removed, NEW added."""
    with source.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    out = []
    for row in rows:
        if row["Lead ID"] == GONE:
            continue
        if row["Lead ID"] == CHANGED:
            row = {**row, "City": "Walla Walla", "Last Modified": "01/05/2026 09:00 AM"}
        out.append(row)
    template = next(r for r in rows if r["Lead ID"] not in (CHANGED, GONE) and r["Email"])
    out.append(
        {
            **template,
            "Lead ID": NEW,
            "Email": "new.person@delta.example",
            "First Name": "Nova",
            "Last Name": "Delta",
        }
    )
    target.parent.mkdir(parents=True)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(out)


def _partner_of(firm: Firm, lead_id: str) -> str:
    """The partner external id of a lead of the original export (a person's email is the key)."""
    with (firm.captorra / "export.csv").open(encoding="utf-8-sig", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["Lead ID"] == lead_id)
    key = row["Email"].strip().lower()
    return "legal2odoo.partner_" + hashlib.sha256(key.encode()).hexdigest()[:16]


def _extract_and_build(workdir: Workdir, files: CaptorraFiles, firm: Firm) -> None:
    shutil.rmtree(workdir.raw / "captorra", ignore_errors=True)  # a full re-export replaces
    extract_captorra(workdir, files)
    run_dbt(workdir, ["build"], odoo_snapshot=firm.root / "odoo")


def _load(workdir: Workdir, live: LiveOdoo, mode: str) -> str:
    odoo = live.connect()
    try:
        with open_warehouse(workdir.warehouse) as warehouse:
            plan = plan_schema(odoo, warehouse)
    finally:
        odoo.close()
    return load_to_odoo(workdir, live.connect, LoadOptions(mode=mode), schema=plan).run_id


@dataclass(frozen=True)
class Delta:
    live: LiveOdoo
    workdir: Workdir
    full_run: str
    delta_run: str

    def sent(self, model: str, run_id: str, actions: str) -> set[str]:
        with duckdb.connect(str(self.workdir.audit), read_only=True) as audit:
            rows = audit.execute(
                "select distinct external_id from writes where run_id = ? and model = ? "
                f"and action in {actions}",
                [run_id, model],
            ).fetchall()
        return {r[0] for r in rows}


@pytest.fixture(scope="module")
@builds_a_warehouse
def delta(firm: Firm, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Delta]:
    root = tmp_path_factory.mktemp("delta")
    live, server = start_firm_odoo(firm.root, root / "firm")
    try:
        workdir = Workdir(root / "work")
        _extract_and_build(workdir, firm.captorra_files(), firm)
        full_run = _load(workdir, live, "full")
        newer = root / "export2" / "export.csv"
        _edit_export(firm.captorra / "export.csv", newer)
        files = replace(firm.captorra_files(), export=newer)
        _extract_and_build(workdir, files, firm)
        yield Delta(live, workdir, full_run, _load(workdir, live, "delta"))
    finally:
        server.stop()


SENT = "('created', 'updated', 'failed', 'held')"


def test_single_pass_models_send_only_changes(delta: Delta) -> None:
    partners = delta.sent("res.partner", delta.delta_run, SENT)
    assert len(delta.sent("res.partner", delta.delta_run, "('created',)")) == 1  # the new lead's
    assert 1 <= len(partners) <= 3  # the new person, the changed lead's partner, a shared email
    assert len(delta.sent("res.partner", delta.delta_run, "('unchanged',)")) > 100
    assert not delta.sent("mail.message", delta.delta_run, SENT)


def test_leads_send_only_changes_and_retries(delta: Delta, firm: Firm) -> None:
    """Per-mart hashes: crm_lead and crm_lead__intake are two passes over the same leads. The
    changed lead is now its person's newest sighting and the gone one no longer is, so leads
    sharing their partners may carry the partner's new phone (a lead with a partner carries
    the partner's): nothing else moves."""
    retried = delta.sent("crm.lead", delta.full_run, "('failed', 'held')")
    sent = delta.sent("crm.lead", delta.delta_run, SENT)
    changed = {LEAD.format(CHANGED), LEAD.format(NEW)}
    partners = [_partner_of(firm, lead) for lead in (CHANGED, GONE)]
    with duckdb.connect(str(delta.workdir.warehouse), read_only=True) as con:
        siblings = {
            r[0]
            for r in con.execute(
                'select id from odoo__crm_lead where list_contains(?, "partner_id/id")', [partners]
            ).fetchall()
        }
    assert changed <= sent - retried <= changed | siblings


def test_lead_gone_at_source_is_reported_and_kept(delta: Delta) -> None:
    result = verify_run(delta.workdir, delta.live.connect, delta.delta_run)
    leads = {r.model: r for r in result.reconciliation}["crm.lead"]
    assert leads.gone_from_source == 1
    odoo = delta.live.connect()
    try:
        found = lookup_xmlids(odoo, [LEAD.format(GONE), LEAD.format(CHANGED)])
        (changed,) = odoo.execute("crm.lead", "read", [[found[LEAD.format(CHANGED)][1]], ["city"]])
    finally:
        odoo.close()
    assert LEAD.format(GONE) in found  # never deleted automatically
    assert changed["city"] == "Walla Walla"
    city = [c for c in result.field_counts if (c.model, c.field) == ("crm.lead", "city")]
    assert city and city[0].mismatched == 0 and city[0].compared >= leads.mart - leads.ledger_failed
