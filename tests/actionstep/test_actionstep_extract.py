"""Extractor against the in-process local API: exactness under faults, deltas, auth, trust."""

from __future__ import annotations

import asyncio
import hashlib
import json
import shutil
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from legal2odoo.extract.actionstep.resources import RESOURCES
from legal2odoo.extract.actionstep.runner import ExtractOptions, _exclusive
from legal2odoo_sandbox.actionstep.app import ActionstepApp, Settings
from legal2odoo_sandbox.actionstep.limits import FaultSpec
from legal2odoo_sandbox.actionstep.mutate import default_time, mutate_firm
from tests.actionstep.helpers import extract, latest, raw_rows, sandbox_settings, source_records

NAMES = [spec.name for spec in RESOURCES]


def _assert_raw_equals_source(firm: Path, data: Path) -> None:
    for name in NAMES:
        rows = raw_rows(data, name)
        ids = [r["id"] for r in rows]
        assert len(ids) == len(set(ids)), f"{name}: duplicate rows"
        assert {r["id"]: r["record"] for r in rows} == source_records(firm, name), name


def _assert_files_equal_source(firm: Path, data: Path) -> None:
    manifest = {r["id"]: r for r in raw_rows(data, "files_manifest")}
    for doc in map(json.loads, source_records(firm, "actiondocuments").values()):
        wanted = doc["file"] and doc["isDeleted"] != "T" and doc["fileSize"] > 0
        assert (str(doc["id"]) in manifest) == bool(wanted)
        if wanted:
            content = (firm / "actionstep" / "files" / str(doc["id"])).read_bytes()
            row = manifest[str(doc["id"])]
            assert row["sha256"] == hashlib.sha256(content).hexdigest()
            assert (data / "files" / row["sha256"]).read_bytes() == content
            assert "/" not in row["original_name"] and not row["original_name"].startswith(".")


def test_faults_raw_equals_generator_exactly(firm: Path, tmp_path: Path) -> None:
    faults = FaultSpec.parse("429=5%,5xx=2%,reset=1%,truncate=1%")
    app = ActionstepApp(firm, Settings(faults=faults, retry_after=False, seed=3))
    result = asyncio.run(extract(app, tmp_path / "data"))
    assert result.ok, result.incomplete
    injected = {k for k, v in app.stats.items() if k.startswith("injected:") and v}
    assert injected == {"injected:429", "injected:5xx", "injected:reset", "injected:truncate"}
    _assert_raw_equals_source(firm, tmp_path / "data")
    _assert_files_equal_source(firm, tmp_path / "data")


