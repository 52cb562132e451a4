"""The Actionstep side of the synthetic firm: JSONL per API resource, document bytes, trust CSV.

Each line of `actionstep/<resource>.jsonl` is one record exactly as it sits inside the API's
resource key (attributes + `links`, "T"/"F" booleans, string ids in links, `--` composite ids,
org-local timestamps). Matters are streamed one at a time and every child record is a pure
function of (seed, matter index), so memory stays flat at any scale; the manifest is computed
from counters and per-participant bit flags of what was written, never by re-reading output.

Id scheme (documented in docs/raw-datasets.md too):
- users: staff j -> id j+1; staff participant id 10+j; divisions participant id 1.
- company participants: 50+c; person i -> participant 1000+2i; duplicate contact of person i
  (same person entered twice, another email spelling) -> 1000+2i+1.
- actions: matter m -> id m+1.  Child records of matter A: id A*10+k (k < 10) for filenotes,
  actiondocuments, tasks, emails, timeentries, timerecords, bills, disbursements,
  datacollectionrecords.  phonerecords: participant id*10+k.
- composite ids: steps "{type}--{n}", actionparticipants "{action}--{type}--{participant}",
  datacollectionfields "{dc}--{name}", datacollectionrecordvalues "{dc}--{name}--{record}",
  participanttypedatafields "{type}--{name}", participantdatafieldvalues
  "{type}--{name}--{participant}--{action}", emailassociations "{email}--{action}".
- a participant id >= 9,000,000 is deliberately missing (review queue), as is type id 77.

Manifest section (`write_actionstep`'s return value), all counted while writing:
- `records`: lines per resource file; `matters`, `matters_deleted` (soft-deleted),
  `matters_per_stage` (stepName of non-deleted matters; "(no stage)" when step is null),
  `matters_unassigned`, `matters_owner_without_odoo_user`;
- `duplicate_contacts`; `distinct_partners_client_contact` (participants holding a Client or
  Contact-Person role, deduplicated by normalised email; no email = one each),
  `distinct_partners_all` (every contact participant: people and companies, not staff),
  `partners_per_tag` (role labels of known participant types; no role -> "General Contact");
- `documents` {with_file, placeholder, deleted, attachments (with file, not deleted),
  file_bytes}; `filenotes` {user, system}; `tasks_by_status`; `activities` {open, completed};
- `custom_fields` {matter, participant: {definitions, values, values_non_null}};
- `related_matters` {edges, cycles, cycle_rule, cycle_samples: [{matters, broken_edge}]};
- `trust_rows`; `review_queue` {reason: expected entries}.
"""

from __future__ import annotations

import csv
import json
import os
import random
from collections import Counter
from collections.abc import MutableSequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from legal2odoo_sandbox.firm.core import (
    COMPANY_STEMS,
    EPOCH,
    FIRM_DOMAIN,
    FIRST_NAMES,
    LAST_NAMES,
    SPAN_DAYS,
    Firm,
    _ascii_local,
    email_variant,
    phone_variant,
    rng_for,
)

RESOURCES = (
    "actiontypes",
    "steps",
    "participanttypes",
    "users",
    "participants",
    "phonerecords",
    "actions",
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
    "datacollections",
    "datacollectionfields",
    "datacollectionrecords",
    "datacollectionrecordvalues",
    "participanttypedatafields",
    "participantdatafieldvalues",
)
FIRM_NAME = "Hartman Cole Law"
DIVISION_ID = 1
STAFF_PARTICIPANT_BASE = 10
COMPANY_PARTICIPANT_BASE = 50
PERSON_PARTICIPANT_BASE = 1000
MISSING_PARTICIPANT_BASE = 9_000_000
UNKNOWN_PARTICIPANT_TYPE = 77
CHUNK = 5 * 1024 * 1024
BIG_FILE_MATTER = 3  # one document larger than a download part, to exercise chunking

ACTION_TYPES = {
    1: ("Personal Injury", ("Intake", "Investigation", "Demand", "Negotiation", "Settled")),
    2: ("Family Law", ("Intake", "Discovery", "Mediation", "Trial", "Closed")),
    3: ("Estate Planning", ("Consultation", "Drafting", "Signing", "Closed")),
    4: ("Commercial Litigation", ("Intake", "Pleadings", "Discovery", "Trial", "Judgment")),
}
TYPE_WEIGHTS = (0.45, 0.25, 0.15, 0.15)
# Role labels become contact tags in Odoo. 8 and 9 are roles no mapping knows about.
PARTICIPANT_TYPES = {
    1: "Client",
    2: "Contact-Person",
    3: "Opposing Party",
    4: "Opposing Counsel",
    5: "Witness",
    6: "Referrer",
    7: "Guardian ad Litem",
    8: "Process Server (legacy)",
}
CLIENT_CONTACT_BITS = 0b11  # bit (type - 1) for types 1 and 2
GENERAL_CONTACT = "General Contact"
HAS_EMAIL, HAS_DUP = 1, 2
FIRST_INDEX = {name: i for i, name in enumerate(FIRST_NAMES)}
LAST_INDEX = {name: i for i, name in enumerate(LAST_NAMES)}
DATA_TYPES = (
    ("CaseCode", "Str255"),
    ("Narrative", "TextArea"),
    ("Hours", "Number"),
    ("ClaimAmount", "Money"),
    ("IncidentDate", "Date"),
    ("FollowUpMonth", "DateNM"),
    ("IntakeAt", "DateTime"),
    ("Conflicted", "Boolean"),
    ("ReferralSource", "DropDown"),
    ("Injuries", "DropDownMulti"),
    ("Adjuster", "Participant"),
    ("FileNumber", "AutoNumber"),
)
REFERRAL_CHOICES = ("Google", "Past client", "Billboard", "Bar referral", "Other…")
INJURY_CHOICES = ("Neck", "Back", "Head", "Knee", "Psychological")
PARTICIPANT_FIELDS = {
    1: (("PreferredContact", "DropDown"), ("IdentityVerified", "Boolean"), ("Income", "Money")),
    3: (("PolicyNumber", "Str255"), ("InsurerDeadline", "Date")),
}
DOC_KINDS = (".pdf", ".docx", ".txt", ".png", ".pdf", ".txt")
NASTY_DOC_NAMES = (
    "../../etc/passwd",
    "Rëport: final?",
    "C:\\Users\\paralegal\\Desktop\\scan",
    "contrat signé (v2)",
    "  leading spaces",
    "con",
)
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
TINY_PNG_B64 = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgAAIAAAUAAVSiT10AAAAASUVORK5CYII="
)
TRUST_HEADER = (
    "Transaction ID",
    "Date",
    "Matter Reference",
    "Matter Name",
    "Client",
    "Type",
    "Description",
    "Receipt",
    "Payment",
    "Balance",
)

