"""Captorra exports written by hand (tests/fixtures/captorra_exports/<variant>/export.csv), not
by the generator: each goes through extract → build → load into a fresh strict sandbox Odoo
(one also into the real Odoo 17), and what arrives is compared with what the file says.

Every variant is its own extract run into one shared workdir (lead ids differ per variant:
B-, C-, …), so one dbt build and one load serve them all. No target snapshot is given: the
build assumes an empty Odoo (every owner on the fallback owner, no partner adopted). The
seeds are the shipped ones: nothing is edited for these files."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml
from click.testing import CliRunner

from legal2odoo.cli import main
from legal2odoo.dbt import run_dbt
from legal2odoo.extract.captorra.run import CaptorraFiles, extract_captorra
from legal2odoo.extract.encoding import detect_encoding
from legal2odoo.load.connect import connect
from legal2odoo.load.run import LoadOptions, load_to_odoo
from legal2odoo.load.schema import approved, plan_schema, write_plan
from legal2odoo.load.settings import OdooSettings
from legal2odoo.load.transport import Transport
from legal2odoo.proposals import STAGES_FILE, write_proposed_stages
from legal2odoo.trust.normalise import visible_text
from legal2odoo.trust.preflight import run_preflight
from legal2odoo.workdir import Workdir
from legal2odoo_sandbox.odoo import Sandbox
from tests.conftest import builds_a_warehouse

FIXTURES = Path(__file__).parent / "fixtures" / "captorra_exports"
VARIANTS = sorted(p.name for p in FIXTURES.iterdir() if (p / "export.csv").is_file())
# the new lead fields the hand-written extra columns must become, with their Odoo types
EXTRA_FIELDS = {
    "x_date_of_incident": "date",
    "x_injury_severity": "selection",
    "x_hospitalized": "boolean",
    "x_estimated_damages": "float",
    "x_number_of_vehicles": "integer",
    "x_incident_description": "text",
    "x_case_type": "selection",
    "x_internal_score": "integer",
}


def source_rows(variant: str) -> list[dict[str, str]]:
    """The file read by Python's csv module (not by the extractor): the truth to compare."""
    path = FIXTURES / variant / "export.csv"
    encoding = "utf-8-sig" if detect_encoding(path) == "utf-8" else "cp1252"
    with open(path, encoding=encoding, newline="") as handle:
        first = handle.readline()
        handle.seek(0)
        delimiter = max((",", ";", "\t"), key=first.count)
        return [r for r in csv.DictReader(handle, delimiter=delimiter) if any(r.values())]


def lead_ids(variant: str) -> set[str]:
    return {next(iter(row.values())).strip() for row in source_rows(variant)}


