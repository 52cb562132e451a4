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
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PacingOptions:
    start_rate: float = 5.0  # requests/s before anything is known: start fast
    min_rate: float = 0.1
    max_rate: float = 200.0
    creep: float = 0.00025  # share of the rate added per success near the known limit
    window_s: float = 10.0  # how far back "the throughput the server granted" looks
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
        self.estimate: float | None = None  # the server's limit, as last measured
        self.clock = clock
        self.sleep = sleep
        self.rng = rng or random.Random()
        self._next_slot = clock()
        self._paused_until = 0.0
        self._throttles_in_row = 0
        self._epoch = 0
        self._ok_times: deque[float] = deque()
        self._started = clock()

    async def acquire(self) -> int:
        """Wait for this request's slot (also honours a pause after a 429).

        Returns the pacing epoch the request was sent in; pass it to `on_throttle`, so the
        requests already in flight when the rate was cut do not cut it again.
        """
        now = self.clock()
        slot = max(now, self._next_slot, self._paused_until)
        self._next_slot = slot + 1.0 / self.rate
        if slot > now:
            await self.sleep(slot - now)
        return self._epoch

    def on_success(self) -> None:
        now = self.clock()
        self._ok_times.append(now)
        while self._ok_times and self._ok_times[0] < now - self.options.window_s:
            self._ok_times.popleft()
        self._throttles_in_row = 0
        if self.ceiling is None:  # never throttled: climb fast
            step = max(self.options.creep, 0.05)
        elif self.estimate is None or self.rate < 0.9 * self.estimate:  # below it: recover
            step = max(self.options.creep, 0.01)
        else:  # near the server's limit: creep, so 429s stay rare
            step = self.options.creep
        self.rate = min(self.options.max_rate, self.rate * (1 + step))

    def on_throttle(self, retry_after: float | None, epoch: int | None = None) -> float:
        """A 429: drop to just under the throughput the server granted lately, and pause."""
        now = self.clock()
        if epoch is not None and epoch < self._epoch:  # sent before the last cut: no new news
            return max(0.0, self._paused_until - now)
        self._epoch += 1
        self.ceiling = self.rate
        granted = self._granted(now)
        if granted:  # while throttled, what the server granted is its limit
            self.estimate = granted
            self.rate = max(self.options.min_rate, min(0.9 * self.rate, 0.95 * granted))
        else:  # too early to measure: a blind but moderate cut
            self.rate = max(self.options.min_rate, 0.7 * self.rate)
        self._throttles_in_row += 1
        if retry_after is None:  # no hint: back off, but long enough for the bucket to refill
            pause = max(self.backoff(self._throttles_in_row), 2.0 / self.rate)
        else:
            pause = retry_after
        self._paused_until = max(self._paused_until, now + pause)
        self._next_slot = max(self._next_slot, self._paused_until)
        return pause

    def _granted(self, now: float) -> float | None:
        """Successes per second over the window; None while too little time has passed."""
        span = min(self.options.window_s, now - self._started)
        if span < 2.0:
            return None
        return sum(1 for t in self._ok_times if t >= now - span) / span

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter."""
        cap = min(self.options.backoff_max_s, self.options.backoff_base_s * 2 ** (attempt - 1))
        return cap * (0.5 + self.rng.random() / 2)
