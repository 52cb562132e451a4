"""Per-user rate limiting and injected faults: the unreliable parts of the real service."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class FaultSpec:
    """Probabilities per request. Parsed from e.g. `429=5%,5xx=2%,reset=1%,truncate=1%,slow=1%`."""

    too_many: float = 0.0
    server_error: float = 0.0
    reset: float = 0.0
    truncate: float = 0.0
    slow: float = 0.0
    slow_seconds: float = 2.0

    KEYS: ClassVar[dict[str, str]] = {
        "429": "too_many",
        "5xx": "server_error",
        "reset": "reset",
        "truncate": "truncate",
        "slow": "slow",
        "slow_seconds": "slow_seconds",
    }

    @classmethod
    def parse(cls, spec: str | None) -> FaultSpec:
        if not spec:
            return cls()
        values: dict[str, float] = {}
        for item in spec.split(","):
            key, sep, raw = item.strip().partition("=")
            if not sep or key not in cls.KEYS:
                raise ValueError(
                    f"bad fault {item!r}: use KEY=RATE with KEY in {', '.join(cls.KEYS)}, "
                    "e.g. 429=5%,5xx=2%,reset=1%,truncate=1%,slow=1%,slow_seconds=3"
                )
            number = float(raw.rstrip("%")) / (100 if raw.endswith("%") else 1)
            values[cls.KEYS[key]] = number
        return cls(**values)

    def draw(self, rng: random.Random) -> str | None:
        """Which fault, if any, hits this request."""
        roll = rng.random()
        for name in ("too_many", "server_error", "reset", "truncate", "slow"):
            rate = getattr(self, name)
            if roll < rate:
                return name
            roll -= rate
        return None


class TokenBucket:
    """Requests per minute per user, with a small burst; answers how long until the next slot."""

    def __init__(self, per_minute: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.capacity = max(1.0, self.rate * 2)
        self.clock = clock
        self.tokens = self.capacity
        self.stamp = clock()

    def take(self) -> float:
        """0 when the request may pass (and a token is spent), else seconds to wait."""
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate
