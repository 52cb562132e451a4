"""Fault injection and operating switches: what a real server does badly, on demand."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from typing import Any

# 502: a proxy answers 502; reset: the connection drops before the call runs;
# timeout_after_commit: the call commits, then the connection drops without an answer;
# serialization: a load() fails as under a concurrent batch (messages, ids False, no fault).
FAULT_KINDS = ("502", "reset", "timeout_after_commit", "serialization")


@dataclass
class InjectedValidation:
    """Refuse create/write of `model` rows matching `domain` with a ValidationError."""

    model: str
    domain: list[Any]
    message: str = "Injected validation error (sandbox Faults.validations)"


@dataclass
class Faults:
    rates: dict[str, float] = field(default_factory=dict)  # kind -> probability per call
    latency_ms: int = 0
    api_enabled: bool = True
    max_concurrency: int = 0  # 0 = unlimited
    ms_per_row: float = 0.0  # simulated server time per row written (load/create/write)
    hang_seconds: float = 0.0  # how long timeout_after_commit keeps the socket before closing
    validations: list[InjectedValidation] = field(default_factory=list)
    seed: int | None = None

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._rng_lock = threading.Lock()
        self.gate = (
            threading.BoundedSemaphore(self.max_concurrency) if self.max_concurrency else None
        )

    def draw(self) -> str | None:
        """The fault to inflict on this call, if any."""
        if not self.rates:
            return None
        with self._rng_lock:
            roll = self._rng.random()
        edge = 0.0
        for kind in FAULT_KINDS:
            edge += self.rates.get(kind, 0.0)
            if roll < edge:
                return kind
        return None


def parse_faults(spec: str | None) -> dict[str, float]:
    """`502=0.02,reset=0.01,timeout_after_commit=0.01` -> {kind: probability}."""
    rates: dict[str, float] = {}
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        kind, sep, value = part.partition("=")
        kind = kind.strip()
        if not sep or kind not in FAULT_KINDS:
            raise ValueError(f"bad fault {part!r}: use KIND=RATE with KIND in {FAULT_KINDS}")
        rate = float(value)
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"fault rate for {kind} must be between 0 and 1, got {rate}")
        rates[kind] = rate
    if sum(rates.values()) > 1.0:
        raise ValueError(f"fault rates add up to more than 1: {rates}")
    return rates
