"""Record life cycle: missing records, relational commands, ondelete rules, x_ fields, access
rights, model metadata (fields_get, default_get, check_access_rights), unknown methods."""

from __future__ import annotations

import pytest

from tests.sandbox_odoo.clients import TRANSPORTS, Failure
from tests.sandbox_odoo.helpers import FOREIGN_KEY, refused


def _missing(model: str, rid: int, uid: int) -> str:
    return f"Record does not exist or has been deleted.\n(Record: {model}({rid},), User: {uid})"


def test_read_of_missing_ids_returns_the_existing_ones(odoo):
    assert odoo.call("res.partner", "read", [[999999], ["name"]]) == []
    assert odoo.call("res.partner", "read", [[3, 999999], ["name"]]) == [
        {"id": 3, "name": "Administrator"}
    ]


def test_write_and_unlink_of_missing_record(odoo):
    msg = _missing("res.partner", 999999, odoo.uid)
    refused(
        odoo, "odoo.exceptions.MissingError", msg, "res.partner", "write", [[999999], {"name": "x"}]
    )
    refused(odoo, "odoo.exceptions.MissingError", msg, "res.partner", "unlink", [[999999]])


def test_many2many_commands(odoo, uniq):
    t1, t2, t3 = odoo.call("crm.tag", "create", [[{"name": f"{n} {uniq}"} for n in "abc"]])
    lid = odoo.call("crm.lead", "create", [{"name": uniq, "tag_ids": [[6, 0, [t1, t2]]]}])

    def tags():
        return odoo.call("crm.lead", "read", [[lid], ["tag_ids"]])[0]["tag_ids"]

    assert sorted(tags()) == [t1, t2]
    odoo.call("crm.lead", "write", [[lid], {"tag_ids": [[4, t3], [3, t1]]}])
    assert sorted(tags()) == [t2, t3]
    odoo.call("crm.lead", "write", [[lid], {"tag_ids": [[5]]}])
    assert tags() == []
    odoo.call("crm.lead", "write", [[lid], {"tag_ids": [[0, 0, {"name": f"d {uniq}"}]]}])
    assert len(tags()) == 1


def test_many2many_to_missing_record(odoo, uniq):
    msg = FOREIGN_KEY.format(
        model_desc="Unknown", model="unknown", constraint="crm_tag_rel_tag_id_fkey"
    )
    vals = {"name": uniq, "tag_ids": [[6, 0, [999999]]]}
    refused(odoo, "odoo.exceptions.ValidationError", msg, "crm.lead", "create", [vals])


def test_many2many_wrong_value(odoo, uniq):
    msg = "Wrong value for crm.lead.tag_ids: abc"
    refused(
        odoo, "builtins.ValueError", msg, "crm.lead", "create", [{"name": uniq, "tag_ids": "abc"}]
    )


def test_one2many_commands_create_children(odoo, uniq):
    vals = {
        "name": f"Co {uniq}",
        "is_company": True,
        "child_ids": [[0, 0, {"name": f"Kid {uniq}"}]],
    }
    company = odoo.call("res.partner", "create", [vals])
    children = odoo.call("res.partner", "read", [[company], ["child_ids"]])[0]["child_ids"]
    assert len(children) == 1
    kid = odoo.call("res.partner", "read", [children, ["name", "parent_id", "display_name"]])[0]
    assert kid["parent_id"] == [company, f"Co {uniq}"]
    assert kid["display_name"] == f"Co {uniq}, Kid {uniq}"


