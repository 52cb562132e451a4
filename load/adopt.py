"""`odoo__ir_model_data`: give records the target already has our external ids, so every
later mart can point at them (`partner_id/id`) instead of creating duplicates.

ir.model.data has no external id of its own to upsert by, so this is search-then-create:
rows that exist with the same target are unchanged, missing ones are created, and an
external id already pointing elsewhere is a failure, never overwritten.
"""

from __future__ import annotations

from legal2odoo.load.ledger import Write
from legal2odoo.load.references import lookup_xmlids
from legal2odoo.load.rows import Row
from legal2odoo.load.transport import Transport

COLUMNS = ("module", "name", "model", "res_id")


def adopt_xmlids(odoo: Transport, rows: list[Row]) -> list[Write]:
    if not rows:
        return []
    # read_rows gives cells in the mart's column order; the mart is contract-checked by dbt
    values = [dict(zip(COLUMNS, row.cells[:4], strict=True)) for row in rows]
    xmlids = [f"{v['module']}.{v['name']}" for v in values]
    existing = lookup_xmlids(odoo, xmlids)
    writes: list[Write] = []
    to_create: list[tuple[Row, str, dict]] = []
    for row, xmlid, v in zip(rows, xmlids, values, strict=True):
        target = (v["model"], int(v["res_id"]))
        found = existing.get(xmlid)
        if found is None:
            to_create.append((row, xmlid, v))
        elif found == target:
            writes.append(Write("ir.model.data", xmlid, "unchanged", source=row.meta))
        else:
            writes.append(
                Write(
                    "ir.model.data",
                    xmlid,
                    "failed",
                    source=row.meta,
                    error=f"already points to {found[0]},{found[1]}, not {target[0]},{target[1]}",
                )
            )
    if to_create:
        vals = [
            {
                **{k: v[k] for k in ("module", "name", "model")},
                "res_id": int(v["res_id"]),
                "noupdate": True,
            }
            for _, _, v in to_create
        ]
        ids = odoo.execute("ir.model.data", "create", [vals])
        writes += [
            Write("ir.model.data", xmlid, "created", odoo_id=rid, existed=False, source=row.meta)
            for (row, xmlid, _), rid in zip(to_create, ids, strict=True)
        ]
    return writes
