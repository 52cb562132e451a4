"""Field rules on create/write: unknown fields, types, selections, required, relations, magic
fields, read-only computed fields. Every expected message is Odoo 17's own (measured)."""

from __future__ import annotations

from tests.sandbox_odoo.helpers import FOREIGN_KEY, NOT_NULL, refused


def test_unknown_field_on_create_names_it(odoo, uniq):
    msg = "Invalid field 'x_nope' on model 'res.partner'"
    refused(
        odoo, "builtins.ValueError", msg, "res.partner", "create", [{"name": uniq, "x_nope": 1}]
    )


def test_unknown_field_on_write_names_it(odoo, uniq):
    pid = odoo.call("res.partner", "create", [{"name": uniq}])
    msg = "Invalid field 'x_nope' on model 'res.partner'"
    refused(odoo, "builtins.ValueError", msg, "res.partner", "write", [[pid], {"x_nope": 1}])


def test_required_field_missing(odoo):
    msg = NOT_NULL.format(
        model_desc="Lead/Opportunity", model="crm.lead", field_desc="Opportunity", field="name"
    )
    refused(odoo, "odoo.exceptions.ValidationError", msg, "crm.lead", "create", [{"type": "lead"}])
    refused(odoo, "odoo.exceptions.ValidationError", msg, "crm.lead", "create", [{"name": False}])


def test_selection_value_not_allowed(odoo, uniq):
    msg = "Wrong value for crm.lead.priority: '7'"
    vals = {"name": uniq, "priority": "7"}
    refused(odoo, "builtins.ValueError", msg, "crm.lead", "create", [vals])


def test_selection_value_allowed(odoo, uniq):
    lid = odoo.call("crm.lead", "create", [{"name": uniq, "priority": "2"}])
    assert odoo.call("crm.lead", "read", [[lid], ["priority"]])[0]["priority"] == "2"


def test_integer_given_text(odoo, uniq):
    msg = "invalid literal for int() with base 10: 'abc'"
    vals = {"name": uniq, "color": "abc"}
    refused(odoo, "builtins.ValueError", msg, "crm.tag", "create", [vals])


def test_bad_date(odoo, uniq):
    msg = "time data '2024-13-45' does not match format '%Y-%m-%d'"
    vals = {"name": uniq, "date_deadline": "2024-13-45"}
    refused(odoo, "builtins.ValueError", msg, "crm.lead", "create", [vals])


def test_char_and_boolean_are_coerced(odoo, uniq):
    pid = odoo.call("res.partner", "create", [{"name": 12345, "is_company": "yes", "ref": uniq}])
    row = odoo.call("res.partner", "read", [[pid], ["name", "is_company"]])[0]
    assert row == {"id": pid, "name": "12345", "is_company": True}


def test_many2one_to_missing_record(odoo, uniq):
    msg = FOREIGN_KEY.format(
        model_desc="Lead/Opportunity", model="crm.lead", constraint="crm_lead_partner_id_fkey"
    )
    vals = {"name": uniq, "partner_id": 999999}
    refused(odoo, "odoo.exceptions.ValidationError", msg, "crm.lead", "create", [vals])


def test_partner_contact_requires_a_name(odoo, uniq):
    msg = "The operation cannot be completed: Contacts require a name"
    vals = {"email": f"{uniq}@example.com"}
    refused(odoo, "odoo.exceptions.ValidationError", msg, "res.partner", "create", [vals])
    pid = odoo.call("res.partner", "create", [{"type": "other", "email": f"{uniq}@example.com"}])
    assert isinstance(pid, int)


def test_tag_name_unique(odoo, uniq):
    odoo.call("crm.tag", "create", [{"name": f"tag {uniq}"}])
    msg = "The operation cannot be completed: Tag name already exists!"
    vals = {"name": f"tag {uniq}"}
    refused(odoo, "odoo.exceptions.ValidationError", msg, "crm.tag", "create", [vals])


def test_probability_between_0_and_100(odoo, uniq):
    msg = (
        "The operation cannot be completed: "
        "The probability of closing the deal should be between 0% and 100%!"
    )
    vals = {"name": uniq, "probability": 150}
    refused(odoo, "odoo.exceptions.ValidationError", msg, "crm.lead", "create", [vals])


def test_magic_fields_are_silently_dropped(odoo, uniq):
    vals = {"name": uniq, "create_date": "2001-01-01 00:00:00", "write_uid": 1, "create_uid": 1}
    pid = odoo.call("res.partner", "create", [vals])
    row = odoo.call("res.partner", "read", [[pid], ["create_date", "create_uid", "write_uid"]])[0]
    assert not row["create_date"].startswith("2001")
    assert row["create_uid"][0] == odoo.uid
    assert row["write_uid"][0] == odoo.uid


def test_readonly_computed_field_is_ignored(odoo, uniq):
    pid = odoo.call("res.partner", "create", [{"name": uniq, "display_name": "something else"}])
    assert odoo.call("res.partner", "read", [[pid], ["display_name"]])[0]["display_name"] == uniq


def test_create_returns_int_for_dict_and_list_for_list(rpc_odoo, uniq):
    one = rpc_odoo.call("crm.tag", "create", [{"name": f"a {uniq}"}])
    many = rpc_odoo.call("crm.tag", "create", [[{"name": f"b {uniq}"}, {"name": f"c {uniq}"}]])
    assert isinstance(one, int)
    assert isinstance(many, list) and len(many) == 2 and many[1] == many[0] + 1
    assert rpc_odoo.call("crm.tag", "create", [[]]) == []


def test_many2one_read_shape(odoo, uniq):
    lid = odoo.call("crm.lead", "create", [{"name": uniq, "partner_id": 3, "stage_id": 1}])
    row = odoo.call("crm.lead", "read", [[lid], ["partner_id", "stage_id", "user_id", "type"]])[0]
    assert row == {
        "id": lid,
        "partner_id": [3, "Administrator"],
        "stage_id": [1, "New"],
        "user_id": [2, "Administrator"],
        "type": "opportunity",
    }
    plain = odoo.call("crm.lead", "read", [[lid], ["partner_id"]], load="_classic_write")
    assert plain == [{"id": lid, "partner_id": 3}]


def test_lead_defaults_team_and_stage(odoo, uniq):
    lid = odoo.call("crm.lead", "create", [{"name": uniq}])
    row = odoo.call("crm.lead", "read", [[lid], ["team_id", "stage_id", "probability", "active"]])
    assert row[0]["team_id"] == [1, "Sales"]
    assert row[0]["stage_id"] == [1, "New"]
    # probability is left out: Odoo computes it by predictive lead scoring from earlier leads
    assert row[0]["active"] is True
