"""Extraction state under DATA/state/actionstep/: the current run's plan and progress per
resource (saved after every page) and, per resource, the high-water mark of past runs."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class ResourceProgress:
    since: str | None  # the `_gteq` filter of this run; None = full pass
    last_page: int = 0
    records: int = 0
    max_ts: str | None = None  # greatest since-field value seen, as received
    done: bool = False
    error: str | None = None


@dataclass
class RunState:
    run_id: str
    resources: dict[str, ResourceProgress]
    trust_rows: int | None = None


@dataclass
class History:
    max_ts: str | None = None
    last_run: str | None = None
    last_full_run: str | None = None


@dataclass
class State:
    path: Path
    run: RunState | None = None
    history: dict[str, History] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> State:
        try:
            raw: dict[str, Any] = json.loads(path.read_text())
        except FileNotFoundError:
            return cls(path)
        run = raw.get("run")
        return cls(
            path,
            RunState(
                run["run_id"],
                {k: ResourceProgress(**v) for k, v in run["resources"].items()},
                run.get("trust_rows"),
            )
            if run
            else None,
            {k: History(**v) for k, v in raw.get("history", {}).items()},
        )

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "run": asdict(self.run) if self.run else None,
            "history": {k: asdict(v) for k, v in self.history.items()},
        }
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(payload, indent=1))
        os.replace(tmp, self.path)