_CDT, _CST = timedelta(hours=-5), timedelta(hours=-6)
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def local_ts(dt: datetime) -> str:
    """The org's local time (US Central, DST approximated by month) with its offset."""
    summer = 3 <= dt.month <= 10
    t = (dt + (_CDT if summer else _CST)).timetuple()  # f-string beats strftime 3x
    return f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}T{t[3]:02d}:{t[4]:02d}:{t[5]:02d}" + (
        "-05:00" if summer else "-06:00"
    )


def tf(flag: bool) -> str:
    return "T" if flag else "F"


def person_participant_id(index: int, duplicate: bool = False) -> int:
    return PERSON_PARTICIPANT_BASE + 2 * index + int(duplicate)


def has_duplicate_contact(seed: int, index: int) -> bool:
    """4 % of people were entered twice in Actionstep (second contact, other email spelling)."""
    return rng_for(seed, "as-dup", index).random() < 0.04


@dataclass
class Truth:
    """Counters and per-participant role flags: what the generator knows it made."""

    people: int
    counts: Counter[str] = field(default_factory=Counter)
    stages: Counter[str] = field(default_factory=Counter)
    review: Counter[str] = field(default_factory=Counter)
    tasks: Counter[str] = field(default_factory=Counter)
    misc: Counter[str] = field(default_factory=Counter)
    cycles: list[dict[str, Any]] = field(default_factory=list)
    role_flags: bytearray = field(init=False)  # index = participant id, bit = type - 1
    person_bits: bytearray = field(init=False)  # index = person index: HAS_EMAIL | HAS_DUP
    first_name: bytearray = field(init=False)
    last_name: bytearray = field(init=False)

    def __post_init__(self) -> None:
        self.role_flags = bytearray(person_participant_id(self.people) + 1)
        self.person_bits = bytearray(self.people)
        # name indexes: matters need their client's name without re-deriving the person
        self.first_name = bytearray(self.people)
        self.last_name = bytearray(self.people)


class Writers:
    """One buffered JSONL file per resource."""

    def __init__(self, root: Path, truth: Truth) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.truth = truth
        self.files: dict[str, TextIO] = {
            name: (root / f"{name}.jsonl").open("w", encoding="utf-8", buffering=1 << 20)
            for name in RESOURCES
        }

    def write(self, resource: str, record: dict[str, Any]) -> None:
        self.files[resource].write(_dumps(record) + "\n")
        self.truth.counts[resource] += 1

    def close(self) -> None:
        for handle in self.files.values():
            handle.close()


def write_actionstep(
    firm: Firm, out: Path, persons_seen: MutableSequence[Any] | None = None
) -> dict[str, Any]:
    """Write the firm's Actionstep side under out/actionstep and return its manifest section.

    Every person of the pool is an Actionstep contact; `persons_seen` (the bitmap shared with
    the Captorra side: a bytearray or numpy bool array, true = appears with an email) gets
    each person whose contact has an email.
    """
    root = Path(out) / "actionstep"
    (root / "files").mkdir(parents=True, exist_ok=True)
    truth = Truth(people=firm.people)
    writers = Writers(root, truth)
    try:
        _write_reference_data(firm, writers)
        _write_participants(firm, writers)
        if persons_seen is not None:
            for i, bits in enumerate(truth.person_bits):
                if bits & HAS_EMAIL:
                    persons_seen[i] = 1
        with (root / "trust_ledger.csv").open("w", encoding="utf-8-sig", newline="") as trust:
            trust_writer = csv.writer(trust, lineterminator="\r\n")
            trust_writer.writerow(TRUST_HEADER)
            for m in range(firm.scale):
                _write_matter(firm, m, writers, root / "files", trust_writer)
            _write_unresolvable_trust(firm, trust_writer, truth)
    finally:
        writers.close()
    return _manifest(firm, truth)


# --------------------------------------------------------------------------- reference data


def _write_reference_data(firm: Firm, w: Writers) -> None:
    for type_id, (name, steps) in ACTION_TYPES.items():
        w.write("actiontypes", _actiontype(type_id, name))
        for n, step_name in enumerate(steps, start=1):
            w.write("steps", _step(type_id, n, step_name, last=n == len(steps)))
        dc = type_id * 10 + 1
        w.write("datacollections", _datacollection(dc, type_id, "Matter Details", False, 1))
        for order, (name_, dtype) in enumerate(DATA_TYPES, start=1):
            w.write("datacollectionfields", _dc_field(dc, name_, dtype, order))
        if type_id == 1:  # a multi-record collection: one row per vehicle
            w.write("datacollections", _datacollection(12, 1, "Vehicles", True, 2))
            for order, (name_, dtype) in enumerate((("Plate", "Str255"), ("Damage", "Money")), 1):
                w.write("datacollectionfields", _dc_field(12, name_, dtype, order))
    for type_id, name in PARTICIPANT_TYPES.items():
        w.write("participanttypes", _participanttype(type_id, name))
        for order, (fname, dtype) in enumerate(PARTICIPANT_FIELDS.get(type_id, ()), start=1):
            w.write("participanttypedatafields", _pt_field(type_id, fname, dtype, order))
    for j in range(firm.staff):
        w.write("users", _user(firm, j))


def _actiontype(type_id: int, name: str) -> dict[str, Any]:
    return {
        "id": type_id,
        "name": name,
        "description": f"{name} matters",
        "trackActualTime": "T",
        "trackBillableTime": "T",
        "isForCrm": tf(type_id != 3),
        "isDisabled": "F",
        "isBillable": "T",
        "canCreate": "T",
        "templateIdentifier": f"TPL-{type_id:03d}",
        "links": {"primaryParticipantType": "1"},
    }


def _step(type_id: int, n: int, name: str, *, last: bool) -> dict[str, Any]:
    return {
        "id": f"{type_id}--{n}",
        "stepNumber": n,
        "stepName": name,
        "description": None if n % 2 else f"{name} stage",
        "actionStatus": "Closed" if last else "Active",
        "assignedToMandatory": tf(n == 1),
        "links": {"actionType": str(type_id), "assignToParticipantType": None},
    }


def _datacollection(dc: int, type_id: int, label: str, multi: bool, order: int) -> dict[str, Any]:
    return {
        "id": dc,
        "name": label.replace(" ", ""),
        "description": f"{label} ({ACTION_TYPES[type_id][0]})",
        "multipleRecords": tf(multi),
        "order": order,
        "label": label,
        "alwaysShowDescriptions": "F",
        "links": {"actionType": str(type_id)},
    }


def _dc_field(dc: int, name: str, dtype: str, order: int) -> dict[str, Any]:
    return {
        "id": f"{dc}--{name}",
        "name": name,
        "dataType": dtype,
        "label": _label(name),
        "formOrder": order,
        "listOrder": order,
        "required": tf(order == 1),
        "description": None,
        "links": {"dataCollection": str(dc), "tag": None},
    }


def _participanttype(type_id: int, name: str) -> dict[str, Any]:
    return {
        "id": type_id,
        "name": name,
        "displayName": name,
        "description": None,
        "isBaseParticipantType": tf(type_id == 1),
        "companyFlag": "F",
        "taxNumberAlias": None,
    }


def _pt_field(type_id: int, name: str, dtype: str, order: int) -> dict[str, Any]:
    return {
        "id": f"{type_id}--{name}",
        "name": name,
        "label": _label(name),
        "dataType": dtype,
        "required": "F",
        "formOrder": order,
        "description": None,
        "links": {"participantType": str(type_id)},
    }


def _label(name: str) -> str:
    return "".join(f" {c}" if c.isupper() else c for c in name).strip()


def _user(firm: Firm, j: int) -> dict[str, Any]:
    staff = firm.staff_member(j)
    return {
        "id": j + 1,
        "isCurrent": tf(j == 0),
        "emailAddress": staff.email,
        "isActive": tf(j % 5 != 4),
        "hasAuthority": tf(j < 2),
        "links": {
            "participant": str(STAFF_PARTICIPANT_BASE + j),
            "role": str(1 + j % 3),
            "division": str(DIVISION_ID),
            "defaultRate": None,
            "rate": str(200 + j),
            "defaultUtbmsTimekeeperCode": None,
        },
    }


# --------------------------------------------------------------------------- participants


def _write_participants(firm: Firm, w: Writers) -> None:
    w.write("participants", _division_participant())
    for j in range(firm.staff):
        w.write("participants", _staff_participant(firm, j))
    for c, stem in enumerate(COMPANY_STEMS):
        w.write("participants", _company_participant(c, stem))
    for i in range(firm.people):
        person = firm.person(i)
        r = rng_for(firm.seed, "as-participant", i)
        if person.email:
            w.truth.person_bits[i] |= HAS_EMAIL
        w.truth.first_name[i] = FIRST_INDEX[person.first_name]
        w.truth.last_name[i] = LAST_INDEX[person.last_name]
        pid = person_participant_id(i)
        w.write("participants", _person_participant(person, pid, r))
        _write_phonerecords(pid, person.phone_digits, r, w)
        if has_duplicate_contact(firm.seed, i):
            w.write("participants", _person_participant(person, pid + 1, r, duplicate=True))
            w.truth.person_bits[i] |= HAS_DUP
            w.truth.misc["duplicate_contacts"] += 1


def _base_participant(pid: int, created: datetime) -> dict[str, Any]:
    return {"id": pid, "createdTimestamp": local_ts(created)}


def _division_participant() -> dict[str, Any]:
    rec = _participant_shell(DIVISION_ID, FIRM_NAME, is_company=True, created=EPOCH)
    rec["companyName"] = FIRM_NAME
    rec["email"] = f"office@{FIRM_DOMAIN}"
    return rec


def _staff_participant(firm: Firm, j: int) -> dict[str, Any]:
    staff = firm.staff_member(j)
    rec = _participant_shell(
        STAFF_PARTICIPANT_BASE + j, staff.name, is_company=False, created=EPOCH
    )
    rec.update(firstName=staff.first_name, lastName=staff.last_name, email=staff.email)
    return rec


def _company_participant(c: int, stem: str) -> dict[str, Any]:
    created = EPOCH + timedelta(days=c * 17)
    rec = _participant_shell(COMPANY_PARTICIPANT_BASE + c, stem, is_company=True, created=created)
    rec["companyName"] = stem
    rec["email"] = None if c % 4 == 3 else f"info@{_ascii_local(stem).replace('.', '')}.example"
    return rec


def _participant_shell(pid: int, display: str, *, is_company: bool, created: datetime) -> dict:
    return {
        "id": pid,
        "displayName": display,
        "displayInitials": "".join(p[0] for p in display.split() if p)[:3].upper(),
        "isCompany": tf(is_company),
        "companyName": None,
        "salutation": None,
        "firstName": None,
        "middleName": None,
        "lastName": None,
        "suffix": None,
        "preferredName": None,
        "physicalAddressLine1": None,
        "physicalAddressLine2": None,
        "physicalCity": None,
        "physicalStateProvince": None,
        "physicalPostCode": None,
        "mailingAddressLine1": None,
        "mailingCity": None,
        "mailingStateProvince": None,
        "mailingPostCode": None,
        "phone1Label": None,
        "phone1Country": None,
        "phone1Area": None,
        "phone1Number": None,
        "phone1Notes": None,
        "phone2Label": None,
        "phone2Number": None,
        "fax": None,
        "sms": None,
        "email": None,
        "website": None,
        "occupation": None,
        "taxNumber": None,
        "birthTimestamp": None,
        "gender": None,
        "isDeceased": "F",
        "createdTimestamp": local_ts(created),
        "modifiedTimestamp": local_ts(created + timedelta(days=3)),
        "importExternalReference": None,
        "links": {"physicalCountry": "US", "mailingCountry": None, "division": str(DIVISION_ID)},
    }


