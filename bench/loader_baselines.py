"""Baselines the loader is measured against, each run as its own process:

- `naive`: what a first script does: one `create` per record (partners, then leads pointing
  at the partners it created), no batching, no context.
- `raw`: the server's capacity: batched `load()` with the migration context and nothing
  else (no lookups, no ledger, no before-images, no read-back). Like ours, it sets
  self-references (a contact's company) in a second load() per mart: in one pass Odoo would
  make other records (the first contact's address moves to its company and on to the next
  contacts), and the baseline must do the work ours does.

Both use ODOO_* settings and the same XML-RPC transport as the loader, and the same mart rows.
"""

from __future__ import annotations

import argparse
from itertools import islice
from pathlib import Path

from legal2odoo.load.connect import connect
from legal2odoo.load.marts import find_marts, open_warehouse
from legal2odoo.load.rows import read_rows
from legal2odoo.load.settings import load_settings
from legal2odoo.load.transport import Transport
from legal2odoo.load.upsert import MIGRATION_CONTEXT, self_reference_columns
from legal2odoo.workdir import Workdir

# Marts a plain load() can take (no _res_xmlid / files to resolve): the set every step loads.
PLAIN = (
    "odoo__res_partner_category",
    "odoo__crm_team",
    "odoo__crm_stage",
    "odoo__crm_tag",
    "odoo__crm_lost_reason",
    "odoo__ir_model_fields",
    "odoo__ir_model_fields_selection",
    "odoo__res_partner",
    "odoo__crm_lead",
)
# (odoo__crm_lead__intake is left out: the sandbox does not yet attach
# ir.model.fields.selection options to a manual field, so its selection values fail there.)


def raw(workdir: Workdir, batch: int, limit: int | None) -> int:
    odoo = connect(load_settings())
    sent = 0
    with open_warehouse(workdir.warehouse) as con:
        for mart in find_marts(con):
            if mart.table not in PLAIN:
                continue
            rows = [list(r.cells) for r in islice(read_rows(con, mart), limit)]
            fields = odoo.execute(mart.model, "fields_get", [], {"attributes": ["relation"]})
            later = self_reference_columns(mart.model, mart.columns, fields)
            first = [c for c in mart.columns if c not in later]
            second = ["id", *later]
            sent += _load(odoo, mart.model, first, _cells(rows, mart.columns, first), batch)
            pending = [r for r in _cells(rows, mart.columns, second) if any(r[1:])]
            _load(odoo, mart.model, second, pending, batch)
    return sent


def _cells(rows: list[list[str]], columns: tuple[str, ...], keep: list[str]) -> list[list[str]]:
    index = [columns.index(c) for c in keep]
    return [[r[i] for i in index] for r in rows]


def _load(
    odoo: Transport, model: str, columns: list[str], rows: list[list[str]], batch: int
) -> int:
    sent = 0
    for start in range(0, len(rows), batch):
        answer = odoo.execute(
            model, "load", [columns, rows[start : start + batch]], {"context": MIGRATION_CONTEXT}
        )
        if not answer.get("ids"):
            raise SystemExit(f"raw load() refused a batch: {answer['messages'][:3]}")
        sent += len(answer["ids"])
    return sent


def naive(workdir: Workdir, limit: int | None) -> int:
    """Partners and leads only (teams/stages by name would need lookups a naive script
    does not do): plain values, partner_id from the partners this run created."""
    odoo = connect(load_settings())
    created: dict[str, int] = {}
    sent = 0
    with open_warehouse(workdir.warehouse) as con:
        # by table: a further pass (odoo__res_partner__actionstep) has the same model
        marts = {m.table: m for m in find_marts(con)}
        for table, plain in (
            ("odoo__res_partner", ("name", "email", "phone", "street", "city", "zip")),
            (
                "odoo__crm_lead",
                ("name", "type", "email_from", "phone", "description", "contact_name"),
            ),
        ):
            mart = marts[table]
            model = mart.model
            for row in islice(read_rows(con, mart), limit):
                values = dict(zip(mart.columns, row.cells, strict=True))
                vals = {k: values[k] for k in plain if values.get(k)}
                if model == "crm.lead" and values.get("partner_id/id") in created:
                    vals["partner_id"] = created[values["partner_id/id"]]
                created[row.external_id] = odoo.execute(model, "create", [vals])
                sent += 1
    return sent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kind", choices=("raw", "naive"))
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--limit", type=int, help="Rows per mart.")
    args = parser.parse_args()
    workdir = Workdir(args.data_dir)
    sent = (
        raw(workdir, args.batch, args.limit) if args.kind == "raw" else naive(workdir, args.limit)
    )
    if not sent:  # a baseline that did nothing would make any loader look fast
        raise SystemExit(f"{args.kind}: no rows sent")
    print(f"{args.kind}: {sent} rows")


if __name__ == "__main__":
    main()
