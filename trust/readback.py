"""Read back records from Odoo by database id, in chunks, through a `load/` transport."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from load.transport import Transport

READ_CHUNK = 2000
ALL_RECORDS = {"context": {"active_test": False}}
# many2one as a bare id: what the comparison uses; the names cost the server a display_name
# per value and the client their parsing
IDS_ONLY = {"load": "_classic_write", **ALL_RECORDS}


def read_records(
    odoo: Transport, model: str, ids: Iterable[int], fields: list[str], *, names: bool = True
) -> Iterator[dict[str, Any]]:
    """Every record that still exists, in ascending id order; a deleted one is simply absent.
    One search_read per chunk: existence and values in the same call. With names=False a
    many2one reads as its id instead of [id, name]."""
    wanted = sorted(set(ids))
    options = ALL_RECORDS if names else IDS_ONLY
    for start in range(0, len(wanted), READ_CHUNK):
        chunk = wanted[start : start + READ_CHUNK]
        domain = [["id", "in", chunk]]
        if not fields:  # search_read reads every field when given none
            yield from ({"id": i} for i in sorted(odoo.execute(model, "search", [domain],
                                                                 dict(ALL_RECORDS))))  # fmt: skip
            continue
        found = odoo.execute(model, "search_read", [domain, fields], dict(options))
        yield from sorted(found, key=lambda record: int(record["id"]))
