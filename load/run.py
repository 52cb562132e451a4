"""`load --to odoo`: every mart in load order, batch by batch, each write in the ledger.

The main thread reads the marts and owns the ledger; batches go to one lane per worker (each
worker with its own logged-in transport). Rows are routed to lanes by parent (load.lanes) and
a lane sends its batches one at a time, so two batches touching the same parent record never
run at once. A batch is recorded as pending before it is sent and settled when Odoo answers,
so a run killed at any point can be resumed (external ids make the second run update what the
first created) or rolled back.
"""

from __future__ import annotations

import logging
import queue
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from legal2odoo.load.adopt import adopt_xmlids
from legal2odoo.load.enrich import Enricher, sent_columns
from legal2odoo.load.errors import OdooError
from legal2odoo.load.lanes import lane_batches, lane_count
from legal2odoo.load.ledger import Ledger, Write
from legal2odoo.load.marts import Mart, find_marts, open_warehouse
from legal2odoo.load.references import ReferenceCache
from legal2odoo.load.rows import DEFAULT_BATCH_BYTES, DEFAULT_BATCH_ROWS, Row, read_rows
from legal2odoo.load.schema import SchemaPlan, apply_fields
from legal2odoo.load.target import identify
from legal2odoo.load.transport import Transport
from legal2odoo.load.upsert import (
    BatchLoader,
    BatchResult,
    ModelPlan,
    field_of,
    self_reference_columns,
)
from legal2odoo.load.versions import for_target
from legal2odoo.load.views import apply_views
from legal2odoo.spreadsheet import safe_writer
from legal2odoo.workdir import Workdir, new_run_id

log = logging.getLogger(__name__)
WHOLE_IN_A_SAMPLE = frozenset({"ir.model.fields", "ir.model.fields.selection"})
FIELD_ATTRIBUTES = ["type", "relation", "required", "readonly", "selection", "string", "store"]


class MartError(OdooError):
    """A mart the target cannot take as it is (a column naming no field)."""


@dataclass(frozen=True)
class LoadOptions:
    mode: str = "full"  # full | sample | delta
    sample: int | None = None  # rows per mart in sample mode
    batch_rows: int = DEFAULT_BATCH_ROWS
    batch_bytes: int = DEFAULT_BATCH_BYTES
    workers: int = 1
    marts: tuple[str, ...] = ()  # only these mart tables (empty: all)


@dataclass
class ModelSummary:
    model: str
    mart: str = ""
    actions: dict[str, int] = field(default_factory=dict)
    calls: int = 0
    seconds: float = 0.0
    failed_report: Path | None = None

    def count(self, writes: Iterable[Write]) -> None:
        for w in writes:
            self.actions[w.action] = self.actions.get(w.action, 0) + 1

    @property
    def rows(self) -> int:
        return sum(self.actions.values())


@dataclass
class LoadSummary:
    run_id: str
    models: list[ModelSummary] = field(default_factory=list)

    @property
    def problems(self) -> int:
        return sum(m.actions.get("failed", 0) + m.actions.get("held", 0) for m in self.models)


Progress = Callable[[str, int, int], None]  # model, rows done now, rows in total


def load_to_odoo(
    workdir: Workdir,
    connect: Callable[[], Transport],
    options: LoadOptions,
    progress: Progress | None = None,
    run_id: str | None = None,
    schema: SchemaPlan | None = None,
) -> LoadSummary:
    """Load every mart; `schema`, when given, is an approved plan whose custom fields are
    created first, inside this run (so its rollback removes them too), and whose form views
    are written once the fields exist (after the field marts)."""
    run_id = run_id or new_run_id()
    summary = LoadSummary(run_id)
    transports: queue.Queue[Transport] = queue.Queue()
    main = connect()
    transports.put(main)
    for _ in range(options.workers - 1):
        transports.put(connect())
    target = identify(main)
    with Ledger(workdir.audit) as ledger, open_warehouse(workdir.warehouse) as warehouse:
        ledger.start_run(
            run_id, options.mode, target, str(main.version().get("server_version")), main.name
        )
        try:
            references = ReferenceCache()
            if schema is not None and schema.fields and not schema.loaded_by_mart:
                ledger.record(run_id, apply_fields(main, schema))
            views = list(schema.views) if schema is not None else []
            marts = find_marts(warehouse)
            for mart in marts:
                if views and _after_fields(mart, marts):
                    ledger.record(run_id, apply_views(main, views))
                    views = []
                if options.marts and mart.table not in options.marts:
                    continue
                attributes = {"attributes": FIELD_ATTRIBUTES}
                fields = main.execute(mart.model, "fields_get", [], attributes)
                job = _MartJob(
                    workdir,
                    ledger,
                    run_id,
                    for_target(mart, fields),
                    fields,
                    options,
                    references,
                    progress,
                    target.key,
                )
                summary.models.append(job.run(warehouse, main, transports))
            if views:
                ledger.record(run_id, apply_views(main, views))
            _final_write_dates(main, ledger, run_id)
        except BaseException as error:
            ledger.end_run(run_id, "failed", f"{type(error).__name__}: {error}")
            raise
        finally:
            while not transports.empty():
                transports.get().close()
        ledger.end_run(run_id, "done", f"{summary.problems} row(s) failed or held")
    return summary


