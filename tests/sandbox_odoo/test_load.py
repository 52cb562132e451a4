"""load(fields, data): external ids, field/id, field/.id, names, many2many lists, per-row
messages in Odoo's words, and all-or-nothing per call."""

from __future__ import annotations

import pytest

from tests.sandbox_odoo.helpers import refused, xmlid_of

CTX = {"tracking_disable": True}


def load(odoo, model, fields, rows, **ctx):
    return odoo.call(model, "load", [fields, rows], context={**CTX, **ctx})


def _only_message(result):
    assert result["ids"] is False and result["nextrow"] == 0
    assert len(result["messages"]) == 1
    return result["messages"][0]


def _possible(target: str, by_xmlid: bool) -> dict:
    info = {
        "name": "Possible Values",
        "type": "ir.actions.act_window",
        "target": "new",
        "view_mode": "tree,form",
        "views": [[False, "list"], [False, "form"]],
        "context": {"create": False},
        "help": "See all possible values",
        "res_model": "ir.model.data" if by_xmlid else target,
    }
    if by_xmlid:
        info["domain"] = [["model", "=", target]]
    return info


def test_load_creates_then_updates_through_external_ids(odoo, uniq):
    fields = ["id", "name", "parent_id/id", "country_id/id"]
    rows = [
        [f"conformance.co_{uniq}", f"Co {uniq}", "", "base.au"],
        [f"conformance.p_{uniq}", f"P {uniq}", f"conformance.co_{uniq}", ""],
    ]
    first = load(odoo, "res.partner", fields, rows)
    assert first["messages"] == [] and first["nextrow"] == 0 and len(first["ids"]) == 2
    co, person = first["ids"]
    assert xmlid_of(odoo, "conformance", f"p_{uniq}") == person
    row = odoo.call("res.partner", "read", [[person], ["parent_id", "country_id"]])[0]
    assert row["parent_id"][0] == co
    assert row["country_id"][0] == xmlid_of(odoo, "base", "au")
    again = load(odoo, "res.partner", ["id", "email"], [[f"conformance.p_{uniq}", f"{uniq}@x.org"]])
    assert again == {"ids": [person], "messages": [], "nextrow": 0}
    assert odoo.call("res.partner", "search_count", [[["name", "=", f"P {uniq}"]]]) == 1


def test_load_many2many_external_ids_and_database_ids(odoo, uniq):
    tag_rows = [[f"conformance.t{i}_{uniq}", f"T{i} {uniq}"] for i in (1, 2)]
    tags = load(odoo, "res.partner.category", ["id", "name"], tag_rows)
    fields = ["id", "name", "category_id/id", "user_id/.id"]
    rows = [[f"conformance.m_{uniq}", uniq, f"conformance.t1_{uniq},conformance.t2_{uniq}", "2"]]
    result = load(odoo, "res.partner", fields, rows)
    assert result["messages"] == []
    row = odoo.call("res.partner", "read", [result["ids"], ["category_id", "user_id"]])[0]
    assert sorted(row["category_id"]) == sorted(tags["ids"])
    assert row["user_id"] == [2, "Administrator"]


def test_load_relation_by_name_and_selection_by_label(odoo, uniq):
    fields = ["id", "name", "stage_id", "priority"]
    result = load(odoo, "crm.lead", fields, [[f"conformance.l_{uniq}", uniq, "Won", "High"]])
    row = odoo.call("crm.lead", "read", [result["ids"], ["stage_id", "priority"]])[0]
    assert row["stage_id"] == [4, "Won"] and row["priority"] == "2"


def test_load_is_all_or_nothing(odoo, uniq):
    rows = [[f"conformance.ok_{uniq}", f"ok {uniq}"], [f"conformance.bad_{uniq}", ""]]
    result = load(odoo, "crm.tag", ["id", "name"], rows)
    assert result == {
        "ids": False,
        "messages": [
            {
                "rows": {"from": 1, "to": 1},
                "record": 1,
                "type": "error",
                "field": "name",
                "message": "Missing required value for the field 'Tag Name' (name)",
            }
        ],
        "nextrow": 0,
    }
    assert odoo.call("crm.tag", "search", [[["name", "=", f"ok {uniq}"]]]) == []
    imd = [["module", "=", "conformance"], ["name", "=", f"ok_{uniq}"]]
    assert odoo.call("ir.model.data", "search", [imd]) == []


