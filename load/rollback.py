"""`rollback RUN_ID`: undo one load run from its ledger rows, and only those.

Refused (with the list) when a later run wrote the same records, or when a record's
write_date moved since our write (someone changed it in Odoo). Otherwise: before-images of
updated records are written back first, then created records are unlinked children before
parents (reverse load order). A run killed mid-batch left `pending` rows: their records count
as created by the run only when their external id appeared after the run started.

Only a run of the target we are connected to can be rolled back (load.target). Progress is
recorded record by record (ledger `undone`): a rollback that stops leaves the run
`rolling_back` (its rows no longer trusted by --delta) and running it again finishes it.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from legal2odoo.load.ledger import Ledger
from legal2odoo.load.references import NO_ARCHIVE_FILTER, lookup_xmlids
from legal2odoo.load.target import OdooTarget, identify, same_target
from legal2odoo.load.transport import Transport
from legal2odoo.load.upsert import MIGRATION_CONTEXT

log = logging.getLogger(__name__)
CHUNK = 500


class RollbackRefused(Exception):
    """Undoing the run would overwrite someone else's work."""


@dataclass
class RollbackPlan:
    run_id: str
    unlink: dict[str, list[int]] = field(default_factory=dict)  # model -> ids
    restore: dict[str, dict[int, dict[str, Any]]] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # pending updates with no before-image
    restored_before: dict[str, set[int]] = field(default_factory=dict)  # by an earlier attempt
    resumed: bool = False  # an earlier attempt stopped midway

    @property
    def records(self) -> int:
        return sum(map(len, self.unlink.values())) + sum(map(len, self.restore.values()))


# Odoo models in the order the marts load them (their meta load_order, models/marts/*.yml):
# rollback reads only the ledger, so it keeps the order here; tests/test_load_plan.py checks
# that it agrees with the built plan.
MODEL_ORDER = (
    "ir.model.data",
    "res.partner.category",
    "crm.team",
    "crm.stage",
    "crm.tag",
    "crm.lost.reason",
    "ir.model.fields",
    "ir.model.fields.selection",
    "res.partner",
    "crm.lead",
    "ir.attachment",
    "mail.activity",
    "mail.message",
)


def _order(model: str) -> int:
    """Position in the load order; custom fields sort first so that, reversed, they go last,
    and form views last so that they go first (Odoo refuses to drop a field a view shows)."""
    if model == "ir.model.fields":
        return -1
    if model == "ir.ui.view":
        return len(MODEL_ORDER) + 1
    return MODEL_ORDER.index(model) if model in MODEL_ORDER else len(MODEL_ORDER)


def plan_rollback(
    odoo: Transport, ledger: Ledger, run_id: str, target: OdooTarget | None = None
) -> RollbackPlan:
    """What undoing the run takes, on the target `odoo` is connected to (`target`)."""
    target = target or identify(odoo)
    run = ledger.run(run_id)
    if run is None:
        raise RollbackRefused(f"no load run {run_id} in the ledger")
    if run["status"] == "rolled_back":
        raise RollbackRefused(f"run {run_id} is already rolled back")
    if not same_target(run, target):
        where = f"{run['target_url']} db {run['db']}"
        raise RollbackRefused(
            f"run {run_id} was loaded into {where}, not into {target.describe()}: set ODOO_URL "
            "and ODOO_DB to the run's target to roll it back"
        )
    undone = ledger.undone(run_id)
    restored, unlinked = undone.get("restored", {}), undone.get("unlinked", {})
    plan = RollbackPlan(run_id, restored_before=restored, resumed=run["status"] == "rolling_back")
    writes = ledger.writes(run_id)
    _later_writers(ledger, run_id, writes, plan)
    _resolve_pending(odoo, writes, run["started_at"], plan)
    expected: dict[str, dict[int, str | None]] = defaultdict(dict)
    for w in writes:
        model, rid = w["model"], w["odoo_id"]
        if rid in unlinked.get(model, ()):
            continue  # removed by an earlier attempt
        ours = rid in restored.get(model, ())  # an earlier attempt wrote it: write_date moved
        if w["action"] == "created":
            plan.unlink.setdefault(model, []).append(rid)
        elif w["action"] == "updated" and w["before_image"] is not None and not ours:
            plan.restore.setdefault(model, {})[rid] = json.loads(w["before_image"])
        else:
            continue
        if not ours:
            expected[model][rid] = w["write_date"]
    _changed_since(odoo, expected, plan)
    return plan


