"""A finding: one thing that blocks, degrades or is worth knowing before a load."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

BLOCK, DEGRADE, INFO = "block", "degrade", "info"
SEVERITIES = (BLOCK, DEGRADE, INFO)


@dataclass(frozen=True)
class Finding:
    check: str  # stable key, e.g. owners_on_fallback
    severity: str  # block | degrade | info
    count: int  # records (or items) concerned
    summary: str  # one line a person reads
    items: list[dict[str, Any]] = field(default_factory=list)  # detail rows, capped

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {self.severity!r}")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def blocking(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == BLOCK]