def test_load_unknown_external_id(odoo, uniq):
    rows = [[f"conformance.x_{uniq}", uniq, "conformance.nope"]]
    message = _only_message(load(odoo, "res.partner", ["id", "name", "parent_id/id"], rows))
    assert message == {
        "rows": {"from": 0, "to": 0},
        "type": "error",
        "record": 0,
        "field": "parent_id",
        "message": "No matching record found for external id 'conformance.nope'"
        " in field 'Related Company'",
        "moreinfo": _possible("res.partner", True),
        "field_name": "Related Company",
    }


@pytest.mark.parametrize(
    ("model", "column", "value", "message", "extra"),
    [
        (
            "crm.lead",
            "priority",
            "9",
            "Value '9' not found in selection field 'Priority'",
            {"moreinfo": ["Low", "Medium", "High", "Very High"], "field_name": "Priority"},
        ),
        (
            "res.partner",
            "is_company",
            "maybe",
            "Unknown value 'maybe' for boolean field 'Is a Company'",
            {"moreinfo": "Use '1' for yes and '0' for no", "field_name": "Is a Company"},
        ),
        (
            "crm.tag",
            "color",
            "abc",
            "'abc' does not seem to be an integer for field 'Color'",
            {"field_name": "Color"},
        ),
        (
            "crm.lead",
            "expected_revenue",
            "1,5",
            "'1,5' does not seem to be a number for field 'Expected Revenue'",
            {"field_name": "Expected Revenue"},
        ),
        (
            "crm.lead",
            "date_deadline",
            "2024-13-01",
            "'2024-13-01' does not seem to be a valid date for field 'Expected Closing'",
            {"moreinfo": "Use the format '2012-12-31'", "field_name": "Expected Closing"},
        ),
        (
            "crm.lead",
            "stage_id",
            "NoSuchStage",
            "No matching record found for name 'NoSuchStage' in field 'Stage'",
            {"moreinfo": _possible("crm.stage", False), "field_name": "Stage"},
        ),
        (
            "crm.lead",
            "user_id/.id",
            "999999",
            "No matching record found for database id '999999' in field 'Salesperson'",
            {"moreinfo": _possible("res.users", True), "field_name": "Salesperson"},
        ),
    ],
)
def test_load_row_messages(odoo, uniq, model, column, value, message, extra):
    rows = [[f"conformance.r_{uniq}", f"n {uniq}", value]]
    got = _only_message(load(odoo, model, ["id", "name", column], rows))
    field = column.split("/")[0]
    assert got == {
        "rows": {"from": 0, "to": 0},
        "type": "error",
        "record": 0,
        "field": field,
        "message": message,
        **extra,
    }


def test_load_constraint_messages(odoo, uniq):
    odoo.call("crm.tag", "create", [{"name": f"dup {uniq}"}])
    got = _only_message(
        load(odoo, "crm.tag", ["id", "name"], [[f"conformance.d_{uniq}", f"dup {uniq}"]])
    )
    assert (
        got["message"]
        == "The value for the field 'name' already exists (this is probably 'Tag Name' in the"
        " current model)."
    )
    got = _only_message(
        load(odoo, "res.partner", ["id", "email"], [[f"conformance.e_{uniq}", "a@b"]])
    )
    assert got == {
        "rows": {"from": 0, "to": 0},
        "record": 0,
        "type": "error",
        "message": "'Contacts require a name'",
    }


def test_load_external_id_of_another_model(odoo, uniq):
    load(odoo, "res.partner", ["id", "name"], [[f"conformance.o_{uniq}", uniq]])
    imd = odoo.call(
        "ir.model.data", "search", [[["module", "=", "conformance"], ["name", "=", f"o_{uniq}"]]]
    )[0]
    got = _only_message(load(odoo, "crm.tag", ["id", "name"], [[f"conformance.o_{uniq}", uniq]]))
    assert got["message"] == (
        f"For external id conformance.o_{uniq} when trying to create/update a record of model "
        f"crm.tag found record of different model res.partner ({imd})"
    )


def test_load_external_id_without_module_goes_to_import(odoo, uniq):
    result = load(odoo, "crm.tag", ["id", "name"], [[f"nd_{uniq}", f"nd {uniq}"]])
    assert xmlid_of(odoo, "__import__", f"nd_{uniq}") == result["ids"][0]


def test_load_database_id_column(odoo, uniq):
    pid = odoo.call("res.partner", "create", [{"name": uniq}])
    assert load(odoo, "res.partner", [".id", "name"], [[str(pid), f"{uniq} b"]])["ids"] == [pid]
    got = _only_message(load(odoo, "res.partner", [".id", "name"], [["999999", "x"]]))
    assert got == {
        "rows": {"from": 0, "to": 0},
        "type": "error",
        "record": 0,
        "field": ".id",
        "message": "Unknown database identifier '999999'",
    }