@dataclass(frozen=True)
class Built:
    workdir: Workdir

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple]:
        with duckdb.connect(str(self.workdir.warehouse), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()


@dataclass(frozen=True)
class Loaded:
    built: Built
    odoo: Transport
    plan_fields: dict[str, str]  # x_ field -> ttype the schema plan proposed

    def leads(self) -> dict[str, dict]:
        rows = self.odoo.execute(
            "crm.lead",
            "search_read",
            [[["x_captorra_id", "!=", False]]],
            {"context": {"active_test": False}},
        )
        return {r["x_captorra_id"]: r for r in rows}

    def lead(self, lead_id: str) -> dict:
        return self.leads()[lead_id]


BUILD = (("build",),)


def build_all(
    root: Path,
    variants: list[str],
    commands: tuple[tuple[str, ...], ...] = BUILD,
    dbt_vars: str | None = None,
) -> Built:
    workdir = Workdir(root)
    for variant in variants:
        extract_captorra(workdir, CaptorraFiles(export=FIXTURES / variant / "export.csv"))
    for args in commands:  # no snapshot: an empty target
        run_dbt(workdir, list(args), dbt_vars=dbt_vars)
    write_proposed_stages(workdir)
    return Built(workdir)


@pytest.fixture(scope="module")
@builds_a_warehouse
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_all(tmp_path_factory.mktemp("captorra-exports"), VARIANTS)


def load_into(built: Built, session: Callable[[], Transport]) -> Loaded:
    """The schema plan first (what the operator approves), then the load."""
    plan_path = built.workdir.exports / "odoo_schema_plan.yaml"
    odoo = session()
    with duckdb.connect(str(built.workdir.warehouse), read_only=True) as con:
        plan = plan_schema(odoo, con)
    write_plan(plan, plan_path)
    assert not plan.problems and not approved(plan, plan_path), "a new plan waits for approval"
    saved = yaml.safe_load(plan_path.read_text(encoding="utf-8"))
    plan_path.write_text(yaml.safe_dump({**saved, "approved": True}), encoding="utf-8")
    assert approved(plan, plan_path)
    summary = load_to_odoo(built.workdir, session, LoadOptions(), schema=plan)
    failed = [m.failed_report for m in summary.models if m.failed_report]
    assert not failed, failed
    return Loaded(built, odoo, {f["name"]: f["ttype"] for f in plan.fields})


@pytest.fixture(scope="module")
def loaded(built: Built) -> Iterator[Loaded]:
    sandbox = Sandbox("17.0", db="odoo17")
    with sandbox.running() as server:
        settings = OdooSettings(server.url, server.db, "admin", sandbox.password, "xmlrpc")
        result = load_into(built, lambda: connect(settings))
        yield result
        result.odoo.close()


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_lead_of_every_variant_arrives_in_a_stage_of_its_pipeline(
    loaded: Loaded, variant: str
) -> None:
    expected = {
        next(iter(row.values())).strip(): row for row in source_rows(variant)
    }  # first column: the lead id, whatever its header says
    leads = loaded.leads()
    mine = {k: v for k, v in leads.items() if k.split("-")[0] == next(iter(expected)).split("-")[0]}
    assert set(mine) == set(expected)
    held = loaded.built.query(
        "select source_id from int_records_held_for_review where source_id in "
        f"({', '.join('?' * len(expected))})",
        list(expected),
    )
    assert held == [], "nothing held: every export here is good"
    stages = {s["id"]: s for s in loaded.odoo.execute("crm.stage", "search_read", [[]], {})}
    for lead_id, lead in mine.items():
        row = {k.casefold(): v for k, v in expected[lead_id].items()}
        pipeline = row.get("pipeline") or row.get("pipline") or row["case type"]
        stage = stages[lead["stage_id"][0]]
        assert lead["team_id"][1] == pipeline.strip()
        assert stage["team_id"] and stage["team_id"][0] == lead["team_id"][0]
        assert lead["user_id"][0] == 2, "empty target assumed: the administrator owns it"


def test_quoted_newlines_bom_crlf_and_am_pm_times(loaded: Loaded) -> None:
    lead = loaded.lead("B-101")
    assert "rear-end collision.\nHas photos of both cars." in visible_text(lead["description"])
    # 09:15 AM in New York on 4 March 2024 (EST, UTC-5)
    assert lead["x_original_created"] == "2024-03-04 14:15:00"
    assert loaded.lead("B-102")["x_original_modified"] == "2024-03-08 05:30:00"  # 12:30 AM


def test_cp1252_semicolons_and_other_header_spellings(loaded: Loaded) -> None:
    lead = loaded.lead("C-201")
    assert lead["contact_name"] == "José Müller"
    # cp1252 punctuation: right quote, curly double quotes, en dash
    assert "Client\u2019s car was \u201ctotaled\u201d \u2013 wants a call back" in visible_text(
        lead["description"]
    )
    assert visible_text(loaded.lead("C-202")["description"]).startswith("Custody; prefers mornings")
    assert lead["x_original_modified"] == "2024-02-15 21:45:00"  # 16:45, 24-hour clock


def test_tabs_iso_dates_aliases_and_a_shared_email(loaded: Loaded) -> None:
    first, second = loaded.lead("D-301"), loaded.lead("D-302")
    assert first["x_original_created"] == "2024-01-08 19:05:00"
    assert first["x_original_modified"] == "2024-01-09 14:30:00"  # 2024-01-09T09:30:00
    assert first["partner_id"] and first["partner_id"] == second["partner_id"]
    assert first["team_id"][1] == "Employment", "'Case Type' alone fills the pipeline"


def test_near_header_spellings_and_lowercase_am_pm(loaded: Loaded) -> None:
    lead = loaded.lead("H-701")
    assert lead["email_from"] == "zoe.k@example.com" and lead["phone"] == "555-0101"
    assert lead["x_original_created"] == "2024-03-04 14:05:00"  # 3/4/2024 9:05 am
    assert loaded.lead("H-702")["x_original_modified"] == "2024-03-06 05:10:00"  # 12:10 am


def test_every_optional_column_with_aliases_and_blank_trailing_lines(loaded: Loaded) -> None:
    lead = loaded.lead("K-801")
    assert lead["type"] == "opportunity" and lead["x_matter_ref"] == "PI-2024-0042"
    assert lead["zip"] == "02134", "a zip code keeps its leading zero"
    assert 'signed, "50/50" split.' in visible_text(lead["description"])
    assert lead["x_internal_score"] == 88
    assert loaded.lead("K-802")["type"] == "lead"


def test_extra_columns_become_approved_custom_fields_with_their_values(loaded: Loaded) -> None:
    assert {n: t for n, t in loaded.plan_fields.items() if n in EXTRA_FIELDS} == EXTRA_FIELDS
    lead = loaded.lead("F-502")
    assert lead["x_date_of_incident"] == "2024-03-30"
    assert lead["x_injury_severity"] == "severe" and lead["x_hospitalized"] is True
    assert lead["x_estimated_damages"] == 250000.0 and lead["x_number_of_vehicles"] == 1
    assert lead["x_case_type"] == "slip_and_fall", "the worse pipeline header is kept"
    assert lead["team_id"][1] == "Personal Injury", "'Pipeline' beats 'Case Type'"
    description = loaded.lead("F-501")["x_incident_description"]
    assert description == "Side-swiped on I-25.\nNo injuries at the scene."
    assert loaded.lead("F-503")["x_estimated_damages"] == 900.5


def test_unseen_pipelines_and_statuses_get_teams_and_stages_won_by_their_words(
    loaded: Loaded,
) -> None:
    stage = {
        lead_id: loaded.odoo.execute(
            "crm.stage",
            "read",
            [[loaded.lead(lead_id)["stage_id"][0]]],
            {"fields": ["name", "is_won", "fold"]},
        )[0]
        for lead_id in ("G-601", "G-602", "G-603", "G-604", "G-605", "G-606")
    }
    assert stage["G-602"]["name"] == "Signed" and stage["G-602"]["is_won"]
    assert stage["G-605"]["name"] == "Hired Us" and stage["G-605"]["is_won"]
    assert not stage["G-601"]["is_won"] and not stage["G-601"]["fold"]
    for lost in ("G-603", "G-604", "G-606"):
        assert not stage[lost]["is_won"] and stage[lost]["fold"], lost
    assert loaded.lead("G-604")["team_id"][1] == "Mass Tort"


def test_proposed_stages_csv_holds_the_seed_and_the_inferred_rows(built: Built) -> None:
    with open(built.workdir.exports / STAGES_FILE, encoding="utf-8", newline="") as handle:
        rows = {(r["pipeline"], r["status"]): r for r in csv.DictReader(handle)}
    shipped = Path(__file__).parents[1] / "seeds" / "captorra_stages.csv"
    with open(shipped, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            assert rows[(row["pipeline"], row["status"])] == row
    signed = rows[("Workers Comp", "Signed")]
    assert (signed["is_won"], signed["is_lost"], signed["probability"]) == ("true", "false", "100")
    no_case = rows[("Workers Comp", "No Case")]
    assert (no_case["is_won"], no_case["is_lost"], no_case["fold"]) == ("false", "true", "true")
    assert rows[("Workers Comp", "Awaiting Documents")]["sequence"] == "1", "first seen first"
    assert rows[("Personal Injury", "Rejected - Conflict")]["is_lost"] == "true"


def test_preflight_names_absent_fields_inferred_stages_and_new_columns(built: Built) -> None:
    findings = {f.check: f for f in run_preflight(built.workdir, check_api=False).findings}
    assert "empty Odoo is assumed" in findings["target_snapshot"].summary
    absent = {i["field"] for i in findings["captorra_absent_fields"].items}
    assert absent == {"attachments"}, "every other field is in some export"
    inferred = {(i["pipeline"], i["status"]) for i in findings["captorra_inferred_stages"].items}
    assert ("Mass Tort", "Hired Us") in inferred and len(inferred) == 6
    columns = {i["header"] for i in findings["captorra_unknown_columns"].items}
    assert {"Case Type", "Injury Severity", "Internal Score"} <= columns
    assert not [f for f in findings.values() if f.severity == "block"]


@pytest.mark.slow
def test_unknown_status_hold_keeps_the_review_queue(tmp_path: Path) -> None:
    held = build_all(
        tmp_path,
        ["minimal_columns", "unseen_statuses"],
        (("seed",), ("run", "--select", "+int_records_held_for_review")),  # what the queue needs
        "{unknown_status: hold}",
    )
    queue = held.query(
        "select source_id from int_records_held_for_review "
        "where reason = 'unknown_status' order by 1"
    )
    assert [q for (q,) in queue] == sorted(lead_ids("unseen_statuses"))
    absent = {
        i["field"]
        for i in {f.check: f for f in run_preflight(held.workdir, check_api=False).findings}[
            "captorra_absent_fields"
        ].items
    }
    assert "owner_email" in absent and "phone" in absent


def test_inspect_shows_one_screen_and_writes_the_seeds(tmp_path: Path) -> None:
    export = FIXTURES / "extra_columns" / "export.csv"
    seeds = tmp_path / "proposed"
    result = CliRunner().invoke(
        main, ["inspect", "captorra", str(export), "--write-seeds", str(seeds)]
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "UTF-8, comma-delimited, 3 lead row(s)" in out
    assert "'Case Type' → custom field x_case_type (selection, proposed)" in out
    assert "'Estimated Damages' → custom field x_estimated_damages (float, proposed)" in out
    assert "owner_email (every lead on the fallback owner)" in out
    assert "Date of Incident: %m/%d/%Y" in out
    unseen = CliRunner().invoke(
        main, ["inspect", "captorra", str(FIXTURES / "unseen_statuses" / "export.csv")]
    )
    assert "*Workers Comp / Signed → Signed (sequence 2) won" in unseen.output
    assert "*Workers Comp / No Case → No Case (sequence 3) lost" in unseen.output
    assert (seeds / "captorra_stages.csv").exists() and (seeds / "captorra_columns.csv").exists()


@pytest.mark.real_odoo
def test_hand_written_exports_load_into_the_real_odoo_17(
    built: Built, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """The same marts into the real Odoo 17 (its own copy of the warehouse, so its own ledger),
    checked, then rolled back."""
    from tests.loader.conftest import Target, _real_settings
    from tests.loader.test_real_odoo import rollback_all

    target = Target(_real_settings(request.config))
    admin = target.connect().execute("res.users", "search", [[["login", "=", "admin"]]])
    assert admin == [2], "the empty-target assumption: a new database's admin is user 2"
    workdir = Workdir(tmp_path / "real")
    workdir.root.mkdir()
    workdir.warehouse.write_bytes(built.workdir.warehouse.read_bytes())
    try:
        real = load_into(Built(workdir), target.connect)
        leads = real.leads()
        for variant in VARIANTS:
            assert lead_ids(variant) <= set(leads), variant
        assert real.lead("C-201")["contact_name"] == "José Müller"
        f502 = real.lead("F-502")
        assert (f502["x_injury_severity"], f502["x_hospitalized"]) == ("severe", True)
        assert f502["x_estimated_damages"] == 250000.0 and f502["x_case_type"] == "slip_and_fall"
        won = target.connect().execute(
            "crm.stage", "read", [[real.lead("G-602")["stage_id"][0]]], {"fields": ["is_won"]}
        )
        assert won[0]["is_won"]
        assert real.lead("B-101")["x_original_created"] == "2024-03-04 14:15:00"
    finally:
        rollback_all(workdir, target)
