"""The local API reproduces the real one's quirks (reference §10)."""

from __future__ import annotations

import asyncio
import json
import math
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from legal2odoo_sandbox.actionstep.app import CHUNK, ActionstepApp, Settings
from legal2odoo_sandbox.actionstep.limits import FaultSpec
from tests.actionstep.helpers import HOST, source_records


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _get(
    app: ActionstepApp, path: str, params: Any = None, token: str | None = None
) -> httpx.Response:
    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=HOST) as c:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            return await c.get(path, params=params, headers=headers)

    return asyncio.run(go())


def _post(app: ActionstepApp, path: str, data: dict[str, str]) -> httpx.Response:
    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=HOST) as c:
            return await c.post(path, data=data)

    return asyncio.run(go())


@pytest.fixture
def app(firm_master: tuple[Path, dict]) -> ActionstepApp:
    return ActionstepApp(firm_master[0])


@pytest.fixture
def token(app: ActionstepApp) -> str:
    return app.issue_token()[0]


def test_oauth_refresh_returns_endpoint_and_rotates(app: ActionstepApp) -> None:
    form = {
        "grant_type": "refresh_token",
        "refresh_token": "sandbox-refresh-token",
        "client_id": "sandbox-client",
        "client_secret": "sandbox-secret",
    }
    answer = _post(app, "/api/oauth/token", form).json()
    assert answer["api_endpoint"] == f"{HOST}/api/" and answer["orgkey"] == "hartmancole"
    assert answer["token_type"] == "bearer" and answer["expires_in"] > 0
    assert _get(app, "/api/rest/actiontypes", token=answer["access_token"]).status_code == 200
    assert _post(app, "/api/oauth/token", form).status_code == 400  # the old refresh token is spent
    assert _post(app, "/api/oauth/token", form | {"client_secret": "x"}).status_code == 401


def test_bearer_required_and_expiry_gives_401(firm_master: tuple[Path, dict]) -> None:
    clock = FakeClock()
    app = ActionstepApp(firm_master[0], Settings(token_ttl=60), clock=clock)
    token, _ = app.issue_token()
    assert _get(app, "/api/rest/actions").status_code == 401
    assert _get(app, "/api/rest/actions", token=token).status_code == 200
    clock.now += 61
    assert _get(app, "/api/rest/actions", token=token).status_code == 401


def test_scope_outside_grant_is_403(firm_master: tuple[Path, dict]) -> None:
    app = ActionstepApp(firm_master[0], Settings(scopes=frozenset({"actions"})))
    token, _ = app.issue_token()
    assert _get(app, "/api/rest/actions", token=token).status_code == 200
    response = _get(app, "/api/rest/participants", token=token)
    assert response.status_code == 403 and "insufficient_scope" in response.text


def test_envelope_paging_cap_and_absolute_next(
    app: ActionstepApp, token: str, firm_master: tuple
) -> None:
    total = firm_master[1]["records"]["datacollectionrecordvalues"]
    body = _get(app, "/api/rest/datacollectionrecordvalues", {"pageSize": 1000}, token).json()
    paging = body["meta"]["paging"]["datacollectionrecordvalues"]
    assert paging["pageSize"] == 200 and len(body["datacollectionrecordvalues"]) == 200
    assert paging["recordCount"] == total and paging["pageCount"] == math.ceil(total / 200)
    assert paging["nextPage"].startswith(f"{HOST}/api/rest/datacollectionrecordvalues?")
    assert "page=2" in paging["nextPage"] and paging["prevPage"] is None
    assert body["links"]["datacollectionrecordvalues.action"]["type"] == "actions"
    assert "linked" not in body


def test_one_record_is_a_bare_object_and_empty_is_204(app: ActionstepApp, token: str) -> None:
    single = _get(app, "/api/rest/actions", {"id_eq": "7"}, token).json()["actions"]
    assert isinstance(single, dict) and single["id"] == 7
    assert isinstance(_get(app, "/api/rest/actions/7", token=token).json()["actions"], dict)
    assert len(_get(app, "/api/rest/actions/7,8", token=token).json()["actions"]) == 2
    last = _get(app, "/api/rest/actiontypes", {"pageSize": 3, "page": 2}, token).json()
    assert isinstance(last["actiontypes"], dict)  # 4 types: the last page holds one
    empty = _get(app, "/api/rest/actions", {"name_eq": "nobody at all"}, token)
    assert empty.status_code == 204 and empty.content == b""


def test_wire_values_are_served_verbatim(
    app: ActionstepApp, token: str, firm_master: tuple
) -> None:
    body = _get(app, "/api/rest/actions", {"pageSize": 200}, token).json()
    source = source_records(firm_master[0], "actions")
    for record in body["actions"]:
        assert (
            json.dumps(record, ensure_ascii=False, separators=(",", ":"))
            == source[str(record["id"])]
        )
    assert all(r["isDeleted"] in ("T", "F") for r in body["actions"])


def test_case_sensitive_names(app: ActionstepApp, token: str) -> None:
    assert _get(app, "/api/rest/Actions", token=token).status_code == 404
    assert _get(app, "/api/rest/actions", {"Name_eq": "x"}, token).status_code == 400
    assert _get(app, "/api/rest/actions", {"include": "actiontype"}, token).status_code == 400
    assert _get(app, "/api/rest/actions", {"sort": "ModifiedTimestamp"}, token).status_code == 400