def test_load_drops_magic_columns(odoo, uniq):
    result = load(
        odoo,
        "res.partner",
        ["id", "name", "create_date"],
        [[f"conformance.c_{uniq}", uniq, "2001-01-01 00:00:00"]],
    )
    row = odoo.call("res.partner", "read", [result["ids"], ["create_date"]])[0]
    assert not row["create_date"].startswith("2001")


def test_load_unknown_column_is_a_fault(odoo, uniq):
    # the exception is KeyError('foo'): its traceback line (all XML-RPC shows) reads 'foo'
    message = "'foo'" if odoo.transport == "xmlrpc" else "foo"
    refused(
        odoo,
        "builtins.KeyError",
        message,
        "res.partner",
        "load",
        [["id", "foo"], [[f"conformance.k_{uniq}", "x"]]],
    )


def test_load_same_external_id_twice_updates(odoo, uniq):
    rows = [[f"conformance.tw_{uniq}", f"a {uniq}"], [f"conformance.tw_{uniq}", f"b {uniq}"]]
    result = load(odoo, "crm.tag", ["id", "name"], rows)
    assert result["ids"][0] == result["ids"][1]
    assert odoo.call("crm.tag", "read", [result["ids"][:1], ["name"]])[0]["name"] == f"b {uniq}"


def test_load_nothing(odoo):
    assert load(odoo, "res.partner", ["id", "name"], []) == {
        "ids": [],
        "messages": [],
        "nextrow": 0,
    }


def test_load_refuses_a_module_prefix_when_importing_a_file(odoo, uniq):
    result = load(odoo, "crm.tag", ["id", "name"], [[f"crm.t_{uniq}", uniq]], import_file=True)
    assert _only_message(result) == {
        "rows": {"from": 0, "to": 0},
        "record": 0,
        "type": "error",
        "message": f"The record crm.t_{uniq} has the module prefix crm. This is the part before"
        " the '.' in the external id. Because the prefix refers to an existing module, the record"
        " would be deleted when the module is upgraded. Use either no prefix and no dot or a"
        " prefix that isn't an existing module. For example, __import__, resulting in the"
        f" external id __import__.t_{uniq}.",
    }
    ok = load(odoo, "crm.tag", ["id", "name"], [[f"conformance.t_{uniq}", uniq]], import_file=True)
    assert ok["messages"] == []


def test_load_context_switches(odoo, uniq):
    created = load(
        odoo,
        "res.partner",
        ["id", "name", "category_id"],
        [[f"conformance.nc_{uniq}", uniq, f"Cat {uniq}"]],
        name_create_enabled_fields={"category_id": True},
    )
    assert created["messages"] == []
    cat = odoo.call("res.partner.category", "search", [[["name", "=", f"Cat {uniq}"]]])
    assert len(cat) == 1
    other = odoo.call("res.partner.category", "create", [{"name": f"Other {uniq}"}])
    pid = str(created["ids"][0])
    load(
        odoo, "res.partner", [".id", "category_id/.id"], [[pid, str(other)]], update_many2many=True
    )
    read = odoo.call("res.partner", "read", [created["ids"], ["category_id"]])[0]["category_id"]
    assert sorted(read) == sorted([cat[0], other])
    load(odoo, "res.partner", [".id", "category_id/.id"], [[pid, str(other)]])
    assert odoo.call("res.partner", "read", [created["ids"], ["category_id"]])[0][
        "category_id"
    ] == [other]
    load(odoo, "res.partner", [".id", "category_id/id"], [[pid, ""]])
    assert (
        odoo.call("res.partner", "read", [created["ids"], ["category_id"]])[0]["category_id"] == []
    )


def test_load_import_limit_and_timezone(odoo, uniq):
    rows = [[f"conformance.il{i}_{uniq}", f"{i} {uniq}"] for i in range(3)]
    result = load(odoo, "crm.tag", ["id", "name"], rows, _import_limit=2)
    assert len(result["ids"]) == 2 and result["nextrow"] == 2 and result["messages"] == []
    fields = ["id", "name", "date_closed"]
    row = [f"conformance.tz_{uniq}", uniq, "2024-06-01 12:00:00"]
    lead = load(odoo, "crm.lead", fields, [row], tz="Europe/Brussels")["ids"]
    assert (
        odoo.call("crm.lead", "read", [lead, ["date_closed"]])[0]["date_closed"]
        == "2024-06-01 10:00:00"
    )
