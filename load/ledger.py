"""The ledger in `audit.duckdb`: every load run and every record it wrote (docs/design.md §5).

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

from legal2odoo.load.target import OdooTarget, legacy_key, strip_credentials

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
    status varchar not null,        -- running | done | failed | rolling_back | rolled_back
    note varchar,
    target_key varchar,             -- which Odoo database (load.target): runs of one target only
    db_uuid varchar                 -- Odoo's database.uuid, when readable
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
create table if not exists undone (  -- rollback progress: one row per record put back
    run_id varchar not null,
    model varchar not null,
    odoo_id bigint not null,
    step varchar not null,          -- restored | unlinked
    done_at timestamptz not null
);
"""
# ledgers written before target identity: add the columns, name their target by URL and db
MIGRATIONS = (
    "alter table runs add column if not exists target_key varchar",
    "alter table runs add column if not exists db_uuid varchar",
)
# runs still in force (a rolling-back run's rows may be gone: --delta must resend them)
IN_FORCE = ("done", "failed", "running")
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


class LedgerBusy(Exception):
    """Another process holds the ledger (DuckDB has one writer)."""


class Ledger:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.con = open_ledger(path)
        self.con.execute(SCHEMA)
        if migrate(self.con):
            self.con.close()
            compact(path)
            self.con = open_ledger(path)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- runs ---------------------------------------------------------------------------------
    def start_run(
        self, run_id: str, mode: str, target: OdooTarget, version: str, transport: str
    ) -> None:
        self.con.execute(
            "insert into runs (run_id, started_at, mode, target_url, db, version, transport, "
            "status, target_key, db_uuid) values (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?)",
            [
                run_id,
                now(),
                mode,
                target.url,
                target.db,
                version,
                transport,
                target.key,
                target.uuid,
            ],
        )

    def end_run(self, run_id: str, status: str, note: str | None = None) -> None:
        self.con.execute(
            "update runs set ended_at = ?, status = ?, note = ? where run_id = ?",
            [now(), status, note, run_id],
        )

    def set_status(self, run_id: str, status: str, note: str | None = None) -> None:
        self.con.execute(
            "update runs set status = ?, note = ? where run_id = ?", [status, note, run_id]
        )

    def run(self, run_id: str) -> dict[str, Any] | None:
        cursor = self.con.execute("select * from runs where run_id = ?", [run_id])
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cursor.description], row, strict=True))

    def later_runs(self, run_id: str) -> list[str]:
        """Runs into the same target after this one, not rolled back."""
        rows = self.con.execute(
            "select run_id from runs where run_id > ? and status <> 'rolled_back' "
            "and target_key = (select target_key from runs where run_id = ?) order by run_id",
            [run_id, run_id],
        ).fetchall()
        return [r[0] for r in rows]

    # -- rollback progress --------------------------------------------------------------------
    def mark_undone(self, run_id: str, model: str, ids: Sequence[int], step: str) -> None:
        """Records put back by a rollback, committed as each call lands: a rollback stopped
        midway resumes from here."""
        if ids:
            at = now()
            appender = self.con.appender("undone")
            appender.append_rows([(run_id, model, int(i), step, at) for i in ids])
            appender.flush()

    def undone(self, run_id: str) -> dict[str, dict[str, set[int]]]:
        """step -> model -> ids a rollback of the run already put back."""
        out: dict[str, dict[str, set[int]]] = {}
        for step, model, rid in self.con.execute(
            "select step, model, odoo_id from undone where run_id = ?", [run_id]
        ).fetchall():
            out.setdefault(step, {}).setdefault(model, set()).add(int(rid))
        return out

    # -- writes -------------------------------------------------------------------------------
    def record(self, run_id: str, writes: Iterable[Write], mart: str | None = None) -> None:
        """Append writes (one insert per batch: executemany is row by row)."""
        writes = list(writes)
        if writes:
            self._insert(_settled_rows(run_id, writes, mart))

    def record_pending(
        self, run_id: str, model: str, rows: Sequence[Any], mart: str | None = None
    ) -> None:
        """A batch about to be sent: one `pending` row per mart row (`external_id`, `meta`),
        the same as recording `Write(model, external_id, "pending", source=meta)`."""
        if rows:
            self._insert(_pending_rows(run_id, model, rows, mart))

    def settle(
        self,
        run_id: str,
        model: str,
        external_ids: Sequence[str],
        writes: Sequence[Write] = (),
        mart: str | None = None,
        write_dates: dict[str, str] | None = None,
    ) -> None:
        """A batch's outcome: record `writes`, refresh `write_dates` (a later pass wrote those
        records again) and drop this run's pending rows for `external_ids`, in one transaction
        (a run killed meanwhile leaves the pending rows, as if it had stopped before)."""
        self.con.begin()
        try:
            if writes:
                self._insert(_settled_rows(run_id, list(writes), mart))
            if write_dates:
                self._refresh(run_id, model, write_dates)
            if external_ids:
                self.con.execute(
                    "delete from writes where run_id = ? and model = ? and action = 'pending' "
                    "and external_id in (select unnest(?::varchar[]))",
                    [run_id, model, list(external_ids)],
                )
        except BaseException:
            self.con.rollback()
            raise
        self.con.commit()

    def _insert(self, rows: list[tuple[Any, ...]]) -> None:
        """One insert statement for the rows (DuckDB's appender: no Arrow, no pyarrow and numpy
        to import, ~0.3 s of CPU at start-up; executemany would be a statement per row)."""
        appender = self.con.appender("writes")  # columns in WRITE_COLUMNS order
        appender.append_rows(rows)
        appender.flush()

    def refresh_write_dates(self, run_id: str, model: str, dates: dict[str, str]) -> None:
        """A later pass of the same run wrote these records again."""
        if dates:
            self._refresh(run_id, model, dates)

    def _refresh(self, run_id: str, model: str, dates: dict[str, str]) -> None:
        self.con.execute(
            "update writes set write_date = fresh.write_date from ("
            "select unnest(?::varchar[]) as external_id, unnest(?::varchar[]) as write_date"
            ") fresh where writes.run_id = ? and writes.model = ? "
            "and writes.external_id = fresh.external_id "
            "and writes.action in ('created', 'updated')",
            [list(dates), list(dates.values()), run_id, model],
        )

    def last_hashes(self, model: str, mart: str, target_key: str) -> dict[str, str]:
        """external id -> row hash of its last successful write into this target by a run still
        in force (a run being rolled back is not: some of its records may be gone)."""
        rows = self.con.execute(
            f"""
            select w.external_id, w.row_hash from writes w join runs r using (run_id)
            where w.model = ? and w.mart = ? and w.action in ('created', 'updated', 'unchanged')
              and r.status in {IN_FORCE!r} and r.target_key = ?
            qualify row_number() over (partition by w.external_id order by w.written_at desc) = 1
            """,
            [model, mart, target_key],
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


def _settled_rows(run_id: str, writes: list[Write], mart: str | None) -> list[tuple[Any, ...]]:
    """Rows of the writes table, in WRITE_COLUMNS order."""
    at = now()
    rows = []
    for w in writes:
        get = w.source.get
        before = None if w.before_image is None else json.dumps(w.before_image)
        rows.append(
            (
                run_id,
                w.model,
                w.external_id,
                w.odoo_id,
                w.action,
                w.existed,
                _text(get("_source_system")),
                _text(get("_source_model")),
                _text(get("_source_id")),
                _text(get("_row_hash")),
                get("_owner_is_fallback"),
                before,
                w.write_date,
                w.error,
                at,
                mart,
            )
        )
    return rows


def _pending_rows(
    run_id: str, model: str, rows: Sequence[Any], mart: str | None
) -> list[tuple[Any, ...]]:
    """`_settled_rows` of `Write(model, r.external_id, "pending", source=r.meta)` per row."""
    at = now()
    out = []
    for r in rows:
        get = r.meta.get
        out.append(
            (
                run_id,
                model,
                r.external_id,
                None,
                "pending",
                None,
                _text(get("_source_system")),
                _text(get("_source_model")),
                _text(get("_source_id")),
                _text(get("_row_hash")),
                get("_owner_is_fallback"),
                None,
                None,
                None,
                at,
                mart,
            )
        )
    return out


def open_ledger(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """The ledger's connection; LedgerBusy with one line when another process holds it."""
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as error:
        if "lock" not in str(error).lower():
            raise
        raise LedgerBusy(
            f"{path} is in use by another legal2odoo process (a load, rollback or verify): "
            "wait for it to finish, then run this again"
        ) from None


def migrate(con: duckdb.DuckDBPyConnection) -> bool:
    """Bring a ledger written by an older version up to date (idempotent): the target
    columns, each old run named by its URL and db, credentials taken out of stored URLs.
    True when credentials were removed (the file must then be compacted)."""
    for statement in MIGRATIONS:
        con.execute(statement)
    scrubbed = False
    for run_id, url, db, key in con.execute(
        "select run_id, target_url, db, target_key from runs "
        "where target_key is null or target_url like '%@%'"
    ).fetchall():
        clean = strip_credentials(url)
        scrubbed = scrubbed or clean != url
        con.execute(
            "update runs set target_url = ?, target_key = ? where run_id = ?",
            [clean, key or legacy_key(clean, db), run_id],
        )
    return scrubbed


def compact(path: Path) -> None:
    """Rewrite the ledger into a fresh file: DuckDB leaves an updated value's old bytes in
    free blocks, and a removed password must not stay readable in the file."""
    fresh = path.with_name(f".{path.name}.compact")
    fresh.unlink(missing_ok=True)
    con = duckdb.connect()
    try:
        con.execute(f"attach '{_quoted(path)}' as old (read_only)")
        con.execute(f"attach '{_quoted(fresh)}' as fresh")
        con.execute("copy from database old to fresh")
    finally:
        con.close()
    fresh.replace(path)
    path.with_name(f"{path.name}.wal").unlink(missing_ok=True)


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def needs_migration(con: duckdb.DuckDBPyConnection) -> bool:
    columns = {
        r[0]
        for r in con.execute(
            "select column_name from information_schema.columns where table_name = 'runs'"
        ).fetchall()
    }
    if not {"target_key", "db_uuid"} <= columns:
        return True
    dirty = con.execute(
        "select count(*) from runs where target_key is null or target_url like '%@%'"
    ).fetchone()
    return bool(dirty and dirty[0])
