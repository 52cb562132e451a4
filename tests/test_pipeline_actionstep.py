"""The Actionstep path end to end: the generated firm served by the local Actionstep API, read
by the real extractor, reshaped by dbt build, checked against the generator's manifest and the
records it wrote (its JSONL, trust CSV and document bytes) — never against the pipeline's own
output. One test per mapping of issue 5, plus the manifest totals."""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from legal2odoo.extract.actionstep.files import sanitise_name
from legal2odoo_sandbox.firm.actionstep import PARTICIPANT_TYPES
from legal2odoo_sandbox.firm.core import Firm as Population
from legal2odoo_sandbox.firm.odoo import staff_user_id

GENERAL_CONTACT = "General Contact"


def _jsonl(firm_root: Path, resource: str) -> list[dict[str, Any]]:
    with (firm_root / "actionstep" / f"{resource}.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC).replace(tzinfo=None)


def _partner_xmlid(email: str) -> str:
    key = email.strip().lower()
    return "legal2odoo.partner_" + hashlib.sha256(key.encode()).hexdigest()[:16]


def _snake(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


def _typed(data_type: str, text: str) -> Any:
    """A stored Actionstep value as the Odoo field of its type holds it."""
    if data_type in ("Number", "Money"):
        return float(text)
    if data_type == "Date":
        return date.fromisoformat(text)
    if data_type == "DateTime":
        return _utc(text)
    if data_type == "Boolean":
        return text == "T"
    if data_type == "DropDown":
        return _snake(text)
    if data_type == "AutoNumber":
        return int(text)
    return text


@pytest.fixture(scope="module")
def source(both_pipeline) -> dict[str, list[dict[str, Any]]]:
    """Every record the generator wrote for the Actionstep side, by resource."""
    root = both_pipeline.firm.root
    names = (
        "actions",
        "actiontypes",
        "steps",
        "users",
        "participants",
        "actionparticipants",
        "filenotes",
        "actiondocuments",
        "tasks",
        "emails",
        "emailassociations",
        "timeentries",
        "timerecords",
        "bills",
        "disbursements",
        "datacollectionfields",
        "datacollectionrecordvalues",
        "participanttypedatafields",
        "participantdatafieldvalues",
    )
    records = {name: _jsonl(root, name) for name in names}
    held = stageless_matters(records)
    # A matter with no stage is held for review with everything filed on it (checked in
    # tests/test_pipeline_stage_mappings.py): the mappings below are of the matters that load.
    return {
        name: [r for r in rows if _matter_of(name, r) not in held] for name, rows in records.items()
    }


def stageless_matters(records: dict[str, list[dict[str, Any]]]) -> set[str]:
    steps = {s["id"] for s in records["steps"]}
    return {str(a["id"]) for a in records["actions"] if a["links"]["step"] not in steps}


def _matter_of(name: str, record: dict[str, Any]) -> str | None:
    if name == "actions":
        return str(record["id"])
    if name == "actionparticipants":  # a role tags the person, whatever the matter's fate
        return None
    action = (record.get("links") or {}).get("action")
    return None if action is None else str(action)


@pytest.fixture(scope="module")
def truth(both_pipeline) -> dict[str, Any]:
    return both_pipeline.firm.manifest["actionstep"]


# --------------------------------------------------------------------------- manifest totals


def test_partners_after_dedup_match_the_manifest(both_pipeline, truth) -> None:
    """Every contact participant is one partner after email dedup (created or adopted)."""
    rows = both_pipeline.query(
        'select id, "category_id/id" from odoo__res_partner__actionstep order by id'
    )
    assert len(rows) == truth["distinct_partners_all"]
    known = {
        xmlid
        for (xmlid,) in both_pipeline.query(
            "select id from odoo__res_partner union all "
            "select module || '.' || name from odoo__ir_model_data"
        )
    }
    assert {xmlid for xmlid, _ in rows} <= known
    client_contact = {
        "legal2odoo.partner_category_client",
        "legal2odoo.partner_category_contact_person",
    }
    holding = [x for x, tags in rows if client_contact & set((tags or "").split(","))]
    assert len(holding) == truth["distinct_partners_client_contact"]


def test_one_partner_per_person_across_both_sources(both_pipeline) -> None:
    """Persons with an email, across Captorra and Actionstep, are one partner each; those the
    target Odoo has are adopted, not duplicated."""
    manifest = both_pipeline.firm.manifest["partners"]
    created = both_pipeline.query(
        "select count(*) from odoo__res_partner where email is not null and not is_company "
        "and type = 'contact'"
    )[0][0]
    adopted = both_pipeline.query("select count(*) from odoo__ir_model_data")[0][0]
    assert created + adopted == manifest["persons_with_email"]
    assert adopted == manifest["existing_in_odoo"]


def test_leads_carry_their_partners_email_and_phones(both_pipeline) -> None:
    """Odoo writes a lead's email and phone onto its partner when they differ, so every lead
    with a partner, from either source, carries the partner's (its newest sighting's)."""
    rows = both_pipeline.query(
        "select lead._source_system, "
        "lead.email_from is not distinct from partner.email "
        "and lead.phone is not distinct from partner.phone "
        "and lead.mobile is not distinct from partner.mobile, "
        "partner.email is not null and partner.phone is not null "
        "from odoo__crm_lead lead "
        "join int_partners_deduplicated_by_email partner "
        'on partner.partner_xmlid = lead."partner_id/id"'
    )
    assert {system for system, _, _ in rows} == {"actionstep", "captorra"}
    assert all(same for _, same, _ in rows)
    assert sum(filled for _, _, filled in rows) > 100  # real values, not nulls on both sides


def test_tags_per_role_match_the_manifest(both_pipeline, truth) -> None:
    per_tag = both_pipeline.query(
        "with tags as (select unnest(string_split(\"category_id/id\", ',')) as tag "
        "from odoo__res_partner__actionstep) "
        "select category.name, count(*) from tags "
        "join odoo__res_partner_category category on category.id = tags.tag group by 1"
    )
    assert dict(per_tag) == truth["partners_per_tag"]


def test_matters_per_stage_match_the_manifest(both_pipeline, truth) -> None:
    per_stage = both_pipeline.query(
        "select coalesce(stage.name, '(no stage)'), count(*) from odoo__crm_lead lead "
        'left join odoo__crm_stage stage on stage.id = lead."stage_id/id" '
        "where lead._source_system = 'actionstep' and lead.active group by 1"
    )
    expected = dict(truth["matters_per_stage"])
    stageless = expected.pop("(no stage)", 0)  # held for review, never loaded stage-less
    assert dict(per_stage) == expected
    held = both_pipeline.query(
        "select count(*) from int_records_held_for_review where reason = 'matter_without_stage'"
    )
    assert held == [(stageless,)]
    archived = both_pipeline.query(
        "select count(*), count(*) filter (where date_closed = x_original_modified) "
        "from odoo__crm_lead where _source_system = 'actionstep' and not active"
    )[0]
    assert archived == (truth["matters_deleted"], truth["matters_deleted"])  # lost when archived


def test_attachments_and_activities_match_the_manifest(both_pipeline, truth) -> None:
    # (items of a matter held for review are review entries: counted with the marts)
    documents = (
        both_pipeline.query(
            "select count(*) from odoo__ir_attachment "
            "where _source_system = 'actionstep' and _source_model = 'document'"
        )[0][0]
        + both_pipeline.query(
            "select count(*) from int_records_held_for_review "
            "where reason = 'attachment_matter_held'"
        )[0][0]
    )
    assert documents == truth["documents"]["attachments"]
    open_, done = both_pipeline.query(
        "select (select count(*) from odoo__mail_activity) + (select count(*) from "
        "int_actionstep__activities where review_reason = 'activity_matter_held' and "
        "kind = 'activity'), "
        "(select count(*) from odoo__mail_message where _source_system = 'actionstep' "
        "and _source_model = 'task') + (select count(*) from int_actionstep__activities "
        "where review_reason = 'activity_matter_held' and kind = 'message' "
        "and source_model = 'task')"
    )[0]
    assert (open_, done) == (truth["activities"]["open"], truth["activities"]["completed"])
    emails = (
        both_pipeline.query(
            "select count(*) from odoo__mail_message where _source_system = 'actionstep' "
            "and _source_model = 'email'"
        )[0][0]
        + both_pipeline.query(
            "select count(*) from int_actionstep__activities where review_reason = "
            "'activity_matter_held' and source_model = 'email'"
        )[0][0]
    )
    assert emails == truth["records"]["emailassociations"]


def test_review_queue_matches_the_manifest(both_pipeline, truth) -> None:
    queue = both_pipeline.query(
        "select reason, count(*) from int_records_held_for_review "
        "where source_system = 'actionstep' "
        "group by 1"
    )
    held = (
        "matter_without_stage",
        "attachment_matter_held",
        "activity_matter_held",
        "related_matter_held",
    )
    # the generator does not know a matter without a stage is held (stage test's business), nor
    # so the links to it
    assert {k: v for k, v in dict(queue).items() if k not in held} == truth["review_queue"]
    assert dict(queue)["matter_without_stage"] == truth["matters_per_stage"]["(no stage)"]
    fallback = both_pipeline.query(
        "select _owner_issue, count(*) from odoo__crm_lead where _owner_is_fallback "
        "and _source_system = 'actionstep' group by 1"
    )
    assert dict(fallback) == {
        "unassigned": truth["matters_unassigned"],
        "no_odoo_user": truth["matters_owner_without_odoo_user"],
    }


def test_a_firm_without_actionstep_builds_with_empty_actionstep_models(captorra_pipeline) -> None:
    """The Captorra-only pipeline has no raw/actionstep: its staging reads empty relations."""
    assert not (captorra_pipeline.workdir.root / "raw" / "actionstep").exists()
    counts = captorra_pipeline.query(
        "select (select count(*) from stg_actionstep__actions), "
        "(select count(*) from stg_actionstep__participants), "
        "(select count(*) from odoo__crm_lead where _source_system = 'actionstep')"
    )[0]
    assert counts == (0, 0, 0)


# --------------------------------------------------------------------------- mapping 1


def test_matter_becomes_a_lead_with_type_owner_and_timestamps(both_pipeline, source) -> None:
    firm = both_pipeline.firm
    population = Population(seed=firm.manifest["seed"], scale=firm.manifest["scale"])
    user_by_participant = {
        int(u["links"]["participant"]): int(u["id"]) - 1 for u in source["users"]
    }
    types = {t["id"]: t["name"] for t in source["actiontypes"]}
    steps = {s["id"]: s["stepName"] for s in source["steps"]}
    leads = {
        row[0]: row
        for row in both_pipeline.query(
            'select x_source_matter_id, name, x_matter_type, "tag_ids/id", "user_id/.id", '
            'x_original_created, x_original_modified, active, x_matter_ref, "stage_id/id" '
            "from odoo__crm_lead where _source_system = 'actionstep'"
        )
    }
    assert len(leads) == len(source["actions"])
    for action in source["actions"][:120]:
        _, name, kind, tag, user, created, modified, active, ref, stage = leads[str(action["id"])]
        links = action["links"]
        assert name == action["name"]
        assert kind == types[int(links["actionType"])]
        assert tag == f"legal2odoo.actionstep_matter_type_{links['actionType']}"
        assigned = links["assignedTo"]
        staff = user_by_participant.get(int(assigned)) if assigned else None
        if staff is not None and population.staff_has_odoo_user(staff):
            assert user == staff_user_id(staff)
        else:
            assert user == 2  # admin, the default fallback owner
        assert created == datetime.fromisoformat(action["createdTimestamp"])
        assert modified == _utc(action["modifiedTimestamp"])
        assert active == (action["isDeleted"] == "F")
        assert ref == action["reference"]
        if links["step"]:
            expected = "legal2odoo.actionstep_stage_" + _snake(steps[links["step"]])
            assert stage == expected
        else:
            assert stage is None


# --------------------------------------------------------------------------- mappings 2 and 3


def test_clients_contacts_and_role_tags(both_pipeline, source) -> None:
    participants = {p["id"]: p for p in source["participants"]}

    def xmlid(pid: int) -> str:
        person = participants[pid]
        if person["isCompany"] == "T":  # companies are keyed by their normalised name
            name = person["companyName"].lower().replace(".", "").replace("&", " and ")
            key = re.sub(r"[^a-z0-9]+", " ", name).strip()
            return "legal2odoo.company_" + hashlib.sha256(key.encode()).hexdigest()[:16]
        if person["email"]:
            return _partner_xmlid(person["email"])
        return f"legal2odoo.actionstep_participant_{pid}"

    leads = {
        int(row[0]): row[1:]
        for row in both_pipeline.query(
            'select x_source_matter_id, "partner_id/id", email_cc, description '
            "from odoo__crm_lead where _source_system = 'actionstep'"
        )
    }
    by_action: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for link in source["actionparticipants"]:
        by_action[int(link["links"]["action"])].append(
            (int(link["links"]["participantType"]), int(link["links"]["participant"]))
        )
    checked = 0
    for action in source["actions"]:
        client = int(action["links"]["primaryParticipants"][0])
        partner, email_cc, _ = leads[action["id"]]
        assert partner == xmlid(client)
        checked += 1
        others = {
            participants[pid]["email"].strip().lower()
            for kind, pid in by_action[action["id"]]
            if kind in (1, 2)
            and pid in participants
            and participants[pid]["email"]
            and xmlid(pid) != partner
        }
        assert set((email_cc or "").split(",")) - {""} == others
    assert checked > 100
    tags = dict(
        both_pipeline.query('select id, "category_id/id" from odoo__res_partner__actionstep')
    )
    expected: dict[str, set[str]] = defaultdict(set)
    for link in source["actionparticipants"]:
        pid, kind = int(link["links"]["participant"]), int(link["links"]["participantType"])
        if pid in participants and kind in PARTICIPANT_TYPES:
            expected[xmlid(pid)].add(
                "legal2odoo.partner_category_" + _snake(PARTICIPANT_TYPES[kind])
            )
    for partner, wanted in list(expected.items())[:150]:
        assert set(tags[partner].split(",")) == wanted


# --------------------------------------------------------------------------- mapping 4


def test_stages_keep_names_and_seed_settings(both_pipeline, source) -> None:
    stages = {
        name: (sequence, won, fold)
        for name, sequence, won, fold in both_pipeline.query(
            "select name, sequence, is_won, fold from odoo__crm_stage "
            "where _source_system = 'actionstep'"
        )
    }
    assert set(stages) == {s["stepName"] for s in source["steps"]}
    seed_path = Path(__file__).parents[1] / "seeds" / "stages.csv"
    with seed_path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["step_name"] in stages:
                assert stages[row["step_name"]] == (
                    int(row["sequence"]),
                    row["is_won"] == "true",
                    row["fold"] == "true",
                )


# --------------------------------------------------------------------------- mapping 5


def test_file_notes_become_html_in_date_order(both_pipeline, source) -> None:
    """The description is html showing what Actionstep showed: a header paragraph per note,
    html notes as html (minus what Odoo's sanitiser kills), plain notes escaped with their
    line breaks."""
    descriptions = dict(
        both_pipeline.query(
            "select cast(x_source_matter_id as bigint), description from odoo__crm_lead "
            "where _source_system = 'actionstep'"
        )
    )
    notes: dict[int, list[dict]] = defaultdict(list)
    for note in source["filenotes"]:
        notes[int(note["links"]["action"])].append(note)
    html_checked = plain_checked = 0
    for action_id, items in list(notes.items())[:150]:
        text = descriptions[action_id] or ""
        assert "<script" not in text and "<style" not in text and "data:image" not in text
        positions = []
        for note in sorted(items, key=lambda n: (_utc(n["noteTimestamp"]), n["id"])):
            if not note["text"].strip():
                continue
            stamp = _utc(note["noteTimestamp"]).strftime("%Y-%m-%d %H:%M")
            header = f"<p>[{stamp} UTC, {note['enteredBy']}"
            assert header in text
            positions.append(text.index(header))
            if "<script>" in note["text"]:
                assert "<p>Opposing counsel &lt;Ms. Núñez&gt; called.</p>" in text
                assert "alert(" not in text and "color:red" not in text
                html_checked += 1
            if "<li>" in note["text"]:
                assert "<li>Signed retainer</li>" in text
            if note["text"].startswith("Client says:"):
                assert "<p>Client says:<br>- accident on I-35<br>" in text
                assert "<br>- other driver ran red light</p><p>Follow up Tuesday.</p>" in text
                plain_checked += 1
        assert positions == sorted(positions)
    assert html_checked > 0 and plain_checked > 0
    flagged = both_pipeline.query(
        "select sum(_notes_with_html) from odoo__crm_lead where _source_system = 'actionstep'"
    )[0][0]
    expected = sum(
        1 for n in source["filenotes"] if re.search(r"</?[a-z][^>]*>|&[a-z#0-9]+;", n["text"])
    )
    assert flagged == expected


# --------------------------------------------------------------------------- mapping 6


def test_documents_and_inline_images_become_attachments(both_pipeline, source) -> None:
    firm_files = both_pipeline.firm.root / "actionstep" / "files"
    store = both_pipeline.workdir.root
    rows = {
        int(row[0]): row[1:]
        for row in both_pipeline.query(
            "select _source_id, name, mimetype, _res_xmlid, _file_path, _sha256 "
            "from odoo__ir_attachment where _source_model = 'document'"
        )
    }
    mimes = {".pdf": "application/pdf", ".png": "image/png", ".txt": "text/plain"}
    for doc in source["actiondocuments"]:
        loaded = doc["isDeleted"] == "F" and doc["fileSize"] > 0
        assert (doc["id"] in rows) == loaded
        if not loaded:
            continue
        name, mime, lead, path, sha = rows[doc["id"]]
        assert name == sanitise_name(doc["name"])
        assert lead == f"legal2odoo.actionstep_matter_{doc['links']['action']}"
        content = (firm_files / str(doc["id"])).read_bytes()
        assert (store / path).read_bytes() == content
        assert sha == hashlib.sha256(content).hexdigest()
        if doc["extension"] in mimes:
            assert mime == mimes[doc["extension"]]
    images = both_pipeline.query(
        "select _res_xmlid, datas, mimetype from odoo__ir_attachment "
        "where _source_model = 'note_image'"
    )
    with_image = [n for n in source["filenotes"] if "data:image/png;base64," in n["text"]]
    assert len(images) == len(with_image) > 0
    assert {r[0] for r in images} == {
        f"legal2odoo.actionstep_matter_{n['links']['action']}" for n in with_image
    }
    for _, datas, mime in images:
        assert mime == "image/png"
        assert base64.b64decode(datas).startswith(b"\x89PNG")


# --------------------------------------------------------------------------- mapping 7


def test_billing_lines_hold_every_line_of_the_matter(both_pipeline, source) -> None:
    lines = dict(
        both_pipeline.query(
            "select cast(x_source_matter_id as bigint), x_billing_lines from odoo__crm_lead "
            "where _source_system = 'actionstep'"
        )
    )
    expected: dict[int, Counter] = defaultdict(Counter)
    amounts: dict[int, float] = defaultdict(float)
    for entry in source["timeentries"]:
        aid = int(entry["links"]["action"])
        expected[aid]["time"] += 1
        amounts[aid] += entry["billableAmount"]
    for entry in source["timerecords"]:
        expected[int(entry["links"]["action"])]["legacy_time"] += 1
    for entry in source["disbursements"]:
        aid = int(entry["links"]["action"])
        expected[aid]["disbursement"] += 1
        amounts[aid] += round(entry["quantity"] * entry["unitPrice"], 2)
    loaded = {a["id"] for a in source["actions"]}
    for bill in source["bills"]:
        for aid in (a for a in bill["links"]["action"] if int(a) in loaded):
            expected[int(aid)]["bill"] += 1
            amounts[int(aid)] += bill["totalInclusive"]
    assert {aid for aid, text in lines.items() if text} == set(expected)
    for aid, kinds in expected.items():
        entries = json.loads(lines[aid])
        assert Counter(e["kind"] for e in entries) == kinds
        total = sum(e["amount"] or 0 for e in entries)
        assert total == pytest.approx(amounts[aid])
        assert {e["currency"] for e in entries} == {"USD"}
        dates = [e["date"] for e in entries]
        assert dates == sorted(dates)


# --------------------------------------------------------------------------- mapping 8


def test_trust_balances_and_transactions_on_the_client(both_pipeline, source) -> None:
    client_of = {}
    participants = {p["id"]: p for p in source["participants"]}
    for action in source["actions"]:
        if action["reference"]:
            client_of[action["reference"]] = int(action["links"]["primaryParticipants"][0])
    path = both_pipeline.firm.root / "actionstep" / "trust_ledger.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    balance: dict[int, float] = defaultdict(float)
    ids: dict[int, set[str]] = defaultdict(set)
    unresolvable = set()
    for row in rows:
        pid = client_of.get(row["Matter Reference"])
        if pid is None:
            unresolvable.add(row["Transaction ID"])
            continue
        amount = float((row["Receipt"] or row["Payment"]).replace(",", ""))
        balance[pid] += amount if row["Receipt"] else -amount
        ids[pid].add(row["Transaction ID"])
    loaded = {
        xmlid: (json.loads(b), json.loads(t))
        for xmlid, b, t in both_pipeline.query(
            "select id, x_trust_balance, x_trust_transactions from odoo__res_partner__actionstep "
            "where x_trust_balance is not null"
        )
    }
    checked = 0
    for pid, total in balance.items():
        person = participants[pid]
        if person["isCompany"] == "T" or not person["email"]:
            continue
        got_balance, got_rows = loaded[_partner_xmlid(person["email"])]
        # a person entered twice is one partner: both contact records' matters count
        assert {r["id"] for r in got_rows} >= ids[pid]
        if {r["id"] for r in got_rows} == ids[pid]:
            assert got_balance == {"USD": pytest.approx(total)}
            checked += 1
    assert checked > 10
    queued = {
        source_id
        for (source_id,) in both_pipeline.query(
            "select source_id from int_records_held_for_review "
            "where reason = 'trust_transaction_unresolvable'"
        )
    }
    assert queued == unresolvable


# --------------------------------------------------------------------------- mappings 9 and 10


def test_matter_custom_fields_and_values(both_pipeline, source) -> None:
    fields = {
        (model, name): ttype
        for model, name, ttype in both_pipeline.query(
            'select "model_id/id", name, ttype from odoo__ir_model_fields'
        )
    }
    data_types = {f["id"]: f["dataType"] for f in source["datacollectionfields"]}
    columns = {
        name
        for (name,) in both_pipeline.query(
            "select column_name from information_schema.columns "
            "where table_name = 'odoo__crm_lead__matter_data'"
        )
    }
    type_map = {
        "Str255": "char",
        "TextArea": "text",
        "Number": "float",
        "Money": "float",
        "Date": "date",
        "DateTime": "datetime",
        "Boolean": "boolean",
        "DropDown": "selection",
        "AutoNumber": "integer",
    }
    single = [
        v
        for v in source["datacollectionrecordvalues"]
        if v["links"]["dataCollection"] != "12" and v["stringValue"] is not None
    ]
    for value in single[:400]:
        field_name = value["id"].split("--")[1]
        column = "x_" + re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", field_name).lower()
        dtype = data_types[value["links"]["dataCollectionField"]]
        if dtype in type_map:
            assert fields[("crm.model_crm_lead", column)] == type_map[dtype]
        assert column in columns
        got = both_pipeline.query(
            f'select "{column}" from odoo__crm_lead__matter_data '
            f"where id = 'legal2odoo.actionstep_matter_{value['links']['action']}'"
        )[0][0]
        text = value["stringValue"]
        assert got == _typed(dtype, text), (value, got)


def test_participant_custom_fields_take_the_latest_matters_value(both_pipeline, source) -> None:
    participants = {p["id"]: p for p in source["participants"]}
    latest: dict[tuple[str, str], tuple[int, str]] = {}
    for value in source["participantdatafieldvalues"]:
        pid = int(value["links"]["participant"])
        person = participants.get(pid)
        if value["stringValue"] is None or not person or not person["email"]:
            continue
        if person["isCompany"] == "T":  # keyed by name, not email
            continue
        key = (_partner_xmlid(person["email"]), value["links"]["dataField"].split("--")[1])
        aid = int(value["links"]["action"])
        if key not in latest or latest[key][0] < aid:
            latest[key] = (aid, value["stringValue"])
    checked = 0
    for (partner, field_name), (_, text) in list(latest.items())[:200]:
        column = "x_" + re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", field_name).lower()
        got = both_pipeline.query(
            f"select \"{column}\" from odoo__res_partner__actionstep where id = '{partner}'"
        )[0][0]
        if column == "x_income":
            assert got == pytest.approx(float(text))
        elif column == "x_identity_verified":
            assert got == (text == "T")
        elif column == "x_preferred_contact":
            assert got == _snake(text)
        elif column == "x_insurer_deadline":
            assert got == date.fromisoformat(text)
        else:
            assert got == text
        checked += 1
    assert checked > 50
    defined = both_pipeline.query('select "model_id/id", name from odoo__ir_model_fields')
    assert ("base.model_res_partner", "x_policy_number") in {tuple(r) for r in defined}


# --------------------------------------------------------------------------- mapping 11


def test_open_tasks_are_activities_and_done_ones_are_chatter(both_pipeline, source) -> None:
    firm = both_pipeline.firm
    population = Population(seed=firm.manifest["seed"], scale=firm.manifest["scale"])
    staff_of = {int(u["links"]["participant"]): int(u["id"]) - 1 for u in source["users"]}
    activities = {
        int(row[0]): row[1:]
        for row in both_pipeline.query(
            'select _source_id, "activity_type_id/id", date_deadline, "user_id/.id", summary, '
            "_res_xmlid from odoo__mail_activity"
        )
    }
    messages = {
        row[0]: row[1:]
        for row in both_pipeline.query(
            "select _source_id, date, message_type, _res_xmlid, body from odoo__mail_message "
            "where _source_system = 'actionstep'"
        )
    }
    types = {
        "Call client": "mail.mail_activity_data_call",
        "Request medical records": "mail.mail_activity_data_todo",
        "File motion": "mail.mail_activity_data_todo",
        "Review contract": "mail.mail_activity_data_todo",
    }
    for task in source["tasks"]:
        lead = f"legal2odoo.actionstep_matter_{task['links']['action']}"
        if task["status"] == "Incomplete":
            kind, deadline, user, summary, res = activities[task["id"]]
            assert (kind, summary, res) == (types[task["name"]], task["name"], lead)
            assert deadline == _utc(task["dueTimestamp"]).date()
            assignee = task["links"]["assignee"]
            staff = staff_of.get(int(assignee)) if assignee else None
            if staff is not None and population.staff_has_odoo_user(staff):
                assert user == staff_user_id(staff)
            else:
                assert user == 2
        elif task["status"] == "Complete":
            when, kind, res, body = messages[str(task["id"])]
            assert (kind, res) == ("comment", lead)
            assert when == _utc(task["completedTimestamp"])
            assert task["name"] in body
        else:
            assert task["id"] not in activities and str(task["id"]) not in messages
    emails = {e["id"]: e for e in source["emails"]}
    for link in source["emailassociations"]:
        email = emails[int(link["links"]["email"])]
        when, kind, res, _ = messages[link["id"]]
        assert kind == "email"
        assert res == f"legal2odoo.actionstep_matter_{link['links']['action']}"
        assert when == _utc(email["sentTimestamp"])


# --------------------------------------------------------------------------- mapping 12


def test_related_matters_and_cycles(both_pipeline, source, truth) -> None:
    related = {
        int(row[0]): row[1:]
        for row in both_pipeline.query(
            'select x_source_matter_id, "x_related_matter_id/id", x_related_matter_type '
            "from odoo__crm_lead where _source_system = 'actionstep'"
        )
    }
    broken = {
        tuple(int(x) for x in source_id.split("->"))
        for (source_id,) in both_pipeline.query(
            "select source_id from int_records_held_for_review "
            "where reason = 'related_matter_cycle'"
        )
    }
    assert len(broken) == truth["related_matters"]["cycles"]
    for sample in truth["related_matters"]["cycle_samples"]:
        assert tuple(sample["broken_edge"]) in broken
    ids = {a["id"] for a in source["actions"]}
    kept = 0
    for action in source["actions"]:
        targets = [int(t) for t in action["links"]["relatedActions"] or []]
        good = [t for t in targets if t in ids and (action["id"], t) not in broken]
        target, kind = related[action["id"]]
        if good:
            assert (target, kind) == (f"legal2odoo.actionstep_matter_{good[0]}", "related")
            kept += 1
        else:
            assert target is None
    missing = truth["review_queue"]["related_matter_missing"]
    assert kept == truth["related_matters"]["edges"] - missing - len(broken)


# --------------------------------------------------------------------------- lineage

LEGAL_SUFFIX = re.compile(
    r"( (llc|llp|lllp|pllc|pc|pa|inc|incorporated|corp|corporation|ltd|limited|plc))+$"
)


def _company_key(name: str) -> str:
    """The consolidation rule as the README states it: case, punctuation, '&' and trailing
    legal suffixes do not make a different company."""
    text = name.lower().replace(".", "").replace("&", " and ")
    return LEGAL_SUFFIX.sub("", re.sub(r"[^a-z0-9]+", " ", text).strip()).strip()


def test_company_lineage_names_every_merged_source_row(both_pipeline, source) -> None:
    """A consolidated company traces to the raw rows that named it (Captorra leads, Actionstep
    participants), every one of them and only those: never a per-column min() that joins a
    system, an object kind and an id from different rows."""
    truth: dict[str, set[str]] = defaultdict(set)
    with (both_pipeline.firm.captorra / "export.csv").open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if row["Company"].strip():
                truth[_company_key(row["Company"])].add(f"captorra/lead/{row['Lead ID']}")
    for person in source["participants"]:
        if (person.get("companyName") or "").strip():
            truth[_company_key(person["companyName"])].add(f"actionstep/participant/{person['id']}")
    companies = both_pipeline.query(
        "select name, _source_system, _source_model, _source_id from odoo__res_partner "
        "where is_company"
    )
    mixed = 0
    for name, systems, models, lineage in companies:
        rows = set(lineage.split(","))
        assert rows == truth[_company_key(name)], name
        assert systems == ",".join(sorted({r.split("/")[0] for r in rows}))
        assert models == ",".join(sorted({r.split("/")[1] for r in rows}))
        mixed += "," in systems
    assert len(companies) > 5 and mixed > 0


# --------------------------------------------------------------------------- excluded by rule


def test_hidden_deleted_and_pending_items_are_counted_as_excluded(both_pipeline, source) -> None:
    """Nothing is dropped silently: every hidden or deleted task and every deleted or pending
    document of the raw source is an int_excluded_by_rule row with its rule."""
    expected = {}
    for task in source["tasks"]:
        if task["status"] in ("Hidden", "Deleted"):
            expected[("task", str(task["id"]))] = f"task_{task['status'].lower()}"
    for doc in source["actiondocuments"]:
        if doc["isDeleted"] == "T":
            expected[("document", str(doc["id"]))] = "document_deleted"
        elif doc["status"] == "pending":
            expected[("document", str(doc["id"]))] = "document_pending"
    assert {r for _, r in expected.items()} >= {
        "task_hidden",
        "task_deleted",
        "document_deleted",
        "document_pending",
    }
    found = {
        (kind, source_id): rule
        for kind, source_id, rule in both_pipeline.query(
            "select source_object, source_id, rule from int_excluded_by_rule "
            "where source_object in ('task', 'document')"
        )
    }
    assert found == expected
    loaded = {
        (kind, source_id)
        for kind, source_id in both_pipeline.query(
            "select _source_model, _source_id from odoo__ir_attachment union all "
            "select _source_model, _source_id from odoo__mail_activity union all "
            "select _source_model, _source_id from odoo__mail_message"
        )
    }
    assert not loaded & set(found)
