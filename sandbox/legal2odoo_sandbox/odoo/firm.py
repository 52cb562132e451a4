"""Start a sandbox with a synthetic firm's Odoo side: `--firm DIR` reads
`DIR/odoo/<resource>/run=<run_id>/part-*.parquet` (the newest run of each resource) and puts
the rows in the store under their own ids, since the firm's other data refers to them."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from legal2odoo_sandbox.odoo.orm import Env
from legal2odoo_sandbox.odoo.state import ADMIN_UID
from legal2odoo_sandbox.odoo.store import Store

log = logging.getLogger(__name__)

# resource -> (model, columns copied); in load order (stages point at teams).
RESOURCES: list[tuple[str, str, tuple[str, ...]]] = [
    ("res_partner", "res.partner", ("name", "email", "is_company")),
    ("res_partner_category", "res.partner.category", ("name",)),
    ("crm_tag", "crm.tag", ("name",)),
    ("mail_activity_type", "mail.activity.type", ("name",)),
    ("crm_team", "crm.team", ("name",)),
    ("res_users", "res.users", ("login", "email", "name", "active")),
    ("crm_stage", "crm.stage", ("name", "sequence", "team_id", "is_won", "fold")),
]
METADATA = ("_extracted_at", "_run_id")


def newest_run(resource_dir: Path) -> Path | None:
    """The run directory with the greatest run id (run ids sort by time)."""
    runs = sorted(p for p in resource_dir.glob("run=*") if p.is_dir())
    return runs[-1] if runs else None


def read_resource(firm: Path, resource: str) -> list[dict[str, Any]]:
    resource_dir = firm / "odoo" / resource
    run = newest_run(resource_dir) if resource_dir.is_dir() else None
    if run is None:
        return []
    rows: list[dict[str, Any]] = []
    for part in sorted(run.glob("part-*.parquet")):
        rows.extend(pq.read_table(part).to_pylist())
    return rows


def load_firm(store: Store, firm: Path) -> dict[str, int]:
    """Insert (or update, for ids the base already has) every firm record; returns counts."""
    if not (firm / "odoo").is_dir():
        raise FileNotFoundError(f"no Odoo side in the firm folder: {firm / 'odoo'} is missing")
    env = Env(store, 1, {"tracking_disable": True})
    counts: dict[str, int] = {}
    with store.transaction():
        for resource, model, columns in RESOURCES:
            rows = read_resource(firm, resource)
            for row in rows:
                _put(env, model, int(row["id"]), _values(store, model, columns, row))
            counts[model] = len(rows)
    log.info("firm %s: %s", firm, ", ".join(f"{n} {m}" for m, n in counts.items()))
    return counts


def _values(store: Store, model: str, columns: tuple[str, ...], row: dict[str, Any]) -> dict:
    fields = store.schema[model].fields
    vals = {c: row[c] for c in columns if c in row and c in fields}
    if model == "crm.stage" and "team_id" not in fields and row.get("team_id"):
        vals["team_ids"] = [(6, 0, [int(row["team_id"])])]  # 19.0: team_id became team_ids
    return {k: (False if v is None else v) for k, v in vals.items()}


def _put(env: Env, model: str, rid: int, vals: dict[str, Any]) -> None:
    target = env.model(model)
    if rid in target.table:
        if model == "res.users" and rid == ADMIN_UID:
            vals.pop("login", None)  # keep the sandbox's documented admin login working
        target.write([rid], vals)
        return
    store = env.store
    last = store.sequences[model]
    store.sequences[model] = rid - 1  # the next id create() takes is the firm's id
    try:
        target._create_one(vals)
    finally:
        store.sequences[model] = max(last, rid)
