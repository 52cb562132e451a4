"""Which Odoo database a run wrote to, so the ledger never mixes two targets.

The identity is Odoo's `database.uuid` (ir.config_parameter) when the user may read it: a
database moved to a new URL keeps it, a copy made by Odoo's database manager gets a new one.
Without it (no access), the URL and database name stand in. URLs are stored and shown
without credentials.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from legal2odoo.load.errors import OdooError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OdooTarget:
    url: str  # without credentials
    db: str
    uuid: str | None = None

    @property
    def key(self) -> str:
        return f"uuid:{self.uuid}" if self.uuid else legacy_key(self.url, self.db)

    def describe(self) -> str:
        return f"{self.url} db {self.db}" + (f" (uuid {self.uuid})" if self.uuid else "")


def legacy_key(url: str, db: str) -> str:
    """The key of a target whose uuid is unknown: its URL and database name."""
    return f"url:{strip_credentials(url).rstrip('/')}#{db}"


def strip_credentials(url: str) -> str:
    """`http://user:secret@host:8069` -> `http://host:8069` (anything else unchanged)."""
    if not url or "@" not in url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.rpartition("@")[2]
    if not parts.netloc or "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def has_credentials(url: str) -> bool:
    return strip_credentials(url) != url


def identify(odoo: Any) -> OdooTarget:
    """The target behind a logged-in transport."""
    settings = getattr(odoo, "settings", None)
    url = strip_credentials(str(getattr(settings, "url", "?")))
    db = str(getattr(settings, "db", "?"))
    return OdooTarget(url, db, database_uuid(odoo))


def database_uuid(odoo: Any) -> str | None:
    try:
        rows = odoo.execute(
            "ir.config_parameter",
            "search_read",
            [[["key", "=", "database.uuid"]], ["value"]],
            {"limit": 1},
        )
    except OdooError as error:  # no access, or a server without the model
        log.info("database.uuid not readable (%s): the target is named by URL and db", error)
        return None
    value = rows[0].get("value") if rows else None
    return str(value) if value else None


def same_target(run: dict[str, Any], target: OdooTarget) -> bool:
    """Whether a ledger run wrote to `target`: by uuid when both are known, else by URL+db."""
    uuid = run.get("db_uuid")
    if uuid and target.uuid:
        return bool(uuid == target.uuid)
    url = strip_credentials(str(run.get("target_url") or "")).rstrip("/")
    return url == target.url.rstrip("/") and run.get("db") == target.db
