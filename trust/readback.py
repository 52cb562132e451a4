"""Read back records from Odoo by database id, in chunks, through a `load/` transport."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from load.connect import connect, detect_protocol
from load.errors import ConnectError
from load.settings import OdooSettings
from load.transport import Transport

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
