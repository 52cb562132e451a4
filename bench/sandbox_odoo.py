"""Benchmark: load() throughput of the Odoo sandbox, in-process (target ≥ 5,000 records/s so
it is never the bottleneck of the loader's benchmarks)."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable

from bench.measure import Measurement
from legal2odoo_sandbox.odoo import Sandbox

BATCH = 2000
CONTEXT = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load(sandbox: Sandbox, model: str, fields: list[str], rows: list[list[str]]) -> None:
    for start in range(0, len(rows), BATCH):
        result = sandbox.call(model, "load", [fields, rows[start : start + BATCH]],
                              {"context": CONTEXT})  # fmt: skip
        if result["ids"] is False:
            raise RuntimeError(f"benchmark load of {model} failed: {result['messages'][:3]}")


def _timed(step: str, count: int, work: Callable[[], None], note: str) -> Measurement:
    start = time.perf_counter()
    work()
    seconds = time.perf_counter() - start
    return Measurement(step, seconds, _peak_rss_mb(), count, "records", note)


def run(scale: int) -> list[Measurement]:
    """Load 25 x `scale` partners (1-2 tags each) then as many leads, in batches of 2,000."""
    count = max(1, scale) * 25
    sandbox = Sandbox("17.0")
    tags = [[f"bench.tag_{i}", f"Tag {i}"] for i in range(10)]
    _load(sandbox, "res.partner.category", ["id", "name"], tags)
    partners = [
        [f"bench.p_{i}", f"Person {i}", f"p{i}@example.com",
         f"bench.tag_{i % 10}" + (f",bench.tag_{(i + 3) % 10}" if i % 2 else "")]
        for i in range(count)
    ]  # fmt: skip
    leads = [
        [f"bench.l_{i}", f"Matter {i}", f"bench.p_{i}", "crm.stage_lead" + str(1 + i % 4),
         "<p>" + "intake notes " * 20 + "</p>", "2"]
        for i in range(count)
    ]  # fmt: skip
    note = f"in-process load(), batches of {BATCH}"
    return [
        _timed("sandbox odoo: load res.partner", count, lambda: _load(
            sandbox, "res.partner", ["id", "name", "email", "category_id/id"], partners), note),
        _timed("sandbox odoo: load crm.lead", count, lambda: _load(
            sandbox, "crm.lead",
            ["id", "name", "partner_id/id", "stage_id/id", "description", "user_id/.id"], leads,
        ), note),
    ]  # fmt: skip


if __name__ == "__main__":  # python -m bench.sandbox_odoo: a quick look at the figures
    for m in run(200):
        print(f"{m.step}: {m.items} {m.unit}, {m.seconds:.2f} s, {m.rate:,.0f}/s")