def _person_participant(person: Any, pid: int, r: random.Random, duplicate: bool = False) -> dict:
    created = EPOCH + timedelta(seconds=r.randrange(SPAN_DAYS * 86400))
    rec = _participant_shell(pid, person.name, is_company=False, created=created)
    if duplicate:
        created += timedelta(days=r.randrange(30, 400))
        rec["createdTimestamp"] = local_ts(created)
    rec["modifiedTimestamp"] = local_ts(created + timedelta(seconds=r.randrange(90 * 86400)))
    rec["displayName"] = (
        person.name if r.random() < 0.9 else f"{person.last_name}, {person.first_name}"
    )
    rec.update(
        firstName=person.first_name,
        lastName=person.last_name,
        salutation=r.choice((None, "Mr", "Ms", "Dr", "Mx")),
        companyName=person.company,
        physicalAddressLine1=person.street,
        physicalCity=person.city,
        physicalStateProvince=person.state,
        physicalPostCode=person.zip_code,
        occupation=r.choice((None, "Nurse", "Électricien", "Teacher", "Driver")),
    )
    if person.email:
        rec["email"] = email_variant(person.email, r)
    digits = person.phone_digits
    if r.random() < 0.9:  # split fields as Actionstep stores them, or a free-text number
        if r.random() < 0.6:
            rec.update(phone1Label="Mobile", phone1Country="1", phone1Area=digits[:3])
            rec["phone1Number"] = f"{digits[3:6]}-{digits[6:]}"
        else:
            rec.update(phone1Label="Home", phone1Number=phone_variant(digits, r))
    if r.random() < 0.3:
        rec["birthTimestamp"] = (date(1940, 1, 1) + timedelta(days=r.randrange(25000))).isoformat()
    if r.random() < 0.05:
        rec["physicalAddressLine2"] = "Apt 4\nRear entrance"  # multi-line address
    return rec


def _write_phonerecords(pid: int, digits: str, r: random.Random, w: Writers) -> None:
    if r.random() >= 0.3:
        return
    for k in range(1 + (r.random() < 0.3)):
        w.write(
            "phonerecords",
            {
                "id": pid * 10 + k,
                "label": ("Work", "Fax", "Other")[k % 3],
                "countryCode": "1",
                "areaCode": digits[:3],
                "number": phone_variant(digits[::-1] if k else digits, r),
                "notes": None if k == 0 else "ask for extension",
                "links": {"participant": str(pid)},
            },
        )


# --------------------------------------------------------------------------- matters


def related_targets(m: int, scale: int) -> list[int]:
    """Matter indexes that matter m lists in relatedActions, by its position in a block of 100.

    10→11→12→10 is a 3-cycle, 20↔21 a 2-cycle, 50 a self-loop; 30→29 and 40→41→42 are acyclic;
    60 points at a matter that does not exist (returned as scale + 10**6 + m).
    """
    pos, base = m % 100, m - m % 100

    def ok(*members: int) -> bool:
        return all(base + p < scale for p in members)

    if pos in (10, 11, 12) and ok(10, 11, 12):
        return [base + (10 + (pos - 9) % 3)]
    if pos in (20, 21) and ok(20, 21):
        return [base + (41 - pos)]
    if pos == 50:
        return [m]
    if pos == 30:
        return [m - 1]
    if pos in (40, 41) and ok(40, 41, 42):
        return [m + 1]
    if pos == 60:
        return [scale + 10**6 + m]
    return []


def _record_cycles(m: int, scale: int, truth: Truth) -> None:
    """Record each cycle once, at its highest member (the edge leaving it gets broken)."""
    pos, base = m % 100, m - m % 100
    members = None
    if pos == 12 and base + 12 < scale:
        members = [base + 10, base + 11, base + 12]
    elif pos == 21 and base + 21 < scale:
        members = [base + 20, base + 21]
    elif pos == 50:
        members = [m]
    if members is None:
        return
    truth.misc["related_cycles"] += 1
    truth.review["related_matter_cycle"] += 1
    if len(truth.cycles) < 100:
        ids = [x + 1 for x in members]
        top = max(ids)
        target = related_targets(top - 1, scale)[0] + 1
        truth.cycles.append({"matters": ids, "broken_edge": [top, target]})


def _write_matter(firm: Firm, m: int, w: Writers, files: Path, trust: Any) -> None:
    r = rng_for(firm.seed, "as-matter", m)
    aid = m + 1
    type_id = r.choices((1, 2, 3, 4), TYPE_WEIGHTS)[0]
    type_name, steps = ACTION_TYPES[type_id]
    created = EPOCH + timedelta(seconds=r.randrange(SPAN_DAYS * 86400))
    step_n = r.randrange(1, len(steps) + 1) if r.random() >= 0.01 else None
    deleted = r.random() < 0.015
    staff_j = r.randrange(firm.staff) if r.random() >= 0.02 else None
    client_pid, client_label = _pick_client(firm, r, w.truth)
    others = _pick_others(firm, m, r, client_pid, w.truth)
    related = related_targets(m, firm.scale)
    modified = created + timedelta(seconds=r.randrange(400 * 86400))
    action = {
        "id": aid,
        "name": f"{client_label} - {type_name}" + (" (copy)" if r.random() < 0.01 else ""),
        "reference": f"M{aid:07d}" if r.random() >= 0.02 else None,
        "priority": r.randrange(0, 4),
        "status": "Closed" if step_n == len(steps) else r.choice(("Active", "Active", "Inactive")),
        "statusTimestamp": local_ts(created + timedelta(days=1)),
        "isBillableOverride": None,
        "createdTimestamp": local_ts(created)[:10],
        "modifiedTimestamp": local_ts(modified),
        "isDeleted": tf(deleted),
        "deletedBy": "Alice Hartman" if deleted else None,
        "deletedTimestamp": local_ts(modified) if deleted else None,
        "isFavorite": tf(r.random() < 0.05),
        "overrideBillingStatus": None,
        "lastAccessTimestamp": local_ts(modified + timedelta(days=2)),
        "importExternalReference": f"LEGACY-{aid}" if r.random() < 0.1 else None,
        "links": {
            "assignedTo": None if staff_j is None else str(STAFF_PARTICIPANT_BASE + staff_j),
            "division": str(DIVISION_ID),
            "actionType": str(type_id),
            "primaryParticipants": [str(client_pid)],
            "step": None if step_n is None else f"{type_id}--{step_n}",
            "billSettings": str(aid),
            "relatedActions": [str(t + 1) for t in related] or None,
        },
    }
    w.write("actions", action)
    _count_matter(firm, m, w.truth, deleted, steps, step_n, staff_j, related)
    ctx = _MatterCtx(firm, aid, type_id, created, r, client_pid, staff_j, action["reference"])
    _write_actionparticipants(ctx, client_pid, others, w)
    _write_filenotes(ctx, w)
    _write_documents(ctx, m, w, files)
    _write_tasks(ctx, w)
    _write_emails(ctx, w, related)
    _write_time(ctx, w)
    _write_billing(ctx, w)
    _write_custom_values(ctx, w)
    _write_trust(ctx, trust, w.truth)


