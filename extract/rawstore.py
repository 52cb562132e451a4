"""All-or-nothing raw datasets: a run's files appear together or not at all.

Parts are written under a hidden staging folder and renamed into
`raw/<source>/<resource>/run=<run_id>/` only when every dataset of the run is complete.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from legal2odoo.workdir import Workdir


class RawRun:
    def __init__(self, workdir: Workdir, source: str, run_id: str) -> None:
        self.workdir = workdir
        self.source = source
        self.run_id = run_id
        self.staging = workdir.raw / source / f".staging-{run_id}"

    def staged(self, resource: str) -> Path:
        """Folder where this run's parts of `resource` are written before publishing."""
        folder = self.staging / resource
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def write_table(self, resource: str, table: pa.Table) -> Path:
        path = self.staged(resource) / "part-00000.parquet"
        pq.write_table(table, path)
        return path

    def publish(self) -> list[Path]:
        published = []
        for folder in sorted(self.staging.iterdir()):
            target = self.workdir.raw_run(self.source, folder.name, self.run_id)
            target.parent.mkdir(parents=True, exist_ok=True)
            folder.rename(target)
            published.append(target)
        self.staging.rmdir()
        return published

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


@contextmanager
def raw_run(workdir: Workdir, source: str, run_id: str) -> Iterator[RawRun]:
    """Yield a run to write into; publish it on success, discard it on any error."""
    run = RawRun(workdir, source, run_id)
    try:
        yield run
    except BaseException:
        run.discard()
        raise
    run.publish()
