"""One adaptive pacer per Actionstep user: find the server's unpublished limit and stay under it.

Requests are spaced at 1/rate. A 429 cuts the rate by 10 % (by half when the previous cut
was not enough) and pauses everyone for Retry-After or an exponential backoff with jitter;
each success then raises the rate by a small share: fast before the first 429, briskly when
far below the last throttled rate, by 0.05 % near it, so 429s stay rare and the rate hugs
the limit.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PacingOptions:
    start_rate: float = 5.0  # requests/s before anything is known: start fast
    min_rate: float = 0.1
    max_rate: float = 200.0
    creep: float = 0.0005  # share of the rate added per success near the known limit
    backoff_base_s: float = 0.5
    backoff_max_s: float = 60.0


class AdaptiveLimiter:
    def __init__(
        self,
        options: PacingOptions = PacingOptions(),
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.options = options
        self.rate = options.start_rate
        self.ceiling: float | None = None  # rate at the last 429
        self.clock = clock
        self.sleep = sleep
        self.rng = rng or random.Random()
        self._next_slot = clock()
        self._paused_until = 0.0
        self._throttles_in_row = 0
        self._ok_since_throttle = 0  # the first 429 counts as "soon": we started blind

    async def acquire(self) -> None:
        """Wait for this request's slot (also honours a pause after a 429)."""
        now = self.clock()
        slot = max(now, self._next_slot, self._paused_until)
        self._next_slot = slot + 1.0 / self.rate
        if slot > now:
            await self.sleep(slot - now)

    def on_success(self) -> None:
        self._throttles_in_row = 0
        self._ok_since_throttle += 1
        if self.ceiling is None:  # never throttled: climb fast
            step = max(self.options.creep, 0.05)
        elif self.rate < 0.7 * self.ceiling:  # cut too deep: recover briskly
            step = max(self.options.creep, 0.01)
        else:  # near the limit: creep, so 429s stay rare
            step = self.options.creep
        self.rate = min(self.options.max_rate, self.rate * (1 + step))

    def on_throttle(self, retry_after: float | None) -> float:
        """A 429: cut the rate (halve when the last cut was not enough) and pause everyone."""
        now = self.clock()
        self.ceiling = self.rate
        factor = 0.5 if self._ok_since_throttle < 10 else 0.9
        self.rate = max(self.options.min_rate, self.rate * factor)
        self._ok_since_throttle = 0
        self._throttles_in_row += 1
        pause = retry_after if retry_after is not None else self.backoff(self._throttles_in_row)
        self._paused_until = max(self._paused_until, now + pause)
        self._next_slot = max(self._next_slot, self._paused_until)
        return pause

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter."""
        cap = min(self.options.backoff_max_s, self.options.backoff_base_s * 2 ** (attempt - 1))
        return cap * (0.5 + self.rng.random() / 2)
