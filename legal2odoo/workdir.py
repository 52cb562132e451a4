"""The working directory layout (docs/design.md §2), shared by every stage.

Only paths live here: each stage decides what to put in its own folders.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

DATA_ENV = "LEGAL2ODOO_DATA"
PROJECT_DIR = Path(__file__).resolve().parent.parent  # the dbt project lives at the repo root


def new_run_id() -> str:
    """A sortable, filesystem-safe run id: UTC timestamp to the microsecond."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


@dataclass(frozen=True)
class Workdir:
    root: Path

    @classmethod
    def from_env(cls, data_dir: str | os.PathLike[str] | None = None) -> Workdir:
        return cls(Path(data_dir or os.environ.get(DATA_ENV) or "data").resolve())

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    def raw_dataset(self, source: str, resource: str) -> Path:
        return self.raw / source / resource

    def raw_run(self, source: str, resource: str, run_id: str) -> Path:
        return self.raw_dataset(source, resource) / f"run={run_id}"

    @property
    def files(self) -> Path:
        return self.root / "files"

    @property
    def state(self) -> Path:
        return self.root / "state"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def sample_marker(self) -> Path:
        """Written by `build --sample`: the marts hold a sample, not every source record."""
        return self.root / "sample.json"

    @property
    def build_vars(self) -> Path:
        """Written by `build`: the dbt vars the marts were built with (defaults and --vars),
        so verify derives from the source by the same rules (e.g. unknown_status)."""
        return self.root / "build_vars.json"

    @property
    def audit(self) -> Path:
        return self.root / "audit.duckdb"

    @property
    def odoo_import(self) -> Path:
        return self.root / "out" / "odoo-import"

    def reports(self, run_id: str) -> Path:
        return self.root / "reports" / run_id

    @property
    def exports(self) -> Path:
        return self.root / "exports"
