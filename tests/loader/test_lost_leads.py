"""Lost leads end lost in Odoo: archived, probability 0, their lost reason, a closing date, after
a first load (create through load()) and after a reload (write): Odoo computes probability
and date_closed itself, so the end state is read back, on the sandbox and the real Odoo 17."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pytest

from legal2odoo.load.run import LoadOptions, load_to_odoo
from legal2odoo.workdir import Workdir
from tests.loader.conftest import Target
from tests.loader.test_real_odoo import rolled_back


def _lost_in_marts(workdir: Workdir) -> dict[str, str]:
    with duckdb.connect(str(workdir.warehouse), read_only=True) as con:
        rows = con.execute(
            'select id, "lost_reason_id/id" from odoo__crm_lead where not active'
        ).fetchall()
    return dict(rows)


def _lost_in_odoo(target: Target, xmlids: list[str]) -> dict[str, dict]:
    odoo = target.connect()
    names = [x.split(".", 1)[1] for x in xmlids]
    links = odoo.execute(
        "ir.model.data",
        "search_read",
        [
            [["module", "=", "legal2odoo"], ["name", "in", names], ["model", "=", "crm.lead"]],
            ["name", "res_id"],
        ],
    )
    by_id = {link["res_id"]: f"legal2odoo.{link['name']}" for link in links}
    leads = odoo.execute(
        "crm.lead",
        "read",
        [list(by_id), ["active", "probability", "lost_reason_id", "date_closed"]],
        {"context": {"active_test": False}},
    )
    reasons = odoo.execute(
        "ir.model.data",
        "search_read",
        [[["module", "=", "legal2odoo"], ["model", "=", "crm.lost.reason"]], ["name", "res_id"]],
    )
    reason_xmlid = {r["res_id"]: f"legal2odoo.{r['name']}" for r in reasons}
    odoo.close()
    return {
        by_id[lead["id"]]: {
            "active": lead["active"],
            "probability": lead["probability"],
            "reason": reason_xmlid.get(lead["lost_reason_id"] and lead["lost_reason_id"][0]),
            "closed": bool(lead["date_closed"]),
        }
        for lead in leads
    }


def _check(workdir: Workdir, target: Target) -> None:
    lost = _lost_in_marts(workdir)
    assert len(lost) > 10
    with rolled_back(workdir, target):
        for _ in ("create", "reload"):
            summary = load_to_odoo(workdir, target.connect, LoadOptions())
            problems = {  # (the copy has no file store: attachments are held, not ours)
                m.model: m.actions
                for m in summary.models
                if m.model in ("crm.lead", "crm.lost.reason")
                and set(m.actions) - {"created", "updated", "unchanged"}
            }
            assert not problems, problems
            found = _lost_in_odoo(target, list(lost))
            assert set(found) == set(lost)
            for xmlid, reason in lost.items():
                assert found[xmlid] == {
                    "active": False,
                    "probability": 0.0,
                    "reason": reason,
                    "closed": True,
                }, xmlid
    odoo = target.connect()
    left = odoo.execute(
        "ir.model.data",
        "search_count",
        [[["module", "=", "legal2odoo"], ["model", "=", "crm.lost.reason"]]],
    )
    odoo.close()
    assert left == 0, "rollback removes the lost reasons it created"


def test_lost_leads_on_the_sandbox(
    sandbox_marts: Workdir,
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
) -> None:
    _check(workdir_copy(sandbox_marts), make_sandbox())


@pytest.mark.real_odoo
def test_lost_leads_on_the_real_odoo(
    real_marts: Workdir, workdir_copy: Callable[[Workdir], Workdir], real_target: Target
) -> None:
    _check(workdir_copy(real_marts), real_target)