def _after_fields(mart: Mart, marts: list[Mart]) -> bool:
    """The mart loads after the custom fields and their options (a view needs its fields)."""
    fields = [m.load_order for m in marts if m.model.startswith("ir.model.fields")]
    return mart.load_order > max(fields, default=-1)


@dataclass
class _MartJob:
    workdir: Workdir
    ledger: Ledger
    run_id: str
    mart: Mart  # as the target names its fields (load/versions.py)
    fields: dict[str, Any]  # the target's fields_get of the mart's model
    options: LoadOptions
    references: ReferenceCache
    progress: Progress | None
    target_key: str
    not_landed: set[str] = field(default_factory=set)

    def run(self, warehouse: Any, main: Transport, pool: queue.Queue[Transport]) -> ModelSummary:
        started = time.perf_counter()
        summary = ModelSummary(self.mart.model, mart=self.mart.table)
        total = self._total(warehouse)
        self._tick(0, total)  # the bar (and its clock) starts before the first batch
        if self.mart.model == "ir.model.data":
            rows = list(self._rows(warehouse, key="name", summary=summary))
            writes = adopt_xmlids(main, rows)
            self._settle(writes, summary)
            self._tick(len(rows), total)
        else:
            plan = self._plan()
            enricher = Enricher(
                self.mart.model, self.mart.columns, self.mart.metadata, self.workdir.root
            )
            loader = BatchLoader(plan, self.references, enricher=enricher)
            second: list[Row] = []
            stream = self._rows(warehouse, key="id", summary=summary)
            keep = _collect_self_references(stream, plan, second)
            self._send_all(loader.send, keep, pool, summary, total)
            # only rows that exist: a second pass of a failed row would create it half-made
            second = [r for r in second if r.external_id not in self.not_landed]
            if second:
                log.info("%s: second pass for %d self-reference(s)", plan.model, len(second))
                self._send_all(loader.send_self_references, second, pool, summary, None)
        summary.seconds = time.perf_counter() - started
        summary.failed_report = self._report_failures()
        return summary

    def _plan(self) -> ModelPlan:
        model, fields = self.mart.model, self.fields
        unknown = [
            c for c in self.mart.columns if c not in ("id", ".id") and field_of(c) not in fields
        ]
        if unknown:
            raise MartError(
                f"{self.mart.table}: no field {', '.join(unknown)} on {model} in this Odoo "
                "(create custom fields first: load --apply-schema)"
            )
        columns = sent_columns(self.mart.columns, self.mart.metadata)
        further = "__" in self.mart.table.removeprefix("odoo__")
        self_columns = self_reference_columns(model, columns, fields)
        return ModelPlan(model, columns, fields, self_columns, further_pass=further)

    def _total(self, warehouse: Any) -> int:
        (count,) = warehouse.execute(f"select count(*) from {self.mart.table}").fetchone()
        return min(count, self.options.sample) if self._sampled else count

    @property
    def _sampled(self) -> bool:
        """--sample cuts data marts only: the sampled rows need every custom field."""
        return bool(self.options.sample) and self.mart.model not in WHOLE_IN_A_SAMPLE

    def _rows(self, warehouse: Any, key: str, summary: ModelSummary) -> Iterator[Row]:
        rows: Iterator[Row] = read_rows(warehouse, self.mart, key)
        if self._sampled:
            rows = islice(rows, self.options.sample)
        if self.options.mode == "delta":
            rows = self._changed_only(rows, summary)
        return rows

    def _changed_only(self, rows: Iterator[Row], summary: ModelSummary) -> Iterator[Row]:
        last = self.ledger.last_hashes(self.mart.model, self.mart.table, self.target_key)
        unchanged: list[Write] = []
        for row in rows:
            row_hash = row.meta.get("_row_hash")
            if row_hash is not None and last.get(row.external_id) == str(row_hash):
                unchanged.append(
                    Write(self.mart.model, row.external_id, "unchanged", source=row.meta)
                )
                if len(unchanged) >= 10_000:
                    self._settle(unchanged, summary)
                    unchanged = []
                continue
            yield row
        self._settle(unchanged, summary)

    def _send_all(
        self,
        send: Callable[[Transport, list[Row]], BatchResult],
        rows: Iterable[Row],
        pool: queue.Queue[Transport],
        summary: ModelSummary,
        total: int | None,
    ) -> None:
        """Send `rows` in batches, one single-thread executor per lane: a lane's batches run
        in order, lanes run side by side, as many at once as the pool has transports."""
        count = lane_count(self.mart.model, pool.qsize())
        busy = min(count, pool.qsize())  # batches being sent at once
        parts = lane_batches(
            rows, self.mart.columns, count, self.options.batch_rows, self.options.batch_bytes
        )
        in_flight: dict[Future[BatchResult], list[Row]] = {}
        with ExitStack() as stack:
            lanes = [
                stack.enter_context(ThreadPoolExecutor(1, thread_name_prefix=f"load-lane{i}"))
                for i in range(count)
            ]
            for lane, part in parts:
                self.ledger.record_pending(self.run_id, self.mart.model, part, self.mart.table)
                in_flight[lanes[lane].submit(_with_transport, pool, send, part)] = part
                if len(in_flight) >= 2 * busy:  # bounds the rows held in memory
                    self._drain(in_flight, summary, total, FIRST_COMPLETED)
            self._drain(in_flight, summary, total, None)

    def _drain(
        self,
        in_flight: dict[Future[BatchResult], list[Row]],
        summary: ModelSummary,
        total: int | None,
        until: str | None,
    ) -> None:
        done, _ = wait(list(in_flight), return_when=until or "ALL_COMPLETED")
        for future in done:
            part = in_flight.pop(future)
            result = future.result()  # a batch that could not be sent at all stops the run
            summary.calls += result.calls
            self._count(result.writes, summary)
            # the outcome, fresh write dates and the end of `pending` in one transaction
            self.ledger.settle(
                self.run_id,
                self.mart.model,
                [r.external_id for r in part],
                result.writes,
                self.mart.table,
                result.write_dates,
            )
            if total is not None:
                self._tick(len(part), total)

    def _settle(self, writes: list[Write], summary: ModelSummary) -> None:
        self._count(writes, summary)
        self.ledger.record(self.run_id, writes, self.mart.table)

    def _count(self, writes: list[Write], summary: ModelSummary) -> None:
        self.not_landed.update(w.external_id for w in writes if w.action in ("failed", "held"))
        summary.count(writes)

    def _tick(self, done: int, total: int) -> None:
        if self.progress:
            _, _, step = self.mart.table.removeprefix("odoo__").partition("__")
            self.progress(f"{self.mart.model} {step}".strip(), done, total)

    def _report_failures(self) -> Path | None:
        rows = self.ledger.con.execute(
            "select external_id, action, error, source_system, source_model, source_id "
            "from writes where run_id = ? and model = ? and action in ('failed', 'held') "
            "order by external_id",
            [self.run_id, self.mart.model],
        ).fetchall()
        if not rows:
            return None
        path = self.workdir.reports(self.run_id) / f"failed_{self.mart.model.replace('.', '_')}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = safe_writer(handle)
            writer.writerow(
                ["external_id", "action", "error", "source_system", "source_model", "source_id"]
            )
            writer.writerows(rows)
        return path


