"""What `preflight` learns from the live target: is the external API reachable, which
version and transport the load will use. Through `load/`'s own connect, never a second client."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from legal2odoo.load.connect import connect, detect_protocol
from legal2odoo.load.errors import OdooError
from legal2odoo.load.settings import OdooSettings, load_settings
from legal2odoo.load.transport import Transport
from legal2odoo.trust.findings import BLOCK, INFO, Finding

log = logging.getLogger(__name__)
ENTERPRISE_MODULE = "web_enterprise"


def check_target(
    environ: Mapping[str, str] | None = None,
    opener: Callable[[OdooSettings], Transport] = connect,
) -> list[Finding]:
    """One finding: reachable (version, edition, transport) or why not. Without ODOO_*
    settings the load can still go to import CSVs, so that is information, not a block."""
    try:
        settings = load_settings(environ)
    except OdooError as error:
        return [Finding("odoo_api", INFO, 0, f"{error.message}: only `load --to csv` is possible")]
    try:
        protocol = settings.protocol or detect_protocol(settings)
        transport = opener(OdooSettings(**{**settings.__dict__, "protocol": protocol}))
    except OdooError as error:
        return [
            Finding(
                "odoo_api",
                BLOCK,
                0,
                f"the Odoo external API at {settings.url} is not usable: {error.message}",
                [{"url": settings.url, "db": settings.db}],
            )
        ]
    try:
        version = str(transport.version().get("server_version"))
        enterprise = _has_module(transport, ENTERPRISE_MODULE)
    finally:
        transport.close()
    edition = {True: "Enterprise", False: "Community", None: "unknown edition"}[enterprise]
    return [
        Finding(
            "odoo_api",
            INFO,
            1,
            f"Odoo {version} {edition} at {settings.url} (db {settings.db}) answers over "
            f"{protocol} as {settings.user}",
            [
                {
                    "url": settings.url,
                    "db": settings.db,
                    "version": version,
                    "edition": edition,
                    "transport": protocol,
                    "user": settings.user,
                }
            ],
        )
    ]


def _has_module(transport: Transport, name: str) -> bool | None:
    try:
        found = transport.execute(
            "ir.module.module", "search_count", [[["name", "=", name], ["state", "=", "installed"]]]
        )
    except OdooError as error:  # a user who may not read modules: the edition stays unknown
        log.warning("cannot read installed modules: %s", error.message)
        return None
    return bool(found)
