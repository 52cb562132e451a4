"""--firm DIR: the synthetic firm's Odoo side, read from parquet, keeps its ids."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from legal2odoo_sandbox.odoo import Sandbox
from legal2odoo_sandbox.odoo.firm import load_firm


def _write(firm: Path, resource: str, rows: list[dict], run: str = "20261123T000000") -> None:
    meta = {"_extracted_at": dt.datetime(2026, 11, 23, tzinfo=dt.UTC), "_run_id": run}
    folder = firm / "odoo" / resource / f"run={run}"
    folder.mkdir(parents=True)
    pq.write_table(
        pa.Table.from_pylist([{**r, **meta} for r in rows]), folder / "part-00000.parquet"
    )


@pytest.fixture
def firm(tmp_path: Path) -> Path:
    _write(
        tmp_path,
        "res_users",
        [
            {
                "id": 2,
                "login": "boss",
                "email": "boss@firm.example",
                "name": "Boss",
                "active": True,
            },
            {"id": 40, "login": "jane", "email": "j@firm.example", "name": "Jane", "active": True},
            {"id": 41, "login": "old", "email": None, "name": "Former Clerk", "active": False},
        ],
    )
    _write(tmp_path, "crm_team", [{"id": 7, "name": "Personal Injury"}])
    _write(
        tmp_path,
        "crm_stage",
        [
            {
                "id": 10,
                "name": "Intake",
                "sequence": 1,
                "team_id": 7,
                "is_won": False,
                "fold": False,
            },
            {
                "id": 11,
                "name": "Signed",
                "sequence": 9,
                "team_id": None,
                "is_won": True,
                "fold": False,
            },
        ],
    )
    _write(
        tmp_path,
        "res_partner",
        [
            {
                "id": 100,
                "name": "Acme Insurance",
                "email": "claims@acme.example",
                "is_company": True,
            },
            {"id": 101, "name": "Pat Client", "email": None, "is_company": False},
        ],
    )
    _write(tmp_path, "res_partner_category", [{"id": 5, "name": "VIP"}])
    _write(tmp_path, "crm_tag", [{"id": 3, "name": "Referral"}])
    _write(tmp_path, "mail_activity_type", [{"id": 30, "name": "Court date"}])
    # an older run of the same resource is ignored
    _write(tmp_path, "crm_tag", [{"id": 99, "name": "Stale"}], run="20200101T000000")
    return tmp_path


def test_firm_records_keep_their_ids(firm):
    sandbox = Sandbox("17.0", firm=firm)
    read = sandbox.call
    assert read("res.users", "read", [[40], ["login", "name", "email"]]) == [
        {"id": 40, "login": "jane", "name": "Jane", "email": "j@firm.example"}
    ]
    assert read("res.users", "search", [[["id", "=", 41]]]) == []  # archived
    assert read("res.users", "read", [[2], ["login", "name"]]) == [
        {"id": 2, "login": "admin", "name": "Boss"}
    ]
    assert read("crm.stage", "read", [[10, 11], ["team_id", "is_won"]]) == [
        {"id": 10, "team_id": [7, "Personal Injury"], "is_won": False},
        {"id": 11, "team_id": False, "is_won": True},
    ]
    assert read("res.partner", "read", [[100], ["name", "is_company"]])[0]["is_company"] is True
    assert read("crm.tag", "search_read", [[]], {"fields": ["name"]}) == [
        {"id": 3, "name": "Referral"}
    ]
    assert read("mail.activity.type", "read", [[30], ["name"]]) == [
        {"id": 30, "name": "Court date"}
    ]
    assert read("res.partner.category", "read", [[5], ["name"]]) == [{"id": 5, "name": "VIP"}]
    # new records continue after the firm's ids
    assert read("crm.tag", "create", [{"name": "New"}]) == 4


def test_firm_team_under_a_seeded_id(firm):
    """A firm's team 1 updates the seeded team 1 (it has its alias, a required field)."""
    teams = [{"id": 1, "name": "Intake"}, {"id": 7, "name": "Personal Injury"}]
    _write(firm, "crm_team", teams, run="20261124T000000")
    sandbox = Sandbox("17.0", firm=firm)
    assert sandbox.call("crm.team", "read", [[1], ["name"]]) == [{"id": 1, "name": "Intake"}]


def test_firm_on_version_19_maps_stage_team(firm):
    sandbox = Sandbox("19.0", firm=firm)
    assert sandbox.call("crm.stage", "read", [[10], ["team_ids"]]) == [{"id": 10, "team_ids": [7]}]


def test_missing_firm_folder_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no Odoo side"):
        load_firm(Sandbox("17.0").store, tmp_path)
