"""One calling convention over every transport, so the same conformance test runs through
xmlrpc.client, raw JSON-RPC, odoorpc and JSON-2, against the sandbox or a real Odoo.

Errors come back as `Failure(name, message)`. XML-RPC does not carry the exception class: its
fault code 2 covers UserError and every subclass, so there the name is the family
(`odoo.exceptions.UserError`) and tests compare with `Failure.matches`.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import xmlrpc.client
from dataclasses import dataclass
from typing import Any, ClassVar

import odoorpc

USER_ERRORS = {
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.MissingError",
}


@dataclass
class Failure(Exception):
    name: str
    message: str
    transport: str

    def matches(self, name: str, message: str | None = None) -> bool:
        same_name = self.name == name or (
            self.name == "odoo.exceptions.UserError"
            and name in USER_ERRORS
            and self.transport == "xmlrpc"
        )
        return same_name and (message is None or self.message == message)

    def __str__(self) -> str:
        return f"{self.transport}: {self.name}: {self.message}"


@dataclass
class Target:
    """Where to connect: URL, database, user."""

    url: str
    db: str
    login: str
    password: str
    version: str
    real: bool = False
    api_key: str | None = None


class Client:
    transport = "?"

    def __init__(self, target: Target, login: str | None = None, password: str | None = None):
        self.target = target
        self.login_name = login or target.login
        self.password = password or target.password
        self.uid = self.authenticate(self.login_name, self.password)

    def authenticate(self, login: str, password: str) -> Any:
        raise NotImplementedError

    def call(self, model: str, method: str, args: list[Any] | None = None, **kwargs: Any) -> Any:
        raise NotImplementedError


class XmlRpcClient(Client):
    transport = "xmlrpc"

    def _proxy(self, service: str) -> xmlrpc.client.ServerProxy:
        return xmlrpc.client.ServerProxy(f"{self.target.url}/xmlrpc/2/{service}", allow_none=True)

    def common(self, method: str, *args: Any) -> Any:
        return getattr(self._proxy("common"), method)(*args)

    def authenticate(self, login: str, password: str) -> Any:
        return self.common("authenticate", self.target.db, login, password, {})

    def call(self, model: str, method: str, args: list[Any] | None = None, **kwargs: Any) -> Any:
        proxy = self._proxy("object")
        try:
            return proxy.execute_kw(
                self.target.db, self.uid, self.password, model, method, args or [], kwargs
            )
        except xmlrpc.client.Fault as fault:
            raise _from_fault(fault) from None


def _from_fault(fault: xmlrpc.client.Fault) -> Failure:
    text = str(fault.faultString)
    if fault.faultCode == 2:
        return Failure("odoo.exceptions.UserError", text, "xmlrpc")
    if fault.faultCode == 3:
        return Failure("odoo.exceptions.AccessDenied", text, "xmlrpc")
    if fault.faultCode == 4:
        return Failure("odoo.exceptions.AccessError", text, "xmlrpc")
    # faultCode 1: a traceback (the last one when chained): frames are indented, then comes
    # "module.Class: message", the message possibly on several lines
    last = text.rstrip("\n").split("Traceback (most recent call last):\n")[-1]
    lines = last.split("\n")
    for i, line in enumerate(lines):
        if line and not line.startswith(" "):
            head, _, rest = line.partition(": ")
            message = "\n".join([rest, *lines[i + 1 :]])
            name = head if "." in head else f"builtins.{head}"
            return Failure(name, message, "xmlrpc")
    return Failure("builtins.Exception", text, "xmlrpc")


class JsonRpcClient(Client):
    transport = "jsonrpc"

    def _post(self, path: str, params: dict[str, Any]) -> Any:
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params})
        request = urllib.request.Request(
            f"{self.target.url}{path}", body.encode(), {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.load(response)
        if "error" in answer:
            data = answer["error"]["data"]
            raise Failure(data["name"], data["message"], "jsonrpc")
        return answer["result"]

    def common(self, method: str, *args: Any) -> Any:
        return self._post("/jsonrpc", {"service": "common", "method": method, "args": list(args)})

    def authenticate(self, login: str, password: str) -> Any:
        return self.common("login", self.target.db, login, password)

    def call(self, model: str, method: str, args: list[Any] | None = None, **kwargs: Any) -> Any:
        call_args = [self.target.db, self.uid, self.password, model, method, args or [], kwargs]
        return self._post(
            "/jsonrpc", {"service": "object", "method": "execute_kw", "args": call_args}
        )


class OdooRpcClient(Client):
    transport = "odoorpc"

    def authenticate(self, login: str, password: str) -> Any:
        host, port = self.target.url.removeprefix("http://").split(":")
        self.odoo = odoorpc.ODOO(host, port=int(port), timeout=60)
        try:
            self.odoo.login(self.target.db, login, password)
        except odoorpc.error.RPCError:
            return False
        return self.odoo.env.uid

    def call(self, model: str, method: str, args: list[Any] | None = None, **kwargs: Any) -> Any:
        try:
            return self.odoo.execute_kw(model, method, args or [], kwargs)
        except odoorpc.error.RPCError as exc:
            data = (exc.info or {}).get("data", {})
            raise Failure(data.get("name", "?"), data.get("message", str(exc)), "odoorpc") from None


class Json2Client(Client):
    """JSON-2 (19.0+): named arguments; `args` are mapped onto the Python signature."""

    transport = "json2"
    SIGNATURES: ClassVar[dict[str, list[str]]] = {
        "create": ["vals_list"],
        "write": ["ids", "vals"],
        "unlink": ["ids"],
        "read": ["ids", "fields"],
        "search": ["domain", "offset", "limit", "order"],
        "search_read": ["domain", "fields", "offset", "limit", "order"],
        "search_count": ["domain", "limit"],
        "fields_get": ["allfields", "attributes"],
        "load": ["fields", "data"],
        "name_search": ["name", "domain", "operator", "limit"],
        "default_get": ["fields_list"],
        "check_access_rights": ["operation", "raise_exception"],
    }

    def authenticate(self, login: str, password: str) -> Any:
        self.api_key = self.target.api_key if login == self.target.login else password
        return 2 if login == self.target.login else None

    def post(self, model: str, method: str, body: dict[str, Any], key: str | None) -> Any:
        headers = {"Content-Type": "application/json"}
        if key is not None:
            headers["Authorization"] = f"bearer {key}"
        request = urllib.request.Request(
            f"{self.target.url}/json/2/{model}/{method}", json.dumps(body).encode(), headers
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as exc:
            text = exc.read()
            try:
                return exc.code, json.loads(text)
            except ValueError:  # an HTML error page (no JSON-2 route)
                return exc.code, text.decode(errors="replace")

    def call(self, model: str, method: str, args: list[Any] | None = None, **kwargs: Any) -> Any:
        names = self.SIGNATURES.get(method, [])
        body = dict(zip(names, args or [], strict=False))
        body.update(kwargs)
        single = method == "create" and isinstance(body.get("vals_list"), dict)
        status, answer = self.post(model, method, body, self.api_key)
        if status != 200:
            raise Failure(answer["name"], answer["message"], "json2")
        return answer[0] if single else answer


TRANSPORTS = {"xmlrpc": XmlRpcClient, "jsonrpc": JsonRpcClient, "odoorpc": OdooRpcClient}
