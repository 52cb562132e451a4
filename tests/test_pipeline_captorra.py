"""The Captorra path end to end (extract → dbt build → import CSVs), checked against the
generator's manifest — the truth it counted while writing — not against the pipeline itself."""

from __future__ import annotations

import csv
import hashlib
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from legal2odoo.dbt import run_dbt
from legal2odoo.extract.captorra.run import CaptorraFiles, extract_captorra
from legal2odoo.workdir import Workdir
from legal2odoo_sandbox.firm.core import Firm as Population
from legal2odoo_sandbox.firm.odoo import staff_user_id
from tests.test_pipeline_notes_mappings import visible_text

pytestmark = pytest.mark.slow  # every test here reads or builds the whole firm's marts


def _latest_sighting_per_email(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """Per normalised email, the most recently modified lead (ties: the smallest Lead ID as
    text), whose details the person's partner keeps (int_partners_deduplicated_by_email)."""
    latest: dict[str, tuple[datetime, dict[str, str]]] = {}
    for row in sorted(rows, key=lambda r: r["Lead ID"]):
        key = row["Email"].strip().lower()
        modified = datetime.strptime(row["Last Modified"], "%m/%d/%Y %I:%M %p")
        if key and (key not in latest or modified > latest[key][0]):
            latest[key] = (modified, row)
    return {key: row for key, (_, row) in latest.items()}


def _export_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_partners_after_email_dedup_match_the_manifest(captorra_pipeline) -> None:
    truth = captorra_pipeline.firm.manifest
    created = captorra_pipeline.query(
        "select count(*) from odoo__res_partner where not is_company and type = 'contact'"
    )[0][0]
    adopted = captorra_pipeline.query("select count(*) from odoo__ir_model_data")[0][0]
    assert created + adopted == truth["captorra"]["partners_after_email_dedup"]
    assert adopted == truth["captorra"]["existing_in_odoo"] > 0


def test_leads_per_stage_and_type_match_the_manifest(captorra_pipeline) -> None:
    truth = captorra_pipeline.firm.manifest["captorra"]
    per_stage = captorra_pipeline.query(
        "select team.name || ' / ' || seed.status, count(*) from odoo__crm_lead lead "
        'join odoo__crm_team team on team.id = lead."team_id/id" '
        "join int_captorra__leads source on lead._source_id = source.lead_id "
        "join captorra_stages seed on seed.pipeline = source.pipeline "
        "and seed.status = source.status group by 1"
    )
    assert dict(per_stage) == truth["leads_by_stage"]
    per_type = captorra_pipeline.query("select type, count(*) from odoo__crm_lead group by 1")
    assert dict(per_type) == truth["leads_by_type"]


def test_review_queue_and_fallback_owners_match_the_manifest(captorra_pipeline) -> None:
    truth = captorra_pipeline.firm.manifest["captorra"]
    queue = captorra_pipeline.query(
        "select reason, count(*) from int_records_held_for_review group by 1"
    )
    assert dict(queue) == {
        **truth["review_queue"],
        "attachment_missing": truth["attachments_missing"],
    }
    fallback = captorra_pipeline.query(
        'select count(*), min("user_id/.id"), max("user_id/.id") from odoo__crm_lead '
        "where _owner_is_fallback"
    )[0]
    assert fallback == (truth["owner_fallback_leads"], 2, 2)  # admin, the default fallback


def test_one_lead_row_carries_its_source_values(captorra_pipeline) -> None:
    """Each mapped column of crm.lead, for real leads of the sample export."""
    firm = captorra_pipeline.firm
    population = Population(seed=firm.manifest["seed"], scale=firm.manifest["scale"])
    staff_by_email = {population.staff_member(i).email: i for i in range(population.staff)}
    rows = _export_rows(firm.captorra / "export.csv")
    contact = _latest_sighting_per_email(rows)
    checked = 0
    for row in rows[:60]:
        found = captorra_pipeline.query(
            'select name, type, "partner_id/id", email_from, phone, street, city, zip, '
            '"team_id/id", "stage_id/id", "user_id/.id", description, contact_name '
            f"from odoo__crm_lead where id = 'legal2odoo.captorra_lead_{row['Lead ID']}'"
        )
        if row["Status"] not in {
            "New Lead",
            "Contacted",
            "Consultation Scheduled",
            "Retained",
            "Rejected",
            "Referred Out",
            "Under Review",
            "Declined",
        }:
            assert found == []
            continue
        name, kind, partner, email, phone, street, city, zip_code, team, stage, user, notes, who = (
            found[0]
        )
        person = f"{row['First Name']} {row['Last Name']}"
        assert name == f"{person} - {row['Pipeline']}" and who == person
        assert kind == ("opportunity" if row["Converted to Matter"] == "Yes" else "lead")
        key = row["Email"].strip().lower()
        assert email == (key or None)
        if key:
            assert partner == "legal2odoo.partner_" + hashlib.sha256(key.encode()).hexdigest()[:16]
        else:
            assert partner == f"legal2odoo.captorra_contact_{row['Lead ID']}"
        # the email and phone Odoo would write onto the partner: its newest sighting's
        assert (phone, street, city, zip_code) == (
            contact[key]["Phone"] if key else row["Phone"],
            row["Street Address"],
            row["City"],
            row["Zip"],
        )
        assert team == "legal2odoo.captorra_team_" + row["Pipeline"].replace(" ", "_")
        assert stage.startswith(team.replace("_team_", "_stage_") + "_")
        staff = staff_by_email[row["Owner Email"].lower()]
        expected_user = staff_user_id(staff) if population.staff_has_odoo_user(staff) else 2
        assert user == expected_user
        if "<p>" in row["Notes"]:  # source html goes in as html
            assert notes == row["Notes"]
        else:  # plain text: escaped, shown as typed
            assert visible_text(notes or "") == row["Notes"].replace("\r\n", "\n").strip()
        checked += 1
    assert checked > 40


def test_import_files_hold_every_mart_row_in_load_order(captorra_pipeline) -> None:
    """One file per mart in load order (plus the CSV route's __self, __verbatim, __by_user,
    __on_record files, load/csv_plan.py); every row once in its mart's main files."""
    folder = captorra_pipeline.workdir.odoo_import
    files = sorted(folder.glob("*.csv"))
    mains = [f for f in files if "__" not in f.name.split("_", 1)[1].replace("_lead__intake", "")]
    assert sorted({f.name.split("_", 1)[1].rsplit("_", 1)[0] for f in mains}) == sorted(
        [
            "ir_model_data",
            "res_partner_category",
            "crm_team",
            "crm_stage",
            "crm_lost_reason",
            "ir_model_fields",
            "ir_model_fields_selection",
            "res_partner",
            "crm_lead",
            "crm_lead__intake",
            "ir_attachment",
            "mail_message",
        ]
    )
    for path in mains:
        table = "odoo__" + path.name.split("_", 1)[1].rsplit("_", 1)[0]
        rows = _export_rows(path)
        extra = path.with_name(path.name.replace("_001.", "__by_user_001."))
        count = len(rows) + (len(_export_rows(extra)) if extra.exists() else 0)
        assert count == captorra_pipeline.query(f"select count(*) from {table}")[0][0], table
        assert not [h for h in rows[0] if h.startswith("_")], "metadata never reaches Odoo"
        assert path.name.endswith(".needs-ids.csv") == ("record_external_id" in rows[0])
    leads = _export_rows(next(folder.glob("*_crm_lead_001.csv")))
    assert {"id", "partner_id/id", "stage_id/id", "user_id", "x_captorra_id"} <= set(leads[0])
    guide = (folder / "IMPORT.md").read_text()
    assert (
        guide.index("00_ir_model_data")
        < guide.index("05_ir_model_fields")
        < guide.index("07_res_partner")
        < guide.index("08_crm_lead")
        < guide.index("## Step 2")
        < guide.index("11_mail_message")
    )


def test_a_later_export_updates_leads_instead_of_duplicating(firm, tmp_path: Path) -> None:
    rows = _export_rows(firm.captorra / "export.csv")
    header = list(rows[0])
    later = [dict(rows[0], **{"First Name": "Renamed", "Last Modified": "12/31/2030 11:00 PM"})]
    later.append(dict(rows[1], **{"First Name": "Stale", "Last Modified": "01/01/2000 01:00 AM"}))
    export = tmp_path / "later.csv"
    with open(export, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(later)
    workdir = Workdir(tmp_path / "work")
    extract_captorra(workdir, firm.captorra_files())
    extract_captorra(workdir, CaptorraFiles(export, fields=firm.captorra / "fields.csv"))
    # With its parents: the keep-the-latest dedup is base_captorra__leads.
    run_dbt(workdir, ["run", "--select", "+stg_captorra__leads"], odoo_snapshot=firm.root / "odoo")
    with duckdb.connect(str(workdir.warehouse), read_only=True) as con:
        count, distinct = con.execute(
            "select count(*), count(distinct lead_id) from stg_captorra__leads"
        ).fetchall()[0]
        names = dict(
            con.execute(
                "select lead_id, first_name from stg_captorra__leads where lead_id in (?, ?)",
                [rows[0]["Lead ID"], rows[1]["Lead ID"]],
            ).fetchall()
        )
    assert count == distinct == len(rows)
    assert names == {rows[0]["Lead ID"]: "Renamed", rows[1]["Lead ID"]: rows[1]["First Name"]}
