"""HTTP to the Actionstep API: paging quirks, retries on transient errors only, request stats."""

from __future__ import annotations

import asyncio
import json
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from legal2odoo import retry
from legal2odoo.extract.actionstep.auth import AuthError, TokenManager, certificate_advice
from legal2odoo.extract.actionstep.limiter import AdaptiveLimiter
from legal2odoo.extract.actionstep.settings import rest_base
from legal2odoo.retry import RetryPolicy, parse_retry_after

log = logging.getLogger(__name__)
# the shared transient statuses, and 500: Actionstep's API answers one now and then that a
# retry a moment later does not get
TRANSIENT_STATUS = retry.TRANSIENT_STATUS | {500}
JSON_API = "application/vnd.api+json"


class ScopeError(RuntimeError):
    """403: the consenting user's grant does not cover this resource."""


class GiveUp(RuntimeError):
    """A request failed permanently or kept failing after every retry."""


@dataclass
class Page:
    records: list[dict[str, Any]]
    record_count: int | None
    page_count: int | None
    has_next: bool


class ActionstepClient:
    def __init__(
        self,
        http: httpx.AsyncClient,
        tokens: TokenManager,
        limiter: AdaptiveLimiter,
        api_url: str | None,
        *,
        concurrency: int = 4,
        max_attempts: int = 10,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.http = http
        self.tokens = tokens
        self.limiter = limiter
        self.api_url = api_url
        self.gate = asyncio.Semaphore(concurrency)
        self.max_attempts = max_attempts
        options = limiter.options
        self.retry_policy = RetryPolicy(
            max_attempts,
            options.backoff_base_s,
            options.backoff_max_s,
            max_retry_after=options.backoff_max_s * 5,
        )
        self.sleep = sleep  # waits between attempts (a test's fake clock)
        self.stats: Counter[str] = Counter()

    async def base(self) -> str:
        if self.api_url is None:  # learn it from the token answer
            await self.tokens.bearer()
            self.api_url = self.tokens.api_endpoint
            if not self.api_url:
                raise GiveUp("the token answer had no api_endpoint: set ACTIONSTEP_API_URL")
        return rest_base(self.api_url)

    async def page(self, resource: str, params: dict[str, str]) -> Page:
        """One page; a bare object becomes a one-item list, 204 an empty page."""
        response, body = await self._get(resource, params, want_json=True)
        if response.status_code == 204 or body is None:
            return Page([], 0, 0, False)
        data = body.get(resource)
        records = [] if data is None else [data] if isinstance(data, dict) else data
        paging = ((body.get("meta") or {}).get("paging") or {}).get(resource) or {}
        count, pages = (
            _int_or_none(paging.get("recordCount")),
            _int_or_none(paging.get("pageCount")),
        )
        page_no = _int_or_none(paging.get("page"))
        has_next = bool(paging.get("nextPage")) or (
            pages is not None and page_no is not None and page_no < pages
        )
        return Page(records, count, pages, has_next)

    async def file_part(self, file_id: str, part: int) -> bytes:
        response, _ = await self._get(
            f"files/{file_id}", {"part_number": str(part)}, want_json=False
        )
        return response.content

    async def _get(
        self, path: str, params: dict[str, str], *, want_json: bool
    ) -> tuple[httpx.Response, Any]:
        """The response and, for a JSON 200, its parsed body; transient failures (429, 5xx,
        a broken connection or a truncated body) retried by the shared policy."""
        url = await self.base() + path
        request = _Request(url, path, params, want_json)

        def give_up(error: BaseException, attempts: int) -> GiveUp:
            return GiveUp(f"{path} still failing after {attempts} attempts: {error}")

        return await retry.call_async(
            lambda: self._send(request),
            self.retry_policy,
            path,
            retry_on=lambda error: isinstance(error, _Transient),
            give_up=give_up,
            sleep=self.sleep,
            log_level=logging.DEBUG,  # 429s are how the pacer finds the limit: routine
        )

    async def _send(self, request: _Request) -> tuple[httpx.Response, Any]:
        """One attempt: paced, authorised (refreshed once per request on a 401)."""
        while True:
            async with self.gate:
                epoch = await self.limiter.acquire()
                bearer = await self.tokens.bearer()
                response, body = await self._exchange(request, bearer)
            status = response.status_code
            if status in (200, 204):
                self.limiter.on_success()
                return response, body
            if status == 401 and not request.refreshed:
                request.refreshed = True
                await self.tokens.refresh(stale=bearer)
                continue
            if status == 403:
                raise ScopeError(
                    f"403 on {request.path}: the authorised user's scopes do not include it"
                )
            if status in TRANSIENT_STATUS:
                raise self._transient(request.path, response, epoch)
            raise GiveUp(
                f"HTTP {status} on {request.path} with {request.params}: {response.text[:200]}"
            )

    async def _exchange(self, request: _Request, bearer: str) -> tuple[httpx.Response, Any]:
        headers = {
            "Authorization": f"Bearer {bearer}",
            "Accept": JSON_API,
            "Content-Type": JSON_API,
        }
        self.stats["requests"] += 1
        try:
            response = await self.http.get(request.url, params=request.params, headers=headers)
            body = None
            if request.want_json and response.status_code == 200 and response.content:
                body = json.loads(response.content)
            return response, body
        except (httpx.TransportError, OSError, json.JSONDecodeError, UnicodeDecodeError) as error:
            advice = certificate_advice(request.url, error)
            if advice:  # no retry mends an untrusted certificate
                raise AuthError(advice) from None
            self.stats["retries"] += 1
            self.stats[f"error:{type(error).__name__}"] += 1
            log.debug("transient failure on %s: %s", request.path, error)
            raise _Transient(f"{type(error).__name__}: {error}") from error

    def _transient(self, path: str, response: httpx.Response, epoch: int) -> _Transient:
        """A 429 cuts the pacer's rate and waits what it decides (Retry-After, else its own
        backoff); a 5xx waits the policy's backoff."""
        status = response.status_code
        self.stats["retries"] += 1
        self.stats[f"status:{status}"] += 1
        if status != 429:
            return _Transient(f"HTTP {status}")
        pause = self.limiter.on_throttle(
            parse_retry_after(response.headers.get("retry-after")), epoch
        )
        log.debug("429 on %s, pausing %.2fs (rate now %.2f/s)", path, pause, self.limiter.rate)
        return _Transient("HTTP 429", retry_after=pause)


@dataclass
class _Request:
    url: str
    path: str
    params: dict[str, str]
    want_json: bool
    refreshed: bool = False  # a 401 refreshes the token once per request, not per attempt


class _Transient(retry.RetryAfter):
    """A failure the shared policy retries (retry_after: the wait a 429 asked for)."""


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None
