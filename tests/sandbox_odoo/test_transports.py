"""Transport-level shapes: version, authentication, XML-RPC faults, JSON-RPC error objects,
odoorpc used as a person would, JSON-2 (19.0) statuses and bodies, per-version differences."""

from __future__ import annotations

import json
import urllib.request
import xmlrpc.client

import odoorpc
import pytest

from tests.sandbox_odoo.clients import Json2Client, JsonRpcClient, Target, XmlRpcClient

VERSION_17 = {
    "server_version": "17.0",
    "server_version_info": [17, 0, 0, "final", 0, ""],
    "server_serie": "17.0",
    "protocol_version": 1,
}


def _xmlrpc(target: Target, service: str) -> xmlrpc.client.ServerProxy:
    return xmlrpc.client.ServerProxy(f"{target.url}/xmlrpc/2/{service}")


def _jsonrpc(target: Target, path: str, params: dict) -> dict:
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 7, "params": params}).encode()
    request = urllib.request.Request(target.url + path, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200
        return json.load(response)


def test_version(target17):
    assert _xmlrpc(target17, "common").version() == VERSION_17
    answer = _jsonrpc(target17, "/web/webclient/version_info", {})
    assert answer["result"]["server_version"] == "17.0"


def test_authenticate_and_login(target17):
    common = _xmlrpc(target17, "common")
    db = target17.db
    assert common.authenticate(db, target17.login, target17.password, {}) == 2
    assert common.login(db, target17.login, target17.password) == 2
    assert common.authenticate(db, target17.login, "wrong", {}) is False
    answer = _jsonrpc(
        target17,
        "/jsonrpc",
        {"service": "common", "method": "login", "args": [db, target17.login, "wrong"]},
    )
    assert answer == {"jsonrpc": "2.0", "id": 7, "result": False}


@pytest.mark.parametrize(
    ("vals", "code", "last_line"),
    [
        (
            {"name": "x", "x_nope": 1},
            1,
            "ValueError: Invalid field 'x_nope' on model 'res.partner'",
        ),
        (
            {"email": "nobody@x.org"},
            2,
            "The operation cannot be completed: Contacts require a name",
        ),
    ],
)
def test_xmlrpc_fault_codes(target17, vals, code, last_line):
    obj = _xmlrpc(target17, "object")
    with pytest.raises(xmlrpc.client.Fault) as info:
        obj.execute_kw(target17.db, 2, target17.password, "res.partner", "create", [vals])
    assert info.value.faultCode == code
    text = info.value.faultString.rstrip("\n")
    assert text.endswith(last_line)
    assert text.startswith("Traceback") == (code == 1)


def test_xmlrpc_access_denied_fault(target17):
    obj = _xmlrpc(target17, "object")
    with pytest.raises(xmlrpc.client.Fault) as info:
        obj.execute_kw(target17.db, 2, "wrong", "res.partner", "search", [[]])
    assert (info.value.faultCode, info.value.faultString) == (3, "Access Denied")


def test_jsonrpc_error_object(target17):
    args = [
        target17.db,
        2,
        target17.password,
        "crm.lead",
        "create",
        [{"name": "x", "priority": "7"}],
    ]
    answer = _jsonrpc(
        target17, "/jsonrpc", {"service": "object", "method": "execute_kw", "args": args}
    )
    error = answer["error"]
    assert answer["id"] == 7 and "result" not in answer
    assert error["code"] == 200 and error["message"] == "Odoo Server Error"
    assert set(error["data"]) == {"name", "debug", "message", "arguments", "context"}
    assert error["data"]["name"] == "builtins.ValueError"
    assert error["data"]["message"] == "Wrong value for crm.lead.priority: '7'"
    assert error["data"]["arguments"] == ["Wrong value for crm.lead.priority: '7'"]


def test_db_list(target17):
    answer = _jsonrpc(target17, "/jsonrpc", {"service": "db", "method": "list", "args": []})
    assert target17.db in answer["result"]


def test_odoorpc_as_a_person_uses_it(target17, uniq):
    host, port = target17.url.removeprefix("http://").split(":")
    odoo = odoorpc.ODOO(host, port=int(port))
    assert odoo.version == "17.0"
    assert target17.db in odoo.db.list()
    odoo.login(target17.db, target17.login, target17.password)
    assert odoo.env.uid == 2 and odoo.env.user.name == "Administrator"
    assert odoo.env.ref("base.user_admin").id == 2
    assert "crm.lead" in odoo.env
    Lead = odoo.env["crm.lead"]
    lead = Lead.browse(Lead.create({"name": f"odoorpc {uniq}", "partner_id": 3}))
    assert lead.partner_id.name == "Administrator" and lead.stage_id.name == "New"
    lead.name = f"renamed {uniq}"  # attribute assignment writes at once
    assert Lead.search_read([["id", "=", lead.id]], ["name"])[0]["name"] == f"renamed {uniq}"
    assert Lead.search([["name", "=", f"renamed {uniq}"]]) == [lead.id]
    lead.unlink()
    assert Lead.search([["id", "=", lead.id]]) == []
    with pytest.raises(odoorpc.error.RPCError) as info:
        Lead.create({"name": "x", "priority": "7"})
    assert str(info.value) == "Wrong value for crm.lead.priority: '7'"
    odoo.logout()


def test_web_session_and_call_kw(target17):
    """The web client's routes: session cookie from /web/session/authenticate, then call_kw."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())

    def post(path: str, params: dict) -> dict:
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params})
        request = urllib.request.Request(
            target17.url + path, body.encode(), {"Content-Type": "application/json"}
        )
        with opener.open(request, timeout=60) as response:
            return json.load(response)

    login = {"db": target17.db, "login": target17.login, "password": target17.password}
    assert post("/web/session/authenticate", login)["result"]["uid"] == 2
    answer = post(
        "/web/dataset/call_kw",
        {"model": "res.users", "method": "read", "args": [[2], ["login"]], "kwargs": {}},
    )
    assert answer["result"] == [{"id": 2, "login": "admin"}]


# -- sandbox-only: JSON-2 and the other versions ------------------------------------------------
@pytest.fixture
def sandbox19(sandbox_servers) -> Target:
    sandbox, server = sandbox_servers["19.0"]
    return Target(server.url, server.db, "admin", sandbox.password, "19.0", False, sandbox.api_key)


def test_json2_create_returns_a_list_and_errors_have_statuses(sandbox19, uniq):
    client = Json2Client(sandbox19)
    status, ids = client.post("crm.tag", "create", {"vals_list": [{"name": uniq}]}, client.api_key)
    assert status == 200 and isinstance(ids, list) and len(ids) == 1
    status, body = client.post("crm.tag", "create", {"vals_list": [{"name": uniq}]}, client.api_key)
    assert status == 422 and body["name"] == "odoo.exceptions.ValidationError"
    assert body["message"] == "The operation cannot be completed: Tag name already exists!"
    assert set(body) == {"name", "message", "arguments", "context", "debug"}
    assert client.post("crm.tag", "search", {"domain": []}, None)[0] == 401
    assert client.post("crm.tag", "search", {"domain": []}, "bad-key")[1]["name"] == (
        "werkzeug.exceptions.Unauthorized"
    )
    assert client.post("no.model", "search", {"domain": []}, client.api_key)[0] == 404
    assert client.post("crm.tag", "no_method", {}, client.api_key)[0] == 404
    assert client.post("crm.tag", "search", {"ids": [1], "domain": []}, client.api_key)[0] == 422
    assert client.post("crm.tag", "search", {"nope": 1}, client.api_key)[0] == 422
    status, body = client.post("crm.tag", "write", {"ids": [999999], "vals": {}}, client.api_key)
    assert status == 404 and body["name"] == "odoo.exceptions.MissingError"


def test_json2_version_route(sandbox19, target17):
    with urllib.request.urlopen(f"{sandbox19.url}/web/version", timeout=10) as response:
        assert json.load(response) == {
            "version_info": [19, 0, 0, "final", 0, ""],
            "version": "19.0",
        }
    if not target17.real:  # 17.0 has no JSON-2
        client = Json2Client(target17)
        assert client.post("crm.tag", "search", {"domain": []}, target17.api_key)[0] == 404


def test_version_19_field_differences(sandbox19):
    client = JsonRpcClient(sandbox19)
    lead = client.call("crm.lead", "fields_get", [], attributes=["type"])
    assert "mobile" not in lead and "won_status" in lead
    assert client.call("crm.stage", "fields_get", [["team_ids"]], attributes=["type"]) == {
        "team_ids": {"type": "many2many"}
    }
    args = [sandbox19.db, 2, sandbox19.password, "crm.lead", "create", [{}]]
    answer = _jsonrpc(
        sandbox19, "/jsonrpc", {"service": "object", "method": "execute_kw", "args": args}
    )
    assert answer["error"]["code"] == 0  # 200 up to 18.0


def test_version_18_has_no_name_get():
    from legal2odoo_sandbox.odoo import Sandbox

    sandbox = Sandbox("18.0")
    with sandbox.running() as server:
        client = XmlRpcClient(Target(server.url, server.db, "admin", "admin", "18.0"))
        assert client.call("res.partner", "search", [[["id", "=", 3]]]) == [3]
        with pytest.raises(Exception, match="has no attribute 'name_get'"):
            client.call("res.partner", "name_get", [[3]])


def test_version_19_name_search_takes_domain_not_args(sandbox19):
    client = Json2Client(sandbox19)
    status, found = client.post(
        "res.partner", "name_search", {"name": "Admin", "domain": [["id", "=", 3]]}, client.api_key
    )
    assert status == 200 and found == [[3, "Administrator"]]
    status, body = client.post("res.partner", "name_search", {"args": []}, client.api_key)
    assert status == 422 and "unexpected keyword argument 'args'" in body["message"]


def test_xmlrpc_v1_string_fault_codes(target17):
    """/xmlrpc/object (without /2) is the historic variant: fault codes are strings."""
    obj = xmlrpc.client.ServerProxy(f"{target17.url}/xmlrpc/object")
    with pytest.raises(xmlrpc.client.Fault) as info:
        obj.execute_kw(target17.db, 2, target17.password, "res.partner", "write", [[999999], {}])
    assert info.value.faultCode == (
        "warning -- MissingError\n\nRecord does not exist or has been deleted.\n"
        "(Record: res.partner(999999,), User: 2)"
    )
    with pytest.raises(xmlrpc.client.Fault) as info:
        obj.execute_kw(target17.db, 2, "wrong", "res.partner", "search", [[]])
    assert (info.value.faultCode, info.value.faultString) == ("AccessDenied", "Access Denied")
