"""Leads per pipeline stage before (the marts: what the source said, mapped) and after (what
Odoo holds for the same leads). Keyed by the stage's external id, labelled "Pipeline / Stage"."""

from __future__ import annotations

from collections import Counter
from typing import Any

import duckdb

from legal2odoo.load.transport import Transport
from legal2odoo.trust.diff import Resolver
from legal2odoo.trust.readback import read_records
from legal2odoo.trust.warehouse import has_table

UNMAPPED = "(no stage)"


def stage_labels(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    if not has_table(con, "odoo__crm_stage"):
        return {}
    team = "coalesce(t.name || ' / ', '')" if has_table(con, "odoo__crm_team") else "''"
    join = (
        'left join odoo__crm_team t on t.id = s."team_id/id"'
        if has_table(con, "odoo__crm_team")
        else ""
    )
    rows = con.execute(f"select s.id, {team} || s.name from odoo__crm_stage s {join}").fetchall()
    return {xmlid: label for xmlid, label in rows}


def stages_before(con: duckdb.DuckDBPyConnection, leads: set[str]) -> Counter[str]:
    rows = con.execute('select id, "stage_id/id" from odoo__crm_lead').fetchall()
    return Counter(stage or UNMAPPED for xmlid, stage in rows if xmlid in leads)


def stages_after(
    odoo: Transport,
    stage_ids: Counter[int | None],
    resolver: Resolver,
    stage_xmlids: list[str],
) -> Counter[str]:
    """Leads per stage key from the count of leads per Odoo stage id (None: no stage); a
    stage the marts do not know is keyed by its Odoo name."""
    resolver.prefetch(set(stage_xmlids))
    by_id = {resolver(x): x for x in stage_xmlids if resolver(x) is not None}
    unknown = sorted(i for i in stage_ids if i is not None and i not in by_id)
    names = _names(odoo, unknown)
    after: Counter[str] = Counter()
    for stage, count in stage_ids.items():
        if stage is None:
            after[UNMAPPED] += count
        else:
            after[by_id.get(stage, f"odoo:{names.get(stage, stage)}")] += count
    return after


def _names(odoo: Transport, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = read_records(odoo, "crm.stage", ids, ["display_name"])
    return {int(r["id"]): str(r["display_name"]) for r in rows}


def distribution(
    labels: dict[str, str], before: Counter[str], after: Counter[str]
) -> list[dict[str, Any]]:
    keys = sorted(set(before) | set(after), key=lambda k: labels.get(k, k))
    return [
        {"stage": labels.get(k, k.removeprefix("odoo:")), "before": before[k], "after": after[k]}
        for k in keys
    ]
