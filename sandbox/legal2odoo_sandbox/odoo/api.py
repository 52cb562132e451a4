"""The sandbox as a Python object: a seeded store, its dispatcher, and ways to serve it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from legal2odoo_sandbox.odoo.dispatch import Dispatcher
from legal2odoo_sandbox.odoo.faults import Faults
from legal2odoo_sandbox.odoo.server import RunningServer, serve_in_thread
from legal2odoo_sandbox.odoo.state import ADMIN_UID, DEFAULT_API_KEY, seed
from legal2odoo_sandbox.odoo.store import Row, Store


class Sandbox:
    """A strict stand-in Odoo. `call` runs a method in-process with RPC semantics (one
    transaction, same errors); `serve` puts it behind real HTTP."""

    def __init__(
        self,
        version: str = "17.0",
        *,
        db: str = "odoo",
        password: str = "admin",
        api_key: str = DEFAULT_API_KEY,
        firm: Path | None = None,
        faults: Faults | None = None,
    ) -> None:
        self.store = Store(version)
        seed(self.store, password=password, api_key=api_key)
        if firm is not None:
            from legal2odoo_sandbox.odoo.firm import load_firm

            load_firm(self.store, Path(firm))
        self.faults = faults or Faults()
        self.store.injected = list(self.faults.validations)
        self.dispatcher = Dispatcher(self.store, db)
        self.password = password
        self.api_key = api_key

    @property
    def version(self) -> str:
        return self.store.version

    @property
    def db(self) -> str:
        return self.dispatcher.info.db

    def call(
        self,
        model: str,
        method: str,
        args: list[Any] | None = None,
        kwargs: dict[str, Any] | None = None,
        *,
        uid: int = ADMIN_UID,
    ) -> Any:
        """execute_kw in-process, as admin unless `uid` says otherwise (no password check)."""
        password = self.store.credentials.passwords.get(uid) or next(
            (k for k, u in self.store.credentials.api_keys.items() if u == uid), None
        )
        return self.dispatcher.execute_kw(
            self.db, uid, password, model, method, list(args or []), dict(kwargs or {})
        )

    def dump(self, *, volatile: bool = False) -> dict[str, list[Row]]:
        return self.store.dump(volatile=volatile)

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> RunningServer:
        return serve_in_thread(self.dispatcher, self.faults, host, port)

    @contextmanager
    def running(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[RunningServer]:
        server = self.serve(host, port)
        try:
            yield server
        finally:
            server.stop()
