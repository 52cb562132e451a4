"""Small read helpers over the warehouse (marts, intermediates) and raw Parquet datasets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb


def tables_with_columns(con: duckdb.DuckDBPyConnection, *columns: str) -> list[str]:
    """Tables that have every one of these columns (discovery by convention, not by name)."""
    placeholders = ", ".join("?" for _ in columns)
    rows = con.execute(
        "select table_name from information_schema.columns "
        f"where column_name in ({placeholders}) group by table_name "
        "having count(distinct column_name) = ? order by table_name",
        [*columns, len(columns)],
    ).fetchall()
    return [r[0] for r in rows]


def has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    rows = con.execute(
        "select 1 from information_schema.tables where table_name = ?", [table]
    ).fetchall()
    return bool(rows)


def columns_of(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "select column_name from information_schema.columns where table_name = ? "
        "order by ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def latest_raw(dataset: Path) -> str | None:
    """SQL for the newest run of a raw dataset (`<dataset>/run=<id>/*.parquet`), or None."""
    runs = sorted(p for p in dataset.glob("run=*") if p.is_dir() and any(p.glob("*.parquet")))
    if not runs:
        return None
    files = str(runs[-1] / "*.parquet").replace("'", "''")
    return f"read_parquet('{files}')"


def dicts(cursor: Any) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def one_row(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> tuple[Any, ...]:
    """The first row of a query that always has one (a count, a one-row table); an empty
    answer is a broken warehouse or snapshot, said as such."""
    row = con.execute(sql, params).fetchone()
    if row is None:
        raise LookupError(f"no row from: {sql}")
    return row
