"""The second pass sets a contact's company with one write per company; whatever the writes
cannot take goes to load() as before, so a bad row still fails alone with Odoo's message
(against the sandbox; tests/loader/test_self_reference_grouped_real_odoo.py proves the end
state equal on the real Odoo 17)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from legal2odoo.load.errors import OdooError
from legal2odoo.load.references import ReferenceCache
from legal2odoo.load.rows import Row
from legal2odoo.load.transport import Transport
from legal2odoo.load.upsert import BatchLoader, BatchResult, ModelPlan
from tests.loader.conftest import Target

COLUMNS = ("id", "name", "is_company", "parent_id/id")
COMPANIES = [("legal2odoo.co_a", "A"), ("legal2odoo.co_b", "B")]
CONTACTS = [
    ("legal2odoo.p1", "legal2odoo.co_a"),
    ("legal2odoo.p2", "legal2odoo.co_b"),
    ("legal2odoo.p3", "legal2odoo.co_a"),
    ("legal2odoo.p4", "legal2odoo.no_such_company"),
]


class Counting:
    """A transport that counts the calls by method."""

    def __init__(self, odoo: Transport) -> None:
        self.odoo = odoo
        self.calls: list[tuple[str, Any]] = []

    def execute(self, model: str, method: str, args: Any = None, kwargs: Any = None) -> Any:
        self.calls.append((method, args))
        return self.odoo.execute(model, method, args, kwargs)

    def methods(self, name: str) -> list[Any]:
        return [args for method, args in self.calls if method == name]


class Refusing(Counting):
    """Odoo refuses every write (a constraint, an access rule...)."""

    def execute(self, model: str, method: str, args: Any = None, kwargs: Any = None) -> Any:
        if method == "write":
            self.calls.append((method, args))
            raise OdooError("refused")
        return super().execute(model, method, args, kwargs)


def _second_pass(
    target: Target, wrap: type[Counting] = Counting
) -> tuple[BatchResult, Counting, dict[str, Any]]:
    odoo = target.connect()
    fields = odoo.execute("res.partner", "fields_get", [], {"attributes": ["type", "relation"]})
    plan = ModelPlan("res.partner", COLUMNS, fields, ("parent_id/id",))
    loader = BatchLoader(plan, ReferenceCache())
    rows = [Row(x, (x, name, "1", ""), {}, 10) for x, name in COMPANIES]
    rows += [Row(x, (x, x, "0", parent), {}, 10) for x, parent in CONTACTS]
    loader.send(odoo, rows)  # the first pass: every row without its company
    counting = wrap(odoo)
    result = loader.send_self_references(counting, rows)  # type: ignore[arg-type]
    found = odoo.execute(
        "res.partner", "search_read", [[["name", "like", "legal2odoo.p"]], ["name", "parent_id"]]
    )
    return result, counting, {r["name"]: r["parent_id"] and r["parent_id"][1] for r in found}


@pytest.mark.parametrize("grouped", [True, False])
def test_second_pass_sets_each_company_and_isolates_the_bad_row(
    grouped: bool, make_sandbox: Callable[..., Target], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEGAL2ODOO_GROUP_SELF", "1" if grouped else "0")
    result, counting, parents = _second_pass(make_sandbox())
    assert parents == {
        "legal2odoo.p1": "A",
        "legal2odoo.p2": "B",
        "legal2odoo.p3": "A",
        "legal2odoo.p4": False,
    }
    [failed] = [w for w in result.writes if w.action == "failed"]
    assert failed.external_id == "legal2odoo.p4"
    assert "no_such_company" in (failed.error or "")
    assert sorted(result.write_dates) == ["legal2odoo.p1", "legal2odoo.p2", "legal2odoo.p3"]
    writes = counting.methods("write")
    if grouped:  # one write per company; load() saw only the row the writes could not take
        assert len(writes) == 2
        assert [len(ids) for ids, _ in writes] == [2, 1]
        assert [rows for _, rows in counting.methods("load")] == [
            [["legal2odoo.p4", "legal2odoo.no_such_company"]]
        ]
    else:
        assert not writes


def test_a_refused_write_falls_back_to_load(
    make_sandbox: Callable[..., Target], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEGAL2ODOO_GROUP_SELF", "1")
    result, counting, parents = _second_pass(make_sandbox(), Refusing)
    assert parents["legal2odoo.p1"] == parents["legal2odoo.p3"] == "A"
    assert parents["legal2odoo.p2"] == "B"
    assert len(counting.methods("write")) == 2  # both tried, both refused: load() did them
    assert len(counting.methods("load")[0][1]) == 4
    assert sorted(result.write_dates) == ["legal2odoo.p1", "legal2odoo.p2", "legal2odoo.p3"]
