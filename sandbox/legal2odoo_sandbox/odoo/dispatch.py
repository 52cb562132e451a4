"""The RPC services Odoo exposes (`common`, `object`, `db`), transport-independent.

Every transport turns a request into `Dispatcher.common/object/db` calls and renders the
returned value or the raised `OdooError` its own way.
"""

from __future__ import annotations

import contextvars
import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from legal2odoo_sandbox.odoo.exceptions import (
    AccessDenied,
    AccessError,
    OdooAttributeError,
    OdooError,
    OdooTypeError,
    OdooValueError,
    UserError,
)
from legal2odoo_sandbox.odoo.importer import load
from legal2odoo_sandbox.odoo.orm import Env, Model
from legal2odoo_sandbox.odoo.store import Store
from legal2odoo_sandbox.odoo.thread import THREAD_MODELS, message_post

log = logging.getLogger(__name__)

# Methods called on records: the first positional argument is the list of ids.
RECORD_METHODS = frozenset({"write", "unlink", "read", "name_get", "exists", "message_post"})
MODEL_METHODS = frozenset(
    {
        "create",
        "search",
        "search_read",
        "search_count",
        "fields_get",
        "name_search",
        "name_create",
        "default_get",
        "check_access_rights",
        "load",
    }
)
REMOVED_IN_18 = frozenset({"name_get"})
# Set by the HTTP layer for one request when fault injection drew "serialization": a load()
# in that request then fails as under a concurrent batch (per thread, so per request).
INJECTED_CONFLICT: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "injected_conflict", default=False
)
# Rows this request asked to write (load/create/write), for the HTTP layer's simulated
# per-row server time (--ms-per-row); reset per request there.
ROWS_WRITTEN: contextvars.ContextVar[int] = contextvars.ContextVar("rows_written", default=0)


@dataclass
class ServerInfo:
    version: str
    db: str

    def version_info(self) -> dict[str, Any]:
        major = int(self.version.split(".")[0])
        return {
            "server_version": self.version,
            "server_version_info": [major, 0, 0, "final", 0, ""],
            "server_serie": self.version,
            "protocol_version": 1,
        }


