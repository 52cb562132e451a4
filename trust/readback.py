"""Read back records from Odoo by database id, in chunks, through a `load/` transport."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from legal2odoo.load.connect import connect, detect_protocol
from legal2odoo.load.errors import ConnectError
from legal2odoo.load.settings import OdooSettings
from legal2odoo.load.transport import Transport

log = logging.getLogger(__name__)

READ_CHUNK = 2000
ALL_RECORDS = {"context": {"active_test": False}}
# many2one as a bare id: what the comparison uses; the names cost the server a display_name
# per value and the client their parsing
IDS_ONLY = {"load": "_classic_write", **ALL_RECORDS}
JSONRPC_LAST_MAJOR = 18  # JSON-RPC is deprecated from Odoo 19 on (JSON-2 replaces it)


def read_records(
    odoo: Transport, model: str, ids: Iterable[int], fields: list[str], *, names: bool = True
) -> Iterator[dict[str, Any]]:
    """Every record that still exists, in ascending id order; a deleted one is simply absent.
    One search_read per chunk gives existence and values; the next chunk is already asked for
    while the caller works through this one (the server reads while we compare). With
    names=False a many2one reads as its id instead of [id, name]."""
    wanted = sorted(set(ids))
    chunks = [wanted[start : start + READ_CHUNK] for start in range(0, len(wanted), READ_CHUNK)]
    if not chunks:
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="read-back") as ahead:
        pending = ahead.submit(_read_chunk, odoo, model, chunks[0], fields, names)
        for following in [*chunks[1:], None]:
            found = pending.result()
            if following is not None:
                pending = ahead.submit(_read_chunk, odoo, model, following, fields, names)
            yield from found


def _read_chunk(
    odoo: Transport, model: str, ids: list[int], fields: list[str], names: bool
) -> list[dict[str, Any]]:
    domain = [["id", "in", ids]]
    if not fields:  # search_read reads every field when given none
        return [{"id": i} for i in sorted(odoo.execute(model, "search", [domain], ALL_RECORDS))]
    options = ALL_RECORDS if names else IDS_ONLY
    found = odoo.execute(model, "search_read", [domain, fields], dict(options))
    return sorted(found, key=lambda record: int(record["id"]))


def connect_for_reading(settings: OdooSettings) -> Transport:
    """A transport for reading back in bulk. ODOO_PROTOCOL when set; else where detection
    would settle on XML-RPC (Odoo 17/18), JSON-RPC when the server offers it: the same
    records parse ~50x faster from JSON than from XML-RPC in Python, and parsing was most of
    a large verify's time (docs/benchmarks.md)."""
    if settings.protocol or detect_protocol(settings) != "xmlrpc":
        return connect(settings)
    try:
        transport = connect(replace(settings, protocol="jsonrpc"))
    except ConnectError as error:
        log.info("no JSON-RPC at %s (%s): reading back over XML-RPC", settings.url, error)
        return connect(replace(settings, protocol="xmlrpc"))
    if transport.major_version > JSONRPC_LAST_MAJOR:  # deprecated there: keep to XML-RPC
        transport.close()
        return connect(replace(settings, protocol="xmlrpc"))
    return transport
