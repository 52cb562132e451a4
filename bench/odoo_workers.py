"""`load --to odoo --workers 1/2/4` against a real multi-process Odoo 17 (`workers = 2`, then
`workers = 4` in its config): measured by hand, written to docs/benchmarks.md.

Odoo runs its PreforkServer only with `workers` > 0 (odoo/service/server.py): N HTTP worker
processes, each serving one request at a time, plus a gevent process for websockets on
`gevent_port`. This starts the real Odoo that REAL_ODOO_HOME holds a second time, on its own
ports and a config copy (the one setup.sh wrote stays as it is: reset-db.sh checks it), with
the request time limits raised (a 1,000-row load() on a busy machine can outlast the default
120 s real-time limit, and a killed worker would count as a failed batch). The database is
reset before each run (REAL_ODOO_* and reset-db.sh, as bench.loader does).

Every run is checked, not just timed: each mart row landed exactly once (as many new records
of the model as the mart has rows, each with its own external id).

    python -m bench.odoo_workers --work DIR [--http-port 9161 --gevent-port 9162]

DIR: a prepared workdir (bench.loader --work keeps one: DIR/real/loader-work-SCALE).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.loader import _fresh_copy, _load_argv, _reset_real, _rows
from bench.loader_baselines import PLAIN
from bench.measure import Measurement, run_step
from bench.run import render
from legal2odoo.load.connect import connect
from legal2odoo.load.marts import find_marts, open_warehouse
from legal2odoo.load.settings import OdooSettings

MODELS = ("res.partner", "crm.lead")


@contextmanager
def prefork_odoo(workers: int, http_port: int, gevent_port: int) -> Iterator[str]:
    """The real Odoo 17 with `workers` HTTP processes; yields its URL."""
    home = Path(os.environ["REAL_ODOO_HOME"])
    base = (home / "odoo.conf").read_text(encoding="utf-8")
    keep = [
        line
        for line in base.splitlines()
        if not line.startswith(("workers", "http_port", "logfile", "gevent_port", "limit_time"))
    ]
    conf = home / f"odoo-workers{workers}.conf"
    conf.write_text(
        "\n".join(
            [
                *keep,
                f"workers = {workers}",
                f"http_port = {http_port}",
                f"gevent_port = {gevent_port}",
                "limit_time_real = 1200",
                "limit_time_cpu = 1200",
                f"logfile = {home / 'log' / f'odoo-workers{workers}.log'}",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    argv = [str(home / "venv" / "bin" / "python"), str(home / "src" / "odoo-bin"), "-c", str(conf)]
    server = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        _wait_port(http_port, server)
        yield f"http://127.0.0.1:{http_port}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the server and the workers it forked
        server.wait(timeout=60)


def _wait_port(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"prefork Odoo exited ({server.returncode}) before listening")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                time.sleep(2)  # the workers fork after the port opens
                return
        time.sleep(0.5)
    raise RuntimeError(f"prefork Odoo did not listen on {port}")


def counts(env: dict[str, str]) -> dict[str, tuple[int, int, int]]:
    """Per model: records, our external ids, distinct records they name."""
    odoo = connect(
        OdooSettings(
            env["ODOO_URL"], env["ODOO_DB"], env["ODOO_USER"], env["ODOO_PASSWORD"], "xmlrpc"
        )
    )
    out = {}
    for model in MODELS:
        total = odoo.execute(model, "search_count", [[]], {"context": {"active_test": False}})
        xmlids = odoo.execute(
            "ir.model.data",
            "search_read",
            [[["model", "=", model], ["module", "=", "legal2odoo"]], ["res_id"]],
        )
        out[model] = (total, len(xmlids), len({x["res_id"] for x in xmlids}))
    odoo.close()
    return out


def _mart_rows(work: Path) -> dict[str, int]:
    main = ("odoo__res_partner", "odoo__crm_lead")
    with open_warehouse(work / "warehouse.duckdb") as con:
        return {
            m.model: con.execute(f"select count(*) from {m.table}").fetchone()[0]
            for m in find_marts(con)
            if m.table in main
        }


def one_run(work: Path, env: dict[str, str], server: int, client: int) -> Measurement:
    _reset_real()
    before = counts(env)
    copy = _fresh_copy(work, f"workers-{server}-{client}")
    step = run_step(
        f"ours, --workers {client}, Odoo workers = {server}",
        _load_argv(copy, PLAIN, "--workers", str(client)),
        items=_rows(work),
        env=env,
    )
    check_landed(work, before, counts(env))
    return step


def check_landed(
    work: Path, before: dict[str, tuple[int, int, int]], after: dict[str, tuple[int, int, int]]
) -> None:
    """Every mart row landed exactly once: new records = mart rows = our external ids =
    distinct records they name."""
    for model, rows in _mart_rows(work).items():
        new = after[model][0] - before[model][0]
        if not (new == rows == after[model][1] == after[model][2]):
            raise RuntimeError(
                f"{model}: {rows} mart rows, {new} new records, "
                f"{after[model][1:]} external ids / distinct records"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--http-port", type=int, default=9161)
    parser.add_argument("--gevent-port", type=int, default=9162)
    parser.add_argument("--servers", default="2,4", help="Odoo `workers` values.")
    parser.add_argument("--clients", default="1,2,4", help="Our --workers values.")
    args = parser.parse_args()
    base = {k: os.environ[k] for k in ("ODOO_DB", "ODOO_USER", "ODOO_PASSWORD")}
    measured: list[Measurement] = []
    for server in map(int, args.servers.split(",")):
        with prefork_odoo(server, args.http_port, args.gevent_port) as url:
            env = {**base, "ODOO_URL": url, "ODOO_PROTOCOL": "xmlrpc"}
            for client in map(int, args.clients.split(",")):
                measured.append(one_run(args.work, env, server, client))
                print(measured[-1], file=sys.stderr, flush=True)
    _reset_real()
    print(
        render([("Loader workers against a multi-process real Odoo 17", __doc__ or "", measured)])
    )


if __name__ == "__main__":
    main()
