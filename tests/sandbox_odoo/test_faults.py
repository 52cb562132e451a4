"""Fault injection and switches: 502, connection reset, timeout after commit, latency, API
disabled, max concurrency, validation errors on rows matching a domain."""

from __future__ import annotations

import http.client
import threading
import time
import xmlrpc.client
from typing import Any

import pytest

from legal2odoo_sandbox.odoo import Faults, InjectedValidation, Sandbox, parse_faults
from legal2odoo_sandbox.odoo.exceptions import ValidationError
from tests.sandbox_odoo.clients import Failure, JsonRpcClient, Target, XmlRpcClient


def _target(sandbox: Sandbox, url: str) -> Target:
    return Target(url, sandbox.db, "admin", sandbox.password, sandbox.version)


def _object(url: str) -> xmlrpc.client.ServerProxy:
    return xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object")


def test_parse_faults():
    assert parse_faults("502=0.02,reset=0.01,timeout_after_commit=0.01") == {
        "502": 0.02,
        "reset": 0.01,
        "timeout_after_commit": 0.01,
    }
    assert parse_faults("") == {}
    for bad in ("teapot=0.1", "502", "502=2", "502=0.6,reset=0.6"):
        with pytest.raises(ValueError):
            parse_faults(bad)


def test_502_answers_bad_gateway_and_changes_nothing():
    sandbox = Sandbox(faults=Faults(rates={"502": 1.0}))
    before = sandbox.dump()
    with sandbox.running() as server, pytest.raises(xmlrpc.client.ProtocolError) as info:
        _object(server.url).execute_kw(sandbox.db, 2, "admin", "crm.tag", "create", [{"name": "x"}])
    assert info.value.errcode == 502
    assert sandbox.dump() == before


def test_reset_drops_the_connection_and_changes_nothing():
    sandbox = Sandbox(faults=Faults(rates={"reset": 1.0}))
    before = sandbox.dump()
    with sandbox.running() as server, pytest.raises((ConnectionError, http.client.HTTPException)):
        _object(server.url).execute_kw(sandbox.db, 2, "admin", "crm.tag", "create", [{"name": "x"}])
    assert sandbox.dump() == before


def _post_once(url: str, body: str) -> None:
    """One request, no retry (xmlrpc.client silently retries once after a reset)."""
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("POST", "/xmlrpc/2/object", body, {"Content-Type": "text/xml"})
        connection.getresponse().read()
    finally:
        connection.close()


def test_timeout_after_commit_loses_the_answer_but_keeps_the_write():
    sandbox = Sandbox(faults=Faults(rates={"timeout_after_commit": 1.0}))
    args = (sandbox.db, 2, "admin", "crm.tag", "create", [{"name": "x"}])
    body = xmlrpc.client.dumps(args, "execute_kw")
    with sandbox.running() as server, pytest.raises((ConnectionError, http.client.HTTPException)):
        _post_once(server.url, body)
    assert [t["name"] for t in sandbox.dump()["crm.tag"]] == ["x"]


def test_a_client_retrying_after_the_lost_answer_writes_twice():
    """Why the loader must not blindly retry a create: xmlrpc.client retries once by itself."""
    sandbox = Sandbox(faults=Faults(rates={"timeout_after_commit": 1.0}))
    with sandbox.running() as server, pytest.raises(xmlrpc.client.Fault, match="already exists"):
        _object(server.url).execute_kw(sandbox.db, 2, "admin", "crm.tag", "create", [{"name": "x"}])


def test_fault_rates_are_drawn_per_call_with_a_seed():
    faults = Faults(rates={"502": 0.25, "reset": 0.25}, seed=7)
    draws = [faults.draw() for _ in range(2000)]
    assert 400 < draws.count("502") < 600 and 400 < draws.count("reset") < 600
    again = Faults(rates={"502": 0.25, "reset": 0.25}, seed=7)
    assert [again.draw() for _ in range(2000)] == draws


def test_latency_per_call():
    sandbox = Sandbox(faults=Faults(latency_ms=150))
    with sandbox.running() as server:
        client = XmlRpcClient(_target(sandbox, server.url))
        start = time.perf_counter()
        client.call("res.partner", "search", [[]])
        assert time.perf_counter() - start >= 0.15


