"""Parallel batches that never share a parent: lanes of rows routed by parent, run by workers.

Odoo answers `could not serialize access due to concurrent update` when two transactions
touch the same record at once: two batches of contacts of one company, of leads of one
partner, of messages on one lead. Each row goes to the lane its parent's external id hashes
to, and a lane sends its batches one after the other, so rows sharing a parent are never in
two batches running at the same time; at most `workers` lanes send at once. Conflicts that
remain (Odoo's own shared counters, e.g. lead scoring) are retried as transient by the batch
loader.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from legal2odoo.load.marts import RES_XMLID
from legal2odoo.load.rows import DEFAULT_BATCH_BYTES, DEFAULT_BATCH_ROWS, Row

# Columns naming the record a row hangs under, first non-empty wins: a contact's company,
# a lead's partner. A row with none is its own parent (a company and its contacts share one).
PARENT_COLUMNS = ("parent_id/id", "partner_id/id")
LOAD_PASS = "_load_pass"  # rows of a mart sent pass after pass (marts.py orders by it)


# Schema changes: each reloads Odoo's registry, and two at once fail (measured on Odoo 17 with
# 4 workers: 'relation "crm_lead" already exists', deadlock, fields missing afterwards).
ONE_LANE_MODELS = frozenset({"ir.model.fields", "ir.model.fields.selection"})


# Lanes per worker: parents hash unevenly (a company with many contacts), so with one lane per
# worker the longest lane sets the pace; with more, smaller lanes a free worker takes whichever
# lane has a batch ready (a lane still runs one batch at a time). Measured: 4 workers, 5 ms
# of server time per row, partners' largest of 4 lanes held 866 rows against a mean of 689.
LANES_PER_WORKER = 4


def lane_count(model: str, workers: int) -> int:
    """Lanes for a mart of `model`: one for schema changes or a single worker, else
    LANES_PER_WORKER per worker."""
    if model in ONE_LANE_MODELS or workers <= 1:
        return 1
    return workers * LANES_PER_WORKER


def parent_key(row: Row, columns: tuple[str, ...]) -> str:
    """The external id of the record `row` hangs under (messages, attachments, activities:
    the record they belong to)."""
    return _parent_key(row, _parent_indexes(columns))


def _parent_indexes(columns: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(columns.index(c) for c in PARENT_COLUMNS if c in columns)


def _parent_key(row: Row, indexes: tuple[int, ...]) -> str:
    owner = row.meta.get(RES_XMLID)
    if owner:
        return str(owner)
    for index in indexes:
        if value := row.cells[index]:
            return value.split(",")[0].strip()
    return row.external_id


def lane_of(key: str, lanes: int) -> int:
    # crc32, not hash(): the same parent lands in the same lane in every process
    return zlib.crc32(key.encode()) % lanes if lanes > 1 else 0


@dataclass
class _Open:
    rows: list[Row] = field(default_factory=list)
    size: int = 0


def lane_batches(
    rows: Iterable[Row],
    columns: tuple[str, ...],
    lanes: int,
    max_rows: int = DEFAULT_BATCH_ROWS,
    max_bytes: int = DEFAULT_BATCH_BYTES,
) -> Iterator[tuple[int, list[Row]]]:
    """(lane, batch) pairs: each lane's rows in their order, at most `max_rows` and about
    `max_bytes` per batch (a single larger row goes alone), never rows of two load passes
    (a mart's `_load_pass`) in one batch. One lane: consecutive batches."""
    open_ = [_Open() for _ in range(max(1, lanes))]
    indexes = _parent_indexes(columns)
    for row in rows:
        # one lane: every row goes there, no parent to look up
        lane = lane_of(_parent_key(row, indexes), len(open_)) if len(open_) > 1 else 0
        batch = open_[lane]
        if batch.rows and (
            len(batch.rows) >= max_rows
            or batch.size + row.size > max_bytes
            or row.meta.get(LOAD_PASS) != batch.rows[-1].meta.get(LOAD_PASS)
        ):
            yield lane, batch.rows
            open_[lane] = batch = _Open()
        batch.rows.append(row)
        batch.size += row.size
    for lane, batch in enumerate(open_):
        if batch.rows:
            yield lane, batch.rows
