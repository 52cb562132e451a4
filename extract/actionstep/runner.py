"""One extraction run: plan (full or delta per resource), page every resource into raw Parquet
with a checkpoint per page, download documents, detect hard removals, record high-water marks.

A run that stops for any reason (kill -9 included) is resumed by the next invocation: same run
id, same filters, from the page after the last one checkpointed; a page re-fetched after a kill
overwrites its own part file, so nothing is duplicated and nothing skipped.
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from legal2odoo.extract.actionstep import files as docfiles
from legal2odoo.extract.actionstep import removals as removal
from legal2odoo.extract.actionstep import trust
from legal2odoo.extract.actionstep.auth import TokenManager
from legal2odoo.extract.actionstep.checkpoint import History, ResourceProgress, RunState, State
from legal2odoo.extract.actionstep.client import ActionstepClient, GiveUp, ScopeError
from legal2odoo.extract.actionstep.limiter import AdaptiveLimiter, PacingOptions
from legal2odoo.extract.actionstep.rawwrite import part_name, write_records
from legal2odoo.extract.actionstep.resources import (
    BY_NAME,
    FILES_DATASET,
    REMOVALS_DATASET,
    RESOURCES,
    TRUST_DATASET,
    ResourceSpec,
)
from legal2odoo.extract.actionstep.settings import ConnectionSettings
from legal2odoo.extract.control import find_in_record
from legal2odoo.workdir import Workdir, new_run_id

log = logging.getLogger(__name__)
SOURCE = "actionstep"
PAGE_SIZE = 200


@dataclass(frozen=True)
class ExtractOptions:
    full: bool = False
    since: str | None = None
    resources: tuple[str, ...] | None = None
    trust_export: Path | None = None
    restart: bool = False
    overlap: timedelta = timedelta(hours=24)  # the API may read our UTC filter as local time
    concurrency: int = 4
    pacing: PacingOptions = field(default_factory=PacingOptions)
    max_attempts: int = 10
    read_timeout_s: float = 300.0  # first pages of big filtered queries can take minutes


@dataclass
class RunResult:
    run_id: str
    records: dict[str, int]
    incomplete: dict[str, str]
    removed: dict[str, int]
    files: int
    trust_rows: int | None
    stats: dict[str, int]
    seconds: float
    resumed: bool

    @property
    def ok(self) -> bool:
        return not self.incomplete


ProgressHook = Callable[[str, int, int | None], None]  # resource, records added, total


class _Run:
    def __init__(
        self,
        workdir: Workdir,
        state: State,
        client: ActionstepClient,
        progress: ProgressHook,
    ) -> None:
        self.workdir = workdir
        self.state = state
        self.client = client
        self.progress = progress
        self.files = 0

    @property
    def run(self) -> RunState:
        assert self.state.run is not None
        return self.state.run

    def dataset(self, name: str) -> Path:
        return self.workdir.raw_run(SOURCE, name, self.run.run_id)

    async def resource(self, spec: ResourceSpec) -> None:
        prog = self.run.resources[spec.name]
        if prog.done:
            return
        prog.error = None
        params = {"pageSize": str(PAGE_SIZE), "sort": "id"}
        if prog.since and spec.since_field:
            params[f"{spec.since_field}_gteq"] = prog.since
        page_no = prog.last_page + 1
        try:
            while True:
                page = await self.client.page(spec.name, {**params, "page": str(page_no)})
                self.progress(spec.name, 0, page.record_count)
                if not page.records:
                    break
                await self._store_page(spec, page_no, page.records, prog)
                if not page.has_next:
                    break
                page_no += 1
            prog.done = True
        except (ScopeError, GiveUp, SourceValueError) as error:
            prog.error = str(error)
            log.error("%s incomplete: %s", spec.name, error)
        self.state.save()

    async def _store_page(
        self,
        spec: ResourceSpec,
        page_no: int,
        records: list[dict[str, Any]],
        prog: ResourceProgress,
    ) -> None:
        _refuse_control_bytes(spec.name, records)
        if spec.name == "actiondocuments":
            await self._documents(records, page_no)
        write_records(records, self.dataset(spec.name) / part_name(page_no), self.run.run_id)
        prog.last_page = page_no
        prog.records += len(records)
        if spec.since_field:
            prog.max_ts = _latest([prog.max_ts, *(r.get(spec.since_field) for r in records)])
        self.state.save()  # the checkpoint: this page is durable
        self.progress(spec.name, len(records), None)

    async def _documents(self, records: list[dict[str, Any]], page_no: int) -> None:
        wanted = [r for r in records if docfiles.wants_download(r)]
        rows = await asyncio.gather(
            *(docfiles.download(self.client, r, self.workdir.files) for r in wanted)
        )
        if rows:
            path = self.dataset(FILES_DATASET) / part_name(page_no)
            docfiles.write_manifest(list(rows), path, self.run.run_id)
        self.files += len(rows)

    def finish(self) -> dict[str, int]:
        """Removals for complete full passes, high-water marks; idempotent (a rerun may redo it)."""
        removed = {}
        removals_root = self.workdir.raw_dataset(SOURCE, REMOVALS_DATASET)
        for name, prog in self.run.resources.items():
            if not prog.done:
                continue
            if prog.since is None:
                dataset = self.workdir.raw_dataset(SOURCE, name)
                removed[name] = removal.detect(dataset, removals_root, name, self.run.run_id)
            history = self.state.history.setdefault(name, History())
            history.max_ts = _latest([history.max_ts, prog.max_ts])
            history.last_run = self.run.run_id
            if prog.since is None:
                history.last_full_run = self.run.run_id
        self.state.save()
        return removed


def plan(state: State, options: ExtractOptions, kept: frozenset[str]) -> RunState:
    """Per resource: full pass, or a `_gteq` filter from --since or the last high-water mark.
    A mark counts only while raw still holds a run of that resource (`kept`): reading only
    changes on top of deleted raw (e.g. `make sample` wiped it) would lose every record."""
    names = options.resources or tuple(spec.name for spec in RESOURCES)
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        raise ValueError(
            f"unknown resource(s) {', '.join(unknown)}; choose from {', '.join(BY_NAME)}"
        )
    resources = {}
    for name in names:
        spec = BY_NAME[name]
        since = None
        if spec.since_field and not options.full:
            history = state.history.get(name) if name in kept else None
            if name not in kept and name in state.history:
                log.info("%s: no raw run left, reading it in full", name)
            mark = options.since or (history or History()).max_ts
            since = _since_filter(mark, options.overlap if not options.since else timedelta(0))
        resources[name] = ResourceProgress(since=since)
    return RunState(new_run_id(), resources)


def _kept_datasets(workdir: Workdir) -> frozenset[str]:
    """Resources with at least one run in raw."""
    return frozenset(
        name for name in BY_NAME if any(workdir.raw_dataset(SOURCE, name).glob("run=*"))
    )


async def run_extract(
    workdir: Workdir,
    settings: ConnectionSettings,
    options: ExtractOptions,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    progress: ProgressHook | None = None,
) -> RunResult:
    started = time.perf_counter()
    state_dir = workdir.state / SOURCE
    with _exclusive(state_dir / "lock"):
        return await _run(workdir, settings, options, transport, progress, state_dir, started)


class SourceValueError(RuntimeError):
    """A record holds a value Odoo cannot take: the resource stops there (nothing of that page
    is written) and the message names the record, the field and what to do."""


def _refuse_control_bytes(resource: str, records: list[dict[str, Any]]) -> None:
    for record in records:
        found = find_in_record(record)
        if found:
            field, problem = found
            raise SourceValueError(
                f"{resource} id {record.get('id')} field {field!r}: {problem} (NUL and other "
                "control bytes cannot reach Odoo); remove it in Actionstep, then run "
                "`extract actionstep` again (it resumes at this page)"
            )


@contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    """One extraction per data directory at a time; the OS drops the lock if we are killed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ValueError(
                f"another Actionstep extraction is running on {path.parent.parent.parent}"
            ) from None
        yield


