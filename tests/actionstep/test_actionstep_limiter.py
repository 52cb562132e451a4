"""The adaptive pacer against the local API's token bucket, in simulated time (no waiting)."""

from __future__ import annotations

import asyncio
import math
import random

import pytest

from extract.actionstep.limiter import AdaptiveLimiter
from sandbox.actionstep.limits import TokenBucket


class VirtualTime:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def simulate(per_minute: float, requests: int, retry_after: bool) -> tuple[float, float]:
    """(sustained successes/s as a share of the limit, share of answers that were 429)."""
    clock = VirtualTime()
    server = TokenBucket(per_minute, clock)
    client = AdaptiveLimiter(clock=clock, sleep=clock.sleep, rng=random.Random(1))
    ok = throttled = 0

    async def run() -> None:
        nonlocal ok, throttled
        while ok < requests:
            await client.acquire()
            clock.now += 0.02  # request latency
            wait = server.take()
            if wait:
                throttled += 1
                client.on_throttle(math.ceil(wait) if retry_after else None)
            else:
                ok += 1
                client.on_success()

    asyncio.run(run())
    return ok / clock.now / (per_minute / 60), throttled / (ok + throttled)


@pytest.mark.parametrize("retry_after", [True, False])
@pytest.mark.parametrize("per_minute", [120, 600])
def test_sustains_over_90_percent_with_under_2_percent_429(
    per_minute: int, retry_after: bool
) -> None:
    share, limited = simulate(per_minute, 3000, retry_after)
    assert share >= 0.90, f"{share:.3f} of the limit"
    assert limited < 0.02, f"{limited:.3%} answered 429"


def test_backoff_grows_and_is_jittered() -> None:
    limiter = AdaptiveLimiter(rng=random.Random(3))
    waits = [limiter.backoff(n) for n in range(1, 8)]
    assert waits[-1] > waits[0] * 10
    assert (
        len({round(w / (0.5 * 2 ** (n)), 6) for n, w in enumerate(waits)}) > 1
    )  # not a fixed ladder
