"""Searches that pin `id` or an indexed column set evaluate only the rows that can match:
the answer must be exactly what a scan of the whole table gives."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from legal2odoo_sandbox.odoo import Sandbox
from legal2odoo_sandbox.odoo import narrow as narrow_module


@pytest.fixture(scope="module")
def sandbox() -> Sandbox:
    box = Sandbox("17.0")
    ids = box.call(
        "res.partner", "create", [[{"name": f"P{i}", "color": i % 3} for i in range(40)]]
    )
    box.call("res.partner", "write", [ids[:5], {"active": False}])
    box.call("ir.model.data", "create", [[{"module": "m1", "name": f"x{i}", "model": "res.partner",
              "res_id": rid} for i, rid in enumerate(ids)]])  # fmt: skip
    return box


@pytest.fixture
def scanning(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Searches in this context scan every row (the reference answer)."""
    monkeypatch.setattr(narrow_module, "_pinned_ids", lambda leaves: None)
    monkeypatch.setattr(narrow_module, "_indexed_ids", lambda leaves, model, store: None)
    yield


def _partner_ids(box: Sandbox) -> list[int]:
    return box.call("res.partner", "search", [[]], {"context": {"active_test": False}})


CASES: list[tuple[str, Any, dict[str, Any]]] = [
    ("res.partner", lambda ids: [["id", "in", ids[:10]]], {}),
    ("res.partner", lambda ids: [["id", "in", ids[:10]]], {"context": {"active_test": False}}),
    ("res.partner", lambda ids: [["id", "=", ids[7]]], {}),
    ("res.partner", lambda ids: [["id", "in", [*ids[3:12], 0, -1, "x", 10**9]]], {}),
    ("res.partner", lambda ids: [["id", "in", ids[:20]], ["color", "=", 1]], {}),
    ("res.partner", lambda ids: ["|", ["id", "in", ids[:3]], ["color", "=", 2]], {}),
    ("res.partner", lambda ids: ["!", ["id", "in", ids[:30]]], {}),
    ("res.partner", lambda ids: [["id", "in", ids[:20]]], {"order": "name desc", "limit": 4}),
    ("res.partner", lambda ids: [["id", "=", True]], {}),
    ("res.partner", lambda ids: [["id", "in", [False]]], {}),
    ("ir.model.data", lambda ids: [["module", "=", "m1"], ["name", "in", ["x1", "x9", "zz"]]], {}),
    ("ir.model.data", lambda ids: [["module", "in", ["m1", "m2"]], ["name", "in", ["x3"]]], {}),
    ("ir.model.data", lambda ids: [["model", "=", "res.partner"], ["res_id", "in", ids[:6]]], {}),
    ("ir.model.data", lambda ids: ["|", ["module", "=", "m1"], ["name", "=", "x2"]], {}),
]


@pytest.mark.parametrize(("model", "domain", "kwargs"), CASES)
def test_narrowed_search_equals_a_full_scan(
    sandbox: Sandbox,
    model: str,
    domain: Any,
    kwargs: dict[str, Any],
    request: pytest.FixtureRequest,
) -> None:
    ids = _partner_ids(sandbox)
    narrowed = sandbox.call(model, "search", [domain(ids)], dict(kwargs))
    request.getfixturevalue("scanning")
    scanned = sandbox.call(model, "search", [domain(ids)], dict(kwargs))
    assert narrowed == scanned


def test_narrowing_evaluates_only_the_named_rows(sandbox: Sandbox) -> None:
    ids = _partner_ids(sandbox)
    store = sandbox.store
    prepared = [(["id"], "in", frozenset(ids[:3]))]
    assert list(narrow_module.candidates(prepared, "res.partner", store.tables["res.partner"],
                                         store)) == sorted(ids[:3])  # fmt: skip
    either = ["|", (["id"], "in", frozenset(ids[:3])), (["color"], "=", 1)]
    assert narrow_module.candidates(either, "res.partner", store.tables["res.partner"],
                                    store) is store.tables["res.partner"]  # fmt: skip


def test_a_parents_address_reaches_its_contacts_through_the_parent_index() -> None:
    box = Sandbox("17.0")
    parent = box.call("res.partner", "create", [{"name": "Co", "is_company": True}])
    kids = box.call("res.partner", "create", [[{"name": f"K{i}", "parent_id": parent}
                                                for i in range(3)]])  # fmt: skip
    other = box.call("res.partner", "create", [{"name": "Elsewhere"}])
    box.call("res.partner", "write", [[kids[1]], {"parent_id": other}])
    box.call("res.partner", "write", [[parent], {"city": "Leeds"}])
    cities = {r["id"]: r["city"] for r in box.call("res.partner", "read", [kids, ["city"]])}
    assert cities == {kids[0]: "Leeds", kids[1]: False, kids[2]: "Leeds"}
    moved = box.call("res.partner", "search", [[["parent_id", "=", other]]])
    assert moved == [kids[1]]
