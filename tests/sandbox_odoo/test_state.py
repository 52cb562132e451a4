"""State: one transaction per call, dump() snapshots, the in-process API, the CLI."""

from __future__ import annotations

import subprocess
import sys
import xmlrpc.client

import pytest

from legal2odoo_sandbox.odoo import Sandbox
from legal2odoo_sandbox.odoo.exceptions import OdooValueError, ValidationError


def test_failing_call_leaves_nothing_behind():
    sandbox = Sandbox()
    before = sandbox.dump()
    with pytest.raises(ValidationError):
        sandbox.call("crm.tag", "create", [[{"name": "a"}, {"name": "b"}, {"name": "a"}]])
    assert sandbox.dump() == before


def test_manual_field_creation_is_rolled_back_with_its_call():
    sandbox = Sandbox()
    model_id = sandbox.call("ir.model", "search", [[["model", "=", "crm.lead"]]])[0]
    field = {"model_id": model_id, "name": "x_a", "field_description": "A", "ttype": "char"}
    with pytest.raises(OdooValueError):
        sandbox.call("ir.model.fields", "create", [[field, {**field, "name": "x_b", "ttype": 7}]])
    assert sandbox.call("crm.lead", "fields_get", [["x_a"]]) == {}


def test_dump_equal_after_undoing_a_load():
    sandbox = Sandbox()
    before = sandbox.dump()
    result = sandbox.call("res.partner", "load", [["id", "name"], [["m.a", "A"], ["m.b", "B"]]])
    assert sandbox.dump() != before
    sandbox.call("res.partner", "unlink", [result["ids"]])  # takes their external ids along
    assert sandbox.call("ir.model.data", "search", [[["module", "=", "m"]]]) == []
    assert sandbox.dump() == before


def test_dump_is_canonical():
    sandbox = Sandbox()
    dump = sandbox.dump()
    assert list(dump) == sorted(dump)
    assert [r["id"] for r in dump["crm.stage"]] == [1, 2, 3, 4]
    assert all("write_date" not in row for rows in dump.values() for row in rows)
    assert "write_date" in sandbox.dump(volatile=True)["crm.stage"][0]


def test_base_records():
    sandbox = Sandbox()
    call = sandbox.call
    assert call("res.users", "read", [[2], ["login", "name"]]) == [
        {"id": 2, "login": "admin", "name": "Administrator"}
    ]
    assert call("crm.team", "search_read", [[]], {"fields": ["name"]}) == [
        {"id": 1, "name": "Sales"}
    ]
    types = call("mail.activity.type", "search_read", [[]], {"fields": ["name"]})
    assert [t["name"] for t in types] == ["Email", "Call", "Meeting", "To-Do", "Upload Document"]
    assert call("ir.model.data", "check_object_reference", ["crm", "stage_lead4"]) == [
        "crm.stage",
        4,
    ]


def test_cli_serves_a_working_server():
    process = subprocess.Popen(
        [sys.executable, "-m", "legal2odoo", "sandbox", "odoo", "--port", "0", "--db", "clitest"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        url = first.split(" at ")[1].split()[0]
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
        assert common.authenticate("clitest", "admin", "admin", {}) == 2
        assert "admin" in first and "password" not in first
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_cli_help_has_an_example():
    out = subprocess.run(
        [sys.executable, "-m", "legal2odoo", "sandbox", "odoo", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Example" in out and "--faults" in out and "--firm" in out


def test_cli_refuses_negative_server_time():
    done = subprocess.run(
        [sys.executable, "-m", "legal2odoo", "sandbox", "odoo", "--ms-per-row", "-1"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "--ms-per-row" in done.stderr and "x>=0" in done.stderr
