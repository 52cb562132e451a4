"""New won leads: created outside their won stage, then moved there with one write per stage.

Odoo 17's `crm.lead.create` calls `_handle_won_lost` once per created lead whose values hold
`stage_id` or `active`; for a lead in a won stage that is a search of the won stages and
`_pls_increment_frequencies` (the predictive lead scoring table) for that lead alone, most of
a won lead's create time. `crm.lead.write` calls it once for the whole recordset. So a batch's
new, active, won leads are created in a non-won stage (same load() call, same row order), then:

1. without a `probability` column only, `write({'probability': 1})`: a lead whose probability
   is 0 when it reaches a won stage also counts as leaving "lost"; a plain create in a won
   stage computes 100, a create elsewhere on a fresh Odoo (no won and lost counts) leaves 0.
   With the column, the sent probability (100, else the row is not batched) is what create
   in either stage keeps, so the stage write sees what a plain create's call saw.
2. `write({'stage_id': won})` per won stage: one `_handle_won_lost`, which adds the same won
   counts (a won lead counts on every stage, whatever stage it comes from); it also sets
   probability and automated_probability to 100 and date_closed to now.
3. `load([".id", "date_closed", "date_last_stage_update", ...])`: date_closed back to the
   source's, date_last_stage_update back to create's stamp (the create transaction's time,
   as a plain create leaves it; read before step 2) and (with a `probability` column)
   automated_probability back to what create left: a probability in the values protects
   both fields their one compute method sets, so create keeps the automated one at its
   default, 0 (read before step 2, not assumed).

Only rows that create a record (an update is left as load() does it), that are active (an
archived lead in a won stage keeps the probability load() gives it, not 100) and, with the
column, whose probability is 100. The end state equals a plain load()'s (tests/loader/
test_won_lost_real_odoo.py), the server's clock aside (create_date, write_date: each run's
own; date_last_stage_update equals create_date in both).
Off unless LEGAL2ODOO_BATCH_WON=1: it is identical to load() on the real Odoo 17 and 8-9 %
faster at 5,000 leads (3 of 3 rounds), not shown at 2,000 (noise); docs/benchmarks.md. The
benchmark compares both.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from legal2odoo.load.errors import OdooError
from legal2odoo.load.references import lookup_xmlids
from legal2odoo.load.rows import Row
from legal2odoo.load.transport import Transport

MODEL = "crm.lead"
STAGE = "stage_id/id"
PROBABILITY = "probability"
NO_ARCHIVE_FILTER = {"active_test": False}


def enabled(model: str, columns: tuple[str, ...]) -> bool:
    return (
        model == MODEL
        and STAGE in columns
        and "id" in columns
        and os.environ.get("LEGAL2ODOO_BATCH_WON") == "1"
    )


@dataclass(frozen=True)
class WonBatch:
    """One batch as sent, and what must follow the load() of its won leads."""

    rows: list[Row]  # the batch with the won leads' stage cell replaced
    won: dict[str, str]  # external id -> the won stage's external id (rows changed)
    stages: dict[str, int]  # won stage external id -> database id
    date_closed: dict[str, str]  # external id -> the source's date_closed cell
    probability_sent: bool = False  # the batch has a probability column


def prepare(
    odoo: Transport, rows: list[Row], columns: tuple[str, ...], existing: set[str]
) -> WonBatch:
    """The batch with its new, active, won leads moved to a non-won stage."""
    at_stage = columns.index(STAGE)
    at_active = columns.index("active") if "active" in columns else None
    at_closed = columns.index("date_closed") if "date_closed" in columns else None
    at_probability = columns.index(PROBABILITY) if PROBABILITY in columns else None
    candidates = [
        r
        for r in rows
        if r.cells[at_stage]
        and r.external_id not in existing
        and (at_active is None or r.cells[at_active] in ("", "True"))
        and (at_probability is None or _is_hundred(r.cells[at_probability]))
    ]
    if not candidates:
        return WonBatch(rows, {}, {}, {})
    won_stages, other = _stages(odoo, {r.cells[at_stage] for r in candidates})
    won = {r.external_id: r.cells[at_stage] for r in candidates if r.cells[at_stage] in won_stages}
    if not won or other is None:
        return WonBatch(rows, {}, {}, {})
    sent = [
        Row(r.external_id, _replace(r.cells, at_stage, other), r.meta, r.size)
        if r.external_id in won
        else r
        for r in rows
    ]
    closed = {
        r.external_id: r.cells[at_closed] if at_closed is not None else ""
        for r in rows
        if r.external_id in won
    }
    return WonBatch(sent, won, won_stages, closed, at_probability is not None)


Loader = Callable[[list[str], list[list[str]]], tuple[list[int] | None, list[dict[str, Any]]]]


def finish(
    odoo: Transport,
    batch: WonBatch,
    landed: list[tuple[Row, int]],
    context: dict[str, Any],
    load: Loader,
) -> int:
    """Move the landed won leads to their won stages; the calls made besides `load` (the
    batch loader's load(), which retries serialization conflicts reported in its messages)."""
    ids = {row.external_id: rid for row, rid in landed if row.external_id in batch.won}
    if not ids:
        return 0
    ctx = {"context": context}
    kept = ["date_last_stage_update"]  # create's stamps that the stage write would overwrite
    if batch.probability_sent:
        kept.append("automated_probability")
    read = odoo.execute(
        MODEL, "read", [sorted(ids.values()), kept], {"context": {**context, **NO_ARCHIVE_FILTER}}
    )
    created = {r["id"]: r for r in read}
    if not batch.probability_sent:
        odoo.execute(MODEL, "write", [sorted(ids.values()), {"probability": 1}], ctx)
    by_stage: dict[str, list[int]] = defaultdict(list)
    for xmlid, rid in ids.items():
        by_stage[batch.won[xmlid]].append(rid)
    for stage, stage_ids in sorted(by_stage.items()):
        odoo.execute(MODEL, "write", [sorted(stage_ids), {"stage_id": batch.stages[stage]}], ctx)
    columns = [".id", "date_closed", *kept]
    data = [
        [str(rid), batch.date_closed[xmlid], *(_cell(created[rid][k]) for k in kept)]
        for xmlid, rid in ids.items()
    ]
    loaded, errors = load(columns, data)
    if not loaded:
        raise OdooError(
            f"{len(data)} won lead(s) moved to their won stage but date_closed not restored "
            f"(resume the run to set it): {errors[:3]}",
            model=MODEL,
            method="load",
        )
    return 2 + len(by_stage)


def _cell(value: Any) -> str:
    """A value read back, as load() takes it (a float as its repr, False as empty)."""
    if value is False or value is None:
        return ""
    return repr(float(value)) if isinstance(value, int | float) else str(value)


def _is_hundred(cell: str) -> bool:
    try:
        return float(cell) == 100
    except ValueError:
        return False


def _stages(odoo: Transport, xmlids: set[str]) -> tuple[dict[str, int], str | None]:
    """Won stages among `xmlids` (external id -> id), and a non-won stage's external id."""
    found = {
        x: rid for x, (model, rid) in lookup_xmlids(odoo, xmlids).items() if model == "crm.stage"
    }
    read = odoo.execute(
        "crm.stage",
        "read",
        [sorted(set(found.values())), ["is_won"]],
        {"context": NO_ARCHIVE_FILTER},
    )
    is_won = {r["id"]: r["is_won"] for r in read}
    won = {x: rid for x, rid in found.items() if is_won.get(rid)}
    other = next((x for x, rid in sorted(found.items()) if is_won.get(rid) is False), None)
    return won, other or _any_other_stage(odoo)


def _any_other_stage(odoo: Transport) -> str | None:
    """The external id of a non-won stage, when the batch names none."""
    ids = odoo.execute("crm.stage", "search", [[["is_won", "=", False]]], {"limit": 1})
    if not ids:
        return None
    found = odoo.execute(
        "ir.model.data",
        "search_read",
        [[["model", "=", "crm.stage"], ["res_id", "=", ids[0]]], ["module", "name"]],
        {"limit": 1},
    )
    return f"{found[0]['module']}.{found[0]['name']}" if found else None


def _replace(cells: tuple[str, ...], index: int, value: str) -> tuple[str, ...]:
    return (*cells[:index], value, *cells[index + 1 :])
