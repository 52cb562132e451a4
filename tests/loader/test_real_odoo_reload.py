"""Re-running loads, and one data dir used for two targets, on the real Odoo 17
(`make test-real-odoo`), through the CLI as an operator runs it, on a firm using both sources
(Actionstep's archived matters are lost leads: Odoo restamps their date_closed on every write).

Every run is rolled back at the end and the database is checked to be as it was found.
"""

from __future__ import annotations

import csv
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

from legal2odoo.load.ledger import Ledger
from legal2odoo.workdir import Workdir
from tests.conftest import captorra_extract_args, extract_actionstep_in_process
from tests.loader.conftest import TOUCHED, Target
from tests.loader.test_cli import CLI, odoo_env

pytestmark = pytest.mark.real_odoo

MODELS = (
    *TOUCHED,
    "crm.tag",
    "res.partner.category",
    "ir.attachment",
    "mail.activity",
    "mail.message",
)
Cli = Callable[..., subprocess.CompletedProcess[str]]


def _cli(root: Path, target: Target) -> Cli:
    base = {k: v for k, v in os.environ.items() if not k.startswith("ODOO_")}

    def cli(*args: str, on: Target = target) -> subprocess.CompletedProcess[str]:
        argv = [*CLI, "--data-dir", str(root), *args]
        env = {**base, **odoo_env(on)}
        return subprocess.run(argv, env=env, capture_output=True, text=True, check=False)

    return cli


def ok(cli: Cli, *args: str, on: Target | None = None) -> str:
    done = cli(*args) if on is None else cli(*args, on=on)
    assert done.returncode == 0, f"{args}: {done.stdout[-3000:]}{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def demo(real_target: Target, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small firm, both sources, built against the real Odoo's own snapshot."""
    root = tmp_path_factory.mktemp("reload") / "work"
    cli = _cli(root, real_target)
    sample = root / "sample"
    ok(cli, "sample-data", "--scale", "60", "--seed", "42", "--out", str(sample))
    ok(cli, *captorra_extract_args(sample))
    extract_actionstep_in_process(sample, Workdir(root))
    ok(cli, "extract", "odoo")
    ok(cli, "build")
    return root


@pytest.fixture
def workdir(demo: Path, tmp_path: Path) -> Iterator[Path]:
    """A private copy of the built data dir (its own ledger)."""
    mine = tmp_path / "work"
    subprocess.run(["cp", "-a", str(demo), str(mine)], check=True)
    yield mine


def runs_into(root: Path, target: Target) -> list[str]:
    """Runs into `target` not rolled back, newest first."""
    with Ledger(Workdir(root).audit) as ledger:
        rows = ledger.con.execute(
            "select run_id from runs where status <> 'rolled_back' and target_url = ? "
            "and db = ? order by run_id desc",
            [target.settings.url, target.settings.db],
        ).fetchall()
    return [r[0] for r in rows]


def rollback_all(cli: Cli, root: Path, target: Target) -> None:
    for run_id in runs_into(root, target):
        ok(cli, "rollback", run_id, "--yes")


def verify(cli: Cli, root: Path, run_id: str) -> None:
    verified = cli("verify", run_id)
    reports = root / "reports" / run_id
    diff = list(csv.DictReader((reports / "diff.csv").open()))
    # What a re-load can break: the load check (every mart cell against Odoo) and the restamped
    # date_closed against the source. The other source findings (lead phone, assembled
    # descriptions: issue 15) are the same after one load or three; rows the review queue
    # holds are explained, not differences.
    unexplained_diff = [
        row
        for row in diff
        if "(held:" not in row["check"]
        and (not row["check"].startswith("source") or row["field"] == "date_closed")
    ]
    assert unexplained_diff == [], unexplained_diff[:20]
    reconciliation = list(csv.DictReader((reports / "reconciliation.csv").open()))
    unexplained = [r for r in reconciliation if int(r["unexplained"])]
    assert reconciliation and unexplained == [], unexplained
    # exit 1 only for the generator firm's planted holds beyond the tolerance, never an error
    assert verified.returncode in (0, 1), verified.stdout[-3000:]


def closed_leads(root: Path) -> int:
    with duckdb.connect(str(Workdir(root).warehouse), read_only=True) as con:
        (n,) = con.execute(
            "select count(*) from odoo__crm_lead where date_closed is not null and not active"
        ).fetchone()
    return int(n)


def test_a_full_load_repeated_any_way_equals_the_source(workdir: Path, real_target: Target) -> None:
    assert closed_leads(workdir) > 0  # archived leads: what Odoo restamps
    cli = _cli(workdir, real_target)
    before = real_target.dump(MODELS)
    try:
        ok(cli, "load", "--to", "odoo", "--apply-schema")
        verify(cli, workdir, runs_into(workdir, real_target)[0])
        ok(cli, "load", "--to", "odoo")  # the same full load again
        verify(cli, workdir, runs_into(workdir, real_target)[0])
    finally:
        rollback_all(cli, workdir, real_target)
    assert real_target.dump(MODELS) == before
    try:
        ok(cli, "load", "--to", "odoo", "--apply-schema", "--sample", "15")  # README's flow
        ok(cli, "load", "--to", "odoo", "--apply-schema")  # the stages the sample did not need
        verify(cli, workdir, runs_into(workdir, real_target)[0])
    finally:
        rollback_all(cli, workdir, real_target)
    assert real_target.dump(MODELS) == before


def ledger_counts(root: Path, run_id: str) -> dict[str, dict[str, int]]:
    with Ledger(Workdir(root).audit) as ledger:
        counts = ledger.con.execute(
            "select mart, action, count(*) from writes where run_id = ? group by all", [run_id]
        ).fetchall()
    out: dict[str, dict[str, int]] = {}
    for mart, action, n in counts:
        out.setdefault(mart, {})[action] = n
    return out


def mart_rows(root: Path) -> dict[str, int]:
    with duckdb.connect(str(Workdir(root).warehouse), read_only=True) as con:
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables"
                " where table_name like 'odoo\\_\\_%' escape '\\'"
            ).fetchall()
        ]
        counts = {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}
    return {t: n for t, n in counts.items() if n}


def test_a_second_target_gets_every_row_each_time(
    workdir: Path, real_target: Target, make_sandbox: Callable[..., Target]
) -> None:
    sandbox = make_sandbox()
    cli = _cli(workdir, real_target)
    before = real_target.dump(MODELS)
    # the demo's own target first (some rows may be held there: it lacks the real users)
    cli("load", "--to", "odoo", "--apply-schema", on=sandbox)
    assert runs_into(workdir, sandbox)
    expected = {t: n for t, n in mart_rows(workdir).items() if "__" not in t[6:]}
    try:
        for _ in range(2):  # --delta into the real Odoo, rolled back, --delta again
            ok(cli, "load", "--to", "odoo", "--delta", "--apply-schema")
            run_id = runs_into(workdir, real_target)[0]
            counts = ledger_counts(workdir, run_id)
            landed = {t: counts.get(t, {}).get("created", 0) for t in expected}
            assert landed == expected, counts
            verify(cli, workdir, run_id)
            ok(cli, "rollback", run_id, "--yes")
            assert real_target.dump(MODELS) == before
    finally:
        rollback_all(cli, workdir, real_target)
    assert real_target.dump(MODELS) == before
