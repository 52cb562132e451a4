"""Mart rows as `load()` wants them (every cell a string) (batches: load/lanes.py).

Rows stream from DuckDB in Arrow chunks, so memory stays flat whatever the mart's size.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

import duckdb

from legal2odoo.load.marts import Mart, as_text

READ_CHUNK = 10_000
DEFAULT_BATCH_ROWS = 1000  # measured on Odoo 17: 500 -> 178 rows/s, 2,000 -> 195 rows/s
DEFAULT_BATCH_BYTES = 4 * 1024 * 1024  # keeps one call well under proxies' body limits


@dataclass(frozen=True)
class Row:
    external_id: str
    cells: tuple[str, ...]  # in Mart.columns order
    meta: dict[str, Any]  # the `_` columns
    size: int  # bytes on the wire, roughly


def metadata_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "select column_name from information_schema.columns where table_name = ? "
        "and starts_with(column_name, '_') order by ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def read_rows(
    con: duckdb.DuckDBPyConnection,
    mart: Mart,
    key: str = "id",
    only: Collection[str] | None = None,
) -> Iterator[Row]:
    """Every row of the mart in load order (`only`: those with these external ids); `key`
    names the external id column."""
    meta = metadata_columns(con, mart.table)
    cells = [as_text(c, t, source) for c, t, source in mart.selects()]
    select = ", ".join(cells + [f'"{m}"' for m in meta])
    where = f'where "{key}" in (select unnest($only))' if only is not None else ""
    reader = con.cursor()  # its own result stream: the caller may query meanwhile
    reader.execute(
        f"select {select} from {mart.table} {where} order by {mart.order_by}",
        {"only": sorted(only)} if only is not None else None,
    )
    width = len(mart.columns)
    position = mart.columns.index(key) if key in mart.columns else None
    while chunk := reader.fetchmany(READ_CHUNK):
        for values in chunk:
            texts = values[:width]
            if None in texts:
                texts = tuple("" if v is None else v for v in texts)
            extra = dict(zip(meta, values[width:], strict=True))
            yield Row(
                external_id=texts[position] if position is not None else "",
                cells=texts,
                meta=extra,
                # an attachment's bytes travel base64 (4/3) once its batch is sent
                size=sum(map(len, texts)) + 8 * width + int(extra.get("_file_size") or 0) * 4 // 3,
            )
