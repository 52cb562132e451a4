"""Captorra path at scale: generator, extract, dbt build — each beside a baseline in the same run.

Baselines (the floor for the same work on this machine, measured now):
- generator: DuckDB writing a CSV of the same row count and width from constant values;
- extract: DuckDB reading the same export into Parquet with no checks (read_csv → COPY);
- build: the same `dbt build` on a 1,000-lead firm (dbt's fixed cost).
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

from bench.measure import Measurement, run_step

TITLE = "Captorra path (generator → extract captorra → dbt build)"
GENERATE_FLOOR = "baseline: DuckDB writes a CSV of the same shape"
EXTRACT_FLOOR = "baseline: DuckDB read_csv → Parquet, no checks"
BUILD_FLOOR = "baseline: dbt build @1,000"
EXPORT_WIDTH = 34  # columns in the synthetic export


def _cli(data: Path, *args: str) -> list[str]:
    return [str(Path(sys.executable).parent / "legal2odoo"), "--data-dir", str(data), *args]


def _duckdb(sql: str) -> list[str]:
    return [sys.executable, "-c", f"import duckdb; duckdb.sql({sql!r})"]


def _pipeline(scale: int, root: Path, build_baseline: str | None) -> list[Measurement]:
    label = f"@{scale:,}"
    firm, data = root / f"firm-{scale}", root / f"data-{scale}"
    export = firm / "captorra" / "export.csv"
    sample = ["sample-data", "--scale", str(scale), "--out", str(firm), "--sides", "odoo,captorra"]
    generated = run_step(
        f"generate {label}",
        _cli(data, *sample),
        items=scale,
        unit="leads",
        baseline=GENERATE_FLOOR,
        note="export, activities, registry, attachment files, Odoo snapshot",
    )
    extracted = run_step(
        f"extract captorra {label}",
        _cli(data, "extract", "captorra", "--export", str(export)),
        items=scale,
        unit="leads",
        baseline=EXTRACT_FLOOR,
        note="export + activities + registry + attachments, all checks",
    )
    built = run_step(
        f"dbt build {label}",
        _cli(data, "build", "--odoo-snapshot", str(firm / "odoo")),
        items=scale,
        unit="leads",
        baseline=build_baseline,
        note="seeds, models, data tests, unit tests",
    )
    return [generated, extracted, built]


def run(scale: int, root: Path) -> list[Measurement]:
    measured = _pipeline(scale, root, BUILD_FLOOR)
    export = root / f"firm-{scale}" / "captorra" / "export.csv"
    columns = ", ".join(f"'value number {n}' as c{n}" for n in range(EXPORT_WIDTH))
    measured.append(
        run_step(
            GENERATE_FLOOR,
            _duckdb(f"copy (select {columns} from range({scale})) to '{root}/floor.csv'"),
            items=scale,
            unit="leads",
        )
    )
    measured.append(
        run_step(
            EXTRACT_FLOOR,
            _duckdb(
                f"copy (select * from read_csv('{export}', all_varchar = true)) "
                f"to '{root}/floor.parquet'"
            ),
            items=scale,
            unit="leads",
        )
    )
    small = _pipeline(1000, root, None)[-1]
    measured.append(dataclasses.replace(small, step=BUILD_FLOOR))
    return measured
