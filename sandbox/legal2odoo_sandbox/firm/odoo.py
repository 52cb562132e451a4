"""The target Odoo side of the synthetic firm, in the raw shape `extract odoo` writes.

A fresh Odoo 17 CRM database (admin, the default sales team, stages and activity types) plus
what the firm already has in it: users for most staff (emails typed in another case) and
partners for some clients. Written as `odoo/<resource>/run=sample/part-00000.parquet`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from legal2odoo.load.snapshot import SCHEMAS  # one definition of the snapshot's shape
from legal2odoo_sandbox.firm.core import ODOO_PARTNER_STEP, Firm, person_in_odoo

RUN_ID = "sample"
EXTRACTED_AT = datetime(2026, 1, 1, tzinfo=UTC)  # fixed: the same seed gives the same bytes
ADMIN_USER_ID = 2
STAFF_USER_ID_BASE = 100
PARTNER_ID_BASE = 10_000
SERVER_VERSION = "17.0"

BASE_STAGES = (  # crm/data/crm_stage_data.xml
    {"id": 1, "name": "New", "sequence": 1, "team_id": None, "is_won": False, "fold": False},
    {"id": 2, "name": "Qualified", "sequence": 2, "team_id": None, "is_won": False, "fold": False},
    {
        "id": 3,
        "name": "Proposition",
        "sequence": 3,
        "team_id": None,
        "is_won": False,
        "fold": False,
    },
    {"id": 4, "name": "Won", "sequence": 70, "team_id": None, "is_won": True, "fold": False},
)
BASE_ACTIVITY_TYPES = (  # mail/data/mail_activity_data.xml
    "Email",
    "Call",
    "Meeting",
    "To-Do",
    "Upload Document",
    "Exception",
)

META = [("_extracted_at", pa.timestamp("us", tz="UTC")), ("_run_id", pa.string())]
CHUNK = 50_000


def staff_user_id(staff_index: int) -> int:
    return STAFF_USER_ID_BASE + staff_index


def write_odoo(firm: Firm, out: Path) -> dict[str, Any]:
    """Write every snapshot dataset; return the manifest's `odoo` section."""
    folder = out / "odoo"
    users = _users(firm)
    _write(folder, "server", [{"server_version": SERVER_VERSION, "server_serie": SERVER_VERSION}])
    _write(folder, "res_users", users)
    _write(folder, "crm_team", [{"id": 1, "name": "Sales"}])
    _write(folder, "crm_stage", list(BASE_STAGES))
    partners = _write(folder, "res_partner", _partners(firm))
    _write(folder, "res_partner_category", [])
    _write(folder, "crm_tag", [])
    _write(
        folder,
        "mail_activity_type",
        [{"id": i + 1, "name": name} for i, name in enumerate(BASE_ACTIVITY_TYPES)],
    )
    return {"users": len(users), "existing_partners": partners, "version": SERVER_VERSION}


def _users(firm: Firm) -> list[dict[str, Any]]:
    users = [
        {
            "id": ADMIN_USER_ID,
            "login": "admin",
            "email": "admin@example.com",
            "name": "Administrator",
            "active": True,
        },
    ]
    for index in range(firm.staff):
        if not firm.staff_has_odoo_user(index):
            continue
        staff = firm.staff_member(index)
        # Typed by the Odoo admin with capitals: resolution must ignore case.
        email = f"{staff.first_name}.{staff.last_name}@{staff.email.split('@')[1].title()}"
        users.append(
            {
                "id": staff_user_id(index),
                "login": staff.email,
                "email": email,
                "name": staff.name,
                "active": True,
            }
        )
    return users


def _partners(firm: Firm) -> Iterator[dict[str, Any]]:
    for index in range(0, firm.people, ODOO_PARTNER_STEP):
        person = firm.person(index)
        if person_in_odoo(person):
            yield {
                "id": PARTNER_ID_BASE + index,
                "name": person.name,
                "email": person.email.upper() if index % 2 else person.email,
                "is_company": False,
            }


def _write(folder: Path, resource: str, rows: Iterable[dict[str, Any]]) -> int:
    """Stream rows into one Parquet file in chunks; return how many were written."""
    schema = pa.schema([*SCHEMAS[resource], *META])
    target = folder / resource / f"run={RUN_ID}"
    target.mkdir(parents=True, exist_ok=True)
    written = 0
    with pq.ParquetWriter(target / "part-00000.parquet", schema) as writer:
        iterator = iter(rows)
        while chunk := list(islice(iterator, CHUNK)):
            stamped = [{**row, "_extracted_at": EXTRACTED_AT, "_run_id": RUN_ID} for row in chunk]
            writer.write_table(pa.Table.from_pylist(stamped, schema=schema))
            written += len(chunk)
        if written == 0:
            writer.write_table(schema.empty_table())
    return written
