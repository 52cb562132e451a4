"""`build --sample N`: the dbt var that makes macros/sample.sql cut the marts to a sample."""

from __future__ import annotations

import yaml


def with_sample_size(dbt_vars: str | None, size: int) -> str:
    """The given vars (YAML) plus sample_size."""
    values = yaml.safe_load(dbt_vars) if dbt_vars else {}
    if not isinstance(values, dict):
        raise ValueError(f"--vars must be a YAML mapping, not {dbt_vars!r}")
    return yaml.safe_dump({**values, "sample_size": size}, default_flow_style=True).strip()
