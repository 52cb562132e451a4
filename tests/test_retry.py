"""The retry policy extract and load share (legal2odoo/retry.py): what is retried, how long it
waits (Retry-After honoured, else a jittered backoff), and how it gives up. Sleeps are recorded,
never slept."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from legal2odoo import retry
from legal2odoo.extract.actionstep.client import ActionstepClient, GiveUp
from legal2odoo.extract.actionstep.limiter import AdaptiveLimiter, PacingOptions
from legal2odoo.load.errors import TransientError
from legal2odoo.load.http import request
from legal2odoo.load.transport import RetriesExhausted, RetryPolicy, with_retries

POLICY = RetryPolicy(attempts=4, base_delay=0.5, max_delay=8.0)
API = "https://api.example.test/api/"


def _answers(*responses: httpx.Response) -> tuple[Callable[[httpx.Request], httpx.Response], list]:
    """A handler giving `responses` in turn (the last one again once they run out)."""
    seen: list[httpx.Request] = []
    queue: Iterator[httpx.Response] = iter(responses)

    def handler(req: httpx.Request) -> httpx.Response:
        seen.append(req)
        return next(queue, responses[-1])

    return handler, seen


# -- the shared policy -----------------------------------------------------------------------------
def test_retry_after_is_the_wait_and_backoff_otherwise() -> None:
    failures = [retry.RetryAfter("throttled", retry_after=7.0), retry.RetryAfter("flaky")]
    slept: list[float] = []

    def flaky() -> str:
        if failures:
            raise failures.pop(0)
        return "done"

    is_ours = lambda e: isinstance(e, retry.RetryAfter)  # noqa: E731
    assert retry.call(flaky, POLICY, "t", retry_on=is_ours, give_up=_never, sleep=slept.append)
    assert slept[0] == 7.0  # the server's word, not the backoff
    assert 0.0 <= slept[1] <= min(POLICY.max_delay, POLICY.base_delay * 2**2)


def test_retry_after_is_capped() -> None:
    slept: list[float] = []
    policy = RetryPolicy(attempts=2, max_retry_after=30.0)
    failures = [retry.RetryAfter("come back tomorrow", retry_after=86_400.0)]

    def once() -> int:
        if failures:
            raise failures.pop()
        return 1

    retry.call(once, policy, "t", retry_on=lambda e: True, give_up=_never, sleep=slept.append)
    assert slept == [30.0]


def test_backoff_grows_with_jitter_and_a_ceiling() -> None:
    slept: list[float] = []
    policy = RetryPolicy(attempts=12, base_delay=0.5, max_delay=20.0)
    with pytest.raises(RuntimeError, match="after 12"):
        retry.call(
            _always(ValueError("no")),
            policy,
            "t",
            retry_on=lambda e: True,
            give_up=lambda e, n: RuntimeError(f"after {n}"),
            sleep=slept.append,
        )
    assert len(slept) == 11
    assert all(0 <= s <= min(20.0, 0.5 * 2 ** (n + 1)) for n, s in enumerate(slept))
    assert max(slept) <= 20.0 and len(set(slept)) > 5  # jittered, not a fixed ladder


def test_parse_retry_after_seconds_and_dates() -> None:
    now = datetime(2026, 12, 5, 12, 0, 0, tzinfo=UTC)
    assert retry.parse_retry_after("3") == 3.0
    assert retry.parse_retry_after(" 1.5 ") == 1.5
    assert retry.parse_retry_after("-4") == 0.0
    assert retry.parse_retry_after("Sat, 05 Dec 2026 12:00:30 GMT", lambda: now) == 30.0
    assert retry.parse_retry_after("soon") is None
    assert retry.parse_retry_after(None) is None


def test_a_policy_needs_an_attempt() -> None:
    with pytest.raises(ValueError, match="at least 1 attempt"):
        RetryPolicy(attempts=0)


# -- load: the Odoo transports' HTTP ---------------------------------------------------------------
def _odoo_call(handler: Callable[[httpx.Request], httpx.Response]) -> Callable[[], Any]:
    client = httpx.Client(transport=httpx.MockTransport(handler))
    return lambda: request(client, "POST", "https://odoo.example.test/xmlrpc/2/object")


def test_load_honours_429_retry_after() -> None:
    handler, seen = _answers(
        httpx.Response(429, headers={"Retry-After": "3"}), httpx.Response(200, text="ok")
    )
    slept: list[float] = []
    response = with_retries(_odoo_call(handler), POLICY, "execute_kw", sleep=slept.append)
    assert response.text == "ok" and len(seen) == 2
    assert slept == [3.0]


def test_load_retries_5xx_then_succeeds() -> None:
    handler, seen = _answers(httpx.Response(502), httpx.Response(503), httpx.Response(200))
    slept: list[float] = []
    assert with_retries(_odoo_call(handler), POLICY, "x", sleep=slept.append).status_code == 200
    assert len(seen) == 3 and len(slept) == 2


def test_load_does_not_retry_a_4xx() -> None:
    handler, seen = _answers(httpx.Response(400), httpx.Response(200))
    slept: list[float] = []
    assert with_retries(_odoo_call(handler), POLICY, "x", sleep=slept.append).status_code == 400
    assert len(seen) == 1 and slept == []


def test_load_gives_up_after_the_attempts_with_the_last_error() -> None:
    handler, seen = _answers(httpx.Response(504))
    slept: list[float] = []
    with pytest.raises(RetriesExhausted, match=r"x: gave up after 4 attempts: .*HTTP 504"):
        with_retries(_odoo_call(handler), POLICY, "x", sleep=slept.append)
    assert len(seen) == 4 and len(slept) == 3


def test_a_write_that_may_have_landed_is_not_retried_on_503() -> None:
    handler, seen = _answers(httpx.Response(503), httpx.Response(200))
    with pytest.raises(TransientError, match="503"):
        with_retries(_odoo_call(handler), POLICY, "create", only_unsent=True, sleep=_no_sleep)
    assert len(seen) == 1


def test_a_write_turned_away_by_a_429_is_retried_after_the_wait() -> None:
    handler, seen = _answers(
        httpx.Response(429, headers={"Retry-After": "5"}), httpx.Response(200, text="created")
    )
    slept: list[float] = []
    response = with_retries(
        _odoo_call(handler), POLICY, "create", only_unsent=True, sleep=slept.append
    )
    assert response.text == "created" and len(seen) == 2 and slept == [5.0]


# -- extract: the Actionstep client ----------------------------------------------------------------
class _Tokens:
    refreshed = 0

    async def bearer(self) -> str:
        return f"token-{self.refreshed}"

    async def refresh(self, stale: str | None) -> None:
        self.refreshed += 1


def _extract(
    handler: Callable[[httpx.Request], httpx.Response], attempts: int = 4
) -> tuple[ActionstepClient, list[float], list[float]]:
    """A client over `handler`, its clock frozen; (client, retry sleeps, pacer sleeps)."""
    retry_sleeps: list[float] = []
    pacer_sleeps: list[float] = []

    async def retry_sleep(seconds: float) -> None:
        retry_sleeps.append(seconds)

    async def pacer_sleep(seconds: float) -> None:
        pacer_sleeps.append(seconds)

    limiter = AdaptiveLimiter(
        PacingOptions(backoff_base_s=0.5, backoff_max_s=8.0), clock=lambda: 100.0, sleep=pacer_sleep
    )
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    tokens: Any = _Tokens()  # a stand-in for TokenManager: bearer() and refresh() only
    client = ActionstepClient(http, tokens, limiter, API, max_attempts=attempts, sleep=retry_sleep)
    return client, retry_sleeps, pacer_sleeps


def _page(client: ActionstepClient) -> Any:
    return asyncio.run(client.page("actions", {}))


def test_extract_honours_429_retry_after() -> None:
    handler, seen = _answers(
        httpx.Response(429, headers={"Retry-After": "2"}),
        httpx.Response(200, json={"actions": [{"id": 1}]}),
    )
    client, retry_sleeps, _ = _extract(handler)
    assert _page(client).records == [{"id": 1}]
    assert retry_sleeps == [2.0] and len(seen) == 2
    assert client.limiter.ceiling is not None  # and the pacer slowed down


def test_extract_retries_5xx_then_succeeds() -> None:
    handler, seen = _answers(
        httpx.Response(503), httpx.Response(500), httpx.Response(200, json={"actions": []})
    )
    client, retry_sleeps, _ = _extract(handler)
    assert _page(client).records == []
    assert len(seen) == 3 and len(retry_sleeps) == 2
    assert all(0 <= s <= 8.0 for s in retry_sleeps)


def test_extract_does_not_retry_a_4xx() -> None:
    handler, seen = _answers(httpx.Response(404, text="no such resource"))
    client, retry_sleeps, _ = _extract(handler)
    with pytest.raises(GiveUp, match="HTTP 404"):
        _page(client)
    assert len(seen) == 1 and retry_sleeps == []


def test_extract_gives_up_after_the_attempts() -> None:
    handler, seen = _answers(httpx.Response(502))
    client, retry_sleeps, _ = _extract(handler, attempts=3)
    with pytest.raises(GiveUp, match="still failing after 3 attempts: HTTP 502"):
        _page(client)
    assert len(seen) == 3 and len(retry_sleeps) == 2


def test_extract_refreshes_a_stale_token_once_without_spending_an_attempt() -> None:
    handler, seen = _answers(httpx.Response(401), httpx.Response(200, json={"actions": []}))
    client, retry_sleeps, _ = _extract(handler, attempts=1)
    assert _page(client).records == []
    assert [r.headers["authorization"] for r in seen] == ["Bearer token-0", "Bearer token-1"]
    assert retry_sleeps == []


def _always(error: Exception) -> Callable[[], Any]:
    def fail() -> Any:
        raise error

    return fail


def _never(error: BaseException, attempts: int) -> BaseException:
    raise AssertionError(f"gave up after {attempts}: {error}")


def _no_sleep(seconds: float) -> None:
    raise AssertionError(f"slept {seconds} s")
