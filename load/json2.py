"""Odoo 19's JSON-2 API (`POST /json/2/<model>/<method>`, bearer API key) over httpx.

JSON-2 takes named arguments only; `execute`'s positional `args` are named here from the
method's Python signature, and a record method's first argument becomes `ids`.
"""

from __future__ import annotations

from typing import Any

from legal2odoo.load.errors import (
    AccessDenied,
    ConnectError,
    LoginFailed,
    OdooError,
    TransientError,
)
from legal2odoo.load.errors import is_serialization_failure as _serialization
from legal2odoo.load.http import make_client, post, request
from legal2odoo.load.settings import OdooSettings
from legal2odoo.load.transport import RetryPolicy, Transport, with_retries

# Positional parameter names after `self` (odoo/orm/models.py, 19.0).
ARGUMENT_NAMES: dict[str, tuple[str, ...]] = {
    "create": ("vals_list",),
    "load": ("fields", "data"),
    "search": ("domain", "offset", "limit", "order"),
    "search_read": ("domain", "fields", "offset", "limit", "order"),
    "search_count": ("domain", "limit"),
    "fields_get": ("allfields", "attributes"),
    "name_search": ("name", "domain", "operator", "limit"),
    "name_create": ("name",),
    "default_get": ("fields",),
    "context_get": (),
    "write": ("vals",),
    "read": ("fields", "load"),
    "unlink": (),
    "copy": ("default",),
    "message_post": (),
}
RECORD_METHODS = frozenset({"write", "read", "unlink", "copy", "message_post"})


def named_arguments(method: str, args: list[Any], kwargs: dict[str, Any]) -> dict[str, Any]:
    body = dict(kwargs)
    args = list(args)
    if method in RECORD_METHODS:
        if not args:
            raise ValueError(f"{method} needs the record ids as its first argument")
        body["ids"] = args.pop(0)
    names = ARGUMENT_NAMES.get(method)
    if args and (names is None or len(args) > len(names)):
        raise ValueError(f"JSON-2: pass {method}'s arguments by name (kwargs), not position")
    body.update(zip(names or (), args, strict=False))
    return body


def json2_error(status: int, body: dict[str, Any]) -> OdooError:
    name = str(body.get("name") or "")
    message = str(body.get("message") or f"HTTP {status}")
    if status == 401:
        return LoginFailed(f"Odoo refused the API key: {message}", name=name)
    if status == 403:
        return AccessDenied(message, name=name)
    if status in (409,) or _serialization(message):
        return TransientError(message, name=name)
    if status == 404 and "NotFound" in name:
        return OdooError(f"no such model or method: {message}", name=name)
    return OdooError(message, name=name)


class Json2Transport(Transport):
    name = "json2"

    def __init__(self, settings: OdooSettings, retry: RetryPolicy | None = None) -> None:
        super().__init__(retry)
        self.settings = settings
        self.client = make_client(
            settings.timeout,
            {
                "Authorization": f"bearer {settings.secret}",
                "X-Odoo-Database": settings.db,
            },
        )
        self._version: dict[str, Any] | None = None

    def version(self) -> dict[str, Any]:
        if self._version is None:
            url = f"{self.settings.url}/web/version"
            response = with_retries(
                lambda: request(self.client, "GET", url), self.retry, "/web/version"
            )
            if response.status_code != 200:
                raise ConnectError(f"no Odoo 19+ version at {url} (HTTP {response.status_code})")
            answer = response.json()
            self._version = {
                "server_version": answer.get("version"),
                "server_version_info": answer.get("version_info"),
            }
        return self._version

    def login(self) -> int:
        context = self.execute("res.users", "context_get")
        self.uid = int(context["uid"])
        return self.uid

    def _execute(self, model: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        url = f"{self.settings.url}/json/2/{model}/{method}"
        response = post(self.client, url, json=named_arguments(method, args, kwargs))
        if response.status_code == 200:
            return response.json()
        try:
            body = response.json()
        except ValueError:
            body = {"message": response.text[:500]}
        raise json2_error(response.status_code, body if isinstance(body, dict) else {})

    def close(self) -> None:
        self.client.close()
