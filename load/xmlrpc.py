"""XML-RPC (`/xmlrpc/2/common|object`) over httpx, with the stdlib's `xmlrpc.client` writing
the calls and reading the answers through defusedxml's expat parser (DTDs refused outright), so
a hostile answer cannot expand entities or fetch external documents.

defusedxml's `monkey_patch()` is not used: it changes `xmlrpc.client` for the whole process
(the sandbox and tests included) and still allows a DTD; the parser is built here per answer.
"""

from __future__ import annotations

import xmlrpc.client
from typing import Any
from xml.parsers.expat import ExpatError

from defusedxml.common import DefusedXmlException
from defusedxml.xmlrpc import DefusedExpatParser

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
from legal2odoo.load.transport import RetryPolicy, Transport, with_retries


def dumps_call(params: tuple[Any, ...], method: str) -> str:
    """A call's body, as Odoo's own clients write it (None allowed: Odoo reads `<nil/>`)."""
    return xmlrpc.client.dumps(params, method, allow_none=True)


def parse_response(body: bytes) -> Any:
    """The answer's value; a fault raises `xmlrpc.client.Fault`, a DTD or an entity
    `ConnectError` (defusedxml), a body that is not XML or not an XML-RPC answer too."""
    unmarshaller = xmlrpc.client.Unmarshaller(use_builtin_types=True)
    parser = DefusedExpatParser(unmarshaller, forbid_dtd=True)
    try:
        parser.feed(body)
        parser.close()
        return unmarshaller.close()[0]
    except DefusedXmlException as error:
        raise ConnectError(f"refused a malicious XML-RPC answer: {error}") from error
    except (xmlrpc.client.ResponseError, ExpatError) as error:
        raise ConnectError(f"not an XML-RPC answer: {error}") from error


def fault_to_error(fault: xmlrpc.client.Fault) -> OdooError:
    """Odoo's fault codes: 2 UserError/ValidationError, 3 AccessDenied, 4 AccessError, 1 any
    other exception, with a traceback whose last line is `module.Class: message`."""
    text = str(fault.faultString).strip()
    code = fault.faultCode
    if code == 3:
        return AccessDenied(text or "Access Denied", name="odoo.exceptions.AccessDenied")
    if code == 4:
        return AccessDenied(text, name="odoo.exceptions.AccessError")
    if code == 2:
        return OdooError(text, name="odoo.exceptions.UserError")
    last = text.splitlines()[-1] if text else ""
    name, sep, message = last.partition(": ")
    if not sep:
        name, message = "", last
    cls = TransientError if _serialization(text) else OdooError
    return cls(message or text, name=name)


class XmlRpcTransport(Transport):
    name = "xmlrpc"

    def __init__(self, settings: OdooSettings, retry: RetryPolicy | None = None) -> None:
        super().__init__(retry)
        self.settings = settings
        self.client = make_client(settings.timeout, {"Content-Type": "text/xml"})
        self._version: dict[str, Any] | None = None

    def _call(self, service: str, method: str, params: tuple[Any, ...]) -> Any:
        body = dumps_call(params, method).encode()
        url = f"{self.settings.url}/xmlrpc/2/{service}"
        response = post(self.client, url, content=body)
        if response.status_code == 404:
            raise ConnectError(f"{url} not found: XML-RPC is not available on this server")
        if response.status_code != 200:
            raise ConnectError(f"{url} answered HTTP {response.status_code}")
        try:
            return parse_response(response.content)
        except xmlrpc.client.Fault as fault:
            raise fault_to_error(fault) from None

    def version(self) -> dict[str, Any]:
        if self._version is None:
            self._version = with_retries(
                lambda: self._call("common", "version", ()), self.retry, "version"
            )
        return self._version

    def login(self) -> int:
        s = self.settings
        uid = with_retries(
            lambda: self._call("common", "authenticate", (s.db, s.user, s.secret, {})),
            self.retry,
            "authenticate",
        )
        if not uid:
            raise LoginFailed(f"Odoo refused the login of {s.user!r} on database {s.db!r}")
        self.uid = int(uid)
        return self.uid

    def list_databases(self) -> list[str] | None:
        try:
            return list(self._call("db", "list", ()))
        except OdooError:
            return None  # listing disabled (list_db = False) or the service is gone (20+)

    def _execute(self, model: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        s = self.settings
        return self._call(
            "object", "execute_kw", (s.db, self.uid, s.secret, model, method, args, kwargs)
        )

    def close(self) -> None:
        self.client.close()
