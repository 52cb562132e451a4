"""What Odoo 17's mail.activity.create does that the loader works around, pinned on the real
Odoo 17 with load() as the loader calls it (mail/models/mail_activity.py):
- it sends each assignee other than the loading user an "assigned to you" message (and
  e-mail), one QWeb render each, unless the context holds mail_activity_quick_update: a
  firm's users exist in Odoo, so its tasks would mail them once per migrated task;
- it subscribes each owner to the record per activity, and two activities of one record and
  an owner who does not follow it yet fail in one call ("a partner cannot follow twice the
  same object"): load() then redoes the whole batch a row at a time, so the activity mart
  sends them in passes (`_load_pass`, never two passes in a batch: load/lanes.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from legal2odoo.load.errors import OdooError
from legal2odoo.load.transport import Transport
from legal2odoo.load.upsert import MIGRATION_CONTEXT
from tests.loader.conftest import Target

pytestmark = pytest.mark.real_odoo

COLUMNS = ["id", "res_model_id/id", "res_id", "activity_type_id/id", "summary", "user_id/.id"]


@pytest.fixture
def colleague(real_target: Target) -> Iterator[tuple[Transport, int, int, int]]:
    """(connection, a user who is not the loader, that user's partner, a lead)."""
    odoo = real_target.connect()
    tag = uuid.uuid4().hex[:8]
    user = odoo.execute(
        "res.users", "create", [{"name": f"Associate {tag}", "login": f"associate-{tag}"}]
    )
    partner = odoo.execute("res.users", "read", [[user], ["partner_id"]])[0]["partner_id"][0]
    lead = odoo.execute("crm.lead", "create", [{"name": f"Notify test {tag}"}])
    try:
        yield odoo, user, partner, lead
    finally:
        odoo.execute("crm.lead", "unlink", [[lead]])
        odoo.execute("res.users", "write", [[user], {"active": False}])
        odoo.close()


def _notified(odoo: Transport, partner: int) -> int:
    domain = [["message_type", "=", "user_notification"], ["partner_ids", "in", [partner]]]
    return int(odoo.execute("mail.message", "search_count", [domain]))


def _load_task(odoo: Transport, user: int, lead: int, context: dict[str, Any]) -> None:
    row = [
        f"__import__.notify_test_{uuid.uuid4().hex[:8]}",
        "crm.model_crm_lead",
        str(lead),
        "mail.mail_activity_data_todo",
        "Review contract",
        str(user),
    ]
    answer = odoo.execute("mail.activity", "load", [COLUMNS, [row]], {"context": context})
    assert answer.get("ids"), answer.get("messages")


def test_migration_context_assigns_activities_without_notifying(
    colleague: tuple[Transport, int, int, int],
) -> None:
    odoo, user, partner, lead = colleague
    _load_task(odoo, user, lead, MIGRATION_CONTEXT)
    assert _notified(odoo, partner) == 0
    assigned = odoo.execute("mail.activity", "search_count", [[["user_id", "=", user]]])
    assert assigned == 1  # assigned all the same

    # why the key is there: without it Odoo 17 notifies the assignee of every loaded task
    noisy = {k: v for k, v in MIGRATION_CONTEXT.items() if k != "mail_activity_quick_update"}
    _load_task(odoo, user, lead, noisy)
    assert _notified(odoo, partner) == 1


def _activities(lead: int, user: int, count: int) -> list[list[str]]:
    return [
        [
            f"__import__.pass_test_{uuid.uuid4().hex[:8]}",
            "crm.model_crm_lead",
            str(lead),
            "mail.mail_activity_data_todo",
            f"Task {n}",
            str(user),
        ]
        for n in range(count)
    ]


def test_two_activities_of_one_record_and_new_follower_fail_in_one_create(
    colleague: tuple[Transport, int, int, int],
) -> None:
    odoo, user, _, _ = colleague
    model = odoo.execute("ir.model", "search", [[["model", "=", "crm.lead"]]])[0]
    lead = odoo.execute("crm.lead", "create", [{"name": "Pass test"}])
    try:
        both = [{"res_model_id": model, "res_id": lead, "user_id": user}] * 2
        with pytest.raises(OdooError, match="cannot follow twice"):
            odoo.execute("mail.activity", "create", [both], {"context": MIGRATION_CONTEXT})
        # pass by pass, as the loader sends them: each load() creates its rows in one batch
        for batch in (_activities(lead, user, 1), _activities(lead, user, 1)):
            answer = odoo.execute(
                "mail.activity", "load", [COLUMNS, batch], {"context": MIGRATION_CONTEXT}
            )
            assert answer.get("ids"), answer.get("messages")
        # once the owner follows the record, one create takes several
        more = odoo.execute("mail.activity", "create", [both], {"context": MIGRATION_CONTEXT})
        assert len(more) == 2
    finally:
        odoo.execute("crm.lead", "unlink", [[lead]])
