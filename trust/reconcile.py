"""Reconciliation per Odoo model: source records vs mart rows vs ledger vs Odoo.

source = mart rows + review-queue rows (the SQL drops nothing: what is not in a mart is in the
queue, with its reason). Every record in scope must be in Odoo after the run with no failed
write; what is not (missing, or a pass of it failed) counts against the tolerance.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import duckdb

from legal2odoo.load.marts import Mart
from legal2odoo.trust.warehouse import has_table

SCHEMA_MODELS = ("ir.model.data", "ir.model.fields")  # applied as schema, not loaded as data


@dataclass(frozen=True)
class Reconciliation:
    model: str
    source: int  # mart + review queue
    review_queue: int
    mart: int
    in_scope: int  # what the run was asked to load (sample: what it sent)
    ledger_written: int
    ledger_failed: int
    in_odoo: int
    complete: int  # in Odoo and no write of this run failed on it
    gone_from_source: int  # written by earlier runs, no longer in the marts: kept in Odoo

    @property
    def unexplained(self) -> int:
        return self.in_scope - self.complete

    @property
    def rate(self) -> float:
        return self.unexplained / self.in_scope if self.in_scope else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "unexplained": self.unexplained, "rate": self.rate}


def mart_external_ids(con: duckdb.DuckDBPyConnection, marts: list[Mart]) -> set[str]:
    ids: set[str] = set()
    for mart in marts:
        key = "id" if "id" in mart.columns else mart.columns[0]
        ids.update(r[0] for r in con.execute(f'select "{key}" from {mart.table}').fetchall())
    return ids


# Review rows that hold a link or a line back, not a record of the model: a related-matter
# link, a participant's role on a matter, a trust ledger line (a JSON element on a partner).
LINK_ROWS = ("related_matter", "actionparticipant", "trust_transaction")


def queue_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """model -> distinct source records held (a record held for two reasons counts once);
    link rows are not records."""
    if not has_table(con, "int_records_held_for_review"):
        return {}
    links = ", ".join(f"'{m}'" for m in LINK_ROWS)
    rows = con.execute(
        "select model, count(distinct source_system || '/' || source_model || '/' || source_id) "
        f"from int_records_held_for_review where source_model not in ({links}) group by model"
    ).fetchall()
    return {model: n for model, n in rows}


def reconcile(
    model: str,
    in_mart: set[str],
    queued: int,
    mode: str,
    sent: set[str],
    written: set[str],
    failed: set[str],
    in_odoo: set[str],
    earlier: set[str],
) -> Reconciliation:
    # A sample or a cut-short run answers for what it sent; full and delta runs for the mart.
    scope = sent if mode == "sample" else in_mart
    return Reconciliation(
        model=model,
        source=len(in_mart) + queued,
        review_queue=queued,
        mart=len(in_mart),
        in_scope=len(scope),
        ledger_written=len(written & scope),
        ledger_failed=len(failed & scope),
        in_odoo=len(in_odoo & scope),
        complete=len((in_odoo - failed) & scope),
        gone_from_source=len(earlier - in_mart),
    )
