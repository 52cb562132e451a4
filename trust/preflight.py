"""`legal2odoo preflight`: what blocks or degrades the load, before anything is sent."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from legal2odoo.load.marts import open_warehouse
from legal2odoo.trust.data_map import data_map
from legal2odoo.trust.findings import Finding, blocking
from legal2odoo.trust.mapping_spec import load_spec
from legal2odoo.trust.preflight_checks import CHECKS, DEFAULT_MAX_ATTACHMENT_MB, Inputs
from legal2odoo.trust.target import check_target
from legal2odoo.workdir import PROJECT_DIR, Workdir, new_run_id

log = logging.getLogger(__name__)
PREFLIGHT_FILE = "preflight.json"


@dataclass
class Preflight:
    run_id: str
    findings: list[Finding] = field(default_factory=list)
    data_map: list[dict[str, Any]] = field(default_factory=list)  # per source object
    path: Path | None = None

    @property
    def blocked(self) -> bool:
        return bool(blocking(self.findings))


def run_preflight(
    workdir: Workdir,
    snapshot: Path | None = None,
    *,
    check_api: bool = True,
    environ: Mapping[str, str] | None = None,
    max_attachment_mb: float = DEFAULT_MAX_ATTACHMENT_MB,
) -> Preflight:
    """Every check; the findings land in reports/<run>/preflight.json."""
    result = Preflight(new_run_id())
    with open_warehouse(workdir.warehouse) as con:
        inputs = Inputs(
            warehouse=con,
            raw=workdir.raw,
            snapshot=snapshot or workdir.raw / "odoo",
            fallback_login=fallback_login(),
            max_attachment_mb=max_attachment_mb,
        )
        for check in CHECKS:
            result.findings += check(inputs)
    if check_api:
        result.findings += check_target(environ)
    result.data_map = data_map(workdir.raw, load_spec())
    result.path = _write(workdir, result)
    return result


def fallback_login() -> str:
    """The dbt var's default (a `build --vars` override is not visible here)."""
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return str(project.get("vars", {}).get("fallback_owner_login", "admin"))


def _write(workdir: Workdir, result: Preflight) -> Path:
    path = workdir.reports(result.run_id) / PREFLIGHT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {
        "run_id": result.run_id,
        "blocked": result.blocked,
        "findings": [f.as_dict() for f in result.findings],
        "data_map": result.data_map,
    }
    path.write_text(json.dumps(body, indent=2, default=str), encoding="utf-8")
    return path


def latest_preflight(workdir: Workdir, before: str | None = None) -> dict | None:
    """The newest preflight.json (at or before a run id) for the report."""
    reports = workdir.root / "reports"
    candidates = sorted(reports.glob(f"*/{PREFLIGHT_FILE}")) if reports.exists() else []
    if before:
        candidates = [p for p in candidates if p.parent.name <= before]
    if not candidates:
        return None
    return json.loads(candidates[-1].read_text(encoding="utf-8"))
