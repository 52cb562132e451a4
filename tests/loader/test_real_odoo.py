"""The loader end to end on a real Odoo 17 (`make test-real-odoo`): full load over XML-RPC
and over odoorpc, bad rows with Odoo's real messages, kill -9 and resume. Every test rolls
its runs back and checks the database is as it found it."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import duckdb
import pytest

from legal2odoo.load.ledger import Ledger
from legal2odoo.load.rollback import apply_rollback, plan_rollback
from legal2odoo.load.run import LoadOptions, load_to_odoo
from legal2odoo.workdir import Workdir
from tests.loader.conftest import Target
from tests.loader.test_cli import odoo_env, slow_load_argv
from tests.loader.test_load import actions, mart_counts, our_records

pytestmark = pytest.mark.real_odoo


@contextmanager
def rolled_back(workdir: Workdir, target: Target) -> Iterator[None]:
    """Every run of this workdir is rolled back after the block, even when it fails: the
    database is shared with later tests and later CI runs."""
    try:
        yield
    finally:
        rollback_all(workdir, target)


def rollback_all(workdir: Workdir, target: Target) -> None:
    odoo = target.connect()
    with Ledger(workdir.audit) as ledger:
        runs = [
            r[0]
            for r in ledger.con.execute(
                "select run_id from runs where status <> 'rolled_back' order by run_id desc"
            ).fetchall()
        ]
        for run_id in runs:
            apply_rollback(odoo, ledger, plan_rollback(odoo, ledger, run_id))


@pytest.mark.parametrize("protocol", ["xmlrpc", "jsonrpc"])
def test_full_load_reload_and_rollback(
    real_marts: Workdir,
    workdir_copy: Callable[[Workdir], Workdir],
    real_target: Target,
    protocol: str,
) -> None:
    workdir = workdir_copy(real_marts)
    before = real_target.dump()
    connect = lambda: real_target.connect(protocol)  # noqa: E731
    with rolled_back(workdir, real_target):
        first = actions(load_to_odoo(workdir, connect, LoadOptions()))
        second = actions(load_to_odoo(workdir, connect, LoadOptions(batch_rows=150)))
        for model, count in mart_counts(workdir).items():
            assert first[model] == {"created": count}, model
            assert second[model] == {"updated": count}, model
            assert our_records(real_target, model) == count
    assert real_target.dump() == before


def test_bad_rows_isolated_with_odoos_messages(
    real_marts: Workdir, workdir_copy: Callable[[Workdir], Workdir], real_target: Target
) -> None:
    workdir = workdir_copy(real_marts)
    with duckdb.connect(str(workdir.warehouse)) as con:
        bad = [
            r[0]
            for r in con.execute("select id from odoo__res_partner order by id limit 3").fetchall()
        ]
        con.execute(
            "update odoo__res_partner set name = '' where id in (select id from "
            "odoo__res_partner order by id limit 3)"
        )
    before = real_target.dump()
    with rolled_back(workdir, real_target):
        summary = load_to_odoo(workdir, real_target.connect, LoadOptions(batch_rows=40))
        result = actions(summary)
        counts = mart_counts(workdir)
        assert result["res.partner"] == {"created": counts["res.partner"] - 3, "failed": 3}
        with Ledger(workdir.audit) as ledger:
            errors = {
                w["external_id"]: w["error"]
                for w in ledger.writes(summary.run_id)
                if w["action"] == "failed"
            }
        assert set(errors) == set(bad)
        assert all("Contacts require a name" in e for e in errors.values()), errors
        assert result["crm.lead"].get("held", 0) >= 3  # leads of those partners never sent
    assert real_target.dump() == before


def test_kill_9_and_resume(
    real_marts: Workdir, workdir_copy: Callable[[Workdir], Workdir], real_target: Target
) -> None:
    workdir = workdir_copy(real_marts)
    before = real_target.dump()
    odoo = real_target.connect()
    everything = {"context": {"active_test": False}}
    leads_before = odoo.execute("crm.lead", "search_count", [[]], everything)  # not only ours
    env = {**os.environ, **odoo_env(real_target)}
    argv = slow_load_argv(workdir)
    with rolled_back(workdir, real_target):
        child = subprocess.Popen(
            argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and our_records(real_target, "res.partner") < 30:
            time.sleep(0.2)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        assert subprocess.run(argv, env=env, capture_output=True).returncode == 0
        for model, count in mart_counts(workdir).items():
            assert our_records(real_target, model) == count, model
        leads = odoo.execute("crm.lead", "search_count", [[]], everything)
        assert leads == leads_before + mart_counts(workdir)["crm.lead"]  # no duplicates
    assert real_target.dump() == before