def _count_matter(
    firm: Firm,
    m: int,
    truth: Truth,
    deleted: bool,
    steps: tuple[str, ...],
    step_n: int | None,
    staff_j: int | None,
    related: list[int],
) -> None:
    if deleted:
        truth.misc["matters_deleted"] += 1
    else:
        truth.stages[steps[step_n - 1] if step_n else "(no stage)"] += 1
    if staff_j is None:
        truth.misc["matters_unassigned"] += 1
    elif not firm.staff_has_odoo_user(staff_j):
        truth.misc["matters_owner_without_odoo_user"] += 1
    if any(t >= firm.scale for t in related):
        truth.review["related_matter_missing"] += 1
    truth.misc["related_edges"] += len(related)
    _record_cycles(m, firm.scale, truth)


def _pick_client(firm: Firm, r: random.Random, truth: Truth) -> tuple[int, str]:
    if r.random() < 0.08:
        c = r.randrange(len(COMPANY_STEMS))
        return COMPANY_PARTICIPANT_BASE + c, COMPANY_STEMS[c]
    i = r.randrange(firm.people)
    dup = truth.person_bits[i] & HAS_DUP and r.random() < 0.5  # same as has_duplicate_contact
    name = f"{FIRST_NAMES[truth.first_name[i]]} {LAST_NAMES[truth.last_name[i]]}"
    return person_participant_id(i, bool(dup)), name


def _pick_others(
    firm: Firm, m: int, r: random.Random, client_pid: int, truth: Truth
) -> list[tuple[int, int]]:
    """(participant type, participant id) pairs besides the client; some deliberately broken."""
    picks: list[tuple[int, int]] = []
    for _ in range(r.choices((0, 1, 2, 3), (0.25, 0.35, 0.25, 0.15))[0]):
        type_id = r.choices((2, 3, 4, 5, 6, 7, 8), (30, 20, 15, 15, 10, 5, 5))[0]
        i = r.randrange(firm.people)
        dup = truth.person_bits[i] & HAS_DUP and r.random() < 0.3
        picks.append((type_id, person_participant_id(i, bool(dup))))
    if r.random() < 0.005:
        picks.append((5, MISSING_PARTICIPANT_BASE + m))
    if r.random() < 0.004:
        picks.append((UNKNOWN_PARTICIPANT_TYPE, person_participant_id(r.randrange(firm.people))))
    seen = {(1, client_pid)}
    unique = []
    for pick in picks:
        if pick not in seen:
            seen.add(pick)
            unique.append(pick)
    return unique


@dataclass
class _MatterCtx:
    firm: Firm
    aid: int
    type_id: int
    created: datetime
    r: random.Random
    client_pid: int
    staff_j: int | None
    reference: str | None

    def staff_pid(self) -> str:
        return str(STAFF_PARTICIPANT_BASE + self.r.randrange(self.firm.staff))

    def staff_name(self) -> str:
        return self.firm.staff_member(self.r.randrange(self.firm.staff)).name

    def later(self, max_days: int = 365) -> datetime:
        return self.created + timedelta(seconds=self.r.randrange(1, max_days * 86400))


def _write_actionparticipants(
    ctx: _MatterCtx, client_pid: int, others: list[tuple[int, int]], w: Writers
) -> None:
    for number, (type_id, pid) in enumerate([(1, client_pid), *others], start=1):
        w.write(
            "actionparticipants",
            {
                "id": f"{ctx.aid}--{type_id}--{pid}",
                "participantNumber": number,
                "links": {
                    "action": str(ctx.aid),
                    "participantType": str(type_id),
                    "participant": str(pid),
                },
            },
        )
        if pid >= MISSING_PARTICIPANT_BASE:
            w.truth.review["actionparticipant_missing_participant"] += 1
        elif type_id == UNKNOWN_PARTICIPANT_TYPE:
            w.truth.review["actionparticipant_unknown_participant_type"] += 1
        else:
            w.truth.role_flags[pid] |= 1 << (type_id - 1)
        if type_id in PARTICIPANT_FIELDS and pid < MISSING_PARTICIPANT_BASE:
            _write_participant_values(ctx, type_id, pid, w)


def _write_participant_values(ctx: _MatterCtx, type_id: int, pid: int, w: Writers) -> None:
    for name, dtype in PARTICIPANT_FIELDS[type_id]:
        value = _value_for(dtype, ctx)
        w.write(
            "participantdatafieldvalues",
            {
                "id": f"{type_id}--{name}--{pid}--{ctx.aid}",
                "stringValue": value,
                "links": {
                    "participant": str(pid),
                    "participantType": str(type_id),
                    "action": str(ctx.aid),
                    "dataField": f"{type_id}--{name}",
                },
            },
        )
        w.truth.misc["participant_custom_values"] += 1
        w.truth.misc["participant_custom_values_non_null"] += value is not None


NOTE_TEXTS = (
    "Called client, left voicemail.",
    "Client says:\n- accident on I-35\n- other driver ran red light\n\nFollow up Tuesday.",
    "<p>Met with client &amp; spouse.</p><ul><li>Signed retainer</li><li>Medical records "
    "requested</li></ul><br>Next: demand letter",
    "<style>p{color:red}</style><p>Opposing counsel &lt;Ms. Núñez&gt; called.</p>"
    "<script>alert('x')</script><p>Settlement offer: $12,500&nbsp;— rejected.</p>",
    '<div>Photo of scene:<br><img src="data:image/png;base64,' + TINY_PNG_B64 + '"></div>',
    "Résumé reviewed — «very strong» case.\r\nTab\there, emoji 📎, quote \"x\" and 'y'.",
    "",
)


