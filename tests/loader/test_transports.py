"""The three transports pass the same checks: version, login, calls, Odoo's own messages,
one clear error for each way a connection can be wrong, retries only when it is safe."""

from __future__ import annotations

import xmlrpc.client
from collections.abc import Callable

import pytest

from legal2odoo.load.connect import connect
from legal2odoo.load.errors import ConnectError, LoginFailed, OdooError, TransientError
from legal2odoo.load.json2 import named_arguments
from legal2odoo.load.settings import OdooSettings, load_settings, read_dotenv
from legal2odoo.load.transport import NotSent, RetriesExhausted, RetryPolicy, with_retries
from legal2odoo.load.xmlrpc import dumps_call, parse_response
from legal2odoo_sandbox.odoo import Faults
from tests.loader.conftest import FAST_RETRY, Target

TRANSPORTS = [
    pytest.param(("17.0", "xmlrpc"), id="sandbox17-xmlrpc"),
    pytest.param(("17.0", "jsonrpc"), id="sandbox17-jsonrpc"),
    pytest.param(("19.0", "json2"), id="sandbox19-json2"),
]
REAL = [
    pytest.param("xmlrpc", id="real17-xmlrpc", marks=pytest.mark.real_odoo),
    pytest.param("jsonrpc", id="real17-jsonrpc", marks=pytest.mark.real_odoo),
]


@pytest.fixture(params=TRANSPORTS)
def target(request: pytest.FixtureRequest, make_sandbox: Callable[..., Target]) -> Target:
    version, protocol = request.param
    return make_sandbox(version, protocol=protocol)


def _exercise(target: Target, protocol: str | None = None) -> None:
    odoo = target.connect(protocol)
    assert odoo.uid and odoo.uid > 0
    assert odoo.major_version in (17, 18, 19)
    created = odoo.execute("res.partner", "create", [[{"name": "Transport Check"}]])
    rid = created[0] if isinstance(created, list) else created
    [row] = odoo.execute("res.partner", "read", [[rid], ["name"]])
    assert row["name"] == "Transport Check"
    with pytest.raises(OdooError) as refused:
        odoo.execute("res.partner", "create", [[{"name": False, "type": "contact"}]])
    assert "Contacts require a name" in refused.value.message
    assert "res.partner.create" in str(refused.value)
    odoo.execute("res.partner", "unlink", [[rid]])
    assert odoo.execute("res.partner", "search", [[["id", "=", rid]]]) == []
    odoo.close()


def test_transport_round_trip(target: Target) -> None:
    _exercise(target)


@pytest.mark.parametrize("protocol", REAL)
def test_transport_round_trip_real(real_target: Target, protocol: str) -> None:
    _exercise(real_target, protocol)


def test_wrong_password_is_one_clear_error(target: Target) -> None:
    s = target.settings
    with pytest.raises(LoginFailed, match="refused"):
        connect(OdooSettings(s.url, s.db, s.user, "wrong", s.protocol, s.api_key, 5.0), FAST_RETRY)


@pytest.mark.parametrize("protocol", ["xmlrpc", "jsonrpc"])
def test_wrong_database_is_named(make_sandbox: Callable[..., Target], protocol: str) -> None:
    s = make_sandbox(protocol=protocol).settings
    with pytest.raises(ConnectError, match="database 'nope' does not exist"):
        connect(OdooSettings(s.url, "nope", s.user, s.secret, protocol, False, 5.0), FAST_RETRY)


def test_api_disabled_is_one_clear_error(make_sandbox: Callable[..., Target]) -> None:
    target = make_sandbox(faults=Faults(api_enabled=False))
    with pytest.raises(ConnectError, match="not available"):
        target.connect()


def test_unreachable_server_is_one_clear_error() -> None:
    settings = OdooSettings("http://127.0.0.1:9", "db", "admin", "x", "xmlrpc", False, 2.0)
    with pytest.raises(ConnectError, match="cannot connect"):
        connect(settings, RetryPolicy(attempts=2, base_delay=0.01))


def test_detects_json2_on_19_with_an_api_key(make_sandbox: Callable[..., Target]) -> None:
    s = make_sandbox("19.0", protocol="json2").settings
    odoo = connect(OdooSettings(s.url, s.db, s.user, s.secret, None, True, 5.0), FAST_RETRY)
    assert odoo.name == "json2"
    s17 = make_sandbox("17.0").settings
    odoo = connect(OdooSettings(s17.url, s17.db, s17.user, s17.secret, None, False, 5.0))
    assert odoo.name == "xmlrpc"