def test_a_company_set_by_create_or_by_write_shares_addresses_differently(odoo, uniq):
    """Created under an address-less company, the first contact gives it its address and the
    next one takes the company's instead of its own (res.partner _handle_first_contact_creation,
    then _fields_sync). Set by a write, the company copies nothing: hence the loader's second
    pass for a contact's company."""

    def partner(name, **vals):
        return odoo.call("res.partner", "create", [{"name": f"{name} {uniq}", **vals}])

    def addresses(*ids):
        rows = odoo.call("res.partner", "read", [list(ids), ["street", "city"]])
        return [(r["street"], r["city"]) for r in rows]

    created = partner("Co", is_company=True)
    first = partner("A", parent_id=created, street="1 First St", city="Leeds")
    second = partner("B", parent_id=created, street="2 Second St", city="York")
    assert addresses(created, first, second) == [("1 First St", "Leeds")] * 3

    written = partner("Co2", is_company=True)
    third = partner("C", street="3 Third St", city="Hull")
    fourth = partner("D", street="4 Fourth St", city="Bath")
    for contact in (third, fourth):
        odoo.call("res.partner", "write", [[contact], {"parent_id": written}])
    assert addresses(written, third, fourth) == [
        (False, False),
        ("3 Third St", "Hull"),
        ("4 Fourth St", "Bath"),
    ]


def test_unlink_restrict_refuses(odoo, uniq):
    stage = odoo.call("crm.stage", "create", [{"name": f"S {uniq}"}])
    odoo.call("crm.lead", "create", [{"name": uniq, "stage_id": stage}])
    msg = FOREIGN_KEY.format(
        model_desc="Lead/Opportunity", model="crm.lead", constraint="crm_lead_stage_id_fkey"
    )
    refused(odoo, "odoo.exceptions.ValidationError", msg, "crm.stage", "unlink", [[stage]])


def test_unlink_set_null_and_m2m_cascade(odoo, uniq):
    partner = odoo.call("res.partner", "create", [{"name": uniq}])
    tag = odoo.call("crm.tag", "create", [{"name": uniq}])
    lead = odoo.call(
        "crm.lead", "create", [{"name": uniq, "partner_id": partner, "tag_ids": [[6, 0, [tag]]]}]
    )
    assert odoo.call("res.partner", "unlink", [[partner]]) is True
    assert odoo.call("crm.tag", "unlink", [[tag]]) is True
    row = odoo.call("crm.lead", "read", [[lead], ["partner_id", "tag_ids"]])[0]
    assert row == {"id": lead, "partner_id": False, "tag_ids": []}


def test_manual_field_becomes_live(odoo, uniq):
    model_id = odoo.call("ir.model", "search", [[["model", "=", "crm.lead"]]])[0]
    name = f"x_src_{uniq}"
    vals = {"model_id": model_id, "name": name, "field_description": "Source", "ttype": "char"}
    fid = odoo.call("ir.model.fields", "create", [vals])
    try:
        desc = odoo.call(
            "crm.lead", "fields_get", [[name]], attributes=["type", "string", "manual"]
        )
        assert desc == {name: {"type": "char", "string": "Source", "manual": True}}
        lead = odoo.call("crm.lead", "create", [{"name": uniq, name: "AS-1"}])
        odoo.call("crm.lead", "write", [[lead], {name: "AS-2"}])
        assert odoo.call("crm.lead", "search", [[[name, "=", "AS-2"]]]) == [lead]
        assert odoo.call("crm.lead", "read", [[lead], [name]])[0][name] == "AS-2"
    finally:
        odoo.call("ir.model.fields", "unlink", [[fid]])
    assert odoo.call("crm.lead", "fields_get", [[name]]) == {}


def test_manual_field_needs_x_prefix(odoo, uniq):
    model_id = odoo.call("ir.model", "search", [[["model", "=", "crm.lead"]]])[0]
    vals = {"model_id": model_id, "name": f"src_{uniq}", "field_description": "S", "ttype": "char"}
    msg = "The operation cannot be completed: Custom fields must have a name that starts with 'x_'!"
    refused(odoo, "odoo.exceptions.ValidationError", msg, "ir.model.fields", "create", [vals])


def test_unknown_model(rpc_odoo):
    refused(
        rpc_odoo,
        "odoo.exceptions.UserError",
        "Object no.such doesn't exist",
        "no.such",
        "search",
        [[]],
    )


