"""Run dbt on the project at the repo root against a working directory.

dbt runs as a child process with its environment set explicitly, so the working directory
and snapshot location reach the models without touching this process's state.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from legal2odoo.workdir import PROJECT_DIR, Workdir


class DbtError(Exception):
    """dbt reported failing models or tests; its own output says which."""


def dbt_env(workdir: Workdir, odoo_snapshot: Path | None = None) -> dict[str, str]:
    env = {**os.environ, "LEGAL2ODOO_DATA": str(workdir.root)}
    if odoo_snapshot is not None:
        env["LEGAL2ODOO_ODOO_SNAPSHOT"] = str(odoo_snapshot.resolve())
    return env


def run_dbt(
    workdir: Workdir,
    args: Sequence[str],
    odoo_snapshot: Path | None = None,
    dbt_vars: str | None = None,
) -> None:
    workdir.root.mkdir(parents=True, exist_ok=True)
    command = [
        str(Path(sys.executable).parent / "dbt"),
        *args,
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(workdir.root / "dbt" / "target"),
        "--log-path",
        str(workdir.root / "dbt" / "logs"),
    ]
    if dbt_vars:
        command += ["--vars", dbt_vars]
    result = subprocess.run(command, env=dbt_env(workdir, odoo_snapshot), check=False)
    if result.returncode != 0:
        raise DbtError(
            f"dbt {' '.join(args)} failed (exit {result.returncode}); see the output above"
        )
