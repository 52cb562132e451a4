"""raw load() against ours with 1, 2, 4 workers on the default single-process real Odoo 17
(`workers = 0`, one threaded process: what real-odoo/setup.sh gives), same marts, the database
reset before each load, variants alternating A B C D / D C B A / ... so that a busier minute
on this shared machine does not favour one of them. Every load is checked: each mart row of
the partner and lead marts landed exactly once (bench.odoo_workers.check_landed).

    python -m bench.workers_single --work DIR [--rounds 3] [--variants raw,w1,w2,w4]

A variant is `raw` (bench.loader_baselines raw) or `wN` (ours, --workers N), optionally with
environment settings: `w1+LEGAL2ODOO_GROUP_SELF=0`. DIR: a prepared workdir
(bench.loader --work keeps one: DIR/real/loader-work-SCALE). Needs ODOO_* and REAL_ODOO_*.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.loader import _fresh_copy, _load_argv, _reset_real, _rows
from bench.loader_baselines import PLAIN
from bench.measure import Measurement, run_step
from bench.odoo_workers import check_landed, counts


@dataclass(frozen=True)
class Variant:
    name: str
    workers: int  # 0: raw load()
    env: dict[str, str]

    @classmethod
    def parse(cls, text: str) -> Variant:
        head, *settings = text.split("+")
        env = dict(s.split("=", 1) for s in settings)
        workers = 0 if head == "raw" else int(head.removeprefix("w"))
        return cls(text, workers, env)

    def argv(self, work: Path) -> list[str]:
        if not self.workers:
            return [sys.executable, "-m", "bench.loader_baselines", "raw", "--data-dir", str(work)]
        copy = _fresh_copy(work, f"single-{self.name.replace('=', '_')}")
        return _load_argv(copy, PLAIN, "--workers", str(self.workers))


def one_load(work: Path, odoo_env: dict[str, str], variant: Variant, round_: int) -> Measurement:
    _reset_real()
    before = counts(odoo_env)
    load = os.getloadavg()[0]
    step = run_step(
        f"round {round_}: {variant.name}",
        variant.argv(work),
        items=_rows(work),
        env={**odoo_env, **variant.env},
        note=f"load average {load:.2f} before",
    )
    check_landed(work, before, counts(odoo_env))
    return step


def order(variants: list[Variant], round_: int) -> list[Variant]:
    """A B C D in odd rounds, D C B A in even ones."""
    return variants if round_ % 2 else variants[::-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--variants", default="raw,w1,w2,w4")
    args = parser.parse_args()
    odoo_env = {k: os.environ[k] for k in ("ODOO_URL", "ODOO_DB", "ODOO_USER", "ODOO_PASSWORD")}
    odoo_env["ODOO_PROTOCOL"] = "xmlrpc"
    variants = [Variant.parse(v) for v in args.variants.split(",")]
    for round_ in range(1, args.rounds + 1):
        walls: dict[str, float] = {}
        for variant in order(variants, round_):
            step = one_load(args.work, odoo_env, variant, round_)
            walls[variant.name] = step.seconds
            print(f"{step.step}: {step.seconds:.2f} s, {step.note}", flush=True)
        base = walls[variants[0].name]
        ratios = ", ".join(f"{n} {base / s:.2f}x" for n, s in walls.items() if s)
        print(f"round {round_}: speed vs {variants[0].name}: {ratios}", flush=True)
    _reset_real()


if __name__ == "__main__":
    main()