def _later_writers(ledger: Ledger, run_id: str, writes: list[dict], plan: RollbackPlan) -> None:
    ours = {(w["model"], w["external_id"]) for w in writes if w["action"] != "unchanged"}
    for later in ledger.later_runs(run_id):
        touched = {
            (w["model"], w["external_id"])
            for w in ledger.writes(later)
            if w["action"] in ("created", "updated", "pending")
        }
        for model, xmlid in sorted(ours & touched):
            plan.conflicts.append(f"{model} {xmlid}: written again by later run {later}")


def _resolve_pending(
    odoo: Transport, writes: list[dict], started: datetime, plan: RollbackPlan
) -> None:
    """A batch sent but never settled: created by us iff its external id is younger than
    the run (ir.model.data.create_date); an update there has no before-image to restore."""
    pending = [w for w in writes if w["action"] == "pending"]
    if not pending:
        return
    found = lookup_xmlids(odoo, [w["external_id"] for w in pending])
    dates = _xmlid_dates(odoo, list(found))
    threshold = started.strftime("%Y-%m-%d %H:%M:%S")
    for w in pending:
        if w["external_id"] not in found:
            continue  # never landed
        model, rid = found[w["external_id"]]
        if dates.get(w["external_id"], "") >= threshold:
            w.update(action="created", odoo_id=rid, write_date=None)
        else:
            plan.unknown.append(f"{model} {w['external_id']}: update interrupted, not restored")


def _xmlid_dates(odoo: Transport, xmlids: list[str]) -> dict[str, str]:
    dates: dict[str, str] = {}
    for start in range(0, len(xmlids), CHUNK):
        chunk = xmlids[start : start + CHUNK]
        names = [x.partition(".")[2] for x in chunk]
        rows = odoo.execute(
            "ir.model.data",
            "search_read",
            [[["name", "in", names]], ["module", "name", "create_date"]],
        )
        for row in rows:
            dates[f"{row['module']}.{row['name']}"] = str(row["create_date"])
    return dates


def _changed_since(
    odoo: Transport, expected: dict[str, dict[int, str | None]], plan: RollbackPlan
) -> None:
    for model, by_id in expected.items():
        ids = sorted(by_id)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            rows = odoo.execute(model, "read", [chunk, ["write_date"]], dict(NO_ARCHIVE_FILTER))
            present = {row["id"]: str(row["write_date"]) for row in rows}
            for rid in chunk:
                want = by_id[rid]
                if rid not in present:
                    if rid in plan.unlink.get(model, []):
                        plan.unlink[model].remove(rid)  # already gone: nothing to undo
                    else:
                        plan.conflicts.append(f"{model},{rid}: deleted since the run")
                elif want is not None and present[rid] != want:
                    plan.conflicts.append(
                        f"{model},{rid}: changed since the run (write_date {present[rid]}, "
                        f"ours {want})"
                    )


class RollbackStopped(Exception):
    """A rollback failed midway; the run stays `rolling_back` and can be rolled back again."""


def apply_rollback(odoo: Transport, ledger: Ledger, plan: RollbackPlan) -> None:
    if plan.conflicts:
        raise RollbackRefused(
            f"run {plan.run_id} cannot be rolled back safely:\n  " + "\n  ".join(plan.conflicts)
        )
    ledger.set_status(plan.run_id, "rolling_back", f"rollback of {plan.records} record(s) begun")
    try:
        _undo(odoo, ledger, plan)
    except (Exception, KeyboardInterrupt) as error:
        done = sum(len(ids) for by in ledger.undone(plan.run_id).values() for ids in by.values())
        note = f"rollback stopped after {done} record(s) put back: {type(error).__name__}: {error}"
        ledger.set_status(plan.run_id, "rolling_back", note)
        raise RollbackStopped(
            f"rollback of run {plan.run_id} stopped after {done} record(s) put back "
            f"({error}); the run is marked rolling_back (--delta resends its rows): run "
            f"`legal2odoo rollback {plan.run_id}` again to finish it"
        ) from error
    ledger.end_run(plan.run_id, "rolled_back", f"rolled back {plan.records} record(s)")


