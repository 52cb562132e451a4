"""JSON-RPC (`/jsonrpc`) through odoorpc, the client most Odoo integrators already use.

odoorpc speaks urllib: its failures are mapped here to the same errors as the other transports.
"""

from __future__ import annotations

import http.client
import logging
import socket
import urllib.error
from typing import Any
from urllib.parse import urlsplit

import odoorpc
import odoorpc.error

from legal2odoo.load.errors import (
    AccessDenied,
    ConnectError,
    LoginFailed,
    OdooError,
    TransientError,
)
from legal2odoo.load.errors import is_serialization_failure as _serialization
from legal2odoo.load.http import make_client, post
from legal2odoo.load.settings import OdooSettings
from legal2odoo.load.transport import NotSent, RetryPolicy, Transport, with_retries
from legal2odoo.retry import TRANSIENT_STATUS, parse_retry_after

# odoorpc logs each request at DEBUG, execute_kw's password argument included.
logging.getLogger("odoorpc").setLevel(logging.INFO)


def rpc_error(error: odoorpc.error.RPCError) -> OdooError:
    info = error.info if isinstance(error.info, dict) else {}
    data = info.get("data") or {}
    name = str(data.get("name") or "")
    message = str(data.get("message") or (error.args[0] if error.args else "") or "")
    if "AccessDenied" in name or "AccessError" in name:
        return AccessDenied(message, name=name)
    if _serialization(message) or _serialization(str(data.get("debug") or "")):
        return TransientError(message, name=name)
    if info.get("code") == 404:
        return ConnectError(f"not found on the server: {message}", name=name)
    return OdooError(message, name=name)


def _wire_error(error: Exception, url: str) -> OdooError:
    if isinstance(error, urllib.error.HTTPError):
        if error.code in TRANSIENT_STATUS:
            wait = parse_retry_after(error.headers.get("retry-after") if error.headers else None)
            return TransientError(f"{url} answered HTTP {error.code}", retry_after=wait)
        return ConnectError(f"{url} answered HTTP {error.code}")
    if isinstance(error, urllib.error.URLError) and isinstance(
        error.reason, ConnectionRefusedError
    ):
        return NotSent(f"cannot connect to {url}: {error.reason}")
    return TransientError(f"connection to {url} broke: {error!r}")


WIRE_ERRORS = (urllib.error.URLError, http.client.HTTPException, OSError, socket.timeout)


class JsonRpcTransport(Transport):
    name = "jsonrpc"

    def __init__(self, settings: OdooSettings, retry: RetryPolicy | None = None) -> None:
        super().__init__(retry)
        self.settings = settings
        parts = urlsplit(settings.url)
        if parts.path not in ("", "/"):
            raise ConnectError(f"odoorpc cannot reach a server below a path: {settings.url}")
        self._parts = parts
        self._odoo: odoorpc.ODOO | None = None
        self._version: dict[str, Any] | None = None

    @property
    def odoo(self) -> odoorpc.ODOO:
        """Built once the version is known, so odoorpc does not ask for it without retries."""
        if self._odoo is None:
            info = self.version().get("server_version_info") or [0, 0]
            secure = self._parts.scheme == "https"
            self._odoo = odoorpc.ODOO(
                self._parts.hostname or "localhost",
                protocol="jsonrpc+ssl" if secure else "jsonrpc",
                port=self._parts.port or (443 if secure else 80),
                timeout=self.settings.timeout,
                version=f"{info[0]}.{info[1]}",
            )
        return self._odoo

    def _wire(self, call: Any) -> Any:
        try:
            return call()
        except odoorpc.error.RPCError as error:
            raise rpc_error(error) from None
        except WIRE_ERRORS as error:
            raise _wire_error(error, self.settings.url) from error

    def version(self) -> dict[str, Any]:
        if self._version is None:
            url = f"{self.settings.url}/web/webclient/version_info"
            payload = {"jsonrpc": "2.0", "method": "call", "params": {}, "id": 0}
            with make_client(self.settings.timeout) as client:
                response = with_retries(
                    lambda: post(client, url, json=payload), self.retry, "version_info"
                )
            answer = response.json() if response.status_code == 200 else {}
            if "result" not in answer:
                raise ConnectError(f"no Odoo JSON-RPC at {url} (HTTP {response.status_code})")
            self._version = answer["result"]
        return self._version

    def login(self) -> int:
        s = self.settings
        try:
            with_retries(
                lambda: self._wire(lambda: self.odoo.login(s.db, s.user, s.secret)),
                self.retry,
                "login",
            )
        except OdooError as error:
            if "Wrong login ID or password" in error.message:
                raise LoginFailed(
                    f"Odoo refused the login of {s.user!r} on database {s.db!r}"
                ) from None
            raise
        self.uid = int(self.odoo.env.uid)
        return self.uid

    def list_databases(self) -> list[str] | None:
        try:
            return list(self._wire(lambda: self.odoo.db.list()))
        except OdooError:
            return None

    def _execute(self, model: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        return self._wire(lambda: self.odoo.execute_kw(model, method, args, kwargs))
