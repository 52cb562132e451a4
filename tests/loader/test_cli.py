"""The operator's view: the CLI against a sandbox, one clear line per connection problem,
kill -9 in the middle of a load and a second run that finishes the job."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from legal2odoo.cli import main
from legal2odoo.load.ledger import Ledger
from legal2odoo.workdir import Workdir
from legal2odoo_sandbox.odoo import Faults
from tests.loader.conftest import Target

CLI = [str(Path(sys.executable).parent / "legal2odoo")]


def slow_load_argv(workdir: Workdir) -> list[str]:
    """`legal2odoo load --to odoo` in batches of 10: many round trips, time to interrupt it."""
    load = ["load", "--to", "odoo", "--batch-size", "10", "--apply-schema"]
    return [*CLI, "--data-dir", str(workdir.root), *load]


def odoo_env(target: Target, **changes: str) -> dict[str, str]:
    s = target.settings
    env = {
        "ODOO_URL": s.url,
        "ODOO_DB": s.db,
        "ODOO_USER": s.user,
        "ODOO_PASSWORD": s.secret,
        "ODOO_PROTOCOL": s.protocol or "",
    }
    return {**env, **changes}


def invoke(workdir: Workdir, env: dict[str, str], *args: str) -> tuple[int, str]:
    runner = CliRunner()
    result = runner.invoke(main, ["--data-dir", str(workdir.root), *args], env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"ODOO_PASSWORD": "wrong"}, "refused the login of 'admin'"),
        ({"ODOO_DB": "nope"}, "database 'nope' does not exist"),
        ({"ODOO_URL": "http://127.0.0.1:9"}, "cannot"),
        ({"ODOO_USER": ""}, "set ODOO_USER"),
    ],
)
def test_connection_problems_are_one_line(
    make_sandbox: Callable[..., Target],
    tmp_path: Path,
    change: dict[str, str],
    expected: str,
) -> None:
    target = make_sandbox()
    code, output = invoke(Workdir(tmp_path), odoo_env(target, **change), "extract", "odoo")
    assert code != 0
    lines = [line for line in output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1 and expected in lines[0], output
    assert "Traceback" not in output
    assert target.settings.secret not in output or change.get("ODOO_PASSWORD")


def test_api_disabled_is_one_line(make_sandbox: Callable[..., Target], tmp_path: Path) -> None:
    target = make_sandbox(faults=Faults(api_enabled=False))
    code, output = invoke(Workdir(tmp_path), odoo_env(target), "extract", "odoo")
    assert code != 0 and "not available" in output and "Traceback" not in output


def test_missing_rights_is_one_line(
    sandbox_marts: Workdir,
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
) -> None:
    target = make_sandbox()
    target.sandbox.call(
        "res.users",
        "create",
        [{"name": "Portal", "login": "portal", "password": "portal-pw", "groups_id": [[6, 0, []]]}],
    )
    workdir = workdir_copy(sandbox_marts)
    env = odoo_env(target, ODOO_USER="portal", ODOO_PASSWORD="portal-pw")
    code, output = invoke(workdir, env, "load", "--to", "odoo")
    assert code != 0, output
    assert "Traceback" not in output
    assert any(line.startswith("Error:") for line in output.splitlines()), output


def test_kill_9_then_rerun_equals_an_uninterrupted_run(
    sandbox_marts: Workdir,
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
) -> None:
    interrupted = make_sandbox(faults=Faults(latency_ms=15))
    workdir = workdir_copy(sandbox_marts)
    env = {**os.environ, **odoo_env(interrupted)}
    argv = slow_load_argv(workdir)
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # kill once partners are landing, mid-run
        if len(interrupted.sandbox.dump().get("res.partner", [])) > 40:
            break
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    partial = len(interrupted.sandbox.dump().get("crm.lead", []))
    code = subprocess.run(argv, env=env, capture_output=True, check=False).returncode
    assert code == 0

    clean = make_sandbox()
    other = Workdir(workdir.root.parent / "clean")
    other.root.mkdir()
    (other.root / "warehouse.duckdb").write_bytes(sandbox_marts.warehouse.read_bytes())
    shutil.copytree(sandbox_marts.files, other.files)  # attachments' bytes, or they are held
    env_clean = {**os.environ, **odoo_env(clean)}
    argv_clean = [*CLI, "--data-dir", str(other.root), "load", "--to", "odoo", "--apply-schema"]
    assert subprocess.run(argv_clean, env=env_clean, capture_output=True).returncode == 0

    assert partial < len(clean.sandbox.dump()["crm.lead"])  # the kill did interrupt the load
    assert _by_external_id(interrupted) == _by_external_id(clean)
    with Ledger(workdir.audit) as ledger:
        statuses = [
            r[0] for r in ledger.con.execute("select status from runs order by run_id").fetchall()
        ]
    assert statuses == ["running", "done"]  # the killed run is visible as never finished


def _by_external_id(target: Target) -> dict[str, list[tuple]]:
    """Records keyed by external id with their references as external ids: comparable
    across two databases whatever ids they were given."""
    dump = target.sandbox.dump()
    xmlid = {(r["model"], r["res_id"]): f"{r['module']}.{r['name']}" for r in dump["ir.model.data"]}
    out: dict[str, list[tuple]] = {}
    compared = {
        "res.partner": ("name", "email", "phone"),
        "crm.lead": ("name", "email_from", "partner_id", "stage_id", "team_id"),
        "crm.stage": ("name", "team_id"),
        "crm.team": ("name",),
    }
    for model, fields in compared.items():
        rows = []
        for row in dump.get(model, []):
            key = xmlid.get((model, row["id"]), f"db:{row['id']}")
            values = tuple(
                xmlid.get((_relation(f), row[f]), row[f]) if f.endswith("_id") else row[f]
                for f in fields
            )
            rows.append((key, *values))
        out[model] = sorted(rows, key=str)
    return out


def _relation(field: str) -> str:
    return {"partner_id": "res.partner", "stage_id": "crm.stage", "team_id": "crm.team"}[field]


def test_a_killed_run_can_be_rolled_back(
    sandbox_marts: Workdir,
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
) -> None:
    target = make_sandbox(faults=Faults(latency_ms=15))
    before = target.dump()
    workdir = workdir_copy(sandbox_marts)
    env = {**os.environ, **odoo_env(target)}
    argv = slow_load_argv(workdir)
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(target.sandbox.dump().get("crm.lead", [])) < 20:
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert target.dump() != before
    with Ledger(workdir.audit) as ledger:
        (run_id,) = ledger.con.execute("select run_id from runs").fetchone()
    code, output = invoke(workdir, odoo_env(target), "rollback", run_id, "--yes")
    assert code == 0, output
    assert target.dump() == before
