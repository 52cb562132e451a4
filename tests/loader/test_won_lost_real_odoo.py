"""New won leads moved to their won stage with one write per batch (load/won_lost.py) leave the
real Odoo 17 exactly as a plain load() of the same rows does: every stored field of every lead
and partner (dates the server stamps with its clock aside) and the predictive lead scoring
table. Each load starts from a fresh database (reset-db.sh): the scoring table cannot be
restored over RPC, and a lead's automated probability depends on it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from legal2odoo.load import won_lost
from legal2odoo.load.run import LoadOptions, load_to_odoo
from legal2odoo.workdir import Workdir
from tests.loader.conftest import Target
from tests.loader.test_load import actions

pytestmark = pytest.mark.real_odoo

RESET = Path(os.environ.get("REAL_ODOO_SCRIPTS", "/work/shared/real-odoo")) / "reset-db.sh"
DUMPED = ("crm.lead", "res.partner")
FREQUENCY = "crm.lead.scoring.frequency"
# stamped with the server's clock when the database is reset, not by the load
CLOCK = {"calendar_last_notif_ack"}


def reset_real_odoo() -> None:
    """A fresh database (reset-db.sh), or skip when this is not a private real Odoo."""
    if not RESET.exists() or not os.environ.get("REAL_ODOO_DB"):
        pytest.skip("needs the real Odoo's reset-db.sh (REAL_ODOO_SCRIPTS) and REAL_ODOO_*")
    subprocess.run([str(RESET)], check=True, capture_output=True)


def _frequencies(target: Target) -> dict[tuple[str, str, Any], tuple[float, float]]:
    """(variable, value, team) -> (won, lost): row ids depend on the order rows were made."""
    odoo = target.connect()
    rows = odoo.execute(
        FREQUENCY, "search_read", [[], ["variable", "value", "team_id", "won_count", "lost_count"]]
    )
    odoo.close()
    return {
        (r["variable"], r["value"], r["team_id"] and r["team_id"][0]): (
            r["won_count"],
            r["lost_count"],
        )
        for r in rows
    }


def _stage_stamped_at_create(target: Target) -> dict[int, bool]:
    """Lead id -> its date_last_stage_update is its create_date (the dump leaves both out:
    the server's clock), as a plain create leaves it and as the stage write would not."""
    odoo = target.connect()
    rows = odoo.execute(
        "crm.lead",
        "search_read",
        [[], ["create_date", "date_last_stage_update"]],
        {"context": {"active_test": False}},
    )
    odoo.close()
    return {r["id"]: r["date_last_stage_update"] == r["create_date"] for r in rows}


def _load(
    marts: Workdir, root: Path, target: Target, batched: bool, monkeypatch: pytest.MonkeyPatch
) -> tuple[dict[str, Any], dict[Any, Any], dict[str, dict[str, int]], dict[int, bool]]:
    reset_real_odoo()
    workdir = Workdir(root)
    root.mkdir()
    shutil.copy(marts.warehouse, workdir.warehouse)  # its own ledger
    with monkeypatch.context() as patch:
        patch.setenv("LEGAL2ODOO_BATCH_WON", "1" if batched else "0")
        summary = load_to_odoo(workdir, target.connect, LoadOptions(batch_rows=150))
    stamped = _stage_stamped_at_create(target)
    return target.dump(DUMPED), _frequencies(target), actions(summary), stamped


def test_batched_won_leads_equal_plain_load(
    real_marts: Workdir,
    tmp_path: Path,
    real_target: Target,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    moved: list[int] = []
    finish = won_lost.finish

    def counting(odoo: Any, batch: won_lost.WonBatch, landed: Any, context: Any, load: Any) -> int:
        moved.append(sum(1 for row, _ in landed if row.external_id in batch.won))
        return finish(odoo, batch, landed, context, load)

    monkeypatch.setattr(won_lost, "finish", counting)
    try:
        plain, plain_freq, plain_actions, plain_stamp = _load(
            real_marts, tmp_path / "plain", real_target, False, monkeypatch
        )
        assert not moved
        batched, batched_freq, batched_actions, batched_stamp = _load(
            real_marts, tmp_path / "batched", real_target, True, monkeypatch
        )
    finally:
        reset_real_odoo()
    assert sum(moved) > 0, "no won lead went through the batched path: the test proves nothing"
    won_leads = [r for r in plain["crm.lead"] if r["probability"] == 100 and r["date_closed"]]
    assert len(won_leads) >= sum(moved)
    assert any(won > 1 for won, _ in plain_freq.values()), "the scoring table counted no win"
    assert batched_actions == plain_actions
    assert batched_freq == plain_freq
    assert all(plain_stamp.values()), "a plain load() no longer stamps the stage at create"
    assert batched_stamp == plain_stamp
    assert_same_records(batched, plain)


def assert_same_records(mine: dict[str, Any], theirs: dict[str, Any]) -> None:
    """Two Target.dump()s of DUMPED hold the same records, every stored field equal (the
    server's clock aside)."""
    for model in DUMPED:
        assert len(mine[model]) == len(theirs[model]), model
        for ours, other in zip(mine[model], theirs[model], strict=True):
            differ = {
                k: (ours[k], other.get(k))
                for k in ours
                if ours[k] != other.get(k) and k not in CLOCK
            }
            assert not differ, (model, ours["id"], differ)
