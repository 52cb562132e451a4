"""ModelCheck skips the normaliser for cells it can see are equal cheaply (same text, an
external id that resolves to the id read back, an id or integer written as its digits, a
boolean as True/False): every such shortcut must agree with normalise.compare."""

from __future__ import annotations

from typing import Any

import duckdb
import pytest

from legal2odoo.load.marts import Mart
from legal2odoo.trust.diff import ModelCheck, Resolver
from legal2odoo.trust.normalise import compare

META = {
    "name": {"type": "char"},
    "parent_id": {"type": "many2one", "relation": "res.partner"},
    "res_id": {"type": "many2one_reference"},
    "color": {"type": "integer"},
    "active": {"type": "boolean"},
    "amount": {"type": "float"},
    "kind": {"type": "selection", "selection": [["a", "Alpha"], ["b", "Beta"]]},
    "category_id": {"type": "many2many", "relation": "res.partner.category"},
}
COLUMNS = (
    "id",
    "name",
    "parent_id/id",
    "res_id/.id",
    "color",
    "active",
    "amount",
    "kind",
    "category_id/id",
)
KNOWN = {"m.p1": 7, "m.p2": 8, "m.t1": 3, "m.t2": 4, " m.p1": None}
CELLS: dict[str, list[str]] = {
    "name": ["Ann", " Ann ", ""],
    "parent_id/id": ["m.p1", "m.p2", "", " m.p1", "m.nowhere"],
    "res_id/.id": ["7", "7.0", "", "8", "9007199254740993", "²"],
    "color": ["3", "3.0", "", "0", "9007199254740993"],
    "active": ["True", "False", "", "true", "1"],
    "amount": ["1.5", "1.504", "", "0", "0.0", "inf", "nan"],
    "kind": ["a", "Alpha", "", "b"],
    "category_id/id": ["m.t1,m.t2", "m.t2", ""],
}
VALUES: dict[str, list[Any]] = {
    "name": ["Ann", "Ann ", False, "", [], 0],
    "parent_id/id": [7, 8, False, [7, "P1"]],
    "res_id/.id": [7, 8, 0, False, True, 9007199254740993, "7", "8", "²", []],
    "color": [3, 0, 9007199254740993, False, "3"],
    "active": [True, False, 1],
    "amount": [1.5, 0.0, 1.51, 0, False, float("inf"), float("nan")],
    "kind": ["a", "b", False, []],
    "category_id/id": [[3, 4], [4], []],
}


class FakeOdoo:
    def execute(self, model: str, method: str, args: list, kwargs: dict | None = None) -> Any:
        if method == "fields_get":
            return META
        assert (model, method) == ("ir.model.data", "search_read")
        return []  # any external id not in KNOWN does not exist


def _check(cells: dict[str, str]) -> ModelCheck:
    con = duckdb.connect()
    names = ", ".join(f'"{c}" varchar' for c in COLUMNS)
    con.execute(f"create table odoo__res_partner ({names})")
    con.execute(
        f"insert into odoo__res_partner values ({', '.join('?' for _ in COLUMNS)})",
        ["m.x", *(cells.get(c, "") for c in COLUMNS[1:])],
    )
    mart = Mart("odoo__res_partner", "res.partner", COLUMNS, ("VARCHAR",) * len(COLUMNS), "id")
    resolver = Resolver(FakeOdoo(), {})  # type: ignore[arg-type]
    resolver.known.update(KNOWN)
    return ModelCheck(FakeOdoo(), con, "res.partner", [mart], {"m.x"}, resolver)  # type: ignore[arg-type]


@pytest.mark.parametrize("column", list(CELLS))
def test_shortcuts_agree_with_the_normaliser(column: str) -> None:
    name = column.split("/")[0]
    for cell in CELLS[column]:
        for value in VALUES[column]:
            check = _check({column: cell})
            record = {"id": 1, name: value, **_equal_others(column)}
            try:
                equal, _, _ = compare(column, META[name], cell, value, check.resolver)
            except ValueError:  # what the normaliser cannot read, the check must not pass
                with pytest.raises(ValueError):
                    check.compare("m.x", record)
                continue
            check.compare("m.x", record)
            found = {d.field for d in check.finish().differences}
            assert (name not in found) == equal, (column, cell, value)


def _equal_others(column: str) -> dict[str, Any]:
    """Odoo values equal to the empty cells of the other columns."""
    empty = {
        "name": False,
        "parent_id": False,
        "res_id": False,
        "color": 0,
        "active": False,
        "amount": 0.0,
        "kind": False,
        "category_id": [],
    }
    return {k: v for k, v in empty.items() if k != column.split("/")[0]}
