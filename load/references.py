"""Which external ids and database ids exist in Odoo: the lookups behind upsert actions
(created or updated), before-images and the rule that a row whose reference does not
resolve is held, never sent."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from legal2odoo.load.transport import Transport

MODULE = "legal2odoo"
LOOKUP_CHUNK = 1000
NO_ARCHIVE_FILTER = {"context": {"active_test": False}}


def split_xmlid(xmlid: str) -> tuple[str, str]:
    module, sep, name = xmlid.partition(".")
    return (module, name) if sep else ("__import__", xmlid)  # load()'s default module


def lookup_xmlids(odoo: Transport, xmlids: Iterable[str]) -> dict[str, tuple[str, int]]:
    """module.name -> (model, res_id) for those that exist."""
    wanted = {split_xmlid(x): x for x in set(xmlids) if x}
    found: dict[str, tuple[str, int]] = {}
    names = sorted({name for _, name in wanted})
    for start in range(0, len(names), LOOKUP_CHUNK):
        chunk = names[start : start + LOOKUP_CHUNK]
        in_chunk = set(chunk)  # built once: inside the comprehension it was once per id
        modules = sorted({m for m, n in wanted if n in in_chunk})
        rows = odoo.execute(
            "ir.model.data",
            "search_read",
            [
                [["module", "in", modules], ["name", "in", chunk]],
                ["module", "name", "model", "res_id"],
            ],
        )
        for row in rows:
            key = (row["module"], row["name"])
            if key in wanted:
                found[wanted[key]] = (row["model"], int(row["res_id"]))
    return found


def existing_ids(odoo: Transport, model: str, ids: Iterable[int]) -> set[int]:
    wanted = sorted(set(ids))
    found: set[int] = set()
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        chunk = wanted[start : start + LOOKUP_CHUNK]
        found.update(
            odoo.execute(model, "search", [[["id", "in", chunk]]], dict(NO_ARCHIVE_FILTER))
        )
    return found


@dataclass
class ReferenceCache:
    """References already seen to resolve in this run, shared by the worker threads."""

    xmlids: set[str] = field(default_factory=set)
    db_ids: set[tuple[str, int]] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def unresolved(
        self,
        odoo: Transport,
        xmlids: set[str],
        db_ids: set[tuple[str, int]],
    ) -> tuple[set[str], set[tuple[str, int]]]:
        with self.lock:
            xmlids = xmlids - self.xmlids
            db_ids = db_ids - self.db_ids
        found_x = set(lookup_xmlids(odoo, xmlids)) if xmlids else set()
        found_d: set[tuple[str, int]] = set()
        by_model: dict[str, set[int]] = {}
        for model, rid in db_ids:
            by_model.setdefault(model, set()).add(rid)
        for model, ids in by_model.items():
            found_d.update((model, rid) for rid in existing_ids(odoo, model, ids))
        with self.lock:
            self.xmlids |= found_x
            self.db_ids |= found_d
        return xmlids - found_x, db_ids - found_d

    def add(self, xmlids: Iterable[str]) -> None:
        with self.lock:
            self.xmlids.update(xmlids)


def read_before(
    odoo: Transport, model: str, ids: list[int], fields: list[str]
) -> dict[int, dict[str, Any]]:
    """Current values of the fields we are about to overwrite, in write() form."""
    if not ids or not fields:
        return {}
    rows = odoo.execute(
        model, "read", [ids, fields], {"load": "_classic_write", **NO_ARCHIVE_FILTER}
    )
    return {row.pop("id"): row for row in rows}
