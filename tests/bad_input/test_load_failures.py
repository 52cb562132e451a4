# ruff: noqa: F811 - the loader fixtures, imported by name, are parameters here
"""The load side under bad conditions: two targets, a rollback cut short, stale marts, a busy
or read-only data dir, a URL with a path or a password in it, rows that fail, Ctrl-C.

Each case: the exit code, the one line the operator reads (with what to do next), and nothing
half-written. Targets are strict sandbox Odoos (tests/loader/conftest.py).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner

from legal2odoo.build_state import BuildRecord, record_build
from legal2odoo.cli import main
from legal2odoo.load.ledger import Ledger
from legal2odoo.load.lock import data_dir_lock
from legal2odoo.load.rollback import RollbackStopped, apply_rollback, plan_rollback
from legal2odoo.load.run import LoadOptions, LoadSummary, load_to_odoo
from legal2odoo.load.schema import plan_schema
from legal2odoo.load.target import OdooTarget, same_target, strip_credentials
from legal2odoo.load.transport import Transport
from legal2odoo.trust.audit import open_audit
from legal2odoo.trust.verify import verify_run
from legal2odoo.workdir import Workdir, new_run_id
from legal2odoo_sandbox.odoo import Faults, InjectedValidation
from tests.loader.conftest import (  # noqa: F401 - fixtures
    Target,
    make_sandbox,
    sandbox_marts,
    versioned_marts,
    workdir_copy,
)
from tests.loader.test_cli import slow_load_argv

CLI = [str(Path(sys.executable).parent / "legal2odoo")]
MODELS = ("crm.team", "crm.stage", "res.partner", "crm.lead")


def odoo_env(target: Target, **changes: str) -> dict[str, str]:
    s = target.settings
    env = {
        "ODOO_URL": s.url,
        "ODOO_DB": s.db,
        "ODOO_USER": s.user,
        "ODOO_PASSWORD": s.secret,
        "ODOO_PROTOCOL": s.protocol or "",
        "ODOO_API_KEY": "",
    }
    return {**env, **changes}


def invoke(workdir: Workdir, env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--data-dir", str(workdir.root), *args], env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def last_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def load(workdir: Workdir, target: Target, **options: Any) -> LoadSummary:
    return load_to_odoo(workdir, lambda: target.connect(), LoadOptions(**options))


def created(summary: LoadSummary) -> dict[str, int]:
    """Per model, rows created by its main mart."""
    return {
        m.model: m.actions.get("created", 0)
        for m in summary.models
        if "__" not in m.mart.removeprefix("odoo__")
    }


def ours(target: Target) -> dict[str, int]:
    dump = target.sandbox.dump()
    counts: dict[str, int] = {}
    for row in dump["ir.model.data"]:
        if row["module"] == "legal2odoo" and row["model"] in MODELS:
            counts[row["model"]] = counts.get(row["model"], 0) + 1
    return counts


def rows_in_marts(workdir: Workdir) -> dict[str, int]:
    tables = {
        "crm.team": "odoo__crm_team",
        "crm.stage": "odoo__crm_stage",
        "res.partner": "odoo__res_partner",
        "crm.lead": "odoo__crm_lead",
    }
    with duckdb.connect(str(workdir.warehouse), read_only=True) as con:
        return {
            m: con.execute(f"select count(*) from {t}").fetchone()[0] for m, t in tables.items()
        }


def status(workdir: Workdir, run_id: str) -> str:
    with Ledger(workdir.audit) as ledger:
        run = ledger.run(run_id)
    assert run is not None
    return str(run["status"])


# -- Deliver 2: a ledger per target ------------------------------------------------------------
def test_two_targets_delta_rollback_delta_lands_every_row_each_time(
    sandbox_marts: Workdir,
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
) -> None:
    workdir = workdir_copy(sandbox_marts)
    expected = rows_in_marts(workdir)
    a, b = make_sandbox(), make_sandbox()
    b_before = b.dump()

    first = load(workdir, a)  # the demo: a full load into sandbox A
    assert {m: created(first)[m] for m in MODELS} == expected
    # the same data dir pointed at B: the delta must not trust A's run
    into_b = load(workdir, b, mode="delta")
    assert {m: created(into_b)[m] for m in MODELS} == expected
    assert ours(b) == expected

    # A's run cannot be rolled back through B (its ids mean other records there)
    odoo = b.connect()
    with Ledger(workdir.audit) as ledger, pytest.raises(Exception, match="was loaded into"):
        plan_rollback(odoo, ledger, first.run_id)
    with Ledger(workdir.audit) as ledger:
        apply_rollback(odoo, ledger, plan_rollback(odoo, ledger, into_b.run_id))
    assert b.dump() == b_before
    assert status(workdir, first.run_id) == "done"  # A's run untouched

    again = load(workdir, b, mode="delta")  # B's rows were removed: all of them again
    assert {m: created(again)[m] for m in MODELS} == expected
    assert ours(b) == expected
    in_a = load(workdir, a, mode="delta")  # and A's ledger still says A is up to date
    # (attachments are held each time: this copy of the marts has no file store)
    sent = {"created", "updated", "failed"}
    assert [(m.mart, m.actions) for m in in_a.models if m.actions.keys() & sent] == []


def test_a_database_is_known_by_its_uuid_wherever_it_is_served() -> None:
    run = {"target_url": "http://old:8069", "db": "prod", "db_uuid": "u-1"}
    assert same_target(run, OdooTarget("https://new.example.com", "prod_copy", "u-1"))
    assert not same_target(run, OdooTarget("http://old:8069", "prod", "u-2"))  # a copy
    legacy = {"target_url": "http://admin:pw@old:8069", "db": "prod", "db_uuid": None}
    assert same_target(legacy, OdooTarget("http://old:8069", "prod", "u-1"))
    assert not same_target(legacy, OdooTarget("http://old:8069", "other", None))


def test_a_ledger_from_before_target_identity_still_opens(tmp_path: Path) -> None:
    path = tmp_path / "audit.duckdb"
    with duckdb.connect(str(path)) as con:  # the schema as it was before this change
        con.execute(
            "create table runs (run_id varchar primary key, started_at timestamptz not null, "
            "ended_at timestamptz, mode varchar not null, target_url varchar not null, "
            "db varchar not null, version varchar, transport varchar, status varchar not null, "
            "note varchar)"
        )
        con.execute(
            "insert into runs values ('20260101T000000000000Z', now(), null, 'full', "
            "'http://admin:Planted-Secret@host:8069', 'odoo', '17.0', 'xmlrpc', 'done', null)"
        )
    with open_audit(path) as audit:  # read-only users migrate it too
        (url, key) = audit.execute("select target_url, target_key from runs").fetchone()
    assert (url, key) == ("http://host:8069", "url:http://host:8069#odoo")
    assert b"Planted-Secret" not in path.read_bytes()
    with Ledger(path) as ledger:
        assert ledger.later_runs("20250101T000000000000Z") == []
        assert ledger.undone("20260101T000000000000Z") == {}


# -- Deliver 3: rollback finishes or resumes ---------------------------------------------------
class _Trip:
    """Turns the sandbox's fault injection on before the n-th unlink: the call commits in
    Odoo, then the connection drops without an answer (and every retry does the same)."""

    def __init__(self, odoo: Transport, target: Target, after: int) -> None:
        self.odoo, self.target, self.after = odoo, target, after

    def __getattr__(self, name: str) -> Any:
        return getattr(self.odoo, name)

    def execute(self, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        if method == "unlink":
            self.after -= 1
            if self.after == 0:
                self.target.sandbox.faults.rates = {"timeout_after_commit": 1.0}
        return self.odoo.execute(model, method, *args, **kwargs)


def test_a_rollback_cut_short_is_resumed_and_finishes(
    sandbox_marts: Workdir,
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
) -> None:
    workdir = workdir_copy(sandbox_marts)
    expected = rows_in_marts(workdir)
    target = make_sandbox(faults=Faults(seed=1))
    before = target.dump()
    run_id = load(workdir, target, batch_rows=50).run_id
    odoo = target.connect()
    with Ledger(workdir.audit) as ledger, pytest.raises(RollbackStopped) as stopped:
        plan = plan_rollback(odoo, ledger, run_id)
        apply_rollback(_Trip(odoo, target, after=2), ledger, plan)  # type: ignore[arg-type]
    assert f"legal2odoo rollback {run_id}` again" in str(stopped.value)
    assert status(workdir, run_id) == "rolling_back"
    with Ledger(workdir.audit) as ledger:
        done = ledger.undone(run_id)["unlinked"]
    assert sum(map(len, done.values())) >= 50  # the first unlink was recorded step by step
    assert target.dump() != before  # half undone

    target.sandbox.faults.rates = {}
    code, output = invoke(workdir, odoo_env(target), "rollback", run_id, "--yes")
    assert code == 0, output
    assert "resuming" in output
    assert target.dump() == before
    assert status(workdir, run_id) == "rolled_back"

    # the rows it removed are absent for --delta: every one lands again
    again = load(workdir, target, mode="delta")
    assert {m: created(again)[m] for m in MODELS} == expected


def test_a_run_being_rolled_back_is_not_trusted_by_delta(
    sandbox_marts: Workdir,
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
) -> None:
    workdir = workdir_copy(sandbox_marts)
    expected = rows_in_marts(workdir)
    target = make_sandbox()
    run_id = load(workdir, target).run_id
    odoo = target.connect()
    with Ledger(workdir.audit) as ledger, pytest.raises(RollbackStopped):
        plan = plan_rollback(odoo, ledger, run_id)
        apply_rollback(_Trip(odoo, target, after=1), ledger, plan)  # type: ignore[arg-type]
    target.sandbox.faults.rates = {}
    delta = load(workdir, target, mode="delta")  # resends all: created where gone, else updated
    sent = {
        m.model: m.actions.get("created", 0) + m.actions.get("updated", 0)
        for m in delta.models
        if "__" not in m.mart.removeprefix("odoo__")
    }
    assert {m: sent[m] for m in MODELS} == expected
    assert ours(target) == expected


# -- Deliver 4: stale or partial marts ---------------------------------------------------------
def test_load_refuses_marts_of_a_failed_build(
    sandbox_marts: Workdir, workdir_copy: Callable[[Workdir], Workdir], tmp_path: Path
) -> None:
    workdir = workdir_copy(sandbox_marts)
    record_build(workdir, BuildRecord("failed", new_run_id(), new_run_id(), "dbt test failed"))
    for route in ("csv", "odoo"):
        code, output = invoke(workdir, {}, "load", "--to", route)
        assert code == 1
        assert "the last `legal2odoo build`" in last_line(output)
        assert "failed" in last_line(output) and "run `legal2odoo build` again" in output
    assert not workdir.odoo_import.exists()
    assert not workdir.audit.exists()


def test_load_refuses_marts_older_than_the_newest_extract(
    sandbox_marts: Workdir, workdir_copy: Callable[[Workdir], Workdir]
) -> None:
    workdir = workdir_copy(sandbox_marts)
    record_build(workdir, BuildRecord("ok", new_run_id(), new_run_id()))
    newer = workdir.raw_run("captorra", "leads", new_run_id())
    newer.mkdir(parents=True)
    code, output = invoke(workdir, {}, "load", "--to", "csv")
    assert code == 1
    assert "before the newest extract (captorra/leads" in output
    assert "run `legal2odoo build` first" in last_line(output)
    assert not workdir.odoo_import.exists()


def test_a_build_records_its_outcome(tmp_path: Path) -> None:
    workdir = Workdir(tmp_path / "data")
    code, output = invoke(workdir, {}, "build", "--vars", "{fallback_owner_login: nobody}")
    assert code != 0
    state = json.loads((workdir.state / "build.json").read_text())
    assert state["status"] == "failed"
    code, output = invoke(workdir, {}, "load", "--to", "csv")
    assert code == 1 and "failed" in last_line(output)


def test_load_with_no_warehouse(tmp_path: Path) -> None:
    workdir = Workdir(tmp_path / "data")
    for route in ("csv", "odoo"):
        code, output = invoke(workdir, {}, "load", "--to", route)
        assert code == 1
        assert last_line(output) == (
            f"Error: no warehouse at {workdir.warehouse}: run `legal2odoo build` first"
        )


# -- Deliver 6 and 7: concurrency, read-only, messages -----------------------------------------
def test_a_second_load_on_the_same_data_dir_is_refused(
    sandbox_marts: Workdir, workdir_copy: Callable[[Workdir], Workdir]
) -> None:
    workdir = workdir_copy(sandbox_marts)
    with data_dir_lock(workdir.root, "load --to odoo"):
        for route in ("csv", "odoo"):
            code, output = invoke(workdir, {}, "load", "--to", route)
            assert code == 1
            line = last_line(output)
            assert "is in use by `legal2odoo load --to odoo` (pid" in line
            assert "wait for it to finish" in line
    assert not workdir.odoo_import.exists()
    code, output = invoke(workdir, {}, "load", "--to", "csv")  # released
    assert code == 0, output


def test_a_ledger_held_by_another_process_is_one_line(
    sandbox_marts: Workdir,
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
) -> None:
    workdir = workdir_copy(sandbox_marts)
    target = make_sandbox()
    Ledger(workdir.audit).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
            "print('held', flush=True); time.sleep(60)",
            str(workdir.audit),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        code, output = invoke(workdir, odoo_env(target), "load", "--to", "odoo", "--apply-schema")
        verify_code, verify_output = invoke(workdir, odoo_env(target), "verify")
    finally:
        holder.kill()
        holder.wait()
    assert code == 1
    assert "is in use by another legal2odoo process" in last_line(output)
    assert "Traceback" not in output
    assert verify_code == 1
    assert "is in use by another legal2odoo process" in last_line(verify_output)
    assert ours(target) == {}


def test_a_read_only_data_dir_is_one_line(sandbox_marts: Workdir) -> None:
    """As root (CI containers) the CLI runs as `nobody` on a folder root owns; else the
    folder is made read-only."""
    folder = Path(tempfile.mkdtemp(prefix="ledger-ro-"))
    try:
        root = folder / "data"
        root.mkdir()
        shutil.copy(sandbox_marts.warehouse, root / "warehouse.duckdb")
        (root / "warehouse.duckdb").chmod(0o644)
        folder.chmod(0o755)
        if os.geteuid() == 0:
            if not shutil.which("setpriv"):
                pytest.skip("root writes anywhere, and setpriv is missing")
            prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        else:
            prefix = []
            root.chmod(0o555)
        env = {**os.environ, "HOME": str(folder)}
        for route in ("csv", "odoo"):
            done = subprocess.run(
                [*prefix, *CLI, "--data-dir", str(root), "load", "--to", route],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            assert done.returncode == 1, done.stderr
            line = last_line(done.stderr)
            assert "permission denied" in line and "make the data dir writable" in line, line
            assert "Traceback" not in done.stderr
        assert sorted(p.name for p in root.iterdir()) == ["warehouse.duckdb"]
    finally:
        (folder / "data").chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("path", ["/odoo", "/web/login", "/xmlrpc/2"])
def test_a_url_with_a_path_is_one_line(
    sandbox_marts: Workdir,
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
    path: str,
) -> None:
    workdir = workdir_copy(sandbox_marts)
    target = make_sandbox()
    env = odoo_env(target, ODOO_URL=target.settings.url + path)
    code, output = invoke(workdir, env, "load", "--to", "odoo")
    assert code == 1
    assert last_line(output) == (
        f"Error: ODOO_URL {target.settings.url}{path} has a path ({path}); the API lives at "
        f"the server's root: set ODOO_URL={target.settings.url}"
    )
    assert not workdir.audit.exists()


def test_rows_that_fail_make_load_exit_non_zero(
    sandbox_marts: Workdir,
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
) -> None:
    workdir = workdir_copy(sandbox_marts)
    refuse = InjectedValidation("crm.lead", [["name", "ilike", "a"]])
    target = make_sandbox(faults=Faults(validations=[refuse]))
    code, output = invoke(workdir, odoo_env(target), "load", "--to", "odoo", "--apply-schema")
    assert code == 1
    line = last_line(output)
    assert "failed_crm_lead.csv" in line and "load --to odoo --delta" in line
    listed: dict[str, int] = {}
    for report in workdir.root.glob("reports/*/failed_*.csv"):
        assert str(report) in line
        for row in csv.DictReader(report.open()):
            listed[row["action"]] = listed.get(row["action"], 0) + 1
    assert listed["failed"] > 0  # the leads refused; held: what hangs on them
    assert f"{listed['failed']:,} row(s) failed and {listed.get('held', 0):,} held" in line


def test_ctrl_c_says_what_landed_and_how_to_go_on(
    sandbox_marts: Workdir,
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
) -> None:
    target = make_sandbox(faults=Faults(latency_ms=15))
    workdir = workdir_copy(sandbox_marts)
    env = {**os.environ, **odoo_env(target)}
    argv = slow_load_argv(workdir)
    child = subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(target.sandbox.dump().get("res.partner", [])) < 40:
        time.sleep(0.05)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 1
    with Ledger(workdir.audit) as ledger:
        ((run_id, state),) = ledger.con.execute("select run_id, status from runs").fetchall()
    assert state == "failed"
    line = last_line(err)
    assert line.startswith(f"Error: load run {run_id} stopped: interrupted (Ctrl-C); ")
    assert "record(s) created and 0 updated before it stopped" in line
    assert "`legal2odoo load --to odoo --delta`" in line
    assert f"`legal2odoo rollback {run_id}`" in line
    assert "Traceback" not in err + out


def test_retries_exhausted_say_what_landed_and_how_to_go_on(
    sandbox_marts: Workdir,
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from legal2odoo.cli import load as cli_support
    from legal2odoo.load import run

    target = make_sandbox()
    workdir = workdir_copy(sandbox_marts)
    monkeypatch.setattr(cli_support, "connect", lambda settings: target.connect())
    real = run._MartJob.run

    def run_then_break(job: Any, *args: Any) -> Any:
        if job.mart.model == "crm.lead":  # the server starts failing once partners are in
            target.sandbox.faults.rates = {"502": 1.0}
        return real(job, *args)

    monkeypatch.setattr(run._MartJob, "run", run_then_break)
    code, output = invoke(workdir, odoo_env(target), "load", "--to", "odoo", "--apply-schema")
    assert code == 1
    line = last_line(output)
    assert "gave up after 6 attempts" in line
    assert "record(s) created and 0 updated before it stopped" in line
    assert "load --to odoo --delta" in line and "legal2odoo rollback " in line


@pytest.fixture
def self_signed(tmp_path: Path) -> Iterator[str]:
    """An HTTPS server with a certificate nobody trusts."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    made = subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        capture_output=True,
        check=False,
    )
    if made.returncode:
        pytest.skip("openssl not available")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(404)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://localhost:{server.server_address[1]}"
    server.shutdown()


