"""Run one step as a child process and measure its wall time and peak memory."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Measurement:
    step: str
    seconds: float
    peak_rss_mb: float
    items: int | None = None  # rows, records, requests…: whatever the step's unit is
    unit: str = "rows"
    note: str = ""
    baseline: str | None = None  # step name, in the same section, this one is compared with

    @property
    def rate(self) -> float | None:
        return self.items / self.seconds if self.items and self.seconds else None


def run_step(
    step: str,
    argv: Sequence[str],
    *,
    items: int | None = None,
    unit: str = "rows",
    env: dict[str, str] | None = None,
    note: str = "",
    baseline: str | None = None,
    check: bool = True,
) -> Measurement:
    """Run argv to completion; wall time and that child's own peak RSS (wait4, not the max
    over every child the benchmark ever started). With check=False a non-zero exit is noted
    (a step that reports findings through its exit status) instead of raised."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(argv), env={**os.environ, **(env or {})})
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0 and not check:
        note = "; ".join(part for part in (note, f"exit {proc.returncode}") if part)
    elif proc.returncode != 0:
        raise RuntimeError(f"benchmark step {step!r} failed (exit {proc.returncode}): {argv}")
    return Measurement(step, seconds, usage.ru_maxrss / 1024, items, unit, note, baseline)
