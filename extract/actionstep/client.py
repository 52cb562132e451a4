"""HTTP to the Actionstep API: paging quirks, retries on transient errors only, request stats."""

from __future__ import annotations

import asyncio
import json
import logging
from collections import Counter
from dataclasses import dataclass
from typing import Any

import httpx

from legal2odoo.extract.actionstep.auth import AuthError, TokenManager, certificate_advice
from legal2odoo.extract.actionstep.limiter import AdaptiveLimiter
from legal2odoo.extract.actionstep.settings import rest_base

log = logging.getLogger(__name__)
TRANSIENT_STATUS = {429, 500, 502, 503, 504}
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
    ) -> None:
        self.http = http
        self.tokens = tokens
        self.limiter = limiter
        self.api_url = api_url
        self.gate = asyncio.Semaphore(concurrency)
        self.max_attempts = max_attempts
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
        """The response and, for a JSON 200, its parsed body (a truncated body is retried)."""
        url = await self.base() + path
        refreshed = False
        for attempt in range(1, self.max_attempts + 1):
            async with self.gate:
                epoch = await self.limiter.acquire()
                headers = {
                    "Authorization": f"Bearer {await self.tokens.bearer()}",
                    "Accept": JSON_API,
                    "Content-Type": JSON_API,
                }
                self.stats["requests"] += 1
                body = None
                try:
                    response = await self.http.get(url, params=params, headers=headers)
                    if want_json and response.status_code == 200 and response.content:
                        body = json.loads(response.content)
                except (
                    httpx.TransportError,
                    OSError,
                    json.JSONDecodeError,
                    UnicodeDecodeError,
                ) as error:
                    advice = certificate_advice(url, error)
                    if advice:  # no retry mends an untrusted certificate
                        raise AuthError(advice) from None
                    self.stats["retries"] += 1
                    self.stats[f"error:{type(error).__name__}"] += 1
                    log.debug("transient failure on %s: %s", path, error)
                    await asyncio.sleep(self.limiter.backoff(attempt))
                    continue
            status = response.status_code
            if status in (200, 204):
                self.limiter.on_success()
                return response, body
            if status == 401 and not refreshed:
                refreshed = True
                await self.tokens.refresh(stale=headers["Authorization"][7:])
                continue
            if status == 403:
                raise ScopeError(f"403 on {path}: the authorised user's scopes do not include it")
            if status in TRANSIENT_STATUS:
                self.stats["retries"] += 1
                self.stats[f"status:{status}"] += 1
                if status == 429:
                    pause = self.limiter.on_throttle(_retry_after(response), epoch)
                    log.debug(
                        "429 on %s, pausing %.2fs (rate now %.2f/s)", path, pause, self.limiter.rate
                    )
                else:
                    await asyncio.sleep(self.limiter.backoff(attempt))
                continue
            raise GiveUp(f"HTTP {status} on {path} with {params}: {response.text[:200]}")
        raise GiveUp(f"{path} still failing after {self.max_attempts} attempts")


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None
