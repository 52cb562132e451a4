"""The one interface every Odoo transport offers, and the retry rule they share.

`execute(model, method, args, kwargs)` means what XML-RPC's `execute_kw` means; each transport
maps it to its own wire format. Only `TransientError` is retried (the shared policy in
legal2odoo/retry.py: bounded attempts, exponential backoff with jitter, Retry-After honoured);
calls that create records without an external id are retried only when the request provably
never reached the server, so a retry cannot duplicate them.
"""

from __future__ import annotations

import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, TypeVar

from legal2odoo import retry
from legal2odoo.load.errors import ConnectError, OdooError, TransientError
from legal2odoo.retry import RetryPolicy

__all__ = [
    "NOT_IDEMPOTENT",
    "NotSent",
    "RetriesExhausted",
    "RetryPolicy",
    "Transport",
    "with_retries",
]

log = logging.getLogger(__name__)
T = TypeVar("T")

# Calls whose repetition would create a second record. load() is absent on purpose: with
# external ids a repeated load() updates what the first one created.
NOT_IDEMPOTENT = frozenset({"create", "copy", "message_post", "name_create"})


class NotSent(TransientError):
    """The request never reached the server (connection refused), or was turned away
    unprocessed (429): safe to repeat anything."""


class RetriesExhausted(ConnectError):
    """A transient failure that did not clear: stop, do not retry again one level up."""


def with_retries(
    call: Callable[[], T],
    policy: RetryPolicy,
    what: str,
    *,
    only_unsent: bool = False,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """`call()`, retried on `TransientError` (only on `NotSent` when `only_unsent`: a write
    that may have reached the server is never repeated); `RetriesExhausted` when it persists."""

    def transient(error: BaseException) -> bool:
        wanted = NotSent if only_unsent else TransientError
        return isinstance(error, wanted)

    def give_up(error: BaseException, attempts: int) -> RetriesExhausted:
        message = error.message if isinstance(error, OdooError) else str(error)
        name = error.name if isinstance(error, OdooError) else ""
        return RetriesExhausted(f"{what}: gave up after {attempts} attempts: {message}", name=name)

    return retry.call(call, policy, what, retry_on=transient, give_up=give_up, sleep=sleep)


class Transport(ABC):
    """A logged-in connection to one Odoo database."""

    name: str = ""

    def __init__(self, retry: RetryPolicy | None = None) -> None:
        self.retry = retry or RetryPolicy()
        self.uid: int | None = None

    @abstractmethod
    def version(self) -> dict[str, Any]:
        """Odoo's version struct: server_version, server_version_info, ..."""

    @abstractmethod
    def login(self) -> int:
        """Authenticate; the uid, or LoginFailed."""

    @abstractmethod
    def _execute(self, model: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """One call on the wire, no retries."""

    def execute(
        self,
        model: str,
        method: str,
        args: list[Any] | None = None,
        kwargs: dict[str, Any] | None = None,
    ) -> Any:
        args, kwargs = list(args or []), dict(kwargs or {})
        try:
            return with_retries(
                lambda: self._execute(model, method, args, kwargs),
                self.retry,
                f"{model}.{method}",
                only_unsent=method in NOT_IDEMPOTENT,
            )
        except OdooError as error:
            if not error.model:
                error.model, error.method = model, method
            raise

    def list_databases(self) -> list[str] | None:
        """The server's databases when it says (to tell a wrong db from a wrong password)."""
        return None

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections."""

    @property
    def major_version(self) -> int:
        info = self.version().get("server_version_info") or [0]
        return int(info[0])