def _all(app: ActionstepApp, token: str, resource: str, params: dict[str, str]) -> list[dict]:
    response = _get(app, f"/api/rest/{resource}", {"pageSize": 200, **params}, token)
    if response.status_code == 204:
        return []
    data = response.json()[resource]
    return [data] if isinstance(data, dict) else data


def test_filters(app: ActionstepApp, token: str, firm_master: tuple) -> None:
    actions = [json.loads(x) for x in source_records(firm_master[0], "actions").values()]
    got = _all(app, token, "actions", {"actionType_eq": "2"})
    assert {a["id"] for a in got} == {a["id"] for a in actions if a["links"]["actionType"] == "2"}
    got = _all(app, token, "actions", {"status_nteq": "Closed"})
    assert {a["id"] for a in got} == {a["id"] for a in actions if a["status"] != "Closed"}
    got = _all(app, token, "actions", {"modifiedTimestamp_gteq": "2022-01-01T00:00:00"})
    assert got and all(a["modifiedTimestamp"] >= "2021-12-31" for a in got)
    assert len(got) < len(actions)
    got = _all(app, token, "actions", {"name_ilike": "*FAMILY law*"})
    assert got and all("Family Law" in a["name"] for a in got)
    family = {str(a["id"]) for a in actions if a["links"]["actionType"] == "2"}
    aps = _all(
        app, token, "actionparticipants", {"action[actionType]": "2", "participantType": "1"}
    )
    assert {a["links"]["action"] for a in aps} == family
    multi = _all(
        app, token, "datacollectionrecordvalues", {"dataCollection[multipleRecords_eq]": "T"}
    )
    assert multi and all(v["links"]["dataCollection"] == "12" for v in multi)


def test_sort_fields_include(app: ActionstepApp, token: str) -> None:
    got = _all(app, token, "actions", {"sort": "-modifiedTimestamp", "pageSize": "20"})
    stamps = [datetime.fromisoformat(a["modifiedTimestamp"]) for a in got]
    assert len(stamps) == 20 and stamps == sorted(stamps, reverse=True)
    body = _get(
        app,
        "/api/rest/actions",
        {"pageSize": 5, "fields": "id,name,actionType", "include": "actionType,assignedTo"},
        token,
    ).json()
    assert set(body["actions"][0]) <= {"id", "name", "links"}
    assert set(body["actions"][0]["links"]) == {"actionType"}
    assert {"actiontypes", "participants"} <= set(body["linked"])
    wanted = {a["links"]["actionType"] for a in body["actions"]}
    assert {str(t["id"]) for t in body["linked"]["actiontypes"]} == wanted


def test_chunked_file_download(app: ActionstepApp, token: str, firm_master: tuple) -> None:
    docs = [json.loads(x) for x in source_records(firm_master[0], "actiondocuments").values()]
    big = max((d for d in docs if d["file"]), key=lambda d: d["fileSize"])
    parts = math.ceil(big["fileSize"] / CHUNK)
    assert parts >= 2
    path = f"/api/rest/files/{big['file']}"
    data = b"".join(_get(app, path, {"part_number": n}, token).content for n in range(1, parts + 1))
    assert data == (firm_master[0] / "actionstep" / "files" / str(big["id"])).read_bytes()
    assert _get(app, path, {"part_number": parts + 1}, token).status_code == 400


def test_rate_limit_429_with_and_without_retry_after(firm_master: tuple[Path, dict]) -> None:
    for retry_after in (True, False):
        clock = FakeClock()
        app = ActionstepApp(
            firm_master[0], Settings(rate_per_minute=60, retry_after=retry_after), clock=clock
        )
        token, _ = app.issue_token()
        codes = [_get(app, "/api/rest/actiontypes", token=token).status_code for _ in range(3)]
        assert codes == [200, 200, 429]  # burst of 2 at 1/s
        limited = _get(app, "/api/rest/actiontypes", token=token)
        assert ("retry-after" in limited.headers) is retry_after
        clock.now += 1.0
        assert _get(app, "/api/rest/actiontypes", token=token).status_code == 200


def test_fault_injection_and_spec_errors(firm_master: tuple[Path, dict]) -> None:
    app = ActionstepApp(firm_master[0], Settings(faults=FaultSpec.parse("truncate=100%")))
    token, _ = app.issue_token()
    response = _get(app, "/api/rest/actions", token=token)
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)
    app = ActionstepApp(firm_master[0], Settings(faults=FaultSpec.parse("reset=100%")))
    token, _ = app.issue_token()
    with pytest.raises(ConnectionResetError):
        _get(app, "/api/rest/actions", token=token)
    assert FaultSpec.parse("5xx=2%").server_error == pytest.approx(0.02)
    with pytest.raises(ValueError, match="bad fault"):
        FaultSpec.parse("timeouts=5%")


def test_slow_fault_delays_the_answer(firm_master: tuple[Path, dict]) -> None:
    faults = FaultSpec.parse("slow=100%,slow_seconds=0.3")
    app = ActionstepApp(firm_master[0], Settings(faults=faults))
    token, _ = app.issue_token()
    started = time.perf_counter()
    assert _get(app, "/api/rest/actiontypes", token=token).status_code == 200
    assert time.perf_counter() - started >= 0.3