def test_a_self_signed_certificate_names_ssl_cert_file(
    sandbox_marts: Workdir, workdir_copy: Callable[[Workdir], Workdir], self_signed: str
) -> None:
    workdir = workdir_copy(sandbox_marts)
    env = {
        "ODOO_URL": self_signed,
        "ODOO_DB": "x",
        "ODOO_USER": "admin",
        "ODOO_PASSWORD": "x",
        "ODOO_PROTOCOL": "xmlrpc",
    }
    code, output = invoke(workdir, env, "load", "--to", "odoo")
    assert code == 1
    line = last_line(output)
    assert "is not trusted" in line and "SSL_CERT_FILE" in line
    assert "gave up" not in line  # not retried: it will not clear by itself


# -- Deliver 8: secrets --------------------------------------------------------------------------
def test_a_password_in_odoo_url_reaches_no_file(
    sandbox_marts: Workdir,
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
) -> None:
    planted = "Planted-Pw-7f3a9"
    workdir = workdir_copy(sandbox_marts)
    target = make_sandbox()
    url = target.settings.url.replace("http://", f"http://admin:{planted}@")
    assert strip_credentials(url) == target.settings.url
    env = odoo_env(target, ODOO_URL=url)
    outputs = []
    for args in (("load", "--to", "odoo", "--apply-schema"), ("verify",), ("report",)):
        code, output = invoke(workdir, env, "-v", *args)  # debug logging: the most it says
        outputs.append(output)
        assert code == 0, output
    assert all(planted not in output for output in outputs)
    written = [p for p in workdir.root.rglob("*") if p.is_file()]
    assert any(p.name == "report.html" for p in written)
    assert any(p.name == "audit.duckdb" for p in written)
    leaked = [p for p in written if planted.encode() in p.read_bytes()]
    assert leaked == []
    with open_audit(workdir.audit) as audit:
        assert audit.execute("select target_url from runs").fetchall() == [(target.settings.url,)]


