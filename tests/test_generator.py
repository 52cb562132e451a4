"""The synthetic firm: deterministic, as nasty as promised, and its manifest tells the truth."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from legal2odoo_sandbox.firm.core import Firm as FirmPopulation
from legal2odoo_sandbox.firm.core import normalise_email
from legal2odoo_sandbox.firm.generate import generate


def _read_export(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_same_seed_same_bytes_other_seed_other_firm(tmp_path: Path) -> None:
    generate(60, 3, tmp_path / "a")
    generate(60, 3, tmp_path / "b")
    generate(60, 4, tmp_path / "c")
    for name in ("captorra/export.csv", "captorra/activities.csv", "manifest.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert (tmp_path / "a/captorra/export.csv").read_bytes() != (
        tmp_path / "c/captorra/export.csv"
    ).read_bytes()


def test_scale_outside_bounds_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="between 50 and 1,000,000"):
        generate(10, 1, tmp_path)


def test_export_carries_the_nasty_cases(firm) -> None:
    raw = (firm.captorra / "export.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    assert b"\r\n" in raw
    rows = _read_export(firm.captorra / "export.csv")
    emails = [r["Email"] for r in rows]
    assert any(e and e != e.strip() for e in emails), "emails with stray spaces"
    assert any(e and e == e.upper() and "@" in e for e in emails), "emails in upper case"
    assert any(not e for e in emails), "leads without email"
    assert any("\n" in r["Notes"] for r in rows), "multi-line notes"
    assert any('"' in r["Notes"] for r in rows), "embedded quotes"
    assert any("<p>" in r["Notes"] for r in rows), "HTML notes"
    assert any(not r["First Name"].isascii() or not r["Last Name"].isascii() for r in rows)
    assert all(r["Created Date"][2] == "/" for r in rows), "US dates"
    statuses = {r["Status"] for r in rows}
    assert statuses & {"Pending - Legacy Import", "On Hold (old)"}, "unknown statuses"
    keys = [normalise_email(e) for e in emails if e]
    assert len(keys) > len(set(keys)), "the same person on several leads"


def test_manifest_counts_what_was_written(firm) -> None:
    rows = _read_export(firm.captorra / "export.csv")
    truth = firm.manifest["captorra"]
    assert truth["leads"] == len(rows)
    held = truth["review_queue"]["unknown_status"]
    assert sum(truth["leads_by_stage"].values()) == len(rows) - held
    with_email = {normalise_email(r["Email"]) for r in rows if normalise_email(r["Email"])}
    without = sum(1 for r in rows if not normalise_email(r["Email"]))
    assert truth["partners_after_email_dedup"] == len(with_email) + without
    named = sum(len([n for n in r["Attachments"].split(";") if n.strip()]) for r in rows)
    assert named >= truth["attachments"] > truth["attachments_missing"] > 0


def test_odoo_side_has_users_for_most_staff_in_another_case(firm) -> None:
    users = pq.read_table(next((firm.root / "odoo/res_users").glob("run=*/*.parquet")))
    population = FirmPopulation(seed=7, scale=firm.manifest["scale"])
    staff_emails = {population.staff_member(i).email for i in range(population.staff)}
    odoo_emails = [e for e in users.column("email").to_pylist() if e != "admin@example.com"]
    assert odoo_emails and all(e.lower() in staff_emails and e != e.lower() for e in odoo_emails)
    assert len(odoo_emails) < population.staff, "some staff have no Odoo user"