def _undo(odoo: Transport, ledger: Ledger, plan: RollbackPlan) -> None:
    context = {"context": {**MIGRATION_CONTEXT, "active_test": False}}
    created = _created_fields(odoo, plan)
    for model in sorted(plan.restore, key=_order, reverse=True):
        types = odoo.execute(model, "fields_get", [], {"attributes": ["type"]})
        for rid, image in plan.restore[model].items():
            # a field this run created did not exist when the image was taken: empty it,
            # or the field would hold values and could not be removed
            values = {name: False for name in created.get(model, ()) if name in types}
            values.update(_writable(image, types))
            odoo.execute(model, "write", [[rid], values], context)
            ledger.mark_undone(plan.run_id, model, [rid], "restored")
    restored = {m: set(ids) for m, ids in plan.restored_before.items()}
    for model, images in plan.restore.items():
        restored.setdefault(model, set()).update(images)
    restored_at = _earliest_write_date(odoo, restored)
    for model in sorted(plan.unlink, key=_order, reverse=True):
        ids = sorted(set(plan.unlink[model]))
        if model == "ir.model.fields":
            ids = _empty_fields(odoo, ids)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            existing = odoo.execute(model, "search", [[["id", "in", chunk]]], context)
            if existing:
                odoo.execute(model, "unlink", [existing], context)
            # Odoo drops the external ids of unlinked records itself; say it explicitly so a
            # server that does not (or a record already deleted by hand) leaves none dangling
            dangling = odoo.execute(
                "ir.model.data",
                "search",
                [[["model", "=", model], ["res_id", "in", chunk]]],
            )
            if dangling:
                odoo.execute("ir.model.data", "unlink", [dangling])
            ledger.mark_undone(plan.run_id, model, chunk, "unlinked")
        log.info("rollback %s: unlinked %d %s", plan.run_id, len(ids), model)
    if restored_at:
        _rebase_earlier_runs(odoo, ledger, plan.run_id, restored_at)


def _created_fields(odoo: Transport, plan: RollbackPlan) -> dict[str, list[str]]:
    """The custom fields this run created, by model."""
    ids = sorted(set(plan.unlink.get("ir.model.fields", [])))
    created: dict[str, list[str]] = {}
    for spec in odoo.execute("ir.model.fields", "read", [ids, ["model", "name"]]) if ids else []:
        created.setdefault(spec["model"], []).append(spec["name"])
    return created


def _empty_fields(odoo: Transport, ids: list[int]) -> list[int]:
    """Custom fields no record holds a value in any more; the others stay (with a warning)."""
    keep = []
    for spec in odoo.execute("ir.model.fields", "read", [ids, ["model", "name"]]):
        used = odoo.execute(
            spec["model"], "search_count", [[[spec["name"], "!=", False]]], dict(NO_ARCHIVE_FILTER)
        )
        if used:
            log.warning(
                "field %s.%s kept: %d record(s) hold values", spec["model"], spec["name"], used
            )
        else:
            keep.append(spec["id"])
    return keep


def _earliest_write_date(odoo: Transport, restore: dict[str, set[int]]) -> str | None:
    """Server time at which our restores began (Odoo's clock, not ours)."""
    dates: list[str] = []
    for model, images in restore.items():
        ids = sorted(images)
        for start in range(0, len(ids), CHUNK):
            rows = odoo.execute(
                model, "read", [ids[start : start + CHUNK], ["write_date"]], dict(NO_ARCHIVE_FILTER)
            )
            dates += [str(row["write_date"]) for row in rows]
    return min(dates) if dates else None


def _rebase_earlier_runs(odoo: Transport, ledger: Ledger, run_id: str, since: str) -> None:
    """Restoring before-images moves write_date (and Odoo may sync related records, e.g. a
    lead's partner). Those records are back in the state an earlier run left them in, so
    that run's ledger must expect the new write_date, or its own rollback would be refused."""
    rows = ledger.con.execute(
        "select w.model, w.external_id, w.odoo_id, w.run_id from writes w join runs r "
        "using (run_id) where w.run_id < ? and r.status <> 'rolled_back' "
        "and r.target_key = (select target_key from runs where run_id = ?) "
        "and w.action in ('created', 'updated') and w.model <> 'ir.model.data'",
        [run_id, run_id],
    ).fetchall()
    by_run: dict[tuple[str, str], dict[int, str]] = defaultdict(dict)
    for model, xmlid, rid, earlier in rows:
        by_run[(earlier, model)][rid] = xmlid
    for (earlier, model), xmlids in by_run.items():
        ids = sorted(xmlids)
        fresh: dict[str, str] = {}
        for start in range(0, len(ids), CHUNK):
            found = odoo.execute(
                model, "read", [ids[start : start + CHUNK], ["write_date"]], dict(NO_ARCHIVE_FILTER)
            )
            fresh.update(
                {
                    xmlids[r["id"]]: str(r["write_date"])
                    for r in found
                    if str(r["write_date"]) >= since
                }
            )
        if fresh:
            ledger.refresh_write_dates(earlier, model, fresh)


def _writable(image: dict[str, Any], types: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A read() image (load=_classic_write) as write() values."""
    values: dict[str, Any] = {}
    for name, value in image.items():
        kind = types.get(name, {}).get("type")
        if kind == "many2many":
            values[name] = [[6, 0, value or []]]
        elif kind == "one2many":
            continue  # children are records of their own; not ours to rewrite
        else:
            values[name] = value
    return values