def test_unknown_method(rpc_odoo):
    msg = "type object 'res.partner' has no attribute 'no_such'"
    refused(rpc_odoo, "builtins.AttributeError", msg, "res.partner", "no_such", [[]])


def test_private_method(rpc_odoo):
    msg = "Private methods (such as _create) cannot be called remotely."
    refused(rpc_odoo, "odoo.exceptions.AccessError", msg, "res.partner", "_create", [[]])


def test_fields_get_attributes(odoo):
    desc = odoo.call("crm.lead", "fields_get", [["name", "priority", "stage_id", "tag_ids"]])
    assert desc["name"]["required"] is True and desc["name"]["type"] == "char"
    assert desc["name"]["string"] == "Opportunity"
    assert desc["priority"]["selection"] == [
        ["0", "Low"],
        ["1", "Medium"],
        ["2", "High"],
        ["3", "Very High"],
    ]
    assert desc["stage_id"]["relation"] == "crm.stage" and desc["stage_id"]["type"] == "many2one"
    assert desc["tag_ids"]["relation"] == "crm.tag"
    assert "on_delete" not in desc["stage_id"] and "relation_table" not in desc["tag_ids"]
    only = odoo.call("crm.lead", "fields_get", [["name"]], attributes=["type", "required"])
    assert only == {"name": {"type": "char", "required": True}}


def test_default_get(odoo):
    fields = ["type", "name", "user_id", "priority", "active"]
    defaults = odoo.call("crm.lead", "default_get", [fields])
    assert defaults == {"type": "opportunity", "user_id": odoo.uid, "priority": "0", "active": True}


def test_check_access_rights_as_admin(odoo):
    assert odoo.call("crm.lead", "check_access_rights", ["create"]) is True


@pytest.fixture
def employee(rpc_odoo, uniq):
    """A plain internal user (no Sales rights) logged in through the same transport."""
    group = rpc_odoo.call("ir.model.data", "check_object_reference", ["base", "group_user"])[1]
    login = f"emp_{uniq}"
    rpc_odoo.call(
        "res.users",
        "create",
        [
            {
                "name": f"Emp {uniq}",
                "login": login,
                "password": login,
                "groups_id": [[6, 0, [group]]],
            }
        ],
    )
    return type(rpc_odoo)(rpc_odoo.target, login, login)


STAGE_CREATE_DENIED = (
    "You are not allowed to create 'CRM Stages' (crm.stage) records.\n\n"
    "This operation is allowed for the following groups:\n\t- Sales/Administrator\n\n"
    "Contact your administrator to request access if necessary."
)


def test_user_without_rights_gets_access_error(employee, uniq):
    refused(
        employee,
        "odoo.exceptions.AccessError",
        STAGE_CREATE_DENIED,
        "crm.stage",
        "create",
        [{"name": uniq}],
    )
    msg = (
        "You are not allowed to access 'Lead/Opportunity' (crm.lead) records.\n\n"
        "This operation is allowed for the following groups:\n\t- Sales/Administrator\n"
        "\t- Sales/User: Own Documents Only\n\n"
        "Contact your administrator to request access if necessary."
    )
    refused(
        employee,
        "odoo.exceptions.AccessError",
        msg,
        "crm.lead",
        "search_read",
        [[]],
        fields=["name"],
    )
    assert (
        employee.call("crm.stage", "check_access_rights", ["create"], raise_exception=False)
        is False
    )
    refused(
        employee,
        "odoo.exceptions.AccessError",
        STAGE_CREATE_DENIED,
        "crm.stage",
        "check_access_rights",
        ["create"],
    )


def test_user_groups_include_implied(rpc_odoo, employee):
    groups = rpc_odoo.call("res.users", "read", [[employee.uid], ["groups_id"]])[0]["groups_id"]
    assert sorted(groups) == [1, 7, 12]


