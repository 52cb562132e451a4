"""One adaptive pacer per Actionstep user: find the server's unpublished limit and stay under it.

Requests are spaced at 1/rate. A 429 sets the rate just under the success rate actually
achieved over the last seconds (that *is* the server's limit while throttling) and pauses
everyone for Retry-After or an exponential backoff with jitter; each success then creeps the
rate up additively, slower once near the last rate that was throttled.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PacingOptions:
    start_rate: float = 5.0  # requests/s before anything is known: start fast
    min_rate: float = 0.1
    max_rate: float = 200.0
    creep: float = 0.0005  # share of the rate added per success near the known limit
    window_s: float = 10.0
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
        self._ok_times: deque[float] = deque()
        self._started = clock()

    async def acquire(self) -> None:
        """Wait for this request's slot (also honours a pause after a 429)."""
        now = self.clock()
        slot = max(now, self._next_slot, self._paused_until)
        self._next_slot = slot + 1.0 / self.rate
        if slot > now:
            await self.sleep(slot - now)

    def on_success(self) -> None:
        now = self.clock()
        self._ok_times.append(now)
        while self._ok_times and self._ok_times[0] < now - self.options.window_s:
            self._ok_times.popleft()
        self._throttles_in_row = 0
        near = self.ceiling is not None and self.rate >= 0.9 * self.ceiling
        step = self.rate * (self.options.creep if near else max(self.options.creep, 0.05))
        self.rate = min(self.options.max_rate, self.rate + step)

    def on_throttle(self, retry_after: float | None) -> float:
        """A 429: drop to just under the achieved rate and pause. Returns the pause (s)."""
        now = self.clock()
        elapsed = min(self.options.window_s, max(1.0, now - self._started))
        achieved = sum(1 for t in self._ok_times if t >= now - elapsed) / elapsed
        self.ceiling = self.rate
        target = 0.95 * achieved if achieved > 0 else self.rate * 0.5
        self.rate = max(self.options.min_rate, min(self.rate * 0.9, target))
        self._throttles_in_row += 1
        pause = retry_after if retry_after is not None else self.backoff(self._throttles_in_row)
        self._paused_until = max(self._paused_until, now + pause)
        self._next_slot = max(self._next_slot, self._paused_until)
        return pause

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter."""
        cap = min(self.options.backoff_max_s, self.options.backoff_base_s * 2 ** (attempt - 1))
        return cap * (0.5 + self.rng.random() / 2)
