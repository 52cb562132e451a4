"""End to end: the Captorra marts into Odoo, again (updates, no duplicates), by delta, with bad
rows, and back out with rollback."""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

import duckdb
import pytest

from legal2odoo.load.ledger import Ledger
from legal2odoo.load.rollback import RollbackRefused, apply_rollback, plan_rollback
from legal2odoo.load.run import LoadOptions, LoadSummary, load_to_odoo
from legal2odoo.load.transport import RetriesExhausted, Transport
from legal2odoo.trust.verify import verify_run
from legal2odoo.workdir import Workdir
from legal2odoo_sandbox.odoo import Faults, InjectedValidation
from tests.loader.conftest import Target

MARTS = {
    "crm.team": "odoo__crm_team",
    "crm.stage": "odoo__crm_stage",
    "res.partner": "odoo__res_partner",
    "crm.lead": "odoo__crm_lead",
}


def load(workdir: Workdir, target: Target, **options: Any) -> LoadSummary:
    protocol = options.pop("protocol", None)
    return load_to_odoo(workdir, lambda: target.connect(protocol), LoadOptions(**options))


def rollback(workdir: Workdir, target: Target, run_id: str) -> None:
    odoo = target.connect()
    with Ledger(workdir.audit) as ledger:
        apply_rollback(odoo, ledger, plan_rollback(odoo, ledger, run_id))


def mart_counts(workdir: Workdir) -> dict[str, int]:
    with duckdb.connect(str(workdir.warehouse), read_only=True) as con:
        return {m: con.execute(f"select count(*) from {t}").fetchone()[0] for m, t in MARTS.items()}


def actions(summary: LoadSummary) -> dict[str, dict[str, int]]:
    """Per model, from its main mart (a further `__<pass>` mart updates the same rows)."""
    return {m.model: m.actions for m in summary.models if "__" not in m.mart.removeprefix("odoo__")}


def our_records(target: Target, model: str) -> int:
    return len(our_ids(target, model))


def our_ids(target: Target, model: str) -> list[int]:
    """Records of `model` with a legal2odoo external id: the database may hold others."""
    rows = target.connect().execute(
        "ir.model.data",
        "search_read",
        [[["module", "=", "legal2odoo"], ["model", "=", model]], ["res_id"]],
    )
    return [row["res_id"] for row in rows]


# every transport on the versions it applies to (JSON-2 exists from 19.0; 19.0 renamed
# crm.stage.team_id and dropped mobile, which load/versions.py maps)
TRANSPORTS = [("17.0", "xmlrpc"), ("17.0", "jsonrpc"), ("19.0", "json2"), ("19.0", "xmlrpc")]


@pytest.mark.parametrize(("version", "protocol"), TRANSPORTS)
def test_full_load_then_reload_then_delta(
    versioned_marts: Callable[[str], Workdir],
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
    version: str,
    protocol: str,
) -> None:
    workdir = workdir_copy(versioned_marts(version))
    target = make_sandbox(version, protocol=protocol)
    expected = mart_counts(workdir)
    loaded = load(workdir, target)
    first = actions(loaded)
    for model, count in expected.items():
        assert first[model] == {"created": count}, model
        assert our_records(target, model) == count
    verified = verify_run(workdir, target.connect, loaded.run_id)  # as this version holds them
    assert verified.compared > 0 and verified.records_with_differences == 0, [
        d for m in verified.models for d in m.differences[:5]
    ]
    before = target.dump()
    second = actions(load(workdir, target))
    for model, count in expected.items():
        assert second[model] == {"updated": count}, model
    assert {m: len(r) for m, r in target.dump().items()} == {m: len(r) for m, r in before.items()}
    third = actions(load(workdir, target, mode="delta"))
    for model, count in expected.items():
        assert third[model] == {"unchanged": count}, model


@pytest.mark.parametrize(("version", "protocol"), [("17.0", "xmlrpc"), ("19.0", "json2")])
def test_load_then_rollback_restores_the_dump(
    versioned_marts: Callable[[str], Workdir],
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
    version: str,
    protocol: str,
) -> None:
    workdir = workdir_copy(versioned_marts(version))
    target = make_sandbox(version, protocol=protocol)
    # a record we do not create but update: a stage with our external id made beforehand
    before = target.dump()
    first = load(workdir, target, batch_rows=37)
    second = load(workdir, target, batch_rows=50)
    with pytest.raises(RollbackRefused, match="later run"):
        rollback(workdir, target, first.run_id)
    rollback(workdir, target, second.run_id)
    rollback(workdir, target, first.run_id)
    assert target.dump() == before


def test_rollback_restores_records_it_updated_but_did_not_create(
    sandbox_marts: Workdir,
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
) -> None:
    workdir, target = workdir_copy(sandbox_marts), make_sandbox()
    with duckdb.connect(str(workdir.warehouse), read_only=True) as con:
        (team_xmlid,) = con.execute("select id from odoo__crm_team order by id limit 1").fetchone()
    module, name = team_xmlid.split(".")
    team = target.sandbox.call("crm.team", "create", [{"name": "Set up by hand"}])
    team_id = team[0] if isinstance(team, list) else team
    target.sandbox.call(
        "ir.model.data",
        "create",
        [{"module": module, "name": name, "model": "crm.team", "res_id": team_id}],
    )
    before = target.dump()
    summary = load(workdir, target)
    assert actions(summary)["crm.team"]["updated"] == 1
    assert target.sandbox.call("crm.team", "read", [[team_id], ["name"]])[0]["name"] != (
        "Set up by hand"
    )
    rollback(workdir, target, summary.run_id)
    assert target.dump() == before


