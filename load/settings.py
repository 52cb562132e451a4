"""Connection settings, only from the environment or a `.env` file (never CLI arguments).

The secret is kept out of `repr` so that a settings object in a log line or a traceback
never shows it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from legal2odoo.load.errors import ConnectError
from legal2odoo.load.target import has_credentials, strip_credentials

log = logging.getLogger(__name__)

PROTOCOLS = ("xmlrpc", "jsonrpc", "json2")
KEYS = ("ODOO_URL", "ODOO_DB", "ODOO_USER", "ODOO_PASSWORD", "ODOO_API_KEY", "ODOO_PROTOCOL")


@dataclass(frozen=True)
class OdooSettings:
    url: str
    db: str
    user: str
    secret: str = field(repr=False)  # password or API key: both work over RPC
    protocol: str | None = None  # None: detect from the server version
    api_key: bool = False  # the secret is an API key (JSON-2 needs one)
    timeout: float = 300.0  # a 2,000-row load() takes ~10 s; a hung server must not hang us

    def __post_init__(self) -> None:
        # however the settings were made, the URL kept (logged, stored) carries no password
        object.__setattr__(self, "url", strip_credentials(self.url))

    @property
    def verify_tls(self) -> bool:
        return True  # never configurable off: credentials travel on this connection


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines; `#` comments, optional `export ` and quotes. No interpolation."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def load_settings(
    environ: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")
) -> OdooSettings:
    """The environment wins over `.env`; missing settings are named, never their values."""
    given = os.environ if environ is None else environ  # an empty mapping means "none"
    env = {**(read_dotenv(dotenv) if dotenv else {}), **given}
    values = {key: env.get(key, "").strip() for key in KEYS}
    secret = values["ODOO_API_KEY"] or values["ODOO_PASSWORD"]
    missing = [k for k in ("ODOO_URL", "ODOO_DB", "ODOO_USER") if not values[k]]
    if not secret:
        missing.append("ODOO_PASSWORD or ODOO_API_KEY")
    if missing:
        raise ConnectError(f"Odoo connection not configured: set {', '.join(missing)}")
    protocol = values["ODOO_PROTOCOL"].lower() or None
    if protocol is not None and protocol not in PROTOCOLS:
        raise ConnectError(f"ODOO_PROTOCOL must be one of {', '.join(PROTOCOLS)}, not {protocol!r}")
    return OdooSettings(
        url=server_url(values["ODOO_URL"]),
        db=values["ODOO_DB"],
        user=values["ODOO_USER"],
        secret=secret,
        protocol=protocol,
        api_key=bool(values["ODOO_API_KEY"]),
    )


def server_url(raw: str) -> str:
    """ODOO_URL as the server's root: credentials dropped (never stored, printed or sent),
    a path refused (the RPC endpoints live at the root; `/odoo` or `/web` is the web client)."""
    url = raw.strip().rstrip("/")
    if has_credentials(url):
        url = strip_credentials(url)
        log.warning(
            "ODOO_URL holds a user and password: ignored (set ODOO_USER and "
            "ODOO_PASSWORD or ODOO_API_KEY instead); using %s",
            url,
        )
    try:
        parts = urlsplit(url)
    except ValueError as error:
        raise ConnectError(
            f"ODOO_URL is not a URL ({error}): set it like https://odoo.example.com"
        ) from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConnectError(
            f"ODOO_URL {url!r} is not an http(s) address: set it like https://odoo.example.com"
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        root = f"{parts.scheme}://{parts.netloc}"
        raise ConnectError(
            f"ODOO_URL {url} has a path ({parts.path or '?' + parts.query}); the API lives at the "
            f"server's root: set ODOO_URL={root}"
        )
    return url