# -- Deliver 5: a full load repeated -----------------------------------------------------------
def _verified(workdir: Workdir, target: Target, run_id: str) -> list[Any]:
    """verify's differences for the run (diff.csv rows)."""
    result = verify_run(workdir, target.connect, run_id)
    assert result.over_tolerance == [], result.over_tolerance
    assert result.folder is not None
    return list(csv.DictReader((result.folder / "diff.csv").open()))


def test_sample_then_full_then_full_again_equal_the_source(
    sandbox_marts: Workdir,
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
) -> None:
    workdir = workdir_copy(sandbox_marts)
    target = make_sandbox()
    with duckdb.connect(str(workdir.warehouse), read_only=True) as con:
        plan = plan_schema(target.connect(), con)
        (won,) = con.execute(
            "select count(*) from odoo__crm_lead where date_closed is not null"
        ).fetchone()
    assert won > 0  # leads Odoo stamps date_closed on at every write

    def run(**options: Any) -> str:
        return load_to_odoo(workdir, target.connect, LoadOptions(**options)).run_id

    first = LoadOptions(mode="sample", sample=10)  # every custom field, whatever the sample holds
    load_to_odoo(workdir, target.connect, first, schema=plan)
    assert _verified(workdir, target, run()) == []
    assert _verified(workdir, target, run()) == []  # date_closed as the source's, not now
