"""The ledger in `audit.duckdb`: every load run and every record it wrote (design §5).

A batch is written here *before* it is sent (`pending`, with whether the record already
existed and its before-image) and settled after Odoo answers. A run killed in between leaves
pending rows that tell rollback and the next run exactly which records may have been touched.
Only the thread that owns the ledger writes to it (DuckDB has one writer).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

SCHEMA = """
create table if not exists runs (
    run_id varchar primary key,
    started_at timestamptz not null,
    ended_at timestamptz,
    mode varchar not null,          -- full | sample | delta
    target_url varchar not null,
    db varchar not null,
    version varchar,
    transport varchar,
    status varchar not null,        -- running | done | failed | rolled_back
    note varchar
);
create table if not exists writes (
    run_id varchar not null,
    model varchar not null,
    external_id varchar not null,
    odoo_id bigint,
    action varchar not null,        -- pending | created | updated | unchanged | failed | held
    existed boolean,                -- the record was there before this run wrote it
    source_system varchar,
    source_model varchar,
    source_id varchar,
    row_hash varchar,
    owner_is_fallback boolean,
    before_image json,              -- values of the sent fields before an update
    write_date varchar,             -- Odoo's write_date right after our write
    error varchar,
    written_at timestamptz not null,
    mart varchar                    -- the mart table (a model can have several passes)
);
"""
WRITE_COLUMNS = (
    "run_id",
    "model",
    "external_id",
    "odoo_id",
    "action",
    "existed",
    "source_system",
    "source_model",
    "source_id",
    "row_hash",
    "owner_is_fallback",
    "before_image",
    "write_date",
    "error",
    "written_at",
    "mart",
)
SETTLED = ("created", "updated", "unchanged")


@dataclass
class Write:
    model: str
    external_id: str
    action: str
    odoo_id: int | None = None
    existed: bool | None = None
    source: dict[str, Any] = field(default_factory=dict)  # the mart row's `_` columns
    before_image: dict[str, Any] | None = None
    write_date: str | None = None
    error: str | None = None


def now() -> datetime:
    return datetime.now(UTC)


class Ledger:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(str(path))
        self.con.execute(SCHEMA)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- runs ---------------------------------------------------------------------------------
    def start_run(
        self, run_id: str, mode: str, url: str, db: str, version: str, transport: str
    ) -> None:
        self.con.execute(
            "insert into runs values (?, ?, null, ?, ?, ?, ?, ?, 'running', null)",
            [run_id, now(), mode, url, db, version, transport],
        )

    def end_run(self, run_id: str, status: str, note: str | None = None) -> None:
        self.con.execute(
            "update runs set ended_at = ?, status = ?, note = ? where run_id = ?",
            [now(), status, note, run_id],
        )

    def run(self, run_id: str) -> dict[str, Any] | None:
        cursor = self.con.execute("select * from runs where run_id = ?", [run_id])
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cursor.description], row, strict=True))

    def later_runs(self, run_id: str) -> list[str]:
        rows = self.con.execute(
            "select run_id from runs where run_id > ? and status <> 'rolled_back' order by run_id",
            [run_id],
        ).fetchall()
        return [r[0] for r in rows]

    # -- writes -------------------------------------------------------------------------------
    def record(self, run_id: str, writes: Iterable[Write], mart: str | None = None) -> None:
        """Append writes (one Arrow insert per batch: executemany is row by row)."""
        at = now()
        rows = [
            {
                "run_id": run_id,
                "model": w.model,
                "external_id": w.external_id,
                "odoo_id": w.odoo_id,
                "action": w.action,
                "existed": w.existed,
                "source_system": _text(w.source.get("_source_system")),
                "source_model": _text(w.source.get("_source_model")),
                "source_id": _text(w.source.get("_source_id")),
                "row_hash": _text(w.source.get("_row_hash")),
                "owner_is_fallback": w.source.get("_owner_is_fallback"),
                "before_image": json.dumps(w.before_image) if w.before_image is not None else None,
                "write_date": w.write_date,
                "error": w.error,
                "written_at": at,
                "mart": mart,
            }
            for w in writes
        ]
        if not rows:
            return
        table = pa.Table.from_pylist(rows, schema=_ARROW)
        self.con.register("incoming", table)
        try:
            self.con.execute(f"insert into writes select {', '.join(WRITE_COLUMNS)} from incoming")
        finally:
            self.con.unregister("incoming")

    def settle(self, run_id: str, model: str, external_ids: Sequence[str]) -> None:
        """Drop this run's pending rows for these records: their outcome is now recorded."""
        table = pa.table({"external_id": pa.array(list(external_ids), pa.string())})
        self.con.register("settled", table)
        try:
            self.con.execute(
                "delete from writes where run_id = ? and model = ? and action = 'pending' "
                "and external_id in (select external_id from settled)",
                [run_id, model],
            )
        finally:
            self.con.unregister("settled")

    def refresh_write_dates(self, run_id: str, model: str, dates: dict[str, str]) -> None:
        """A later pass of the same run wrote these records again."""
        table = pa.table(
            {"external_id": list(dates), "write_date": list(dates.values())},
            schema=pa.schema([("external_id", pa.string()), ("write_date", pa.string())]),
        )
        self.con.register("fresh", table)
        try:
            self.con.execute(
                "update writes set write_date = fresh.write_date from fresh "
                "where writes.run_id = ? and writes.model = ? "
                "and writes.external_id = fresh.external_id "
                "and writes.action in ('created', 'updated')",
                [run_id, model],
            )
        finally:
            self.con.unregister("fresh")

    def last_hashes(self, model: str, mart: str) -> dict[str, str]:
        """external id -> row hash of its last successful write by a run still in force."""
        rows = self.con.execute(
            """
            select w.external_id, w.row_hash from writes w join runs r using (run_id)
            where w.model = ? and w.mart = ? and w.action in ('created', 'updated', 'unchanged')
              and r.status <> 'rolled_back'
            qualify row_number() over (partition by w.external_id order by w.written_at desc) = 1
            """,
            [model, mart],
        ).fetchall()
        return {external_id: row_hash for external_id, row_hash in rows if row_hash}

    def writes(self, run_id: str) -> list[dict[str, Any]]:
        cursor = self.con.execute(
            "select * from writes where run_id = ? order by written_at, external_id", [run_id]
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def counts(self, run_id: str) -> dict[tuple[str, str], int]:
        rows = self.con.execute(
            "select model, action, count(*) from writes where run_id = ? group by all", [run_id]
        ).fetchall()
        return {(model, action): n for model, action, n in rows}


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


_ARROW = pa.schema(
    [
        ("run_id", pa.string()),
        ("model", pa.string()),
        ("external_id", pa.string()),
        ("odoo_id", pa.int64()),
        ("action", pa.string()),
        ("existed", pa.bool_()),
        ("source_system", pa.string()),
        ("source_model", pa.string()),
        ("source_id", pa.string()),
        ("row_hash", pa.string()),
        ("owner_is_fallback", pa.bool_()),
        ("before_image", pa.string()),
        ("write_date", pa.string()),
        ("error", pa.string()),
        ("written_at", pa.timestamp("us", tz="UTC")),
        ("mart", pa.string()),
    ]
)