def _write_filenotes(ctx: _MatterCtx, w: Writers) -> None:
    r = ctx.r
    for k in range(r.choices((0, 1, 2, 3, 4), (0.2, 0.3, 0.25, 0.15, 0.1))[0]):
        entered = ctx.later()
        system = r.random() < 0.2
        w.write(
            "filenotes",
            {
                "id": ctx.aid * 10 + k,
                "enteredTimestamp": local_ts(entered),
                "noteTimestamp": local_ts(entered - timedelta(hours=r.randrange(48))),
                "text": "Matter step changed" if system else r.choice(NOTE_TEXTS),
                "enteredBy": "System" if system else ctx.staff_name(),
                "source": "System" if system else "User",
                "links": {
                    "action": str(ctx.aid),
                    "document": None,
                    "participant": str(ctx.client_pid) if r.random() < 0.3 else None,
                    "tags": None,
                },
            },
        )
        w.truth.misc["filenotes_system" if system else "filenotes_user"] += 1


def document_bytes(seed: int, doc_id: int, ext: str, big: bool = False) -> bytes:
    """Small deterministic contents with the magic bytes of their type."""
    text = f"Document {doc_id} for seed {seed}. Confidential — attorney work product.\n"
    body = text.encode() * (1 + doc_id % 7)
    if big:
        body = body * (CHUNK // len(body) + 2)
    if ext == ".pdf":
        return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + body + b"\n%%EOF\n"
    if ext == ".docx":
        return b"PK\x03\x04\x14\x00\x06\x00" + body
    if ext == ".png":
        return PNG_1X1 + body
    return body


def _write_file(path: Path, content: bytes) -> None:
    """os-level write: half the cost of Path.write_bytes, which matters at ~1 file per matter."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, content)
    finally:
        os.close(fd)


def _write_documents(ctx: _MatterCtx, m: int, w: Writers, files: Path) -> None:
    r = ctx.r
    count = r.choices((0, 1, 2, 3), (0.4, 0.35, 0.15, 0.1))[0]
    for k in range(max(count, m == BIG_FILE_MATTER)):
        doc_id = ctx.aid * 10 + k
        ext = r.choice(DOC_KINDS)
        created = ctx.later()
        placeholder = r.random() < 0.02
        deleted = r.random() < 0.02
        stem = r.choice(NASTY_DOC_NAMES) if r.random() < 0.08 else f"Letter {doc_id}"
        content = (
            b""
            if placeholder
            else document_bytes(ctx.firm.seed, doc_id, ext, m == BIG_FILE_MATTER and k == 0)
        )
        if not placeholder:
            _write_file(files / str(doc_id), content)
            w.truth.misc["file_bytes"] += len(content)
        w.write(
            "actiondocuments",
            {
                "id": doc_id,
                "name": stem + ext,
                "createdTimestamp": local_ts(created),
                "modifiedTimestamp": local_ts(created + timedelta(hours=r.randrange(1, 2000))),
                "documentTimestamp": local_ts(created),
                "status": "pending" if placeholder else r.choice(("uploaded", "generated")),
                "keywords": None,
                "summary": None,
                "checkedOutTimestamp": None,
                "checkedOutTo": None,
                "fileType": None,
                "fileSize": len(content),
                "extension": ext,
                "sharepointUrl": None,
                "fileName": None if placeholder else f"{doc_id}_{ctx.aid}{ext}",
                "isDeleted": tf(deleted),
                "file": None if placeholder else f"DL::Actions::{ctx.aid}::{doc_id}",
                "links": {
                    "action": str(ctx.aid),
                    "folder": None,
                    "createdBy": ctx.staff_pid(),
                    "checkedOutBy": None,
                    "tags": None,
                    "documentTemplate": None,
                },
            },
        )
        key = "documents_placeholder" if placeholder else "documents_with_file"
        w.truth.misc[key] += 1
        w.truth.misc["documents_deleted"] += deleted
        if not placeholder and not deleted:
            w.truth.misc["attachments"] += 1


def _write_tasks(ctx: _MatterCtx, w: Writers) -> None:
    r = ctx.r
    for k in range(r.choices((0, 1, 2, 3), (0.3, 0.3, 0.25, 0.15))[0]):
        status = r.choices(("Incomplete", "Complete", "Hidden", "Deleted"), (45, 45, 5, 5))[0]
        due = ctx.later()
        done = due - timedelta(hours=r.randrange(1, 100)) if status == "Complete" else None
        w.write(
            "tasks",
            {
                "id": ctx.aid * 10 + k,
                "name": r.choice(
                    ("Call client", "Request medical records", "File motion", "Review contract")
                ),
                "status": status,
                "priority": r.choice(("Low", "Normal", "High")),
                "dueTimestamp": local_ts(due),
                "startedTimestamp": None,
                "completedTimestamp": local_ts(done) if done else None,
                "lastModifiedTimestamp": local_ts((done or due) - timedelta(days=1)),
                "actualHours": f"{r.randrange(0, 40) / 4:.2f}",
                "billableHours": f"{r.randrange(0, 40) / 4:.2f}",
                "description": None if r.random() < 0.5 else "See file note\nand email thread",
                "assignedBy": ctx.staff_name(),
                "links": {
                    "action": str(ctx.aid),
                    "assignee": ctx.staff_pid() if r.random() < 0.95 else None,
                    "rate": None,
                    "template": None,
                },
            },
        )
        w.truth.tasks[status] += 1


def _write_emails(ctx: _MatterCtx, w: Writers, related: list[int]) -> None:
    r = ctx.r
    for k in range(r.choices((0, 1, 2), (0.5, 0.35, 0.15))[0]):
        eid = ctx.aid * 10 + k
        sent = ctx.later()
        inbound = r.random() < 0.5
        w.write(
            "emails",
            {
                "id": eid,
                "direction": "I" if inbound else "O",
                "status": "Sent",
                "subject": r.choice(("Re: your claim", "Documents", "Fwd: Rechnung für März", "")),
                "bodyText": "Hello,\nplease see attached.\n-- \nSent from phone",
                "bodyHtml": "<p>Hello,</p><p>please see <b>attached</b>.</p>"
                if r.random() < 0.7
                else None,
                "from": "client@example.com" if inbound else f"office@{FIRM_DOMAIN}",
                "to": f"office@{FIRM_DOMAIN}" if inbound else "client@example.com",
                "cc": None,
                "bcc": None,
                "sentTimestamp": local_ts(sent),
                "receivedTimestamp": local_ts(sent + timedelta(seconds=5)) if inbound else None,
                "createdTimestamp": local_ts(sent),
                "attachmentCount": 0,
                "links": {"createdBy": ctx.staff_pid(), "parent": None},
            },
        )
        targets = [
            ctx.aid,
            *[t + 1 for t in related if t + 1 != ctx.aid and t < ctx.firm.scale][:1],
        ]
        for target in targets:
            w.write(
                "emailassociations",
                {"id": f"{eid}--{target}", "links": {"email": str(eid), "action": str(target)}},
            )


def _write_time(ctx: _MatterCtx, w: Writers) -> None:
    r = ctx.r
    for k in range(r.choices((0, 1, 2, 3), (0.4, 0.3, 0.2, 0.1))[0]):
        when = ctx.later()
        hours = r.randrange(1, 33) / 4
        w.write(
            "timeentries",
            {
                "id": ctx.aid * 10 + k,
                "timestampDate": local_ts(when)[:10],
                "description": r.choice(
                    ("Draft letter", "Phone call w/ client", "Court appearance")
                ),
                "actualHours": hours,
                "billableHours": hours if r.random() < 0.8 else 0,
                "createdTimestamp": local_ts(when),
                "startTime": None,
                "timerStatus": None,
                "billingBehavior": r.choice(("Bill", "Hide", "No charge")),
                "rateUnitPrice": 250.0,
                "rateSource": "User",
                "billableAmountType": "Calculated",
                "billableAmount": round(hours * 250, 2),
                "isBillable": "T",
                "importExternalReference": None,
                "links": {
                    "task": None,
                    "quickCode": None,
                    "createdBy": ctx.staff_pid(),
                    "owner": ctx.staff_pid(),
                    "action": str(ctx.aid),
                    "rate": None,
                    "phoneRecord": None,
                },
            },
        )
    if ctx.created.year < 2021:  # legacy billing mode
        for k in range(r.randrange(0, 3)):
            when = ctx.later()
            w.write(
                "timerecords",
                {
                    "id": ctx.aid * 10 + k,
                    "startTimestamp": local_ts(when),
                    "actualHours": f"{r.randrange(1, 20) / 4:.2f}",
                    "billableHours": f"{r.randrange(0, 20) / 4:.2f}",
                    "notes": "Legacy entry\nimported 2020",
                    "createdTimestamp": local_ts(when),
                    "links": {
                        "owner": ctx.staff_pid(),
                        "activity": None,
                        "division": str(DIVISION_ID),
                        "task": None,
                        "createdBy": ctx.staff_pid(),
                        "action": str(ctx.aid),
                        "rate": None,
                    },
                },
            )


def _write_billing(ctx: _MatterCtx, w: Writers) -> None:
    r = ctx.r
    if r.random() < 0.4:
        when = ctx.later()
        total = round(r.randrange(10000, 2_000_000) / 100, 2)
        paid = total if r.random() < 0.5 else 0.0
        deleted = r.random() < 0.03
        w.write(
            "bills",
            {
                "id": ctx.aid * 10,
                "status": "Deleted" if deleted else r.choice(("Draft", "Open", "Closed")),
                "ourReference": f"INV-{ctx.aid:07d}",
                "theirReference": None,
                "currency": "USD",
                "invoiceDate": local_ts(when)[:10],
                "dueDate": local_ts(when + timedelta(days=30))[:10],
                "totalInclusive": total,
                "totalExclusive": total,
                "totalSalesTax": 0.0,
                "totalPaid": paid,
                "totalDue": round(total - paid, 2),
                "createdTimestamp": local_ts(when),
                "modifiedTimestamp": local_ts(when + timedelta(days=2)),
                "deletedTimestamp": local_ts(when + timedelta(days=3)) if deleted else None,
                "links": {
                    "division": str(DIVISION_ID),
                    "action": [str(ctx.aid)],
                    "theirParticipant": str(ctx.client_pid),
                },
            },
        )
    for k in range(r.choices((0, 1, 2), (0.6, 0.3, 0.1))[0]):
        when = ctx.later()
        w.write(
            "disbursements",
            {
                "id": ctx.aid * 10 + k,
                "date": local_ts(when)[:10],
                "description": r.choice(("Filing fee", "Courier", "Medical records copy")),
                "quantity": 1,
                "unitPrice": round(r.randrange(500, 50000) / 100, 2),
                "unitPriceIncludesTax": "F",
                "enteredTimestamp": local_ts(when),
                "isAnticipated": tf(r.random() < 0.1),
                "links": {
                    "action": str(ctx.aid),
                    "enteredByParticipant": ctx.staff_pid(),
                    "uom": None,
                    "taxCode": None,
                    "incomeAccount": None,
                },
            },
        )


def _value_for(dtype: str, ctx: _MatterCtx) -> str | None:
    r = ctx.r
    if r.random() < 0.15:
        return None
    when = ctx.later()
    if dtype == "Str255":
        return f"CC-{r.randrange(10**6):06d}"
    if dtype == "TextArea":
        return "Line one\nLine <b>two</b> & more"
    if dtype == "Number":
        return str(r.randrange(0, 500) / 2)
    if dtype == "Money":
        return f"{r.randrange(0, 10**7) / 100:.2f}"
    if dtype == "Date":
        return when.strftime("%Y-%m-%d")
    if dtype == "DateNM":
        return when.strftime("%m/%Y")
    if dtype == "DateTime":
        return local_ts(when)
    if dtype == "Boolean":
        return tf(r.random() < 0.5)
    if dtype == "DropDown":
        return r.choice(REFERRAL_CHOICES)
    if dtype == "DropDownMulti":
        return ",".join(r.sample(INJURY_CHOICES, r.randrange(1, 3)))
    if dtype == "Participant":
        return str(STAFF_PARTICIPANT_BASE + r.randrange(ctx.firm.staff))
    return str(ctx.aid)  # AutoNumber


def _write_custom_values(ctx: _MatterCtx, w: Writers) -> None:
    r = ctx.r
    dc = ctx.type_id * 10 + 1
    records = [(dc, ctx.aid * 10, DATA_TYPES)]
    if ctx.type_id == 1:
        plate_fields = (("Plate", "Str255"), ("Damage", "Money"))
        records += [(12, ctx.aid * 10 + 1 + v, plate_fields) for v in range(r.randrange(0, 3))]
    for dc_id, rec_id, fields in records:
        w.write(
            "datacollectionrecords",
            {
                "id": rec_id,
                "canWrite": "T",
                "canDelete": "T",
                "links": {"action": str(ctx.aid), "dataCollection": str(dc_id)},
            },
        )
        for n, (name, dtype) in enumerate(fields):
            if n and r.random() < 0.6:  # only the first (required) field is always stored
                continue
            value = _value_for(dtype, ctx)
            w.write(
                "datacollectionrecordvalues",
                {
                    "id": f"{dc_id}--{name}--{rec_id}",
                    "stringValue": value,
                    "last_modified_time_stamp": local_ts(ctx.later()),
                    "last_modified_by_user_id": str(1 + r.randrange(ctx.firm.staff)),
                    "links": {
                        "action": str(ctx.aid),
                        "dataCollectionField": f"{dc_id}--{name}",
                        "dataCollectionRecord": str(rec_id),
                        "dataCollection": str(dc_id),
                    },
                },
            )
            w.truth.misc["matter_custom_values"] += 1
            w.truth.misc["matter_custom_values_non_null"] += value is not None


def _write_trust(ctx: _MatterCtx, trust: Any, truth: Truth) -> None:
    r = ctx.r
    if r.random() >= 0.2:
        return
    balance = 0.0
    for k in range(r.randrange(1, 4)):
        amount = round(r.randrange(1000, 500000) / 100, 2)
        receipt = k == 0 or r.random() < 0.5
        balance = round(balance + (amount if receipt else -amount), 2)
        when = ctx.later()
        trust.writerow(
            (
                f"TT{ctx.aid * 10 + k}",
                when.strftime("%m/%d/%Y"),
                ctx.reference or f"M{ctx.aid:07d}",
                f"Matter {ctx.aid}",
                "Client of record",
                "Receipt" if receipt else "Payment",
                r.choice(
                    ("Retainer deposit", "Settlement funds", 'Cheque "1042"', "Costs, filing")
                ),
                f"{amount:,.2f}" if receipt else "",
                "" if receipt else f"{amount:,.2f}",
                f"{balance:,.2f}",
            )
        )
        truth.misc["trust_rows"] += 1
        if ctx.reference is None:  # no reference on the matter: the row cannot be matched
            truth.review["trust_transaction_unresolvable"] += 1


def _write_unresolvable_trust(firm: Firm, trust: Any, truth: Truth) -> None:
    """Rows for matters closed before the migration window: they reference nothing we have."""
    for k in range(max(1, firm.scale // 500)):
        trust.writerow(
            (
                f"TTX{k}",
                "12/31/2018",
                f"ARCHIVE-{1999 + k % 20}-{k}",
                "Archived matter",
                "Unknown",
                "Receipt",
                "Opening balance",
                "100.00",
                "",
                "100.00",
            )
        )
        truth.misc["trust_rows"] += 1
        truth.review["trust_transaction_unresolvable"] += 1


# --------------------------------------------------------------------------- manifest


def _partner_tallies(truth: Truth) -> tuple[int, int, Counter[str]]:
    """Partners after email dedup: a person's two contact records share one normalised email."""
    flags, bits = truth.role_flags, truth.person_bits
    client_contact = 0
    total = 0
    per_tag: Counter[str] = Counter()
    labels = [PARTICIPANT_TYPES[t] for t in sorted(PARTICIPANT_TYPES)]

    def tally(f: int) -> None:
        nonlocal client_contact, total
        total += 1
        client_contact += bool(f & CLIENT_CONTACT_BITS)
        if not f:
            per_tag[GENERAL_CONTACT] += 1
        for bit, label in enumerate(labels):
            if f >> bit & 1:
                per_tag[label] += 1

    for c in range(len(COMPANY_STEMS)):  # company emails are distinct; one without counts alone
        tally(flags[COMPANY_PARTICIPANT_BASE + c])
    for i in range(truth.people):
        a = person_participant_id(i)
        b = bits[i]
        if b & HAS_EMAIL:
            tally(flags[a] | flags[a + 1])
            continue
        tally(flags[a])
        if b & HAS_DUP:  # without an email the duplicate contact stays a separate partner
            tally(flags[a + 1])
    return client_contact, total, per_tag


def _manifest(firm: Firm, truth: Truth) -> dict[str, Any]:
    client_contact, total, per_tag = _partner_tallies(truth)
    misc = truth.misc
    return {
        "id_scheme": "see legal2odoo_sandbox/firm/actionstep.py and docs/raw-datasets.md",
        "records": {name: truth.counts[name] for name in RESOURCES},
        "matters": firm.scale,
        "matters_deleted": misc["matters_deleted"],
        "matters_per_stage": dict(sorted(truth.stages.items())),
        "matters_unassigned": misc["matters_unassigned"],
        "matters_owner_without_odoo_user": misc["matters_owner_without_odoo_user"],
        "duplicate_contacts": misc["duplicate_contacts"],
        "distinct_partners_client_contact": client_contact,
        "distinct_partners_all": total,
        "partners_per_tag": dict(sorted(per_tag.items())),
        "documents": {
            "with_file": misc["documents_with_file"],
            "placeholder": misc["documents_placeholder"],
            "deleted": misc["documents_deleted"],
            "attachments": misc["attachments"],
            "file_bytes": misc["file_bytes"],
        },
        "filenotes": {"user": misc["filenotes_user"], "system": misc["filenotes_system"]},
        "tasks_by_status": dict(sorted(truth.tasks.items())),
        "activities": {"open": truth.tasks["Incomplete"], "completed": truth.tasks["Complete"]},
        "custom_fields": {
            "matter": {
                "definitions": truth.counts["datacollectionfields"],
                "values": misc["matter_custom_values"],
                "values_non_null": misc["matter_custom_values_non_null"],
            },
            "participant": {
                "definitions": truth.counts["participanttypedatafields"],
                "values": misc["participant_custom_values"],
                "values_non_null": misc["participant_custom_values_non_null"],
            },
        },
        "related_matters": {
            "edges": misc["related_edges"],
            "cycles": misc["related_cycles"],
            "cycle_rule": "break the edge leaving the highest matter id of the cycle",
            "cycle_samples": truth.cycles,
        },
        "trust_rows": misc["trust_rows"],
        "review_queue": dict(sorted(truth.review.items())),
    }
