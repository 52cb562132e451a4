"""Measure the facts the sandbox replays from a real Odoo (run by hand, not by tests).

    python -m legal2odoo_sandbox.odoo.measure_facts --url http://127.0.0.1:8069 --db odoo17 \
        --user admin --password admin --out sandbox/legal2odoo_sandbox/odoo/facts/17.0

Writes `fields_get.json` (every field of every modelled model, all attributes as Odoo returns
them, plus `on_delete` from ir.model.fields), `models.json` (ir.model id and description),
`records.json` (the base records: stored, non-binary fields of every record, archived included),
`xmlids.json` (their external ids), `defaults.json` (default_get of every field),
`sequences.json` (last id per model) and `modules.json` (installed modules).
"""

from __future__ import annotations

import argparse
import json
import logging
import urllib.request
from pathlib import Path
from typing import Any

from legal2odoo_sandbox.odoo.schema import MODELLED_MODELS

log = logging.getLogger(__name__)
# Records of these models are not copied: the sandbox starts with none (see sandbox-fidelity.md).
NO_BASE_RECORDS = {
    "ir.attachment",
    "mail.message",
    "mail.activity",
    "ir.model.fields",
    "ir.model.fields.selection",
    "ir.model.data",
    "ir.ui.view",  # the sandbox's two parent forms are stand-ins (legal2odoo_sandbox.odoo.views)
}
CTX = {"context": {"active_test": False, "lang": "en_US"}}
# Not modelled, but their ids are: a required many2one to them (crm.team.alias_id) holds a bare
# id, and the sandbox hands out new ones after the measured last id.
UNMODELLED_SEQUENCES = ("mail.alias",)


def _required_id_of_unmodelled(desc: dict[str, Any]) -> bool:
    """A required many2one to an unmodelled model: keep its id, or a write to the record
    (any field) fails the NOT NULL check the sandbox makes on the whole row."""
    return bool(desc.get("required")) and desc.get("relation") in UNMODELLED_SEQUENCES


class Client:
    """JSON-RPC, because some answers (default_get) hold None, which XML-RPC cannot marshal."""

    def __init__(self, url: str, db: str, user: str, password: str) -> None:
        self.url, self.db, self.password = url, db, password
        self.uid = self._rpc("common", "login", db, user, password)

    def _rpc(self, service: str, method: str, *args: Any) -> Any:
        params = {"service": service, "method": method, "args": list(args)}
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params})
        request = urllib.request.Request(
            f"{self.url}/jsonrpc", body.encode(), {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request) as response:
            answer = json.load(response)
        if "error" in answer:
            raise RuntimeError(answer["error"]["data"]["message"])
        return answer["result"]

    def call(self, model: str, method: str, *args: Any, **kw: Any) -> Any:
        return self._rpc(
            "object", "execute_kw", self.db, self.uid, self.password, model, method, list(args), kw
        )


def measure(client: Client, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    fields: dict[str, Any] = {}
    records: dict[str, Any] = {}
    defaults: dict[str, Any] = {}
    irmodels = client.call(
        "ir.model",
        "search_read",
        [["model", "in", MODELLED_MODELS]],
        ["model", "name", "order"],
        **CTX,
    )
    models = {m["model"]: {"id": m["id"], "name": m["name"], "order": m["order"]} for m in irmodels}
    for model in MODELLED_MODELS:
        desc = client.call(model, "fields_get")
        # Not in fields_get, but the sandbox needs them for unlink and its error messages.
        extra = client.call(
            "ir.model.fields",
            "search_read",
            [["model", "=", model], ["ttype", "in", ["many2one", "many2many"]]],
            ["name", "on_delete", "relation_table", "column1", "column2"],
        )
        for row in extra:
            if row["name"] in desc:
                keys = (
                    ("on_delete",)
                    if "on_delete" in row and row["relation_table"] is False
                    else ("relation_table", "column1", "column2")
                )
                desc[row["name"]].update({k: row[k] for k in keys})
        fields[model] = desc
        defaults[model] = client.call(model, "default_get", list(desc))
        if model in NO_BASE_RECORDS:
            continue
        keep = [
            n
            for n, f in desc.items()
            if f.get("store")
            and f["type"] != "binary"
            and (
                f["type"] not in ("many2one", "many2many", "one2many")
                or f.get("relation") in MODELLED_MODELS
                or _required_id_of_unmodelled(f)
            )
            and n not in ("create_date", "write_date")
        ]
        if model == "res.groups":
            keep.append("full_name")  # AccessError messages name groups by it
        records[model] = client.call(model, "search_read", [], keep, load="_classic_write", **CTX)
    records["ir.model.access"] = client.call(
        "ir.model.access",
        "search_read",
        [["model_id.model", "in", MODELLED_MODELS]],
        ["name", "model_id", "group_id", "perm_read", "perm_write", "perm_create", "perm_unlink"],
        load="_classic_write",
        **CTX,
    )
    # Last ids: a fresh database's sequences also count records the sandbox does not copy.
    sequences = {}
    for model in (*MODELLED_MODELS, *UNMODELLED_SEQUENCES):
        last = client.call(model, "search", [], limit=1, order="id desc", **CTX)
        sequences[model] = last[0] if last else 0
    modules = client.call(
        "ir.module.module", "search_read", [["state", "=", "installed"]], ["name"]
    )
    wanted = {(m, r["id"]) for m, rows in records.items() for r in rows}
    xmlids = [
        x
        for x in client.call(
            "ir.model.data",
            "search_read",
            [["model", "in", list(records)]],
            ["module", "name", "model", "res_id", "noupdate"],
        )
        if (x["model"], x["res_id"]) in wanted
    ]
    for name, data in (
        ("fields_get", fields),
        ("models", models),
        ("records", records),
        ("xmlids", xmlids),
        ("defaults", defaults),
        ("sequences", sequences),
        ("modules", sorted(m["name"] for m in modules)),
    ):
        (out / f"{name}.json").write_text(json.dumps(data, indent=0, sort_keys=True) + "\n")
        log.info("wrote %s", out / f"{name}.json")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for opt, default in (
        ("--url", "http://127.0.0.1:8069"),
        ("--db", "odoo17"),
        ("--user", "admin"),
        ("--password", "admin"),
        ("--out", "sandbox/legal2odoo_sandbox/odoo/facts/17.0"),
    ):
        parser.add_argument(opt, default=default)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    measure(Client(args.url, args.db, args.user, args.password), Path(args.out))


if __name__ == "__main__":
    main()
