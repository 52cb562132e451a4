"""Read-only views of the loader's ledger (`audit.duckdb`): runs and what each wrote."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from sys import intern
from typing import Any

import duckdb

from legal2odoo.load.ledger import SETTLED, compact, migrate, needs_migration, open_ledger
from legal2odoo.load.target import OdooTarget, same_target, strip_credentials
from legal2odoo.trust.warehouse import dicts

# runs into the target of the run named by the second parameter (another target's ids mean
# nothing here)
SAME_TARGET = "r.target_key = (select target_key from runs where run_id = ?)"


class NoRun(LookupError):
    """No such load run in the ledger."""


@dataclass(frozen=True)
class RunWrites:
    run: dict[str, Any]
    ok: dict[str, dict[str, int]]  # model -> external id -> Odoo id (settled, never failed)
    failed: dict[str, dict[str, str]]  # model -> external id -> Odoo's message (failed/held)
    unchanged: dict[str, set[str]]  # model -> external ids a delta run skipped (same hash)

    @property
    def run_id(self) -> str:
        return str(self.run["run_id"])


def open_audit(path: Path) -> duckdb.DuckDBPyConnection:
    if not path.exists():
        raise FileNotFoundError(f"no ledger at {path}: run `legal2odoo load --to odoo` first")
    con = open_ledger(path, read_only=True)
    if needs_migration(con):  # a ledger from before target identity: bring it up to date once
        con.close()
        con = open_ledger(path)
        scrubbed = migrate(con)
        con.close()
        if scrubbed:
            compact(path)
        con = open_ledger(path, read_only=True)
    return con


def resolve_run(
    con: duckdb.DuckDBPyConnection, run_id: str | None, target: OdooTarget | None = None
) -> dict[str, Any]:
    """The named run, or the newest one that was not rolled back (into `target`, if given).
    A named run of another target than `target` is refused: its ids mean other records."""
    if run_id:
        rows = dicts(con.execute("select * from runs where run_id = ?", [run_id]))
    else:
        rows = dicts(
            con.execute("select * from runs where status <> 'rolled_back' order by run_id desc")
        )
        if target is not None:
            rows = [r for r in rows if same_target(r, target)]
    if not rows:
        where = f" into {target.describe()}" if target is not None else ""
        raise NoRun(
            f"no load run {run_id!r} in the ledger" if run_id else f"no load run{where} yet"
        )
    run = rows[0]
    if target is not None and not same_target(run, target):
        raise NoRun(
            f"run {run['run_id']} was loaded into {strip_credentials(run['target_url'])} db "
            f"{run['db']}, not into {target.describe()}: set ODOO_URL and ODOO_DB to the run's "
            "target"
        )
    return run


def run_writes(
    con: duckdb.DuckDBPyConnection, run_id: str | None, target: OdooTarget | None = None
) -> RunWrites:
    run = resolve_run(con, run_id, target)
    rows = con.execute(
        "select model, external_id, action, odoo_id, error from writes "
        "where run_id = ? and action <> 'pending' order by written_at",
        [run["run_id"]],
    ).fetchall()
    ok: dict[str, dict[str, int]] = {}
    failed: dict[str, dict[str, str]] = {}
    unchanged: dict[str, set[str]] = {}
    for model, xmlid, action, odoo_id, error in rows:
        external_id = intern(xmlid)  # one string per id in every map below: memory
        if action == "unchanged":
            unchanged.setdefault(model, set()).add(external_id)
        elif action in SETTLED and odoo_id is not None:
            ok.setdefault(model, {})[external_id] = int(odoo_id)
        elif action not in SETTLED:
            failed.setdefault(model, {})[external_id] = error or action
    for model, bad in failed.items():  # a record with a failed pass is not fully written
        for external_id in bad:
            ok.get(model, {}).pop(external_id, None)
    return RunWrites(run, ok, failed, unchanged)


def earlier_external_ids(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, set[str]]:
    """model -> external ids written by runs up to this one and still in force."""
    rows = con.execute(
        "select distinct w.model, w.external_id from writes w join runs r using (run_id) "
        f"where w.run_id <= ? and r.status <> 'rolled_back' and w.action in {SETTLED!r} "
        f"and {SAME_TARGET}",
        [run_id, run_id],
    ).fetchall()
    out: dict[str, set[str]] = {}
    for model, external_id in rows:
        out.setdefault(model, set()).add(intern(external_id))
    return out


def known_ids(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, int]:
    """external id -> Odoo id of its latest settled write by a run up to this one still in
    force: the ledger already knows what lookups by external id would answer, far faster."""
    rows = con.execute(
        "select w.external_id, w.odoo_id from writes w join runs r using (run_id) "
        f"where w.run_id <= ? and r.status <> 'rolled_back' and w.action in {SETTLED!r} "
        "and w.odoo_id is not null and w.model <> 'ir.model.data' "  # its id: the xmlid row's
        f"and {SAME_TARGET} "
        "qualify row_number() over (partition by w.external_id order by w.written_at desc) = 1",
        [run_id, run_id],
    ).fetchall()
    return {intern(external_id): int(odoo_id) for external_id, odoo_id in rows}
