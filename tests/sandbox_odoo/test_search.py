"""search / search_read / search_count / name_search: domains, archived records, order."""

from __future__ import annotations

import pytest

from tests.sandbox_odoo.helpers import refused


@pytest.fixture
def people(odoo, uniq):
    """Five partners under a unique company; returns (company id, {name: id})."""
    company = odoo.call("res.partner", "create", [{"name": f"Co {uniq}", "is_company": True}])
    names = {
        f"Ann {uniq}": {"email": f"ann.{uniq}@x.org", "color": 1},
        f"Bob {uniq}": {"email": f"bob.{uniq}@y.org", "color": 2},
        f"Cid {uniq}": {"email": False, "color": 3},
        f"Dee {uniq}": {"email": f"DEE.{uniq}@x.org", "color": 4, "parent_id": company},
        f"Eve {uniq}": {"email": f"eve.{uniq}@x.org", "color": 5, "active": False},
    }
    ids = {n: odoo.call("res.partner", "create", [{"name": n, **v}]) for n, v in names.items()}
    return company, ids


def _names(odoo, domain, uniq, **kw):
    rows = odoo.call(
        "res.partner", "search_read", [[["ref", "=", False], *domain]], fields=["name"], **kw
    )
    return sorted(r["name"].split(", ")[-1].split()[0] for r in rows if uniq in r["name"])


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ([["email", "=", False]], ["Cid", "Co"]),
        ([["email", "!=", False]], ["Ann", "Bob", "Dee"]),
        ([["color", "in", [1, 2]]], ["Ann", "Bob"]),
        ([["color", "not in", [1, 2]]], ["Cid", "Co", "Dee"]),
        ([["email", "like", "@x.org"]], ["Ann", "Dee"]),
        ([["email", "ilike", "dee."]], ["Dee"]),
        ([["email", "like", "dee."]], []),
        ([["email", "=ilike", "ann.%"]], ["Ann"]),
        ([["color", ">", 2]], ["Cid", "Dee"]),
        ([["color", ">=", 2], ["color", "<", 4]], ["Bob", "Cid"]),
        ([["color", "<=", 1]], ["Ann", "Co"]),
        (["|", ["color", "=", 1], ["color", "=", 3]], ["Ann", "Cid"]),
        (["!", ["color", "in", [1, 2, 3]]], ["Co", "Dee"]),
        (["&", ["is_company", "=", False], ["email", "ilike", "bob"]], ["Bob"]),
        ([["parent_id.is_company", "=", True]], ["Dee"]),
        ([["parent_id.name", "ilike", "co "]], ["Dee"]),
    ],
)
def test_domain_operators(odoo, people, uniq, domain, expected):
    assert _names(odoo, [*domain, ["name", "ilike", uniq]], uniq) == expected


def test_archived_records_hidden_unless_asked(odoo, people, uniq):
    _, ids = people
    eve = ids[f"Eve {uniq}"]
    assert odoo.call("res.partner", "search", [[["id", "=", eve]]]) == []
    ctx = {"active_test": False}
    assert odoo.call("res.partner", "search", [[["id", "=", eve]]], context=ctx) == [eve]
    assert odoo.call("res.partner", "search", [[["id", "=", eve], ["active", "=", False]]]) == [eve]
    assert odoo.call("res.partner", "read", [[eve], ["active"]]) == [{"id": eve, "active": False}]


def test_search_count_limit_offset_order(odoo, people, uniq):
    domain = [["name", "ilike", uniq], ["is_company", "=", False]]
    assert odoo.call("res.partner", "search_count", [domain]) == 4
    ordered = odoo.call(
        "res.partner", "search_read", [domain], fields=["color"], order="color desc"
    )
    assert [r["color"] for r in ordered] == [4, 3, 2, 1]
    page = odoo.call("res.partner", "search", [domain], offset=1, limit=2, order="color asc")
    assert [r["color"] for r in odoo.call("res.partner", "read", [page, ["color"]])] == [2, 3]


def test_default_order_of_stages(odoo):
    stages = odoo.call("crm.stage", "search_read", [[]], fields=["name", "sequence", "is_won"])
    base = [s for s in stages if s["id"] <= 4]
    assert [(s["id"], s["name"]) for s in base] == [
        (1, "New"),
        (2, "Qualified"),
        (3, "Proposition"),
        (4, "Won"),
    ]
    assert [s["is_won"] for s in base] == [False, False, False, True]


def test_unknown_field_in_domain(odoo):
    msg = "Invalid field res.partner.nope in leaf ('nope', '=', 1)"
    refused(odoo, "builtins.ValueError", msg, "res.partner", "search", [[["nope", "=", 1]]])


def test_unknown_operator(odoo):
    msg = "Invalid leaf ('name', '~', 1)"
    refused(odoo, "builtins.ValueError", msg, "res.partner", "search", [[["name", "~", 1]]])


def test_name_search(odoo, people, uniq):
    found = odoo.call("res.partner", "name_search", [], name=f"Bob {uniq}")
    assert found == [[people[1][f"Bob {uniq}"], f"Bob {uniq}"]]
    child = odoo.call("res.partner", "name_search", [f"Dee {uniq}"])
    assert child == [[people[1][f"Dee {uniq}"], f"Co {uniq}, Dee {uniq}"]]
    assert odoo.call("res.partner", "name_search", [f"nobody {uniq}"]) == []
