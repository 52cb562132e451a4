"""Read back records from Odoo by database id, in chunks, through a `load/` transport."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from load.transport import Transport

READ_CHUNK = 2000
ALL_RECORDS = {"context": {"active_test": False}}


def read_records(
    odoo: Transport, model: str, ids: Iterable[int], fields: list[str]
) -> Iterator[dict[str, Any]]:
    """Every record that still exists; a deleted one is simply absent."""
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), READ_CHUNK):
        chunk = wanted[start : start + READ_CHUNK]
        present = odoo.execute(model, "search", [[["id", "in", chunk]]], dict(ALL_RECORDS))
        if present:
            yield from odoo.execute(model, "read", [sorted(present), fields], dict(ALL_RECORDS))
