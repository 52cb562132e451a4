"""A contact's company set by one write per company (load/upsert.py `_write_by_target`) leaves
the real Odoo 17 exactly as load()'s write per contact does: every stored field of every
partner and lead (the server's clock aside), the same actions and the same ledger rows. Each
load starts from a fresh database (reset-db.sh), so record ids match between the two."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from legal2odoo.load import upsert
from legal2odoo.load.run import LoadOptions, load_to_odoo
from legal2odoo.workdir import Workdir
from tests.loader.conftest import Target
from tests.loader.test_load import actions
from tests.loader.test_won_lost_real_odoo import DUMPED, assert_same_records, reset_real_odoo

pytestmark = pytest.mark.real_odoo

Loaded = tuple[dict[str, Any], dict[str, dict[str, int]], list[tuple[Any, ...]]]


def _ledger(workdir: Workdir) -> list[tuple[Any, ...]]:
    """What the ledger says of each row (write dates: present, their value is the clock's)."""
    with duckdb.connect(str(workdir.audit), read_only=True) as con:
        return con.execute(
            "select model, external_id, action, odoo_id, existed, error, write_date is not null "
            "from writes where action <> 'pending' order by all"
        ).fetchall()


def _load(
    marts: Workdir, root: Path, target: Target, grouped: bool, monkeypatch: pytest.MonkeyPatch
) -> Loaded:
    reset_real_odoo()
    workdir = Workdir(root)
    root.mkdir()
    shutil.copy(marts.warehouse, workdir.warehouse)  # its own ledger
    with monkeypatch.context() as patch:
        patch.setenv("LEGAL2ODOO_GROUP_SELF", "1" if grouped else "0")
        summary = load_to_odoo(workdir, target.connect, LoadOptions(batch_rows=150))
    return target.dump(DUMPED), actions(summary), _ledger(workdir)


def test_company_written_by_target_equals_load(
    real_marts: Workdir,
    tmp_path: Path,
    real_target: Target,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    grouped_rows: list[int] = []
    by_target = upsert.BatchLoader._write_by_target

    def counting(self: upsert.BatchLoader, odoo: Any, rows: Any, result: Any) -> Any:
        landed, rest = by_target(self, odoo, rows, result)
        grouped_rows.append(len(landed))
        return landed, rest

    monkeypatch.setattr(upsert.BatchLoader, "_write_by_target", counting)
    try:
        plain, plain_actions, plain_ledger = _load(
            real_marts, tmp_path / "plain", real_target, False, monkeypatch
        )
        assert not any(grouped_rows)
        grouped, grouped_actions, grouped_ledger = _load(
            real_marts, tmp_path / "grouped", real_target, True, monkeypatch
        )
    finally:
        reset_real_odoo()
    contacts = [p for p in plain["res.partner"] if p["parent_id"]]
    assert contacts, "no contact has a company: the test proves nothing"
    assert sum(grouped_rows) == len(contacts), "some contacts did not go through the writes"
    # the company's address reached its contacts (what the write's _fields_sync does)
    assert any(p["street"] for p in contacts)
    assert grouped_actions == plain_actions
    assert grouped_ledger == plain_ledger
    assert_same_records(grouped, plain)