def test_transient_faults_are_retried(make_sandbox: Callable[..., Target]) -> None:
    target = make_sandbox(faults=Faults(rates={"502": 0.3, "reset": 0.2}, seed=3))
    odoo = target.connect()
    for n in range(20):
        assert odoo.execute("res.partner", "search_count", [[["id", "=", n]]]) in (0, 1)


def test_validation_errors_are_not_retried() -> None:
    calls = []

    def refuse() -> None:
        calls.append(1)
        raise OdooError("Contacts require a name")

    with pytest.raises(OdooError):
        with_retries(refuse, FAST_RETRY, "test")
    assert len(calls) == 1


def test_create_is_retried_only_when_never_sent() -> None:
    sent = []

    def lost_answer() -> None:
        sent.append(1)
        raise TransientError("connection broke after the request went out")

    with pytest.raises(TransientError):
        with_retries(lost_answer, FAST_RETRY, "create", only_unsent=True)
    assert len(sent) == 1  # a second create could duplicate the record
    refused = []

    def refused_connection() -> None:
        refused.append(1)
        raise NotSent("connection refused")

    with pytest.raises(RetriesExhausted, match="gave up after 6 attempts"):
        with_retries(refused_connection, FAST_RETRY, "create", only_unsent=True)
    assert len(refused) == FAST_RETRY.attempts


def test_xml_entity_bomb_is_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b"<methodResponse><params><param><value><string>&b;</string></value></param>"
        b"</params></methodResponse>"
    )
    with pytest.raises(ConnectError, match="malicious"):
        parse_response(bomb)
    ok = xmlrpc.client.dumps(({"a": 1},), methodresponse=True).encode()
    assert parse_response(ok) == {"a": 1}


def test_json2_names_positional_arguments() -> None:
    assert named_arguments("write", [[1, 2], {"name": "x"}], {}) == {
        "ids": [1, 2],
        "vals": {"name": "x"},
    }
    assert named_arguments("load", [["id"], [["a"]]], {"context": {}}) == {
        "fields": ["id"],
        "data": [["a"]],
        "context": {},
    }
    with pytest.raises(ValueError, match="by name"):
        named_arguments("action_custom", [1], {})


def test_settings_keep_the_secret_out_of_sight(tmp_path) -> None:  # type: ignore[no-untyped-def]
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "# comment\nexport ODOO_URL='https://odoo.example.com/'\nODOO_DB=prod\n"
        'ODOO_USER=ops\nODOO_PASSWORD="s3cret"\n'
    )
    assert read_dotenv(dotenv)["ODOO_PASSWORD"] == "s3cret"
    settings = load_settings({}, dotenv)
    assert settings.url == "https://odoo.example.com"
    assert "s3cret" not in repr(settings)
    assert settings.verify_tls
    with pytest.raises(ConnectError, match="ODOO_PASSWORD or ODOO_API_KEY"):
        load_settings({"ODOO_URL": "x", "ODOO_DB": "d", "ODOO_USER": "u"}, None)
    with pytest.raises(ConnectError, match="ODOO_PROTOCOL"):
        load_settings({**read_dotenv(dotenv), "ODOO_PROTOCOL": "soap"}, None)


def test_xmlrpc_answers_are_the_stdlibs_values_and_faults() -> None:
    records = [{"id": 7, "name": "A & <B>", "x": False, "n": None, "f": 1.5, "l": ["a", 1]}]
    answer = xmlrpc.client.dumps((records,), methodresponse=True, allow_none=True).encode()
    assert parse_response(answer) == records
    fault = xmlrpc.client.dumps(xmlrpc.client.Fault(2, "Invalid field")).encode()
    with pytest.raises(xmlrpc.client.Fault, match="Invalid field"):
        parse_response(fault)
    with pytest.raises(ConnectError, match="not an XML-RPC answer"):
        parse_response(answer[: len(answer) // 2])  # cut off: not well-formed
    with pytest.raises(ConnectError, match="not an XML-RPC answer"):
        parse_response(b"<html><body>502 Bad Gateway</body></html>")
    body = dumps_call(("db", 2, "pw", "res.partner", "load", [["id"], [["x.a"]]], {}), "execute_kw")
    assert xmlrpc.client.loads(body) == (
        ("db", 2, "pw", "res.partner", "load", [["id"], [["x.a"]]], {}),
        "execute_kw",
    )