def _final_write_dates(odoo: Transport, ledger: Ledger, run_id: str) -> None:
    """Read every written record's write_date once the run is over: a later mart can touch an
    earlier one's records (a lead syncs its partner's email and phone), and rollback must
    compare with the state the run left, not the state after one batch."""
    rows = ledger.con.execute(
        "select model, external_id, odoo_id from writes where run_id = ? "
        "and action in ('created', 'updated') and model <> 'ir.model.data' order by model",
        [run_id],
    ).fetchall()
    by_model: dict[str, dict[int, str]] = {}
    for model, external_id, odoo_id in rows:
        by_model.setdefault(model, {})[odoo_id] = external_id
    for model, xmlids in by_model.items():
        ids = sorted(xmlids)
        dates: dict[str, str] = {}
        for start in range(0, len(ids), 1000):
            found = odoo.execute(
                model,
                "read",
                [ids[start : start + 1000], ["write_date"]],
                {"context": {"active_test": False}},
            )
            dates.update({xmlids[r["id"]]: str(r["write_date"]) for r in found})
        missing = len(ids) - len(dates)
        if missing:
            raise OdooError(f"{missing} {model} record(s) written by run {run_id} are gone")
        ledger.refresh_write_dates(run_id, model, dates)


def _with_transport(
    pool: queue.Queue[Transport],
    send: Callable[[Transport, list[Row]], BatchResult],
    part: list[Row],
) -> BatchResult:
    odoo = pool.get()
    try:
        return send(odoo, part)
    finally:
        pool.put(odoo)


def _collect_self_references(
    rows: Iterator[Row], plan: ModelPlan, second: list[Row]
) -> Iterator[Row]:
    """Pass rows through; keep those with a self-reference for the second pass."""
    index = [plan.columns.index(c) for c in plan.self_columns]
    if not index:
        yield from rows
        return
    for row in rows:
        cells = row.cells
        for i in index:  # a loop, not any(<generator>): one generator per row costs more
            if cells[i]:
                second.append(row)
                break
        yield row
