"""Optional SQLite persistence: every committed call writes the rows it changed, so a sandbox
restarted on the same file finds its records, external ids, x_ fields and sequences again."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from pathlib import Path

from legal2odoo_sandbox.odoo.orm import Env
from legal2odoo_sandbox.odoo.store import Store

log = logging.getLogger(__name__)
SCHEMA = """
CREATE TABLE IF NOT EXISTS records (model TEXT, id INTEGER, data TEXT, PRIMARY KEY (model, id));
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""


class SqliteState:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.executescript(SCHEMA)
        self._lock = threading.Lock()

    def has_state(self) -> bool:
        return self._db.execute("SELECT 1 FROM meta WHERE key = 'version'").fetchone() is not None

    def attach(self, store: Store) -> None:
        """Restore from the file if it holds a sandbox, else save the fresh store; then keep
        the file in step with every commit."""
        if self.has_state():
            self._restore(store)
        else:
            self._save(store, {(m, rid) for m, t in store.tables.items() for rid in t})
        store.commit_listeners.append(self._save)

    def _save(self, store: Store, touched: set[tuple[str, int]]) -> None:
        upserts, deletes = [], []
        for model, rid in touched:
            row = store.tables[model].get(rid)
            if row is None:
                deletes.append((model, rid))
            else:
                upserts.append((model, rid, json.dumps(row)))
        meta = {
            "version": store.version,
            "sequences": json.dumps(store.sequences),
            "passwords": json.dumps(store.credentials.passwords),
            "api_keys": json.dumps(store.credentials.api_keys),
            "acl": json.dumps(store.acl),
        }
        with self._lock, self._db:
            self._db.executemany("DELETE FROM records WHERE model = ? AND id = ?", deletes)
            self._db.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?)", upserts)
            self._db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())

    def _restore(self, store: Store) -> None:
        meta = dict(self._db.execute("SELECT key, value FROM meta"))
        if meta["version"] != store.version:
            raise ValueError(
                f"{self.path} holds an Odoo {meta['version']} sandbox, not {store.version}"
            )
        for table in store.tables.values():
            table.clear()
        for index in store.indexes.values():
            index.clear()
        rows = self._db.execute("SELECT model, data FROM records ORDER BY model, id")
        for model, data in rows:
            if model in store.tables:
                store.insert(model, json.loads(data))
        store.sequences.update(json.loads(meta["sequences"]))
        store.credentials.passwords = {int(k): v for k, v in json.loads(meta["passwords"]).items()}
        store.credentials.api_keys = json.loads(meta["api_keys"])
        store.acl = json.loads(meta["acl"])
        self._revive_manual_fields(store)
        log.info("restored the sandbox from %s", self.path)

    @staticmethod
    def _revive_manual_fields(store: Store) -> None:
        fields = Env(store, 1).model("ir.model.fields")
        for row in store.tables["ir.model.fields"].values():
            if row.get("state") == "manual":
                fields._add_manual_field(row, fill=False)

    def close(self) -> None:
        self._db.close()