async def _run(
    workdir: Workdir,
    settings: ConnectionSettings,
    options: ExtractOptions,
    transport: httpx.AsyncBaseTransport | None,
    progress: ProgressHook | None,
    state_dir: Path,
    started: float,
) -> RunResult:
    for stale in workdir.files.glob(".download-*"):  # left by a killed run
        stale.unlink(missing_ok=True)
    state = State.load(state_dir / "checkpoint.json")
    resumed = state.run is not None and not options.restart
    if state.run is not None and resumed:
        log.info("resuming unfinished run %s (pass --restart to abandon it)", state.run.run_id)
    else:
        state.run = plan(state, options, _kept_datasets(workdir))
        state.save()
    run_state = state.run
    assert run_state is not None
    if options.trust_export and run_state.trust_rows is None:
        dataset = workdir.raw_run(SOURCE, TRUST_DATASET, run_state.run_id)
        run_state.trust_rows = trust.write(options.trust_export, dataset, run_state.run_id)
        state.save()
    timeout = httpx.Timeout(30.0, read=options.read_timeout_s)
    async with httpx.AsyncClient(transport=transport, timeout=timeout, verify=True) as http:
        tokens = TokenManager(settings, state_dir / "token.json", http)
        client = ActionstepClient(
            http,
            tokens,
            AdaptiveLimiter(options.pacing),
            settings.api_url,
            concurrency=options.concurrency,
            max_attempts=options.max_attempts,
        )
        job = _Run(workdir, state, client, progress or (lambda *_: None))
        specs = [BY_NAME[name] for name in run_state.resources]
        workers = asyncio.Semaphore(options.concurrency)

        async def one(spec: ResourceSpec) -> None:
            async with workers:
                await job.resource(spec)

        await tokens.bearer()  # a refused client or certificate fails here, before any fan-out
        tasks = [asyncio.create_task(one(spec)) for spec in specs]
        try:
            await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:  # stop the others before the HTTP client closes under them
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        removed = job.finish()
    incomplete = {
        n: p.error or "not finished" for n, p in run_state.resources.items() if not p.done
    }
    if not incomplete:
        state.run = None  # finished: the next invocation plans a new run
        state.save()
    result = RunResult(
        run_id=run_state.run_id,
        records={n: p.records for n, p in run_state.resources.items()},
        incomplete=incomplete,
        removed={k: v for k, v in removed.items() if v},
        files=job.files,
        trust_rows=run_state.trust_rows,
        stats=dict(client.stats) | {"token_refreshes": tokens.refreshes},
        seconds=time.perf_counter() - started,
        resumed=resumed,
    )
    _write_summary(state_dir / "last_run.json", result)
    return result


def _write_summary(path: Path, result: RunResult) -> None:
    """The run summary as JSON beside the checkpoint (benchmarks and operators read it)."""
    payload = asdict(result) | {"ok": result.ok}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload, indent=1, default=str))
    os.replace(tmp, path)


def _instant(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(str(text).replace(" ", "T"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _latest(values: list[str | None]) -> str | None:
    best, best_at = None, None
    for value in values:
        at = _instant(value)
        if at is not None and (best_at is None or at > best_at):
            best, best_at = value, at
    return best


def _since_filter(mark: str | None, overlap: timedelta) -> str | None:
    """`YYYY-MM-DDTHH:MM:SS` in UTC without offset (the form the API is known to accept)."""
    at = _instant(mark)
    if at is None:
        if mark:
            raise ValueError(f"--since {mark!r} is not an ISO timestamp like 2024-01-31T00:00:00")
        return None
    return (at - overlap).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
