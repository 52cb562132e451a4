"""Raw Parquet parts (docs/design.md §2): id, record (JSON as received), _extracted_at, _run_id."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

RAW_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("record", pa.string()),
        ("_extracted_at", pa.timestamp("us")),  # UTC, naive: DuckDB reads TIMESTAMP
        ("_run_id", pa.string()),
    ]
)
_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def write_atomic(table: pa.Table, path: Path) -> None:
    """Write then rename: a part file is either whole or absent, even after kill -9."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


def write_records(records: list[dict[str, Any]], path: Path, run_id: str) -> None:
    now = utc_now()
    table = pa.table(
        {
            "id": [str(r["id"]) for r in records],
            "record": [_compact(r) for r in records],
            "_extracted_at": [now] * len(records),
            "_run_id": [run_id] * len(records),
        },
        schema=RAW_SCHEMA,
    )
    write_atomic(table, path)


def part_name(number: int) -> str:
    return f"part-{number:05d}.parquet"