def test_wrong_password(rpc_odoo):
    client = type(rpc_odoo)
    assert client(rpc_odoo.target, "admin", "wrong").uid is False
    bad = client.__new__(client)
    bad.target, bad.uid, bad.password = rpc_odoo.target, rpc_odoo.uid, "wrong"
    if client is TRANSPORTS["odoorpc"]:
        return  # odoorpc cannot even log in with a wrong password (checked above)
    with pytest.raises(Failure) as info:
        bad.call("res.partner", "search", [[]])
    assert info.value.matches("odoo.exceptions.AccessDenied", "Access Denied")


def test_unlink_removes_external_ids_attachments_messages_activities(odoo, uniq):
    loaded = odoo.call("crm.lead", "load", [["id", "name"], [[f"conformance.u_{uniq}", uniq]]])
    lead = loaded["ids"][0]
    on_lead = {"res_model": "crm.lead", "res_id": lead}
    att = odoo.call("ir.attachment", "create", [{"name": uniq, "datas": "aGk=", **on_lead}])
    message = {"model": "crm.lead", "res_id": lead, "body": "x", "message_type": "comment"}
    msg = odoo.call("mail.message", "create", [message])
    model_id = odoo.call("ir.model", "search", [[["model", "=", "crm.lead"]]])[0]
    activity = {"res_model_id": model_id, "res_id": lead, "date_deadline": "2030-01-01"}
    act = odoo.call("mail.activity", "create", [activity])
    odoo.call("crm.lead", "unlink", [[lead]])
    imd = [["module", "=", "conformance"], ["name", "=", f"u_{uniq}"]]
    assert odoo.call("ir.model.data", "search", [imd]) == []
    assert odoo.call("ir.attachment", "search", [[["id", "=", att]]]) == []
    assert odoo.call("mail.message", "search", [[["id", "=", msg]]]) == []
    assert odoo.call("mail.activity", "search", [[["id", "=", act]]]) == []


def test_manual_selection_field_from_selection_ids(odoo, uniq):
    model_id = odoo.call("ir.model", "search", [[["model", "=", "crm.lead"]]])[0]
    name = f"x_kind_{uniq}"
    options = [
        [0, 0, {"value": "pi", "name": "Personal injury", "sequence": 1}],
        [0, 0, {"value": "wc", "name": "Workers comp", "sequence": 2}],
    ]
    vals = {
        "model_id": model_id,
        "name": name,
        "field_description": "Kind",
        "ttype": "selection",
        "selection_ids": options,
    }
    fid = odoo.call("ir.model.fields", "create", [vals])
    try:
        desc = odoo.call("crm.lead", "fields_get", [[name]], attributes=["selection"])
        assert desc[name]["selection"] == [["pi", "Personal injury"], ["wc", "Workers comp"]]
        msg = f"Wrong value for crm.lead.{name}: 'zz'"
        vals = {"name": uniq, name: "zz"}
        refused(odoo, "builtins.ValueError", msg, "crm.lead", "create", [vals])
        lead = odoo.call("crm.lead", "create", [{"name": uniq, name: "wc"}])
        assert odoo.call("crm.lead", "read", [[lead], [name]])[0][name] == "wc"
    finally:
        odoo.call("ir.model.fields", "unlink", [[fid]])


def test_installed_modules_are_readable(odoo):
    """What preflight (edition) and `extract odoo` (module list) ask ir.module.module."""
    installed = [["state", "=", "installed"]]
    rows = odoo.call(
        "ir.module.module", "search_read", [installed, ["name", "latest_version", "state"]]
    )
    names = [r["name"] for r in rows]
    assert {"base", "crm", "mail", "contacts", "sales_team"} <= set(names)
    assert names[0] == "crm"  # order: application desc, sequence, name
    assert all(r["state"] == "installed" and r["latest_version"] for r in rows)
    enterprise = [["name", "=", "web_enterprise"], ["state", "=", "installed"]]
    assert odoo.call("ir.module.module", "search_count", [enterprise]) == 0
    crm = odoo.call("ir.module.module", "search_read", [[["name", "=", "crm"]], ["display_name"]])
    assert crm == [{"id": crm[0]["id"], "display_name": "CRM"}]
