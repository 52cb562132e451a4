"""The HTTP client the XML-RPC and JSON-2 transports share: timeouts, TLS verification on,
and transport failures mapped to `TransientError` (retried) or `ConnectError` (not)."""

from __future__ import annotations

import functools
import logging
import socket
import ssl
from typing import Any

import httpx

from legal2odoo.load.errors import ConnectError, TransientError
from legal2odoo.load.transport import NotSent
from legal2odoo.retry import TRANSIENT_STATUS, parse_retry_after

# httpx logs every request at INFO: noise at the rate a loader calls.
logging.getLogger("httpx").setLevel(logging.WARNING)

MAX_RESPONSE = 512 * 1024 * 1024  # a fields_get or a read of big attachments, never more


# A request's headers and body may leave in two writes: with Nagle on, the second can wait
# for the server's delayed ACK (~40 ms) on a kept-alive connection.
NO_DELAY = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]


@functools.cache
def tls_context() -> ssl.SSLContext:
    """What httpx builds for `verify=True` (certifi's CA bundle, or SSL_CERT_FILE/DIR), built
    once per process: loading the bundle costs ~30 ms of CPU, and a load makes one client per
    transport (plus version checks). A context is safe to share between clients and threads."""
    return httpx.create_ssl_context(verify=True)


def make_client(timeout: float, headers: dict[str, str] | None = None) -> httpx.Client:
    return httpx.Client(
        timeout=httpx.Timeout(timeout, connect=min(timeout, 15.0)),
        transport=httpx.HTTPTransport(verify=tls_context(), socket_options=NO_DELAY),
        headers={"User-Agent": "legal2odoo", **(headers or {})},
        follow_redirects=False,  # a redirect would resend credentials elsewhere
    )


def post(client: httpx.Client, url: str, **kwargs: Any) -> httpx.Response:
    return request(client, "POST", url, **kwargs)


def request(client: httpx.Client, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """One HTTP exchange; transient failures raise TransientError (NotSent when the server
    was never reached), the caller's retry loop decides what to do with them."""
    try:
        response = client.request(method, url, **kwargs)
    except httpx.ConnectError as error:
        if "CERTIFICATE_VERIFY_FAILED" in str(error) or isinstance(
            error.__context__, ssl.SSLCertVerificationError
        ):
            raise ConnectError(_untrusted(url, error)) from None
        raise NotSent(f"cannot connect to {_origin(url)}: {error}") from error
    except httpx.TimeoutException as error:
        raise TransientError(f"no answer from {_origin(url)} in time: {error!r}") from error
    except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as error:
        raise TransientError(f"connection to {_origin(url)} broke: {error!r}") from error
    except httpx.HTTPError as error:
        raise ConnectError(f"HTTP error talking to {_origin(url)}: {error!r}") from error
    if response.status_code in TRANSIENT_STATUS:  # throttled, or a gateway's "not now"
        # a 429 comes from a rate limiter in front of Odoo (Odoo sends none itself), which
        # turned the request away unprocessed: safe to repeat even a create; a 502-504 may
        # come after the server did the work
        cls = NotSent if response.status_code == 429 else TransientError
        raise cls(
            f"{_origin(url)} answered HTTP {response.status_code}",
            retry_after=parse_retry_after(response.headers.get("retry-after")),
        )
    if len(response.content) > MAX_RESPONSE:
        raise ConnectError(f"answer from {_origin(url)} larger than {MAX_RESPONSE} bytes")
    return response


def _untrusted(url: str, error: Exception) -> str:
    reason = str(error).rpartition("certificate verify failed:")[2].strip(" ()_") or str(error)
    return (
        f"the TLS certificate of {_origin(url)} is not trusted ({reason}): if it is signed "
        "by your own CA, point SSL_CERT_FILE at that CA's PEM file and run again"
    )


def _origin(url: str) -> str:
    parsed = httpx.URL(url)
    return f"{parsed.scheme}://{parsed.host}{f':{parsed.port}' if parsed.port else ''}"
