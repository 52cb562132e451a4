"""Self-references (a contact's company): sent with the row when the record they name exists
already, else in a second pass, so order never fails a row and no parent is ever cleared."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from load.references import ReferenceCache
from load.rows import Row
from load.transport import Transport
from load.upsert import BatchLoader, ModelPlan, self_reference_columns
from tests.loader.conftest import Target

COLUMNS = ("id", "name", "parent_id/id")


class Recording(Transport):
    """Passes calls through and keeps the columns of every load() call."""

    name = "recording"

    def __init__(self, inner: Transport) -> None:
        super().__init__(inner.retry)
        self.inner, self.uid = inner, inner.uid
        self.loads: list[tuple[str, ...]] = []

    def version(self) -> dict[str, Any]:
        return self.inner.version()

    def login(self) -> int:
        return self.inner.login()

    def _execute(self, model: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if method == "load":
            self.loads.append(tuple(args[0]))
        return self.inner._execute(model, method, args, kwargs)


class Names:
    """Unique external ids and names per test, so a real Odoo can hold them and be cleaned."""

    def __init__(self) -> None:
        self.token = f"selfref_{uuid.uuid4().hex[:8]}"

    def __call__(self, short: str) -> str:
        return f"legal2odoo.{self.token}_{short}"


def row(xmlid: str, parent: str = "") -> Row:
    """A partner row of COLUMNS (or with a database id for parent_id/.id)."""
    return Row(xmlid, (xmlid, xmlid.removeprefix("legal2odoo."), parent), {}, 32)


@pytest.fixture
def x() -> Names:
    return Names()


@pytest.fixture(params=["sandbox", pytest.param("real", marks=pytest.mark.real_odoo)])
def odoo(request: pytest.FixtureRequest, make_sandbox: Callable[..., Target],
         x: Names) -> Iterator[Recording]:  # fmt: skip
    """A fresh sandbox, or the real Odoo 17 (the partners made here are unlinked after)."""
    real = request.param == "real"
    target = request.getfixturevalue("real_target") if real else make_sandbox()
    recording = Recording(target.connect())
    yield recording
    if real:
        ids = recording.execute("res.partner", "search", [[["name", "=like", f"{x.token}_%"]]],
                                {"context": {"active_test": False}})  # fmt: skip
        recording.execute("res.partner", "unlink", [ids])
    recording.close()


def loader_for(odoo: Transport, columns: tuple[str, ...] = COLUMNS) -> BatchLoader:
    fields = odoo.execute("res.partner", "fields_get", [], {"attributes": ["type", "relation"]})
    plan = ModelPlan("res.partner", columns, fields,
                     self_reference_columns("res.partner", columns, fields))  # fmt: skip
    return BatchLoader(plan, ReferenceCache())


def parent_of(odoo: Transport, xmlid: str) -> str | None:
    """The name of the record's parent (our names are its external id without the module)."""
    (found,) = odoo.execute("res.partner", "search_read",
                            [[["name", "=", xmlid.removeprefix("legal2odoo.")]], ["parent_id"]],
                            {"context": {"active_test": False}})  # fmt: skip
    if not found["parent_id"]:
        return None
    (parent,) = odoo.execute("res.partner", "read", [[found["parent_id"][0]], ["name"]])
    return f"legal2odoo.{parent['name']}"


def test_a_parent_later_in_the_same_batch_waits_for_the_second_pass(
    odoo: Recording, x: Names
) -> None:
    loader = loader_for(odoo)
    contact, company = row(x("c1"), x("p1")), row(x("p1"))

    first = loader.send(odoo, [contact, company])

    assert [w.action for w in first.writes] == ["created", "created"]
    assert odoo.loads == [("id", "name")]  # the whole batch without its self-reference
    assert first.deferred == [contact]  # the full row, parent cell included
    assert parent_of(odoo, x("c1")) is None
    second = loader.send_self_references(odoo, first.deferred)
    assert odoo.loads[-1] == ("id", "parent_id/id")
    assert second.writes == [] and set(second.write_dates) == {x("c1")}
    assert parent_of(odoo, x("c1")) == x("p1")


def test_a_parent_that_landed_before_goes_with_the_row(odoo: Recording, x: Names) -> None:
    loader = loader_for(odoo)
    loader.send(odoo, [row(x("p1")), row(x("p2"))])

    result = loader.send(odoo, [row(x("c1"), x("p1")), row(x("c2")),
                                row(x("c3"), x("p2"))])  # fmt: skip

    assert odoo.loads[-1] == COLUMNS  # one write per contact, parent included
    assert result.deferred == []
    assert [w.action for w in result.writes] == ["created"] * 3
    assert parent_of(odoo, x("c1")) == x("p1")
    assert parent_of(odoo, x("c2")) is None
    assert parent_of(odoo, x("c3")) == x("p2")


def test_a_parent_odoo_has_from_an_earlier_run_goes_with_the_row(odoo: Recording, x: Names) -> None:
    loader_for(odoo).send(odoo, [row(x("p1"))])
    fresh = loader_for(odoo)  # a new run: an empty reference cache, Odoo is asked

    result = fresh.send(odoo, [row(x("c1"), x("p1"))])

    assert odoo.loads[-1] == COLUMNS and result.deferred == []
    assert parent_of(odoo, x("c1")) == x("p1")


def test_a_missing_parent_fails_only_its_row_in_the_second_pass(odoo: Recording, x: Names) -> None:
    loader = loader_for(odoo)
    rows = [row(x("c1"), x("nowhere")), row(x("c2"))]

    first = loader.send(odoo, rows)
    second = loader.send_self_references(odoo, first.deferred)

    assert [w.action for w in first.writes] == ["created", "created"]
    assert [(w.external_id, w.action) for w in second.writes] == [(x("c1"), "failed")]
    assert x("nowhere") in (second.writes[0].error or "")
    assert parent_of(odoo, x("c1")) is None


def test_an_update_never_clears_a_parent_the_record_has(odoo: Recording, x: Names) -> None:
    loader = loader_for(odoo)
    loader.send(odoo, [row(x("p1")), row(x("p2"))])
    loader.send(odoo, [row(x("c1"), x("p1")), row(x("c2"))])

    # c1's row no longer names a company, c2's now does: c1 keeps p1 (the second pass only
    # ever sets a parent), c2 gets p2 there
    result = loader.send(odoo, [row(x("c1")), row(x("c2"), x("p2"))])

    assert odoo.loads[-1] == ("id", "name")
    assert [w.action for w in result.writes] == ["updated", "updated"]
    assert [r.external_id for r in result.deferred] == [x("c2")]
    loader.send_self_references(odoo, result.deferred)
    assert parent_of(odoo, x("c1")) == x("p1")
    assert parent_of(odoo, x("c2")) == x("p2")


def test_a_parent_named_by_database_id(odoo: Recording, x: Names) -> None:
    loader_for(odoo).send(odoo, [row(x("p1"))])
    (parent,) = odoo.execute(
        "res.partner", "search", [[["name", "=", x("p1").removeprefix("legal2odoo.")]]]
    )
    columns = ("id", "name", "parent_id/.id")
    loader = loader_for(odoo, columns)

    landed = loader.send(odoo, [row(x("c1"), str(parent))])
    waits = loader.send(odoo, [row(x("c2"), "999999999")])

    assert odoo.loads == [COLUMNS, columns, ("id", "name")]
    assert landed.deferred == [] and parent_of(odoo, x("c1")) == x("p1")
    assert [r.external_id for r in waits.deferred] == [x("c2")]
