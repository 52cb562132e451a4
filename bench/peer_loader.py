"""The peer loader `odoo-import-export-client` (PyPI) on the rows our loader sends: measured by
hand on a real Odoo, from its own throwaway venv (never a project dependency).

    python -m venv /tmp/peer-venv && /tmp/peer-venv/bin/pip install odoo-import-export-client
    python -m bench.peer_loader --data-dir WORKDIR --peer-venv /tmp/peer-venv [--worker N --size N]

Writes each mart of `bench.loader_baselines.PLAIN` as the `;`-separated CSV the peer reads,
runs its `odoo_import_thread.py` once per mart in load order (its defaults: 1 worker, 10 rows
per load(), context tracking_disable), then counts what landed by external id in Odoo.
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path
from urllib.parse import urlparse

from bench.loader_baselines import PLAIN
from bench.measure import run_step
from legal2odoo.load.connect import connect
from legal2odoo.load.marts import find_marts, open_warehouse
from legal2odoo.load.rows import read_rows
from legal2odoo.load.settings import OdooSettings, load_settings
from legal2odoo.workdir import Workdir


def export_csv(workdir: Workdir, out: Path) -> list[tuple[str, str, Path, list[str]]]:
    """(mart, model, file, external ids) per PLAIN mart, in load order."""
    files = []
    with open_warehouse(workdir.warehouse) as con:
        for number, mart in enumerate(m for m in find_marts(con) if m.table in PLAIN):
            path = out / f"{number:02d}_{mart.table}.csv"
            ids = []
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_ALL)
                writer.writerow(mart.columns)
                for row in read_rows(con, mart):
                    writer.writerow(row.cells)
                    ids.append(row.external_id)
            files.append((mart.table, mart.model, path, ids))
    return files


def write_config(settings: OdooSettings, uid: int, path: Path) -> None:
    url = urlparse(settings.url)
    path.write_text(
        "[Connection]\n"
        f"hostname = {url.hostname}\nport = {url.port or 8069}\ndatabase = {settings.db}\n"
        f"login = {settings.user}\npassword = {settings.secret}\nprotocol = xmlrpc\nuid = {uid}\n",
        encoding="utf-8",
    )


def landed(settings: OdooSettings, model: str, ids: list[str]) -> int:
    """How many of `ids` (module.name) exist in Odoo as records of `model`."""
    odoo = connect(settings)
    names = [i.split(".", 1)[1] for i in ids]
    found = 0
    for start in range(0, len(names), 1000):
        domain = [
            ["module", "=", "legal2odoo"],
            ["model", "=", model],
            ["name", "in", names[start : start + 1000]],
        ]
        found += odoo.execute("ir.model.data", "search_count", [domain])
    odoo.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--peer-venv", required=True, type=Path)
    parser.add_argument("--out", type=Path, default=Path("/tmp/peer-run"))
    parser.add_argument("--worker", type=int, default=1, help="The peer's --worker (default 1).")
    parser.add_argument("--size", type=int, default=10, help="The peer's --size (default 10).")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    settings = load_settings()
    odoo = connect(settings)
    write_config(settings, odoo.uid, args.out / "connection.conf")
    odoo.close()
    script = next(args.peer_venv.glob("bin/odoo_import_thread.py"))
    total_rows = total_landed = 0
    total_seconds = 0.0
    for table, model, path, ids in export_csv(Workdir(args.data_dir), args.out):
        argv = [
            str(args.peer_venv / "bin" / "python"),
            str(script),
            "-c",
            str(args.out / "connection.conf"),
            "--file",
            str(path),
            "--model",
            model,
            "--worker",
            str(args.worker),
            "--size",
            str(args.size),
        ]
        started = time.perf_counter()
        measured = run_step(f"peer {table}", argv, items=len(ids))
        count = landed(settings, model, ids)
        total_seconds += measured.seconds
        total_rows, total_landed = total_rows + len(ids), total_landed + count
        print(
            f"{table}: {len(ids)} rows, {count} landed, {measured.seconds:.2f} s "
            f"({time.perf_counter() - started:.2f} s with the count)"
        )
    rate = total_landed / total_seconds if total_seconds else 0.0
    print(
        f"peer total: {total_rows} rows, {total_landed} landed, {total_seconds:.2f} s, "
        f"{rate:.1f} landed rows/s"
    )


if __name__ == "__main__":
    main()
