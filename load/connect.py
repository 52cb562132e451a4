"""Open a logged-in transport: the protocol from ODOO_PROTOCOL, else detected from the server.

Detection: a server that answers `/web/version` is Odoo 19+, where JSON-2 is the supported API
(XML-RPC and JSON-RPC are deprecated); JSON-2 needs an API key, so without one we stay on
XML-RPC, which every version 17-21 still serves.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable

from legal2odoo.load.errors import AccessDenied, ConnectError, LoginFailed, OdooError
from legal2odoo.load.http import make_client, request
from legal2odoo.load.settings import OdooSettings
from legal2odoo.load.transport import RetryPolicy, Transport

log = logging.getLogger(__name__)
# protocol -> (module, class); only the one in use is imported (odoorpc, defusedxml: ~0.1 s
# of CPU each at start-up)
TRANSPORTS: dict[str, tuple[str, str]] = {
    "xmlrpc": ("legal2odoo.load.xmlrpc", "XmlRpcTransport"),
    "jsonrpc": ("legal2odoo.load.jsonrpc", "JsonRpcTransport"),
    "json2": ("legal2odoo.load.json2", "Json2Transport"),
}


# what each transport class is called with: its settings and the retry policy
TransportClass = Callable[[OdooSettings, RetryPolicy | None], Transport]


def transport_class(protocol: str) -> TransportClass:
    module, name = TRANSPORTS[protocol]
    cls: TransportClass = getattr(importlib.import_module(module), name)
    return cls


def detect_protocol(settings: OdooSettings) -> str:
    with make_client(min(settings.timeout, 30.0)) as client:
        try:
            response = request(client, "GET", f"{settings.url}/web/version")
        except OdooError as error:
            raise ConnectError(f"cannot reach Odoo at {settings.url}: {error.message}") from None
    if response.status_code == 200 and settings.api_key:
        return "json2"
    return "xmlrpc"


def connect(settings: OdooSettings, retry: RetryPolicy | None = None) -> Transport:
    """A transport logged in as ODOO_USER; ConnectError / LoginFailed with one clear line."""
    protocol = settings.protocol or detect_protocol(settings)
    transport = transport_class(protocol)(settings, retry)
    try:
        version = transport.version()
        transport.login()
    except LoginFailed as error:
        databases = transport.list_databases()
        transport.close()
        if databases is not None and settings.db not in databases:
            raise ConnectError(
                f"database {settings.db!r} does not exist on {settings.url} "
                f"(it has: {', '.join(databases) or 'none'})"
            ) from None
        raise LoginFailed(
            f"{error.message} at {settings.url}: check ODOO_USER and the password/API key"
        ) from None
    except AccessDenied as error:
        transport.close()
        raise ConnectError(
            f"Odoo at {settings.url} refused {protocol}: {error.message}", name=error.name
        ) from None
    except OdooError as error:
        transport.close()
        raise _explain(error, settings, protocol) from None
    log.info(
        "connected to Odoo %s at %s, db %s, as %s (uid %s) over %s",
        version.get("server_version"),
        settings.url,
        settings.db,
        settings.user,
        transport.uid,
        protocol,
    )
    return transport


def _explain(error: OdooError, settings: OdooSettings, protocol: str) -> ConnectError:
    if isinstance(error, ConnectError):
        return error
    text = error.message
    if "does not exist" in text and "database" in text.lower():
        return ConnectError(f"database {settings.db!r} does not exist on {settings.url}")
    return ConnectError(f"cannot log in to {settings.url} over {protocol}: {text}", name=error.name)
