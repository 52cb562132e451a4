"""Generator, Actionstep side: deterministic, wire-shaped, manifest matches its files."""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from legal2odoo_sandbox.firm.actionstep import CHUNK, RESOURCES, write_actionstep
from legal2odoo_sandbox.firm.core import Firm, normalise_email


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def _records(root: Path, resource: str) -> list[dict]:
    with (root / "actionstep" / f"{resource}.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


@pytest.fixture(scope="module")
def firm_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("firm")
    return out, write_actionstep(Firm(seed=7, scale=300), out)


def test_same_seed_same_bytes_other_seed_differs(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    assert write_actionstep(Firm(5, 120), a) == write_actionstep(Firm(5, 120), b)
    write_actionstep(Firm(6, 120), c)
    assert _digest(a) == _digest(b)
    assert _digest(a) != _digest(c)


def test_manifest_counts_match_files(firm_dir: tuple[Path, dict]) -> None:
    out, manifest = firm_dir
    for resource in RESOURCES:
        records = _records(out, resource)
        assert len(records) == manifest["records"][resource], resource
        ids = [r["id"] for r in records]
        assert len(set(map(str, ids))) == len(ids), f"duplicate ids in {resource}"
    assert manifest["records"]["actions"] == 300


def test_wire_form(firm_dir: tuple[Path, dict]) -> None:
    out, _ = firm_dir
    actions = _records(out, "actions")
    for action in actions:
        assert isinstance(action["id"], int)
        assert action["isDeleted"] in ("T", "F")
        assert len(action["createdTimestamp"]) == 10  # date only
        assert action["modifiedTimestamp"][-6:] in ("-05:00", "-06:00")
        links = action["links"]
        assert links["actionType"] is None or isinstance(links["actionType"], str)
        assert links["relatedActions"] is None or all(
            isinstance(x, str) for x in links["relatedActions"]
        )
    for ap in _records(out, "actionparticipants"):
        action, ptype, participant = ap["id"].split("--")
        assert ap["links"] == {
            "action": action,
            "participantType": ptype,
            "participant": participant,
        }


def test_stage_and_partner_truth(firm_dir: tuple[Path, dict]) -> None:
    out, manifest = firm_dir
    steps = {s["id"]: s["stepName"] for s in _records(out, "steps")}
    stages: Counter[str] = Counter()
    for a in _records(out, "actions"):
        if a["isDeleted"] == "F":
            stages[steps[a["links"]["step"]] if a["links"]["step"] else "(no stage)"] += 1
    assert dict(stages) == manifest["matters_per_stage"]
    # Independent recount of distinct client/contact partners by normalised email.
    participants = {p["id"]: p for p in _records(out, "participants")}
    keys = set()
    for ap in _records(out, "actionparticipants"):
        pid = int(ap["links"]["participant"])
        if ap["links"]["participantType"] in ("1", "2") and pid in participants:
            email = normalise_email(participants[pid]["email"])
            keys.add(email or f"id:{pid}")
    assert len(keys) == manifest["distinct_partners_client_contact"]


def test_review_queue_truth(firm_dir: tuple[Path, dict]) -> None:
    out, manifest = firm_dir
    participants = {str(p["id"]) for p in _records(out, "participants")}
    types = {str(t["id"]) for t in _records(out, "participanttypes")}
    missing = unknown = 0
    for ap in _records(out, "actionparticipants"):
        missing += ap["links"]["participant"] not in participants
        unknown += ap["links"]["participantType"] not in types
    review = manifest["review_queue"]
    assert missing == review["actionparticipant_missing_participant"] > 0
    assert unknown == review["actionparticipant_unknown_participant_type"] > 0
    assert review["related_matter_cycle"] == manifest["related_matters"]["cycles"] == 9


def test_documents_and_trust(firm_dir: tuple[Path, dict]) -> None:
    out, manifest = firm_dir
    docs = _records(out, "actiondocuments")
    files = out / "actionstep" / "files"
    sizes = [(files / str(d["id"])).stat().st_size for d in docs if d["file"]]
    assert sum(sizes) == manifest["documents"]["file_bytes"]
    assert max(sizes) > CHUNK  # at least one multi-part download
    magic = {(files / str(d["id"])).read_bytes()[:4] for d in docs if d["file"]}
    assert {b"%PDF", b"PK\x03\x04", b"\x89PNG"} <= magic
    with (out / "actionstep" / "trust_ledger.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == manifest["trust_rows"]
    references = {a["reference"] for a in _records(out, "actions") if a["reference"]}
    unresolved = sum(r["Matter Reference"] not in references for r in rows)
    assert unresolved == manifest["review_queue"]["trust_transaction_unresolvable"]


def test_persons_seen_marks_contacts_with_email(tmp_path: Path) -> None:
    firm = Firm(seed=3, scale=60)
    seen = bytearray(firm.people)
    write_actionstep(firm, tmp_path, seen)
    with_email = {i for i in range(firm.people) if firm.person(i).email}
    assert {i for i, flag in enumerate(seen) if flag} == with_email
