"""What can go wrong talking to Odoo, as exceptions that carry Odoo's own message.

The split matters: `TransientError` is retried with backoff, everything else is not
(retrying a validation or access error only repeats it).
"""

from __future__ import annotations


class OdooError(Exception):
    """Odoo refused a call; `message` is Odoo's own text, `name` its exception class."""

    def __init__(self, message: str, *, name: str = "", model: str = "", method: str = "") -> None:
        self.message = message
        self.name = name
        self.model = model
        self.method = method
        super().__init__(message)

    def __str__(self) -> str:  # the model and method are filled in after construction
        where = f"{self.model}.{self.method}: " if self.model else ""
        kind = f" ({self.name})" if self.name else ""
        return f"{where}{self.message}{kind}"


class ConnectError(OdooError):
    """Cannot use this server at all: one clear line for the operator, exit != 0."""


class LoginFailed(ConnectError):
    pass


class AccessDenied(OdooError):
    """Logged in, but this user may not do that (Odoo AccessError / AccessDenied)."""


class TransientError(OdooError):
    """A failure that may succeed if tried again: connection reset, 429/502/503/504, timeout,
    a serialization conflict between concurrent transactions. `retry_after`: the seconds the
    server asked to wait (its Retry-After header), honoured by the retry policy."""

    def __init__(self, message: str, *, name: str = "", retry_after: float | None = None) -> None:
        super().__init__(message, name=name)
        self.retry_after = retry_after


SERIALIZATION_MARKERS = (
    "could not serialize access",
    "concurrent update",
    "deadlock detected",
)


def is_serialization_failure(message: str) -> bool:
    """Odoo reports these inside load() results, not as faults: they are transient."""
    lowered = message.lower()
    return any(marker in lowered for marker in SERIALIZATION_MARKERS)
