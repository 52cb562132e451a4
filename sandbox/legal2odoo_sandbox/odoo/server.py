"""HTTP transports: XML-RPC, JSON-RPC (+ the web routes odoorpc uses) and JSON-2 (19.0+).

A stdlib ThreadingHTTPServer; each request becomes Dispatcher calls, and each error is rendered
the way Odoo renders it on that transport (fault codes, JSON error objects, HTTP statuses).
"""

from __future__ import annotations

import json
import logging
import re
import socket
import struct
import threading
import time
import uuid
import xmlrpc.client
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from legal2odoo_sandbox.odoo.dispatch import INJECTED_CONFLICT, ROWS_WRITTEN, Dispatcher
from legal2odoo_sandbox.odoo.exceptions import (
    AccessDenied,
    AccessError,
    MissingError,
    NotFound,
    OdooError,
    OdooTypeError,
    Unauthorized,
    UnprocessableEntity,
    UserError,
)
from legal2odoo_sandbox.odoo.faults import Faults
from legal2odoo_sandbox.odoo.orm import Env

log = logging.getLogger(__name__)
JSON2_PATH = re.compile(r"^/json/2/(?P<model>[\w.]+)/(?P<method>\w+)$")
LINGER_RESET = struct.pack("ii", 1, 0)
API_DISABLED = "The external API is not available on this database's plan (sandbox switch)."


def _as_odoo_error(exc: Exception) -> OdooError:
    if isinstance(exc, OdooError):
        return exc
    log.exception("unexpected error in the sandbox")
    err = OdooError(f"{type(exc).__name__}: {exc}")
    return err


def _traceback_text(err: OdooError) -> str:
    """XML-RPC faultCode 1 carries a traceback; clients read its last line."""
    name = err.odoo_name.removeprefix("builtins.")
    shown = repr(err.message) if name == "KeyError" else err.message  # str(KeyError) is its repr
    return (
        "Traceback (most recent call last):\n"
        '  File "sandbox/legal2odoo_sandbox/odoo/dispatch.py", line 1, in execute_kw\n'
        f"{name}: {shown}\n"
    )


def xmlrpc_fault(err: OdooError) -> xmlrpc.client.Fault:
    text = err.message if err.fault_code in (2, 3, 4) else _traceback_text(err)
    return xmlrpc.client.Fault(err.fault_code, text)


def xmlrpc_fault_v1(err: OdooError) -> xmlrpc.client.Fault:
    """/xmlrpc/<service> (no /2): string fault codes (rpc.py xmlrpc_handle_exception_string)."""
    if isinstance(err, MissingError):
        return xmlrpc.client.Fault(f"warning -- MissingError\n\n{err.message}", "")
    if isinstance(err, AccessError):
        return xmlrpc.client.Fault(f"warning -- AccessError\n\n{err.message}", "")
    if isinstance(err, AccessDenied):
        return xmlrpc.client.Fault("AccessDenied", err.message)
    if isinstance(err, UserError):
        return xmlrpc.client.Fault(f"warning -- UserError\n\n{err.message}", "")
    return xmlrpc.client.Fault(err.message, _traceback_text(err))


def json_error(err: OdooError, version: str) -> dict[str, Any]:
    return {
        "code": 0 if version.startswith("19") else 200,
        "message": "Odoo Server Error",
        "data": {
            "name": err.odoo_name,
            "debug": _traceback_text(err),
            "message": err.message,
            "arguments": [err.message],
            "context": {},
        },
    }


class SandboxHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], dispatcher: Dispatcher, faults: Faults) -> None:
        super().__init__(address, Handler)
        self.dispatcher = dispatcher
        self.faults = faults
        self.sessions: dict[str, int] = {}
        self.sessions_lock = threading.Lock()


class _Drop(Exception):
    """Close the connection without answering (injected reset / timeout)."""


