"""Options of a manual selection field are its ir.model.fields.selection rows: Odoo 17 re-reads
them (setup_models) whenever rows are created, written or deleted, so an option added after the
field exists is a valid value at once. The loader creates the field first and its options next."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.sandbox_odoo.clients import Client
from tests.sandbox_odoo.helpers import refused

CTX = {"tracking_disable": True}


@pytest.fixture
def bare_field(odoo: Client, uniq: str) -> Iterator[tuple[int, str]]:
    """A manual selection field on crm.lead without options: (ir.model.fields id, name)."""
    model_id = odoo.call("ir.model", "search", [[["model", "=", "crm.lead"]]])[0]
    name = f"x_way_{uniq}"
    vals = {"model_id": model_id, "name": name, "field_description": "Way", "ttype": "selection"}
    fid = odoo.call("ir.model.fields", "create", [vals])
    try:
        yield fid, name
    finally:
        odoo.call("ir.model.fields", "unlink", [[fid]])


def _options(odoo: Client, name: str) -> list[list[str]]:
    desc = odoo.call("crm.lead", "fields_get", [[name]], attributes=["selection"])
    return desc[name]["selection"]


def _add(odoo: Client, fid: int, value: str, label: str, sequence: int) -> int:
    vals = {"field_id": fid, "value": value, "name": label, "sequence": sequence}
    return odoo.call("ir.model.fields.selection", "create", [vals])


def test_option_created_after_the_field_is_a_value(odoo, uniq, bare_field):
    fid, name = bare_field
    assert _options(odoo, name) == []
    _add(odoo, fid, "web", "Web form", 2)
    _add(odoo, fid, "phone", "Phone", 1)
    assert _options(odoo, name) == [["phone", "Phone"], ["web", "Web form"]]
    lead = odoo.call("crm.lead", "create", [{"name": uniq, name: "web"}])
    assert odoo.call("crm.lead", "read", [[lead], [name]])[0][name] == "web"
    msg = f"Wrong value for crm.lead.{name}: 'fax'"
    refused(odoo, "builtins.ValueError", msg, "crm.lead", "create", [{"name": uniq, name: "fax"}])


def test_option_loaded_by_external_id_then_lead_loaded_with_it(odoo, uniq, bare_field):
    """The demo's path: options through load() with field_id/.id, then leads through load()."""
    fid, name = bare_field
    fields = ["id", "field_id/.id", "value", "name"]
    rows = [[f"conformance.opt_{uniq}", str(fid), "walk_in", "Walk-in"]]
    result = odoo.call("ir.model.fields.selection", "load", [fields, rows], context=CTX)
    assert result["messages"] == [] and len(result["ids"]) == 1
    rows = [[f"conformance.way_{uniq}", uniq, "walk_in"]]
    result = odoo.call("crm.lead", "load", [["id", "name", name], rows], context=CTX)
    assert result["messages"] == []
    assert odoo.call("crm.lead", "read", [result["ids"], [name]])[0][name] == "walk_in"


def test_option_renamed_and_relabelled(odoo, uniq, bare_field):
    """A new value rewrites the records that held the old one (Odoo's SQL UPDATE)."""
    fid, name = bare_field
    option = _add(odoo, fid, "tel", "Tel", 1)
    lead = odoo.call("crm.lead", "create", [{"name": uniq, name: "tel"}])
    odoo.call("ir.model.fields.selection", "write", [[option], {"value": "phone", "name": "Phone"}])
    assert _options(odoo, name) == [["phone", "Phone"]]
    assert odoo.call("crm.lead", "read", [[lead], [name]])[0][name] == "phone"


def test_option_deleted_empties_its_records(odoo, uniq, bare_field):
    """Deleting an option of an optional manual field sets its records to empty (set null)."""
    fid, name = bare_field
    keep = _add(odoo, fid, "keep", "Keep", 1)
    gone = _add(odoo, fid, "gone", "Gone", 2)
    lead = odoo.call("crm.lead", "create", [{"name": uniq, name: "gone"}])
    odoo.call("ir.model.fields.selection", "unlink", [[gone]])
    assert _options(odoo, name) == [["keep", "Keep"]]
    assert odoo.call("crm.lead", "read", [[lead], [name]])[0][name] is False
    assert odoo.call("ir.model.fields.selection", "search", [[["field_id", "=", fid]]]) == [keep]


def test_selection_string_becomes_option_rows(odoo, uniq):
    """The deprecated `selection` string is written as rows, sequence = position."""
    model_id = odoo.call("ir.model", "search", [[["model", "=", "crm.lead"]]])[0]
    name = f"x_str_{uniq}"
    vals = {
        "model_id": model_id,
        "name": name,
        "field_description": "Str",
        "ttype": "selection",
        "selection": "[('a', 'Alpha'), ('b', 'Beta')]",
    }
    fid = odoo.call("ir.model.fields", "create", [vals])
    try:
        rows = odoo.call(
            "ir.model.fields.selection",
            "search_read",
            [[["field_id", "=", fid]]],
            fields=["value", "name", "sequence"],
        )
        got = [(r["value"], r["name"], r["sequence"]) for r in rows]
        assert got == [("a", "Alpha", 0), ("b", "Beta", 1)]
        _add(odoo, fid, "c", "Gamma", 5)
        assert _options(odoo, name) == [["a", "Alpha"], ["b", "Beta"], ["c", "Gamma"]]
    finally:
        odoo.call("ir.model.fields", "unlink", [[fid]])


def test_option_value_unique_per_field(odoo, uniq, bare_field):
    fid, _ = bare_field
    _add(odoo, fid, "a", "A", 1)
    msg = "The operation cannot be completed: Selections values must be unique per field"
    vals = {"field_id": fid, "value": "a", "name": "A again"}
    refused(
        odoo, "odoo.exceptions.ValidationError", msg, "ir.model.fields.selection", "create", [vals]
    )


def test_option_of_a_base_field_is_refused(odoo):
    base = [["model", "=", "crm.lead"], ["name", "=", "priority"]]
    fid = odoo.call("ir.model.fields", "search", [base])[0]
    msg = (
        "Properties of base fields cannot be altered in this manner! Please modify them"
        " through Python code, preferably through a custom addon!"
    )
    vals = {"field_id": fid, "value": "9", "name": "Nine"}
    refused(odoo, "odoo.exceptions.UserError", msg, "ir.model.fields.selection", "create", [vals])
