"""Hard removals: ids present before but absent from a complete full pass (DuckDB anti-join
over the raw Parquet, so memory does not grow with the number of ids)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from legal2odoo.extract.actionstep.rawwrite import utc_now, write_atomic

REMOVALS_SCHEMA = pa.schema(
    [
        ("resource", pa.string()),
        ("id", pa.string()),
        ("_detected_at", pa.timestamp("us")),
        ("_run_id", pa.string()),
    ]
)


def detect(dataset: Path, removals: Path, resource: str, run_id: str) -> int:
    """Write `removals/run=<run_id>/part-<resource>.parquet`; returns how many ids vanished."""
    current = dataset / f"run={run_id}"
    earlier = [
        p for p in dataset.glob("run=*") if p.name != current.name and any(p.glob("*.parquet"))
    ]
    if not earlier:
        return 0
    con = duckdb.connect()
    try:
        previous = [str(p / "*.parquet") for p in earlier]
        now_ids = str(current / "*.parquet") if any(current.glob("*.parquet")) else None
        gone_src = [
            str(p / "*.parquet") for p in removals.glob("run=*") if any(p.glob("*.parquet"))
        ]
        sql = f"""
            WITH seen AS (
                SELECT id, max(_extracted_at) AS at FROM read_parquet({previous!r}) GROUP BY id),
            gone AS ({_gone_sql(gone_src)})
            SELECT seen.id FROM seen LEFT JOIN gone USING (id)
            WHERE (gone.at IS NULL OR gone.at < seen.at)
              {f"AND seen.id NOT IN (SELECT id FROM read_parquet({now_ids!r}))" if now_ids else ""}
            ORDER BY seen.id
        """
        params = [resource] if gone_src else []
        ids = [row[0] for row in con.execute(sql, params).fetchall()]
    finally:
        con.close()
    if ids:
        now = utc_now()
        table = pa.table(
            {
                "resource": [resource] * len(ids),
                "id": ids,
                "_detected_at": [now] * len(ids),
                "_run_id": [run_id] * len(ids),
            },
            schema=REMOVALS_SCHEMA,
        )
        write_atomic(table, removals / f"run={run_id}" / f"part-{resource}.parquet")
    return len(ids)


def _gone_sql(sources: list[str]) -> str:
    if not sources:
        return "SELECT NULL::VARCHAR AS id, NULL::TIMESTAMP AS at WHERE false"
    return (
        f"SELECT id, max(_detected_at) AS at FROM read_parquet({sources!r}) "
        "WHERE resource = ? GROUP BY id"
    )
