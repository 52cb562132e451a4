"""The retry policy extract and load share, on tenacity.

What is retried stays each caller's decision (`retry_on`): the Actionstep client retries
throttling, flaky gateways and broken connections; the Odoo loader retries its
`TransientError`s, and a write that may have reached the server only when it provably did not
(`NotSent`). What this module fixes for both: attempts are bounded, the wait grows
exponentially with full jitter (workers must not retry in step), a server's `Retry-After` is
honoured (up to a cap) instead of the backoff, every retry is logged, and giving up raises the
caller's own error, chained to the last failure.

An exception says how long the server asked to wait by a `retry_after` attribute (seconds, or
None): see `RetryAfter`.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NoReturn, TypeVar

import tenacity

log = logging.getLogger(__name__)
T = TypeVar("T")

# Statuses that say "not now" rather than "no": throttled, or a gateway in front of a server
# that is restarting or overloaded. A 500 is the server's own bug, retried only by callers
# whose server is known to fail that way now and then (Actionstep).
TRANSIENT_STATUS = frozenset({429, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6  # calls in all, the first included
    base_delay: float = 0.5  # the first backoff's ceiling, doubled per attempt
    max_delay: float = 20.0  # no backoff longer than this
    max_retry_after: float = 300.0  # a server's Retry-After is honoured up to this

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError(f"a retry policy needs at least 1 attempt, not {self.attempts}")

    def backoff(self) -> tenacity.wait.wait_base:
        """Exponential with full jitter: uniform(0, min(max_delay, base_delay * 2**n))."""
        return tenacity.wait_random_exponential(multiplier=self.base_delay, max=self.max_delay)


class RetryAfter(Exception):
    """A transient failure for which the server named a wait (`retry_after`, seconds)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class _WaitRetryAfter(tenacity.wait.wait_base):
    """The server's Retry-After when the failure carries one, else the policy's backoff."""

    def __init__(self, policy: RetryPolicy) -> None:
        self.policy = policy
        self.backoff = policy.backoff()

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        outcome = retry_state.outcome
        hinted = getattr(outcome.exception(), "retry_after", None) if outcome else None
        if isinstance(hinted, int | float) and hinted >= 0:
            return min(float(hinted), self.policy.max_retry_after)
        return float(self.backoff(retry_state))


def parse_retry_after(value: str | None, now: Callable[[], datetime] | None = None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date; None if absent or
    unreadable."""
    if value is None:
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now() if now else datetime.now(UTC)
    return max(0.0, (when - current).total_seconds())


GiveUp = Callable[[BaseException, int], BaseException]


def _options(
    policy: RetryPolicy,
    what: str,
    retry_on: Callable[[BaseException], bool],
    give_up: GiveUp,
    log_level: int,
) -> dict[str, Any]:
    def before_sleep(state: tenacity.RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        pause = state.next_action.sleep if state.next_action else 0.0
        log.log(
            log_level,
            "%s: %s; retry %d of %d in %.1f s",
            what,
            error,
            state.attempt_number,
            policy.attempts - 1,
            pause,
        )

    def exhausted(state: tenacity.RetryCallState) -> NoReturn:
        error = state.outcome.exception() if state.outcome else None
        if error is None:  # only failures are retried, so the last outcome is one
            raise AssertionError(f"{what}: retries ended without a failure")
        raise give_up(error, state.attempt_number) from error

    return {
        "stop": tenacity.stop_after_attempt(policy.attempts),
        "wait": _WaitRetryAfter(policy),
        "retry": tenacity.retry_if_exception(retry_on),
        "before_sleep": before_sleep,
        "retry_error_callback": exhausted,
    }


def call(
    fn: Callable[[], T],
    policy: RetryPolicy,
    what: str,
    *,
    retry_on: Callable[[BaseException], bool],
    give_up: GiveUp,
    sleep: Callable[[float], None] = time.sleep,
    log_level: int = logging.WARNING,
) -> T:
    """`fn()`, again after each failure `retry_on` accepts, at most `policy.attempts` times in
    all; a failure it refuses propagates at once; the last accepted one becomes
    `give_up(error, attempts)`. Each retry is logged at `log_level`."""
    retrying = tenacity.Retrying(
        sleep=sleep, **_options(policy, what, retry_on, give_up, log_level)
    )
    return retrying(fn)


async def call_async(
    fn: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    what: str,
    *,
    retry_on: Callable[[BaseException], bool],
    give_up: GiveUp,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    log_level: int = logging.WARNING,
) -> T:
    """`call` for a coroutine function; waits with `sleep` (asyncio.sleep: others run)."""
    retrying = tenacity.AsyncRetrying(
        sleep=sleep, **_options(policy, what, retry_on, give_up, log_level)
    )

    async def attempt() -> T:  # a coroutine function, which tenacity awaits (a lambda is not)
        return await fn()

    return await retrying(attempt)