class Handler(BaseHTTPRequestHandler):
    server: SandboxHTTPServer
    protocol_version = "HTTP/1.1"
    # headers and body go out in two writes: without this a kept-alive client waits ~40 ms
    # per call for the delayed ACK (Nagle). Added by the loader branch.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # stdlib signature
        log.debug("%s " + format, self.address_string(), *args)

    # -- plumbing ----------------------------------------------------------------------------
    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: bytes, ctype: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _send_json(self, status: int, data: Any, headers: dict | None = None) -> None:
        self._send(status, json.dumps(data).encode(), "application/json", headers)

    @property
    def dispatcher(self) -> Dispatcher:
        return self.server.dispatcher

    @property
    def version(self) -> str:
        return self.dispatcher.info.version

    @contextmanager
    def _guard(self) -> Iterator[str | None]:
        """Concurrency limit, latency and the fault to inflict on this call."""
        faults = self.server.faults
        gate = faults.gate
        if gate:
            gate.acquire()
        try:
            if faults.latency_ms:
                time.sleep(faults.latency_ms / 1000)
            fault = faults.draw()
            if fault == "502":
                self._send(502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html")
                raise _Answered()
            if fault == "reset":
                raise _Drop()
            token = INJECTED_CONFLICT.set(fault == "serialization")
            rows = ROWS_WRITTEN.set(0)
            try:
                yield fault
            finally:
                INJECTED_CONFLICT.reset(token)
                ROWS_WRITTEN.reset(rows)
        finally:
            if gate:
                gate.release()

    def _after_commit(self, fault: str | None) -> None:
        """Simulated server work for the rows written, then the injected post-commit fault."""
        ms_per_row = self.server.faults.ms_per_row
        if ms_per_row and ROWS_WRITTEN.get():
            # time off this machine's cores: a server with its own CPUs, serving calls in parallel
            time.sleep(ms_per_row * ROWS_WRITTEN.get() / 1000)
        if fault == "timeout_after_commit":
            time.sleep(self.server.faults.hang_seconds)
            raise _Drop()

    def _drop(self) -> None:
        self.close_connection = True
        try:
            # linger 0: the close sends a TCP reset, as a crashed proxy would
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER_RESET)
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    # -- routing -----------------------------------------------------------------------------
    def do_GET(self) -> None:
        if self.path in ("/web/version", "/json/version") and self.version >= "19":
            major = int(self.version.split(".")[0])
            info = {"version_info": [major, 0, 0, "final", 0, ""], "version": self.version}
            self._send_json(200, info)
            return
        self._send(404, b"<h1>404: Not Found</h1>", "text/html")

    def do_POST(self) -> None:
        body = self._body()
        try:
            with self._guard() as fault:
                self._route(body, fault)
        except _Answered:
            pass
        except _Drop:
            self._drop()

    def _route(self, body: bytes, fault: str | None) -> None:
        path = self.path.split("?")[0]
        if path.startswith("/xmlrpc/"):
            self._xmlrpc(path, body, fault)
        elif path == "/jsonrpc" or path.startswith("/web/"):
            self._jsonrpc(path, body, fault)
        elif JSON2_PATH.match(path) and self.version >= "19":
            self._json2(JSON2_PATH.match(path), body, fault)  # type: ignore[arg-type]
        else:
            self._send(404, b"<h1>404: Not Found</h1>", "text/html")

    # -- XML-RPC -----------------------------------------------------------------------------
    def _xmlrpc(self, path: str, body: bytes, fault: str | None) -> None:
        service = path.rstrip("/").rsplit("/", 1)[-1]
        try:
            params, method = _xmlrpc_loads(body)
            if not self.server.faults.api_enabled:
                raise AccessDenied(API_DISABLED)
            result = self._service(service, method or "", list(params))
            self._after_commit(fault)
            payload = xmlrpc.client.dumps((result,), methodresponse=True, allow_none=False)
        except (_Drop, _Answered):
            raise
        except TypeError as exc:  # None in the result: Odoo's marshaller refuses it too
            payload = xmlrpc.client.dumps(
                xmlrpc.client.Fault(1, _traceback_text(OdooTypeError(str(exc)))), allow_none=False
            )
        except Exception as exc:  # every error becomes a fault, as in Odoo
            render = xmlrpc_fault if path.startswith("/xmlrpc/2/") else xmlrpc_fault_v1
            payload = xmlrpc.client.dumps(render(_as_odoo_error(exc)), allow_none=False)
        self._send(200, payload.encode(), "text/xml; charset=utf-8")

    def _service(self, service: str, method: str, args: list[Any]) -> Any:
        if service == "common":
            return self.dispatcher.common(method, args)
        if service == "object":
            return self.dispatcher.object(method, args)
        if service == "db":
            return self.dispatcher.db(method, args)
        raise NotFound(f"unknown service {service!r}")

    # -- JSON-RPC and web routes ---------------------------------------------------------------
    def _jsonrpc(self, path: str, body: bytes, fault: str | None) -> None:
        request_id = None
        headers: dict[str, str] = {}
        try:
            request = json.loads(body or b"{}")
            request_id = request.get("id")
            params = request.get("params") or {}
            if not isinstance(params, dict):
                raise UnprocessableEntity("params must be an object")
            result = self._json_route(path, params, headers)
            self._after_commit(fault)
            answer = {"jsonrpc": "2.0", "id": request_id, "result": result}
        except (_Drop, _Answered):
            raise
        except _NotFoundRoute:
            answer = {
                "jsonrpc": "2.0",
                "id": request_id,
                "error": {
                    "code": 404,
                    "message": "404: Not Found",
                    "data": {
                        "name": "werkzeug.exceptions.NotFound",
                        "message": "404 Not Found",
                        "arguments": [],
                        "debug": "",
                        "context": {},
                    },
                },
            }
        except Exception as exc:  # every error becomes an error object
            error = json_error(_as_odoo_error(exc), self.version)
            answer = {"jsonrpc": "2.0", "id": request_id, "error": error}
        self._send_json(200, answer, headers)

    def _json_route(self, path: str, params: dict[str, Any], headers: dict[str, str]) -> Any:
        dispatcher = self.dispatcher
        if path == "/web/webclient/version_info":
            return dispatcher.info.version_info()
        if path == "/web/database/list":
            return [dispatcher.info.db]
        if not self.server.faults.api_enabled and path in ("/jsonrpc", "/web/dataset/call_kw"):
            raise AccessDenied(API_DISABLED)
        if path == "/jsonrpc":
            args = list(params.get("args") or [])
            return self._service(str(params.get("service")), str(params.get("method")), args)
        if path == "/web/session/authenticate":
            return self._authenticate(params, headers)
        if path == "/web/session/destroy":
            self._session_uid(drop=True)
            return None
        if path == "/web/session/get_session_info":
            uid = self._session_uid()
            return {"uid": uid, "db": dispatcher.info.db, "server_version": self.version}
        if path.startswith("/web/dataset/call_kw"):
            uid = self._session_uid()
            if uid is None:
                raise AccessDenied("Session expired")
            kwargs = dict(params.get("kwargs") or {})
            context = kwargs.pop("context", None) or {}
            with dispatcher.store.transaction():
                env = Env(dispatcher.store, uid, context)
                return dispatcher.call(
                    env,
                    str(params.get("model")),
                    str(params.get("method")),
                    list(params.get("args") or []),
                    kwargs,
                )
        raise _NotFoundRoute()

    def _authenticate(self, params: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        uid = self.dispatcher.login(params.get("db"), params.get("login"), params.get("password"))
        if uid is None:
            raise AccessDenied()
        sid = uuid.uuid4().hex
        with self.server.sessions_lock:
            self.server.sessions[sid] = uid
        headers["Set-Cookie"] = f"session_id={sid}; Path=/; HttpOnly"
        return {
            "uid": uid,
            "db": self.dispatcher.info.db,
            "server_version": self.version,
            "user_context": {"lang": "en_US", "tz": False, "uid": uid},
        }

    def _session_uid(self, drop: bool = False) -> int | None:
        cookie = self.headers.get("Cookie") or ""
        match = re.search(r"session_id=(\w+)", cookie)
        if not match:
            return None
        with self.server.sessions_lock:
            if drop:
                return self.server.sessions.pop(match.group(1), None)
            return self.server.sessions.get(match.group(1))

    # -- JSON-2 (19.0+) ------------------------------------------------------------------------
    def _json2(self, match: re.Match[str], body: bytes, fault: str | None) -> None:
        try:
            uid = self._bearer_uid()
            if not self.server.faults.api_enabled:
                raise AccessDenied(API_DISABLED)
            params = json.loads(body or b"{}")
            if not isinstance(params, dict):
                raise UnprocessableEntity("the body must be a JSON object")
            result = self._json2_call(uid, match["model"], match["method"], params)
            self._after_commit(fault)
        except (_Drop, _Answered):
            raise
        except Exception as exc:  # every error becomes a status + body
            err = _as_odoo_error(exc)
            body_out = {
                "name": err.odoo_name,
                "message": err.message,
                "arguments": [err.message],
                "context": {},
                "debug": _traceback_text(err),
            }
            self._send_json(err.http_status, body_out)
            return
        self._send_json(200, result)

    def _bearer_uid(self) -> int:
        auth = self.headers.get("Authorization") or ""
        scheme, _, key = auth.partition(" ")
        uid = self.dispatcher.store.credentials.api_keys.get(key.strip())
        if scheme.lower() != "bearer" or uid is None:
            raise Unauthorized("Invalid apikey")
        return uid

    def _json2_call(self, uid: int, model: str, method: str, params: dict[str, Any]) -> Any:
        dispatcher = self.dispatcher
        if model not in dispatcher.store.schema:
            raise NotFound(f"the model {model!r} does not exist")
        params = dict(params)
        ids = params.pop("ids", None)
        context = params.pop("context", None) or {}
        record_method = method in ("write", "unlink", "read", "exists", "message_post")
        if ids and not record_method:
            raise UnprocessableEntity(f"cannot call {model}.{method} with ids")
        args = [ids or []] if record_method else []
        with dispatcher.store.transaction():
            env = Env(dispatcher.store, uid, context)
            try:
                result = dispatcher.call(env, model, method, args, params)
            except OdooError as exc:
                if exc.odoo_name == "builtins.AttributeError":
                    raise NotFound(str(exc)) from None
                if exc.odoo_name == "builtins.TypeError":
                    raise UnprocessableEntity(str(exc)) from None
                raise
        if method == "create" and isinstance(result, int):
            return [result]
        return result


class _Answered(Exception):
    """The response was already sent (injected 502)."""


class _NotFoundRoute(Exception):
    pass


@dataclass
class RunningServer:
    url: str
    db: str
    server: SandboxHTTPServer
    thread: threading.Thread

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def serve_in_thread(
    dispatcher: Dispatcher, faults: Faults | None = None, host: str = "127.0.0.1", port: int = 0
) -> RunningServer:
    """Start the sandbox on a free port (port 0) in a daemon thread; call .stop() when done."""
    server = SandboxHTTPServer((host, port), dispatcher, faults or Faults())
    thread = threading.Thread(target=server.serve_forever, name="odoo-sandbox", daemon=True)
    thread.start()
    url = f"http://{host}:{server.server_address[1]}"
    log.info("Odoo %s sandbox at %s (db %s)", dispatcher.info.version, url, dispatcher.info.db)
    return RunningServer(url, dispatcher.info.db, server, thread)


def _xmlrpc_loads(body: bytes) -> tuple[tuple[Any, ...], str | None]:
    """`xmlrpc.client.loads(body)`: the stdlib's own reader (the sandbox imports nothing of the
    product's)."""
    return xmlrpc.client.loads(body)
