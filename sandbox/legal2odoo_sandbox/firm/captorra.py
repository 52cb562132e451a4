"""The Captorra side of the synthetic firm: the admin CSV export, its custom-field registry,
engagement activity and the attachments folder — as messy as real intake data.

The export is written the way Captorra's admin export writes it (UTF-8 with BOM, CRLF, US
dates, quoted multi-line notes) and the truth about what it holds is counted as it is written.
"""

from __future__ import annotations

import contextlib
import csv
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from legal2odoo_sandbox.firm.core import (
    CITIES,
    COMPANY_SPELLINGS,
    COMPANY_STEMS,
    EPOCH,
    FIRST_NAMES,
    LAST_NAMES,
    SPAN_DAYS,
    STAFF_NAMES,
    STREETS,
    Draws,
    Firm,
    count_in_odoo,
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


BATCH = 20_000
DAY = 86_400
STATUS_TABLE = [(p, st) for p, statuses in PIPELINES.items() for st in statuses]
PIPELINE_NAMES = tuple(PIPELINES)
STATUS_OFFSETS = np.cumsum([0, *(len(v) for v in PIPELINES.values())])[:-1]
STATUS_COUNTS = np.array([len(v) for v in PIPELINES.values()])
ATTACHMENT_COUNTS = np.array([0] * 16 + [1, 1, 1, 2])  # most intake leads have none
NOTE_QUOTED = 'Caller said "it wasn\'t my fault".\nFollow up with {first}, re: ""ASAP""'
NOTE_HTML = "<p>Prospect <b>very</b> upset &amp; wants a call back.</p><ul><li>Call AM</li></ul>"
NOTE_PLAIN = "Initial call with {name}; referred by a friend."
DESCRIPTION = "Rear-ended at a light.\nOther driver fled."
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
SUBJECTS = {"Call": "Phone call", "Email": "Re: your case", "Note": "Note"}


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


def _calendar(seconds: np.ndarray) -> tuple[list[int], ...]:
    """Year, month, day, hour, minute of seconds since EPOCH (numpy calendar arithmetic:
    pyarrow's strftime costs several microseconds a value)."""
    stamps = np.datetime64(EPOCH.replace(tzinfo=None), "s") + seconds.astype("timedelta64[s]")
    days = stamps.astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    years = months.astype("datetime64[Y]")
    minutes = (stamps - days).astype(np.int64) // 60
    return (
        (years.astype(np.int64) + 1970).tolist(),
        (months - years).astype(np.int64).__add__(1).tolist(),
        (days - months).astype(np.int64).__add__(1).tolist(),
        (minutes // 60).tolist(),
        (minutes % 60).tolist(),
    )


def _us_datetimes(seconds: np.ndarray) -> list[str]:
    years, months, days, hours, minutes = _calendar(seconds)
    return [
        f"{mo:02d}/{d:02d}/{y} {(h % 12) or 12:02d}:{mi:02d} {'PM' if h >= 12 else 'AM'}"
        for y, mo, d, h, mi in zip(years, months, days, hours, minutes, strict=True)
    ]


def _us_dates(seconds: np.ndarray) -> list[str]:
    years, months, days, _, _ = _calendar(seconds)
    return [f"{mo:02d}/{d:02d}/{y}" for y, mo, d in zip(years, months, days, strict=True)]


def _email_variants(emails: list[str | None], roll: np.ndarray) -> list[str]:
    """How the same address arrives from people typing it: case and stray spaces."""
    out = []
    for email, r in zip(emails, roll.tolist(), strict=True):
        if email is None:
            out.append("")
        elif r < 0.15:
            out.append(email.upper())
        elif r < 0.3:
            out.append(f"  {email.capitalize()} ")
        else:
            out.append(email)
    return out


PHONE_FORMATS = (
    "({a}) {b}-{c}",
    "{a}-{b}-{c}",
    "+1 {a} {b} {c}",
    "{a}.{b}.{c}",
    "1{a}{b}{c}",
    "{a} {b} {c} ext. {x}",
)


def _phones(digits: list[str], variant: np.ndarray, ext: np.ndarray) -> list[str]:
    return [
        PHONE_FORMATS[v].format(a=d[:3], b=d[3:6], c=d[6:], x=x)
        for d, v, x in zip(digits, variant.tolist(), (10 + ext).tolist(), strict=True)
    ]


@dataclass(frozen=True)
class Attachments:
    """The attachments of a batch of leads: one entry per file the export names."""

    lead_pos: np.ndarray  # position of the lead in its batch
    number: np.ndarray  # 0, 1 … within the lead
    kind: np.ndarray  # index into ATTACHMENT_KINDS
    missing: np.ndarray  # named in the export, absent from the folder

    def name(self, n: int) -> str:
        return f"{self.number[n] + 1}_{ATTACHMENT_KINDS[self.kind[n]][0]}"


def _repeat_positions(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For per-lead counts: each child's lead position and its number within the lead."""
    position = np.repeat(np.arange(len(counts)), counts)
    number = np.arange(len(position)) - np.repeat(np.cumsum(counts) - counts, counts)
    return position, number


def _attachments(firm: Firm, index: np.ndarray, counts: np.ndarray) -> Attachments:
    position, number = _repeat_positions(counts)
    d = Draws(firm.seed, "captorra_attachment", index[position] * 4 + number)
    return Attachments(position, number, d.below(0, len(ATTACHMENT_KINDS)), d.uniform(1) < 0.05)


@dataclass(frozen=True)
class LeadBatch:
    """Leads [start, stop) as columns, plus what the manifest needs to know about them."""

    table: pa.Table
    lead_ids: list[str]
    created: np.ndarray  # seconds since EPOCH
    known: np.ndarray
    converted: np.ndarray
    stage_keys: list[str]
    fallback_owner: np.ndarray
    client: np.ndarray
    has_email: np.ndarray
    companies: set[str]
    referrers: list[str]
    activity_counts: np.ndarray
    attachments: Attachments


def build_leads(firm: Firm, start: int, stop: int) -> LeadBatch:
    index = np.arange(start, stop, dtype=np.int64)
    d = Draws(firm.seed, "captorra_lead", index)
    pool = max(1, firm.people // 20)  # a quarter of leads come from a few repeat contacts
    client = np.where(d.uniform(0) < 0.25, d.below(1, pool), d.below(2, firm.people))
    people = firm.people_at(client)
    pipeline = d.below(3, len(PIPELINE_NAMES))
    known = d.uniform(4) >= 0.02
    status_row = STATUS_OFFSETS[pipeline] + d.below(5, STATUS_COUNTS[pipeline])
    unknown_status = d.below(6, len(UNKNOWN_STATUSES))
    statuses = [
        STATUS_TABLE[row][1] if ok else UNKNOWN_STATUSES[u]
        for row, ok, u in zip(
            status_row.tolist(), known.tolist(), unknown_status.tolist(), strict=True
        )
    ]
    converted = known & np.isin(np.array(statuses, dtype=object), list(CONVERTED_STATUSES))
    created = d.below(7, SPAN_DAYS * DAY)
    modified = created + d.below(8, 120) * DAY + d.below(9, 600) * 60
    staff = d.below(10, firm.staff)
    staff_emails = [firm.staff_member(j).email for j in range(firm.staff)]
    lead_ids = [str(LEAD_ID_BASE + i) for i in index.tolist()]
    emails = people.emails()
    first = [FIRST_NAMES[i] for i in people.first.tolist()]
    last = [LAST_NAMES[i] for i in people.last.tolist()]
    digits = people.phone_digits()
    channel = d.below(18, len(REFERRAL_CHANNELS))
    attorney = np.where(
        channel == REFERRAL_CHANNELS.index("Attorney Referral"),
        d.below(19, len(REFERRING_ATTORNEYS)),
        -1,
    )
    firm_name = np.where(attorney >= 0, d.below(20, len(REFERRING_FIRMS)), -1)
    blank_custom = d.uniform(22) < 0.33
    columns = {
        "Lead ID": lead_ids,
        "Created Date": _us_datetimes(created),
        "Last Modified": _us_datetimes(modified),
        "First Name": first,
        "Last Name": last,
        "Email": _email_variants(emails, d.uniform(12)),
        "Phone": _phones(digits, d.below(13, len(PHONE_FORMATS)), d.below(14, 89)),
        "Mobile Phone": [
            p if has else ""
            for p, has in zip(
                _phones(
                    [x[::-1] for x in digits], d.below(16, len(PHONE_FORMATS)), d.below(14, 89)
                ),
                (d.uniform(15) < 0.3).tolist(),
                strict=True,
            )
        ],
        "Street Address": [
            f"{n} {STREETS[s]}"
            for n, s in zip(people.street_no.tolist(), people.street.tolist(), strict=True)
        ],
        "City": [CITIES[c][0] for c in people.city.tolist()],
        "State": [CITIES[c][1] for c in people.city.tolist()],
        "Zip": [CITIES[c][2] for c in people.city.tolist()],
        "Company": [
            COMPANY_SPELLINGS[v].format(stem=COMPANY_STEMS[c], upper=COMPANY_STEMS[c].upper())
            if c >= 0
            else ""
            for c, v in zip(
                people.company.tolist(), d.below(17, len(COMPANY_SPELLINGS)).tolist(), strict=True
            )
        ],
        "Pipeline": [PIPELINE_NAMES[p] for p in pipeline.tolist()],
        "Status": statuses,
        "Intake Owner": [" ".join(STAFF_NAMES[j % len(STAFF_NAMES)]) for j in staff.tolist()],
        "Owner Email": [
            staff_emails[j].upper() if up else staff_emails[j]
            for j, up in zip(staff.tolist(), (d.uniform(11) < 0.5).tolist(), strict=True)
        ],
        "Referral Source": [REFERRAL_CHANNELS[c] for c in channel.tolist()],
        "Referring Attorney": [REFERRING_ATTORNEYS[a] if a >= 0 else "" for a in attorney.tolist()],
        "Referring Firm": [REFERRING_FIRMS[f] if f >= 0 else "" for f in firm_name.tolist()],
        "Converted to Matter": ["Yes" if c else "No" for c in converted.tolist()],
        "Matter Number": [
            f"M-{year}-{i:06d}" if c else ""
            for year, i, c in zip(
                [s[6:10] for s in _us_dates(created)],
                index.tolist(),
                converted.tolist(),
                strict=True,
            )
        ],
        "Notes": _notes(d.uniform(21), first, last),
        **_custom_values(d, created, blank_custom),
    }
    activity_counts = d.below(33, 5)
    attachments = _attachments(firm, index, ATTACHMENT_COUNTS[d.below(34, len(ATTACHMENT_COUNTS))])
    names: list[list[str]] = [[] for _ in lead_ids]
    for n, position in enumerate(attachments.lead_pos.tolist()):
        names[position].append(attachments.name(n))
    columns["Attachments"] = ["; ".join(found) for found in names]
    referrers = [
        a or f or ch
        for a, f, ch in zip(
            columns["Referring Attorney"],
            columns["Referring Firm"],
            columns["Referral Source"],
            strict=True,
        )
    ]
    return LeadBatch(
        table=pa.table({name: pa.array(values, pa.string()) for name, values in columns.items()}),
        lead_ids=lead_ids,
        created=created,
        known=known,
        converted=converted,
        stage_keys=[f"{p} / {st}" for p, st in zip(columns["Pipeline"], statuses, strict=True)],
        fallback_owner=staff % 3 == 2,  # mirrors Firm.staff_has_odoo_user
        client=client,
        has_email=people.has_email,
        companies={COMPANY_STEMS[c] for c in np.unique(people.company).tolist() if c >= 0},
        referrers=referrers,
        activity_counts=activity_counts,
        attachments=attachments,
    )


def _notes(roll: np.ndarray, first: list[str], last: list[str]) -> list[str]:
    notes = []
    for r, f, la in zip(roll.tolist(), first, last, strict=True):
        if r < 0.3:
            notes.append("")
        elif r < 0.5:
            notes.append(NOTE_QUOTED.format(first=f))
        elif r < 0.65:
            notes.append(NOTE_HTML)
        else:
            notes.append(NOTE_PLAIN.format(name=f"{f} {la}"))
    return notes


def _custom_values(d: Draws, created: np.ndarray, blank: np.ndarray) -> dict[str, list[str]]:
    """Intake staff leave every custom field blank on a third of leads."""
    n = len(created)
    police = d.below(29, 10**6)
    values = {
        "Date of Incident": _us_dates(created - (1 + d.below(23, 399)) * DAY),
        "Injury Type": [INJURY_TYPES[i] for i in d.below(24, len(INJURY_TYPES)).tolist()],
        "Hospitalized": [("Yes", "No", "")[i] for i in d.below(25, 3).tolist()],
        "Estimated Damages": [
            f"${1000 + a:,}.{c:02d}"
            for a, c in zip(d.below(26, 899000).tolist(), d.below(27, 100).tolist(), strict=True)
        ],
        "Police Report #": [
            f"PR-{p:06d}" if has else ""
            for p, has in zip(police.tolist(), (d.uniform(28) < 0.6).tolist(), strict=True)
        ],
        "Statute Deadline": _us_datetimes(created + 730 * DAY),
        "Number of Vehicles": [str(1 + v) for v in d.below(30, 4).tolist()],
        "Incident Description": [DESCRIPTION] * n,
        "Preferred Contact Method": [
            CONTACT_METHODS[i] for i in d.below(31, len(CONTACT_METHODS)).tolist()
        ],
        "Settlement Probability": [f"{u:.2f}" for u in d.uniform(32).tolist()],
    }
    blanks = blank.tolist()
    return {
        label: ["" if b else v for v, b in zip(column, blanks, strict=True)]
        for label, column in values.items()
    }


def build_activities(firm: Firm, batch: LeadBatch) -> pa.Table:
    lead_pos, nth = _repeat_positions(batch.activity_counts)
    lead_index = np.array([int(i) for i in batch.lead_ids], dtype=np.int64)[lead_pos]
    d = Draws(firm.seed, "captorra_activity", lead_index * 8 + nth)
    kinds = [ACTIVITY_KINDS[k] for k in d.below(0, len(ACTIVITY_KINDS)).tolist()]
    staff = d.below(1, firm.staff).tolist()
    inbound = (d.uniform(2) < 0.5).tolist()
    when = batch.created[lead_pos] + (1 + d.below(3, 24 * 60 - 1)) * 3600
    emails = batch.table.column("Email").take(pa.array(lead_pos)).to_pylist()
    names = pc.binary_join_element_wise(
        batch.table.column("First Name").take(pa.array(lead_pos)),
        batch.table.column("Last Name").take(pa.array(lead_pos)),
        " ",
    ).to_pylist()
    staff_emails = [firm.staff_member(j).email for j in range(firm.staff)]
    senders = [
        (email.strip().lower() or name) if kind == "Email" and inward else staff_emails[j]
        for kind, inward, email, name, j in zip(kinds, inbound, emails, names, staff, strict=True)
    ]
    columns = {
        "Activity ID": [str(ACTIVITY_ID_BASE + i) for i in (lead_index * 8 + nth).tolist()],
        "Lead ID": [batch.lead_ids[p] for p in lead_pos.tolist()],
        "Type": kinds,
        "Date": _us_datetimes(when),
        "From": senders,
        "Subject": [SUBJECTS[k] for k in kinds],
        "Body": [
            "" if k == "Call" else "Discussed next steps.\nClient will send photos." for k in kinds
        ],
        "Duration (min)": [
            str(1 + m) if k == "Call" else ""
            for k, m in zip(kinds, d.below(4, 44).tolist(), strict=True)
        ],
        "Outcome": [
            CALL_OUTCOMES[o] if k == "Call" else ""
            for k, o in zip(kinds, d.below(5, len(CALL_OUTCOMES)).tolist(), strict=True)
        ],
    }
    return pa.table({name: pa.array(values, pa.string()) for name, values in columns.items()})


def write_captorra(firm: Firm, out: Path, persons_seen: np.ndarray) -> dict[str, Any]:
    """Write the export, registry, activities and attachments; return the manifest section.

    `persons_seen` (bool per person) is set for people who appear with an email; it is
    shared with the other sources so the manifest can count partners across systems.
    """
    folder = out / "captorra"
    attachments_dir = folder / "attachments"
    attachments_dir.mkdir(parents=True, exist_ok=True)
    _write_registry(folder / "fields.csv")
    truth = CaptorraTruth()
    mine = np.zeros(firm.people, dtype=bool)
    with (
        open(folder / "export.csv", "wb") as export,
        open(folder / "activities.csv", "wb") as activities,
    ):
        export_writer = activity_writer = None
        originals = _attachment_originals(attachments_dir)
        for start in range(0, firm.scale, BATCH):
            batch = build_leads(firm, start, min(firm.scale, start + BATCH))
            export_writer = _append(export, export_writer, batch.table)
            activity_table = build_activities(firm, batch)
            activity_writer = _append(activities, activity_writer, activity_table)
            _write_attachments(attachments_dir, batch, originals)
            _count(truth, batch, activity_table, mine, persons_seen)
        for writer in (export_writer, activity_writer):
            if writer is not None:
                writer.close()
    return {
        **truth.as_dict(persons_with_email=int(mine.sum())),
        "existing_in_odoo": count_in_odoo(firm, mine),
    }


def _append(handle: BinaryIO, writer: pacsv.CSVWriter | None, table: pa.Table) -> pacsv.CSVWriter:
    """Write as Captorra's export does: UTF-8 with BOM, CRLF, quotes only where needed."""
    if writer is None:
        handle.write(b"\xef\xbb\xbf")
        writer = pacsv.CSVWriter(handle, table.schema, write_options=pacsv.WriteOptions(eol="\r\n"))
    writer.write_table(table)
    return writer


def _write_registry(path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("field_name", "label", "type", "options", "required"))
        for name, label, kind, options, required in CUSTOM_FIELDS:
            writer.writerow((name, label, kind, options, "true" if required else "false"))


def _attachment_originals(folder: Path) -> list[str]:
    """One file per kind of content; every attachment is a hard link to one of them (one
    syscall per attachment instead of four: the file system is the generator's bottleneck)."""
    originals = folder.parent / ".attachment-contents"
    originals.mkdir(exist_ok=True)
    paths = []
    for n, (name, content) in enumerate(ATTACHMENT_KINDS):
        path = originals / f"{n}_{name}"
        path.write_bytes(content)
        paths.append(str(path))
    return paths


def _write_attachments(folder: Path, batch: LeadBatch, originals: list[str]) -> None:
    found = batch.attachments
    made: set[int] = set()
    root = str(folder)
    for n in np.flatnonzero(~found.missing).tolist():
        position = int(found.lead_pos[n])
        lead_folder = f"{root}/{batch.lead_ids[position]}"
        if position not in made:
            os.makedirs(lead_folder, exist_ok=True)
            made.add(position)
        with contextlib.suppress(FileExistsError):  # generating again into the same folder
            os.link(originals[found.kind[n]], f"{lead_folder}/{found.name(n)}")


def _count(
    truth: CaptorraTruth,
    batch: LeadBatch,
    activities: pa.Table,
    mine: np.ndarray,
    persons_seen: np.ndarray,
) -> None:
    known = batch.known
    truth.leads += len(known)
    # The contact is a partner whatever happens to the lead: people are never lost.
    with_email = batch.client[batch.has_email]
    mine[with_email] = True
    persons_seen[with_email] = True
    truth.leads_without_email += int((~batch.has_email).sum())
    truth.companies |= batch.companies
    # A lead held for review holds everything hanging under it.
    truth.review_queue["unknown_status"] += int((~known).sum())
    truth.leads_by_stage.update(
        k for k, ok in zip(batch.stage_keys, known.tolist(), strict=True) if ok
    )
    truth.leads_by_type["opportunity"] += int(batch.converted.sum())
    truth.leads_by_type["lead"] += int((known & ~batch.converted).sum())
    truth.owner_fallback_leads += int((known & batch.fallback_owner).sum())
    truth.referrers.update(
        r for r, ok in zip(batch.referrers, known.tolist(), strict=True) if ok and r
    )
    known_ids = {i for i, ok in zip(batch.lead_ids, known.tolist(), strict=True) if ok}
    for lead_id, kind in zip(
        activities.column("Lead ID").to_pylist(), activities.column("Type").to_pylist(), strict=True
    ):
        if lead_id in known_ids:
            truth.activities[kind] += 1
    attached_known = known[batch.attachments.lead_pos]
    truth.attachments += int(attached_known.sum())
    truth.attachments_missing += int((attached_known & batch.attachments.missing).sum())
