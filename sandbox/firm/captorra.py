"""The Captorra side of the synthetic firm: the admin CSV export, its custom-field registry,
engagement activity and the attachments folder — as messy as real intake data.

The export is written the way Captorra's admin export writes it (UTF-8 with BOM, CRLF, US
dates, quoted multi-line notes) and the truth about what it holds is counted as it is written.
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sandbox.firm.core import (
    COMPANY_SPELLINGS,
    Firm,
    Person,
    email_variant,
    normalise_email,
    phone_variant,
    rng_for,
    timestamp,
)

LEAD_ID_BASE = 500_000
ACTIVITY_ID_BASE = 9_000_000

# pipeline -> known statuses; the seed `captorra_stages` maps each to an Odoo stage.
PIPELINES: dict[str, tuple[str, ...]] = {
    "Personal Injury": (
        "New Lead",
        "Contacted",
        "Consultation Scheduled",
        "Retained",
        "Rejected",
        "Referred Out",
    ),
    "Employment": ("New Lead", "Contacted", "Under Review", "Retained", "Declined"),
    "Family Law": ("New Lead", "Consultation Scheduled", "Retained", "Declined"),
}
UNKNOWN_STATUSES = ("Pending - Legacy Import", "On Hold (old)")
CONVERTED_STATUSES = frozenset({"Retained"})
REFERRAL_CHANNELS = ("Google Ads", "TV", "Billboard", "Attorney Referral", "Past Client", "")
REFERRING_ATTORNEYS = (
    "Hon. Carla Mendes",
    "Peter Vukovic, Esq.",
    "Dana O'Neil",
    "Ray Thompson",
    "Mariam Aziz",
)
REFERRING_FIRMS = ("Mendes & Co", "Vukovic Law Group", "O'Neil Legal PLLC", "")
INJURY_TYPES = ("Back", "Neck", "Head", "Broken bone", "Soft tissue")
CONTACT_METHODS = ("Phone", "Email", "Web form", "Walk-in")
ACTIVITY_KINDS = ("Call", "Email", "Note")
CALL_OUTCOMES = ("Left voicemail", "Spoke with lead", "No answer", "Wrong number")
ATTACHMENT_KINDS = (
    ("police_report.pdf", b"%PDF-1.4\n% police report\n"),
    ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"),
    ("intake form.docx", b"PK\x03\x04\x14\x00\x06\x00"),
    ("notes.txt", b"Handwritten notes transcribed.\n"),
)

# Custom intake fields: registry row + how to fake a value. Every registry type appears.
CUSTOM_FIELDS: tuple[tuple[str, str, str, str, bool], ...] = (
    # field_name, label (= export header), type, options, required
    ("incident_date", "Date of Incident", "date", "", False),
    ("injury_type", "Injury Type", "picklist", "|".join(INJURY_TYPES), False),
    ("hospitalized", "Hospitalized", "boolean", "", False),
    ("estimated_damages", "Estimated Damages", "currency", "", False),
    ("police_report_no", "Police Report #", "text", "", False),
    ("statute_deadline", "Statute Deadline", "datetime", "", False),
    ("vehicles_involved", "Number of Vehicles", "integer", "", False),
    ("incident_description", "Incident Description", "memo", "", False),
    ("contact_method", "Preferred Contact Method", "picklist", "|".join(CONTACT_METHODS), False),
    ("settlement_probability", "Settlement Probability", "number", "", False),
)

STANDARD_HEADERS = (
    "Lead ID",
    "Created Date",
    "Last Modified",
    "First Name",
    "Last Name",
    "Email",
    "Phone",
    "Mobile Phone",
    "Street Address",
    "City",
    "State",
    "Zip",
    "Company",
    "Pipeline",
    "Status",
    "Intake Owner",
    "Owner Email",
    "Referral Source",
    "Referring Attorney",
    "Referring Firm",
    "Converted to Matter",
    "Matter Number",
    "Notes",
    "Attachments",
)


def us_datetime(value: datetime) -> str:
    return value.strftime("%m/%d/%Y %I:%M %p")


def us_date(value: datetime) -> str:
    return value.strftime("%m/%d/%Y")


@dataclass
class CaptorraTruth:
    """What the export holds, counted while writing it (the manifest's `captorra` section)."""

    leads: int = 0
    leads_by_stage: Counter[str] = field(default_factory=Counter)
    leads_by_type: Counter[str] = field(default_factory=Counter)
    review_queue: Counter[str] = field(default_factory=Counter)
    owner_fallback_leads: int = 0
    leads_without_email: int = 0
    activities: Counter[str] = field(default_factory=Counter)
    attachments: int = 0
    attachments_missing: int = 0
    companies: set[str] = field(default_factory=set)
    referrers: set[str] = field(default_factory=set)

    def as_dict(self, persons_with_email: int) -> dict[str, Any]:
        return {
            "leads": self.leads,
            "leads_by_stage": dict(sorted(self.leads_by_stage.items())),
            "leads_by_type": dict(sorted(self.leads_by_type.items())),
            "partners_after_email_dedup": persons_with_email + self.leads_without_email,
            "persons_with_email": persons_with_email,
            "leads_without_email": self.leads_without_email,
            "companies": len(self.companies),
            "referrers": len(self.referrers),
            "owner_fallback_leads": self.owner_fallback_leads,
            "activities": dict(sorted(self.activities.items())),
            "attachments": self.attachments,
            "attachments_missing": self.attachments_missing,
            "custom_fields": len(CUSTOM_FIELDS),
            "review_queue": dict(sorted(self.review_queue.items())),
        }


@dataclass(frozen=True)
class Lead:
    row: dict[str, str]
    person: Person
    activities: list[dict[str, str]]
    attachments: list[tuple[str, bytes | None]]  # None: referenced but missing on disk


def build_lead(firm: Firm, index: int) -> tuple[Lead, dict[str, Any]]:
    """One lead row and the facts about it the manifest needs."""
    r = rng_for(firm.seed, "captorra_lead", index)
    person = firm.person(_client_index(firm, r))
    pipeline = r.choice(tuple(PIPELINES))
    status = r.choice(UNKNOWN_STATUSES) if r.random() < 0.02 else r.choice(PIPELINES[pipeline])
    created = timestamp(r)
    modified = created + timedelta(days=r.randrange(0, 120), minutes=r.randrange(0, 600))
    staff = firm.staff_member(r.randrange(firm.staff))
    converted = status in CONVERTED_STATUSES
    lead_id = str(LEAD_ID_BASE + index)
    email = email_variant(person.email, r) if person.email else ""
    channel = r.choice(REFERRAL_CHANNELS)
    attorney = r.choice(REFERRING_ATTORNEYS) if channel == "Attorney Referral" else ""
    row = {
        "Lead ID": lead_id,
        "Created Date": us_datetime(created),
        "Last Modified": us_datetime(modified),
        "First Name": person.first_name,
        "Last Name": person.last_name,
        "Email": email,
        "Phone": phone_variant(person.phone_digits, r),
        "Mobile Phone": phone_variant(person.phone_digits[::-1], r) if r.random() < 0.3 else "",
        "Street Address": person.street,
        "City": person.city,
        "State": person.state,
        "Zip": person.zip_code,
        "Company": _company_spelling(person.company, r) if person.company else "",
        "Pipeline": pipeline,
        "Status": status,
        "Intake Owner": staff.name,
        "Owner Email": staff.email.upper() if r.random() < 0.5 else staff.email,
        "Referral Source": channel,
        "Referring Attorney": attorney,
        "Referring Firm": r.choice(REFERRING_FIRMS) if attorney else "",
        "Converted to Matter": "Yes" if converted else "No",
        "Matter Number": f"M-{created:%Y}-{index:06d}" if converted else "",
        "Notes": _notes(r, person),
        **_custom_values(r, created),
    }
    activities = [_activity(firm, r, lead_id, person, created, n) for n in range(r.randrange(0, 5))]
    attachments = _attachments(r)
    row["Attachments"] = "; ".join(name for name, _ in attachments)
    facts = {
        "pipeline": pipeline,
        "status": status,
        "known_status": status in PIPELINES[pipeline],
        "type": "opportunity" if converted else "lead",
        "owner_has_user": firm.staff_has_odoo_user(staff.index),
        "referrer": attorney or row["Referring Firm"] or channel,
    }
    return Lead(row, person, activities, attachments), facts


def _client_index(firm: Firm, r: random.Random) -> int:
    # A quarter of leads come from a small pool of repeat contacts: the same person, many leads.
    if r.random() < 0.25:
        return r.randrange(max(1, firm.people // 20))
    return r.randrange(firm.people)


def _company_spelling(stem: str, r: random.Random) -> str:
    return r.choice(COMPANY_SPELLINGS).format(stem=stem, upper=stem.upper())


def _notes(r: random.Random, person: Person) -> str:
    roll = r.random()
    if roll < 0.3:
        return ""
    if roll < 0.5:
        return (
            f'Caller said "it wasn\'t my fault".\nFollow up with {person.first_name}, re: ""ASAP""'
        )
    if roll < 0.65:
        return "<p>Prospect <b>very</b> upset &amp; wants a call back.</p><ul><li>Call AM</li></ul>"
    return f"Initial call with {person.name}; referred by a friend."


def _custom_values(r: random.Random, created: datetime) -> dict[str, str]:
    values = {
        "Date of Incident": us_date(created - timedelta(days=r.randrange(1, 400))),
        "Injury Type": r.choice(INJURY_TYPES),
        "Hospitalized": r.choice(("Yes", "No", "")),
        "Estimated Damages": f"${r.randrange(1000, 900000):,}.{r.randrange(100):02d}",
        "Police Report #": f"PR-{r.randrange(10**6):06d}" if r.random() < 0.6 else "",
        "Statute Deadline": us_datetime(created + timedelta(days=730)),
        "Number of Vehicles": str(r.randrange(1, 5)),
        "Incident Description": "Rear-ended at a light.\nOther driver fled.",
        "Preferred Contact Method": r.choice(CONTACT_METHODS),
        "Settlement Probability": f"{r.random():.2f}",
    }
    # Intake staff leave most custom fields blank on a third of leads.
    if r.random() < 0.33:
        values = {label: "" for label in values}
    return values


def _activity(
    firm: Firm, r: random.Random, lead_id: str, person: Person, created: datetime, n: int
) -> dict[str, str]:
    kind = r.choice(ACTIVITY_KINDS)
    staff = firm.staff_member(r.randrange(firm.staff))
    inbound = kind == "Email" and r.random() < 0.5
    sender = (person.email or person.name) if inbound else staff.email
    when = created + timedelta(hours=r.randrange(1, 24 * 60))
    return {
        "Activity ID": str(ACTIVITY_ID_BASE + int(lead_id) * 8 + n),
        "Lead ID": lead_id,
        "Type": kind,
        "Date": us_datetime(when),
        "From": sender,
        "Subject": {"Call": "Phone call", "Email": "Re: your case", "Note": "Note"}[kind],
        "Body": "Discussed next steps.\nClient will send photos." if kind != "Call" else "",
        "Duration (min)": str(r.randrange(1, 45)) if kind == "Call" else "",
        "Outcome": r.choice(CALL_OUTCOMES) if kind == "Call" else "",
    }


def _attachments(r: random.Random) -> list[tuple[str, bytes | None]]:
    found = []
    for n in range(r.choice((0, 0, 0, 1, 2))):
        name, content = r.choice(ATTACHMENT_KINDS)
        missing = r.random() < 0.05
        found.append((f"{n + 1}_{name}", None if missing else content))
    return found


def write_captorra(firm: Firm, out: Path, persons_seen: bytearray) -> dict[str, Any]:
    """Write the export, registry, activities and attachments; return the manifest section.

    `persons_seen` is a bitmap over the people (1 = this person appears with an email); it is
    shared with the Actionstep side so the manifest can count partners across sources.
    """
    folder = out / "captorra"
    attachments_dir = folder / "attachments"
    attachments_dir.mkdir(parents=True, exist_ok=True)
    _write_registry(folder / "fields.csv")
    truth = CaptorraTruth()
    mine = bytearray(firm.people)
    headers = [*STANDARD_HEADERS[:-2], *(f[1] for f in CUSTOM_FIELDS), *STANDARD_HEADERS[-2:]]
    with (
        open(folder / "export.csv", "w", encoding="utf-8-sig", newline="") as export_file,
        open(folder / "activities.csv", "w", encoding="utf-8-sig", newline="") as activity_file,
    ):
        export = csv.DictWriter(export_file, fieldnames=headers, lineterminator="\r\n")
        activity = csv.DictWriter(
            activity_file, fieldnames=list(ACTIVITY_HEADERS), lineterminator="\r\n"
        )
        export.writeheader()
        activity.writeheader()
        for index in range(firm.scale):
            lead, facts = build_lead(firm, index)
            export.writerow(lead.row)
            activity.writerows(lead.activities)
            _write_attachments(attachments_dir / lead.row["Lead ID"], lead.attachments)
            _count(truth, lead, facts, mine, persons_seen)
    return truth.as_dict(persons_with_email=sum(mine))


ACTIVITY_HEADERS = (
    "Activity ID",
    "Lead ID",
    "Type",
    "Date",
    "From",
    "Subject",
    "Body",
    "Duration (min)",
    "Outcome",
)


def _write_registry(path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("field_name", "label", "type", "options", "required"))
        for name, label, kind, options, required in CUSTOM_FIELDS:
            writer.writerow((name, label, kind, options, "true" if required else "false"))


def _write_attachments(folder: Path, attachments: list[tuple[str, bytes | None]]) -> None:
    present = [(name, content) for name, content in attachments if content is not None]
    if not present:
        return
    folder.mkdir(exist_ok=True)
    for name, content in present:
        (folder / name).write_bytes(content)


def _count(
    truth: CaptorraTruth,
    lead: Lead,
    facts: dict[str, Any],
    mine: bytearray,
    persons_seen: bytearray,
) -> None:
    truth.leads += 1
    # The contact is a partner whatever happens to the lead: people are never lost.
    if normalise_email(lead.row["Email"]):
        mine[lead.person.index] = 1
        persons_seen[lead.person.index] = 1
    else:
        truth.leads_without_email += 1
    if lead.person.company:
        truth.companies.add(lead.person.company)
    if not facts["known_status"]:
        # Held for review with everything hanging under it.
        truth.review_queue["unknown_status"] += 1
        return
    truth.leads_by_stage[f"{facts['pipeline']} / {facts['status']}"] += 1
    truth.leads_by_type[facts["type"]] += 1
    if not facts["owner_has_user"]:
        truth.owner_fallback_leads += 1
    if facts["referrer"]:
        truth.referrers.add(facts["referrer"])
    for item in lead.activities:
        truth.activities[item["Type"]] += 1
    truth.attachments += len(lead.attachments)
    truth.attachments_missing += sum(1 for _, content in lead.attachments if content is None)
