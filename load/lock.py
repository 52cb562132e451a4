"""One `load` or `rollback` at a time per data dir: a second one is refused at once, with who
holds the lock, instead of interleaving its files or waiting on the ledger.

An OS lock (flock) on DATA_DIR/.legal2odoo.lock: released by the kernel when the holder exits,
even on kill -9, so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path


class Busy(Exception):
    """Another process holds the data dir's lock."""


@contextmanager
def data_dir_lock(root: Path, what: str) -> Iterator[None]:
    root.mkdir(parents=True, exist_ok=True)
    path = root / ".legal2odoo.lock"
    handle = path.open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise Busy(
                f"{root} is in use by {holder}: wait for it to finish, then run this again"
            ) from None
        handle.seek(0)
        handle.truncate()
        started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        handle.write(f"`legal2odoo {what}` (pid {os.getpid()}, since {started})")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()