def test_delta_reads_only_changes_and_keeps_latest(firm: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    app = ActionstepApp(firm)
    first = asyncio.run(extract(app, data))
    assert first.ok
    first_requests = app.stats["requests"]
    changes = mutate_firm(firm, seed=5, at=default_time(), change=0.01, add=0.01)
    app.stats.clear()
    second = asyncio.run(extract(app, data))
    assert second.ok, second.incomplete
    for spec in RESOURCES:
        if spec.since_field:  # read what changed (+ the overlap window), in as few pages
            read = {r["id"] for r in raw_rows(data, spec.name) if r["_run_id"] == second.run_id}
            wanted = _newer_than_overlap(firm, spec.name, spec.since_field, first.run_id, data)
            touched = changes.touched(spec.name)
            assert touched <= read == wanted, spec.name
            assert len(read - touched) <= 3, spec.name  # the overlap re-reads only a few
            assert app.stats[f"GET {spec.name}"] == max(1, -(-len(read) // 200)), spec.name
    assert app.stats["requests"] < first_requests / 2
    for name in NAMES:
        assert latest(data, name) == source_records(firm, name), name
    assert second.removed["actionparticipants"] == len(changes.removed["actionparticipants"]) > 0


def test_raw_deleted_since_the_last_run_is_read_in_full(firm: Path, tmp_path: Path) -> None:
    """The state's high-water marks describe raw that is gone (`make sample` deletes raw, not
    state): a delta on top of nothing would leave raw with only the overlap window."""
    data = tmp_path / "data"
    app = ActionstepApp(firm)
    assert asyncio.run(extract(app, data)).ok
    shutil.rmtree(data / "raw")
    assert asyncio.run(extract(app, data)).ok
    _assert_raw_equals_source(firm, data)


def _instant(text: str) -> datetime:
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _newer_than_overlap(firm: Path, name: str, field: str, first_run: str, data: Path) -> set[str]:
    """Source ids at or after (first run's high-water mark - overlap): what a delta must read."""
    first = [json.loads(r["record"]) for r in raw_rows(data, name) if r["_run_id"] == first_run]
    since = max(_instant(r[field]) for r in first) - ExtractOptions().overlap
    since = since.replace(microsecond=0)
    return {
        i
        for i, line in source_records(firm, name).items()
        if _instant(json.loads(line)[field]) >= since
    }


def test_expired_access_token_refreshes_once_and_persists_0600(firm: Path, tmp_path: Path) -> None:
    app = ActionstepApp(firm)
    stale, _ = app.issue_token(ttl=-1)
    settings = sandbox_settings(access_token=stale, api_url="http://as.local/api/")
    result = asyncio.run(extract(app, tmp_path / "data", settings, resources=("actions",)))
    assert result.ok and result.stats["token_refreshes"] == 1
    assert app.stats["status:401"] == 1
    token_file = tmp_path / "data" / "state" / "actionstep" / "token.json"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    stored = json.loads(token_file.read_text())
    assert stored["refresh_token"] in app.refresh_tokens  # the rotated one, usable next time
    # The environment's refresh token was consumed by rotation: the stored one must be used.
    again = asyncio.run(extract(app, tmp_path / "data", resources=("actiontypes",)))
    assert again.ok and again.records["actiontypes"] == 4


def test_forbidden_resource_is_incomplete_others_finish_then_resume(
    firm: Path, tmp_path: Path
) -> None:
    scopes = frozenset(set(NAMES) - {"bills"} | {"files"})
    app = ActionstepApp(firm, Settings(scopes=scopes))
    result = asyncio.run(extract(app, tmp_path / "data"))
    assert set(result.incomplete) == {"bills"} and "403" in result.incomplete["bills"]
    app.settings.scopes = frozenset({"all"})
    app.grants.clear()
    app.stats.clear()
    resumed = asyncio.run(extract(app, tmp_path / "data"))
    assert resumed.ok and resumed.resumed and resumed.run_id == result.run_id
    assert set(k for k in app.stats if k.startswith("GET ")) == {"GET bills"}
    assert latest(tmp_path / "data", "bills") == source_records(firm, "bills")


GOOD_TRUST = (
    "Transaction ID,Date,Matter Reference,Matter Name,Client,Type,Description,"
    "Receipt,Payment,Balance\r\n"
    'T1,01/31/2024,M0000001,Matter 1,Ann,Receipt,"Retainer, initial","1,000.00",,"1,000.00"\r\n'
    "T2,02/01/2024,M0000001,Matter 1,Ann,Payment,Fees,,250.00,750.00\r\n"
)
BROKEN_TRUST = {
    "missing column": (GOOD_TRUST.replace("Balance", "Saldo"), ":1: column 'Balance' is missing"),
    "ragged row": (GOOD_TRUST + "T3,02/02/2024,M1\r\n", ":4: 3 fields"),
    "bad date": (GOOD_TRUST.replace("02/01/2024", "2024/31/02"), ":3: column 'Date'"),
    "duplicate id": (
        GOOD_TRUST.replace("T2,", "T1,"),
        ":3: column 'Transaction ID' value 'T1' repeats line 2",
    ),
    "bad amount": (GOOD_TRUST.replace("250.00,750", "2 50,750"), ":3: column 'Payment'"),
    "both amounts": (
        GOOD_TRUST.replace(",,250.00", ",5.00,250.00"),
        ":3: columns 'Receipt'/'Payment'",
    ),
    "empty": ("", ":1: the file is empty"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_TRUST))
def test_broken_trust_export_refused_nothing_written(case: str, firm: Path, tmp_path: Path) -> None:
    text, expected = BROKEN_TRUST[case]
    export = tmp_path / "trust.csv"
    export.write_text(text, encoding="utf-8")
    app = ActionstepApp(firm)
    with pytest.raises(ValueError, match="refused, nothing was written") as info:
        asyncio.run(extract(app, tmp_path / "data", trust_export=export))
    assert f"{export}{expected}" in str(info.value)
    assert not list((tmp_path / "data" / "raw").rglob("*.parquet"))
    assert app.stats["requests"] == 0


def test_trust_export_from_generator_lands_raw(
    firm: Path, firm_master: tuple, tmp_path: Path
) -> None:
    app = ActionstepApp(firm)
    export = firm / "actionstep" / "trust_ledger.csv"
    result = asyncio.run(extract(app, tmp_path / "data", trust_export=export, resources=("users",)))
    rows = raw_rows(tmp_path / "data", "trust_transactions")
    assert result.trust_rows == len(rows) == firm_master[1]["trust_rows"]
    assert json.loads(rows[0]["record"])["Transaction ID"] == rows[0]["id"]


def test_second_extraction_on_same_data_dir_is_refused(firm: Path, tmp_path: Path) -> None:
    app = ActionstepApp(firm)
    lock = tmp_path / "data" / "state" / "actionstep" / "lock"
    refused = pytest.raises(ValueError, match="another Actionstep extraction is running")
    with _exclusive(lock), refused:  # as if another process were extracting
        asyncio.run(extract(app, tmp_path / "data", resources=("users",)))
    assert app.stats["requests"] == 0
    assert asyncio.run(extract(app, tmp_path / "data", resources=("users",))).ok  # released