def test_rollback_refuses_when_a_person_changed_a_record(
    sandbox_marts: Workdir,
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
) -> None:
    workdir, target = workdir_copy(sandbox_marts), make_sandbox()
    summary = load(workdir, target)
    with Ledger(workdir.audit) as ledger:
        lead = next(w for w in ledger.writes(summary.run_id) if w["model"] == "crm.lead")
    import time

    time.sleep(1.1)  # write_date has a one-second resolution
    target.sandbox.call("crm.lead", "write", [[lead["odoo_id"]], {"name": "Edited by Jane"}])
    with pytest.raises(RollbackRefused, match=f"crm.lead,{lead['odoo_id']}: changed"):
        rollback(workdir, target, summary.run_id)
    assert target.sandbox.call("crm.lead", "read", [[lead["odoo_id"]], ["name"]])[0]["name"] == (
        "Edited by Jane"
    )


def test_bad_rows_are_isolated_and_reported(
    sandbox_marts: Workdir,
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
) -> None:
    workdir = workdir_copy(sandbox_marts)
    bad = InjectedValidation("res.partner", [["email", "=like", "a%"]], "Refused by the firm")
    target = make_sandbox(faults=Faults(validations=[bad]))
    with duckdb.connect(str(workdir.warehouse), read_only=True) as con:
        bad_ids = {
            r[0]
            for r in con.execute(
                "select id from odoo__res_partner where email like 'a%'"
            ).fetchall()
        }
        leads_on_bad = con.execute(
            'select count(*) from odoo__crm_lead where "partner_id/id" in '
            "(select id from odoo__res_partner where email like 'a%')"
        ).fetchone()[0]
    assert bad_ids, "the sample firm should have partners with an email starting with a"
    summary = load(workdir, target, batch_rows=25)
    result = actions(summary)
    counts = mart_counts(workdir)
    report = workdir.reports(summary.run_id) / "failed_res_partner.csv"
    rows = list(csv.DictReader(report.open(encoding="utf-8")))
    failed = {r["external_id"] for r in rows}
    assert bad_ids <= failed  # every partner the rule refuses (Odoo also sees other emails)
    assert all("Refused by the firm" in r["error"] for r in rows if r["external_id"] in bad_ids)
    assert result["res.partner"] == {
        "created": counts["res.partner"] - len(failed),
        "failed": len(failed),
    }
    assert result["crm.lead"].get("held", 0) >= leads_on_bad
    lead_report = workdir.reports(summary.run_id) / "failed_crm_lead.csv"
    held = list(csv.DictReader(lead_report.open(encoding="utf-8")))
    assert all("not found" in r["error"] for r in held if r["action"] == "held")


def test_transient_faults_land_every_row_exactly_once(
    sandbox_marts: Workdir,
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
) -> None:
    workdir = workdir_copy(sandbox_marts)
    faults = Faults(
        rates={"502": 0.08, "reset": 0.08, "timeout_after_commit": 0.05},
        hang_seconds=1.5,
        seed=11,
    )
    target = make_sandbox(faults=faults)
    target.settings = target.with_protocol(None).__class__(
        **{**target.settings.__dict__, "timeout": 1.0}
    )
    summary = load(workdir, target, batch_rows=40)
    counts = mart_counts(workdir)
    for model, count in counts.items():
        assert our_records(target, model) == count
        assert sum(actions(summary)[model].values()) == count
        assert actions(summary)[model].get("failed", 0) == 0
    assert len(target.sandbox.dump()["crm.lead"]) == counts["crm.lead"]


class ConflictOnce(Transport):
    """Answers the first load() of each model the way Odoo reports a serialization failure:
    inside the result, ids false, no fault."""

    name = "conflict-once"

    def __init__(self, inner: Transport) -> None:
        super().__init__(inner.retry)
        self.inner = inner
        self.conflicted: set[str] = set()
        self.uid = inner.uid

    def version(self) -> dict[str, Any]:
        return self.inner.version()

    def login(self) -> int:
        return self.inner.login()

    def _execute(self, model: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if method == "load" and model not in self.conflicted:
            self.conflicted.add(model)
            message = "could not serialize access due to concurrent update"
            return {"ids": False, "messages": [{"type": "error", "message": message}]}
        return self.inner._execute(model, method, args, kwargs)


def test_serialization_conflicts_inside_load_are_retried(
    sandbox_marts: Workdir,
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
) -> None:
    workdir, target = workdir_copy(sandbox_marts), make_sandbox()
    summary = load_to_odoo(workdir, lambda: ConflictOnce(target.connect()), LoadOptions())
    for model, count in mart_counts(workdir).items():
        assert actions(summary)[model] == {"created": count}
        assert our_records(target, model) == count


def test_a_conflict_that_never_clears_stops_the_run(
    sandbox_marts: Workdir,
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
) -> None:
    workdir, target = workdir_copy(sandbox_marts), make_sandbox()

    class AlwaysConflict(ConflictOnce):
        def _execute(self, model: str, method: str, args: list, kwargs: dict) -> Any:
            self.conflicted.clear()
            return super()._execute(model, method, args, kwargs)

    with pytest.raises(RetriesExhausted, match="serialization"):
        load_to_odoo(workdir, lambda: AlwaysConflict(target.connect()), LoadOptions())
    with Ledger(workdir.audit) as ledger:
        status = ledger.con.execute("select status from runs").fetchone()[0]
    assert status == "failed"


def test_parallel_workers_land_the_same_rows(
    sandbox_marts: Workdir,
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
) -> None:
    workdir = workdir_copy(sandbox_marts)
    target = make_sandbox(faults=Faults(max_concurrency=4))
    summary = load(workdir, target, workers=4, batch_rows=20)
    for model, count in mart_counts(workdir).items():
        assert actions(summary)[model] == {"created": count}
        assert our_records(target, model) == count
