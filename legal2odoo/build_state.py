"""What the last `legal2odoo build` did, so `load` never sends stale or partial marts.

`build` writes DATA_DIR/state/build.json when it starts (`running`) and when it ends (`ok` or
`failed`). `load` refuses the marts when the last build did not finish well, or started
before the newest extract (raw/<source>/<resource>/run=<run id>, run ids are UTC times).
A warehouse with no build record (made by dbt directly, or by an older version) is loaded
as it is.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from legal2odoo.workdir import Workdir, new_run_id


class StaleMarts(Exception):
    """The marts do not reflect a finished build of the newest extract."""


@dataclass(frozen=True)
class BuildRecord:
    status: str  # running | ok | failed
    started: str  # run-id format (UTC)
    ended: str | None = None
    note: str | None = None


def state_file(workdir: Workdir) -> Path:
    return workdir.state / "build.json"


def record_build(workdir: Workdir, record: BuildRecord) -> None:
    """Written whole or not at all (a reader never sees half a file)."""
    path = state_file(workdir)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(json.dumps(record.__dict__, indent=2), encoding="utf-8")
    partial.replace(path)


def begin_build(workdir: Workdir) -> BuildRecord:
    record = BuildRecord("running", new_run_id())
    record_build(workdir, record)
    return record


def end_build(workdir: Workdir, begun: BuildRecord, ok: bool, note: str | None = None) -> None:
    record_build(workdir, BuildRecord("ok" if ok else "failed", begun.started, new_run_id(), note))


def last_build(workdir: Workdir) -> BuildRecord | None:
    path = state_file(workdir)
    if not path.is_file():
        return None
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return BuildRecord(**data)
    except (ValueError, TypeError) as error:
        raise StaleMarts(
            f"{path} is unreadable ({error}): run `legal2odoo build` again before loading"
        ) from None


def newest_extract(workdir: Workdir) -> tuple[str, str] | None:
    """(run id, dataset) of the newest raw extract run."""
    runs = [
        (p.name.removeprefix("run="), f"{p.parent.parent.name}/{p.parent.name}")
        for p in workdir.raw.glob("*/*/run=*")
        if p.is_dir()
    ]
    return max(runs) if runs else None


def check_marts(workdir: Workdir) -> None:
    """StaleMarts, with the command to run, unless the marts come from a finished build of
    the newest extract."""
    build = last_build(workdir)
    if build is None:
        return
    again = "fix what it reported and run `legal2odoo build` again before loading"
    if build.status == "failed":
        raise StaleMarts(
            f"the last `legal2odoo build` (started {_when(build.started)}) failed, so the "
            f"warehouse may mix old and new marts: {again}"
        )
    if build.status != "ok":
        raise StaleMarts(
            f"the last `legal2odoo build` (started {_when(build.started)}) did not finish: "
            "run `legal2odoo build` again before loading"
        )
    newest = newest_extract(workdir)
    if newest and newest[0] > build.started:
        raise StaleMarts(
            f"the marts were built at {_when(build.started)}, before the newest extract "
            f"({newest[1]} at {_when(newest[0])}): run `legal2odoo build` first"
        )


def _when(run_id: str) -> str:
    """20260101T120000123456Z -> 2026-01-01 12:00:00 UTC (as given when not a run id)."""
    try:
        return datetime.strptime(run_id[:15], "%Y%m%dT%H%M%S").strftime("%Y-%m-%d %H:%M:%S UTC")
    except ValueError:
        return run_id