def test_api_disabled_refuses_every_transport():
    sandbox = Sandbox(faults=Faults(api_enabled=False))
    with sandbox.running() as server:
        common = xmlrpc.client.ServerProxy(f"{server.url}/xmlrpc/2/common")
        with pytest.raises(xmlrpc.client.Fault) as info:
            common.authenticate(sandbox.db, "admin", "admin", {})
        assert info.value.faultCode == 3
        with pytest.raises(Failure) as failure:
            JsonRpcClient(_target(sandbox, server.url))
        assert failure.value.name == "odoo.exceptions.AccessDenied"


def test_max_concurrency_serialises_calls():
    sandbox = Sandbox(faults=Faults(latency_ms=200, max_concurrency=1))
    with sandbox.running() as server:
        target = _target(sandbox, server.url)
        clients = [XmlRpcClient(target) for _ in range(3)]  # logins: 3 x 200 ms, serialised
        start = time.perf_counter()
        threads = [
            threading.Thread(target=c.call, args=("res.partner", "search", [[]])) for c in clients
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert time.perf_counter() - start >= 0.6  # one at a time; unlimited would take ~0.2 s


def _timed(call: Any, *args: Any) -> float:
    start = time.perf_counter()
    call(*args)
    return time.perf_counter() - start


def test_ms_per_row_charges_rows_written_and_overlaps_calls():
    sandbox = Sandbox(faults=Faults(ms_per_row=50, max_concurrency=4))
    with sandbox.running() as server:
        client = XmlRpcClient(_target(sandbox, server.url))
        rows = [[f"__import__.p{i}", f"P{i}"] for i in range(10)]
        loaded = _timed(client.call, "res.partner", "load", [["id", "name"], rows])
        assert loaded >= 0.5  # 10 rows x 50 ms
        assert _timed(client.call, "res.partner", "search", [[]]) < 0.5  # reads are not charged
        clients = [XmlRpcClient(_target(sandbox, server.url)) for _ in range(4)]
        threads = [
            threading.Thread(target=c.call, args=("res.partner", "create", [[{"name": "x"}] * 5]))
            for c in clients
        ]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
    assert 0.25 <= elapsed < 0.75  # 4 calls of 5 rows x 50 ms at once (one at a time: 1 s)
    assert len(sandbox.call("res.partner", "search", [[["name", "=", "x"]]])) == 20


def test_validation_error_on_rows_matching_a_domain():
    rule = InjectedValidation("crm.lead", [["name", "ilike", "boom"]], "Boom refused")
    sandbox = Sandbox(faults=Faults(validations=[rule]))
    with pytest.raises(ValidationError, match="Boom refused"):
        sandbox.call("crm.lead", "create", [{"name": "big boom"}])
    result = sandbox.call(
        "crm.lead", "load", [["id", "name"], [["m.ok", "fine"], ["m.bad", "boom"]]]
    )
    assert result["ids"] is False
    assert (
        result["messages"][0]["message"] == "Boom refused" and result["messages"][0]["record"] == 1
    )
    assert sandbox.call("crm.lead", "search", [[]]) == []
    quiet = sandbox.call("crm.lead", "create", [{"name": "quiet"}])
    assert sandbox.call("crm.lead", "search", [[]]) == [quiet]


def test_serialization_failure_comes_back_inside_load_messages():
    """As measured on Odoo 17 (odoo17-ingest-measured.md): no fault, ids False, an error message;
    a client that only catches faults would lose the batch."""
    sandbox = Sandbox(faults=Faults(rates={"serialization": 1.0}))
    with sandbox.running() as server:
        client = XmlRpcClient(_target(sandbox, server.url))
        rows = [["m.a", "A"], ["m.b", "B"]]
        result = client.call("res.partner", "load", [["id", "name"], rows])
        assert result == {
            "ids": False,
            "messages": [
                {
                    "rows": {"from": 0, "to": 0},
                    "type": "error",
                    "record": 0,
                    "message": "could not serialize access due to concurrent update\n",
                }
            ],
            "nextrow": 0,
        }
        assert client.call("res.partner", "search", [[["name", "in", ["A", "B"]]]]) == []
        assert isinstance(client.call("crm.tag", "create", [{"name": "other calls work"}]), int)