class Dispatcher:
    def __init__(self, store: Store, db: str = "odoo") -> None:
        self.store = store
        self.info = ServerInfo(store.version, db)
        self.api_enabled = True

    # -- common ----------------------------------------------------------------------------------
    def common(self, method: str, args: list[Any]) -> Any:
        if method == "version":
            return self.info.version_info()
        if method in ("login", "authenticate"):
            db, login, password = (list(args) + [None] * 3)[:3]
            return self.login(db, login, password) or False
        if method == "about":
            return "See http://openerp.com"
        raise OdooAttributeError(f"module 'odoo.service.common' has no attribute 'exp_{method}'")

    def login(self, db: Any, login: Any, password: Any) -> int | None:
        if db != self.info.db:
            return None
        for uid, user in self.store.tables["res.users"].items():
            if (
                user.get("login") == login
                and user.get("active")
                and self._password_ok(uid, password)
            ):
                return uid
        return None

    def _password_ok(self, uid: int, password: Any) -> bool:
        creds = self.store.credentials
        return creds.passwords.get(uid) == password or creds.api_keys.get(password) == uid

    def check_uid(self, db: Any, uid: Any, password: Any) -> int:
        if db != self.info.db:
            raise OdooError(f'database "{db}" does not exist')
        if not isinstance(uid, int) or not self._password_ok(uid, password):
            raise AccessDenied()
        user = self.store.tables["res.users"].get(uid)
        if not user or not user.get("active"):
            raise AccessDenied()
        return uid

    # -- db --------------------------------------------------------------------------------------
    def db(self, method: str, args: list[Any]) -> Any:
        if method == "list":
            return [self.info.db]
        if method == "server_version":
            return self.info.version
        raise AccessDenied()

    # -- object ----------------------------------------------------------------------------------
    def object(self, method: str, args: list[Any]) -> Any:
        if method == "execute_kw":
            db, uid, password, model, name, *rest = list(args) + [None] * (7 - len(args))
            call_args = rest[0] or []
            kwargs = rest[1] or {}
            return self.execute_kw(db, uid, password, model, name, call_args, kwargs)
        if method == "execute":
            db, uid, password, model, name, *call_args = args
            return self.execute_kw(db, uid, password, model, name, call_args, {})
        raise OdooAttributeError(f"module 'odoo.service.model' has no attribute 'exp_{method}'")

    def execute_kw(
        self,
        db: Any,
        uid: Any,
        password: Any,
        model: str,
        method: str,
        args: list[Any],
        kwargs: dict[str, Any],
    ) -> Any:
        uid = self.check_uid(db, uid, password)
        kwargs = dict(kwargs or {})
        context = kwargs.pop("context", None) or {}
        with self.store.transaction():
            env = Env(self.store, uid, context)
            return self.call(env, model, method, list(args or []), kwargs)

    def call(self, env: Env, model: str, method: str, args: list[Any], kwargs: dict) -> Any:
        """One model method, with Odoo's argument rules and RPC return shapes."""
        if method.startswith("_"):
            raise AccessError(f"Private methods (such as {method}) cannot be called remotely.")
        if method == "name_search" and self.store.version.startswith("19"):
            kwargs = _name_search_19(kwargs)
        if method == "load" and INJECTED_CONFLICT.get():
            env = env.with_context(_sandbox_serialization_failure=True)
        target = env.model(model)
        func = self._method(target, model, method)
        if method in RECORD_METHODS and not args and "ids" not in kwargs:
            raise OdooTypeError(f"{method}() missing 1 required positional argument: 'ids'")
        result = _bind(func, method, args, kwargs)
        ROWS_WRITTEN.set(ROWS_WRITTEN.get() + _rows_written(method, args, kwargs))
        if method == "create" and args and isinstance(args[0], dict):
            return result[0]
        if method == "create" and "vals_list" in kwargs and isinstance(kwargs["vals_list"], dict):
            return result[0]
        return result

    def _method(self, target: Model, model: str, method: str) -> Callable[..., Any]:
        if method == "load":
            return lambda fields, data: load(target, fields, data)
        if model == "res.users" and method == "context_get":
            return lambda: {"lang": "en_US", "tz": False, "uid": target.env.uid}
        if model == "ir.model.data" and method == "check_object_reference":
            return lambda module, xml_id, raise_on_access_error=False: check_object_reference(
                target.env, module, xml_id
            )
        if method == "message_post" and model in THREAD_MODELS:
            return lambda ids, **kwargs: message_post(target, ids, **kwargs)
        supported = RECORD_METHODS | MODEL_METHODS
        if method in REMOVED_IN_18 and self.store.version != "17.0":
            supported = supported - REMOVED_IN_18
        if method not in supported:
            raise OdooAttributeError(f"type object '{model}' has no attribute '{method}'")
        return getattr(target, method)


def _bind(func: Callable[..., Any], method: str, args: list[Any], kwargs: dict) -> Any:
    """Call like Python would, turning binding errors into the TypeError Odoo reports."""
    try:
        inspect.signature(func).bind(*args, **kwargs)
    except TypeError as exc:
        raise OdooTypeError(f"{method}() {exc}") from None
    return func(*args, **kwargs)


def _name_search_19(kwargs: dict[str, Any]) -> dict[str, Any]:
    """19.0 renamed name_search's `args` parameter to `domain` (keyword callers break)."""
    if "args" in kwargs:
        raise OdooTypeError("name_search() got an unexpected keyword argument 'args'")
    kwargs = dict(kwargs)
    if "domain" in kwargs:
        kwargs["args"] = kwargs.pop("domain")
    return kwargs


def check_object_reference(env: Env, module: str, xml_id: str) -> list[Any]:
    for row in env.store.tables["ir.model.data"].values():
        if row["module"] == module and row["name"] == xml_id:
            return [row["model"], row["res_id"]]
    raise OdooValueError(f"External ID not found in the system: {module}.{xml_id}")


__all__ = ["Dispatcher", "OdooError", "UserError", "check_object_reference"]


def _rows_written(method: str, args: list[Any], kwargs: dict[str, Any]) -> int:
    """How many records a load/create/write call writes (0 for reads)."""
    names = {"load": "data", "create": "vals_list", "write": "ids"}
    if method not in names:
        return 0
    position = 1 if method == "load" else 0
    rows = args[position] if len(args) > position else kwargs.get(names[method])
    return len(rows) if isinstance(rows, list) else 1
