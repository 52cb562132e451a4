"""The sandbox benchmark runs and reports what it loaded."""

from __future__ import annotations

from bench.sandbox_odoo import run


def test_bench_reports_each_load():
    measurements = run(2)
    assert [m.step for m in measurements] == [
        "sandbox odoo: load res.partner",
        "sandbox odoo: load crm.lead",
    ]
    assert all(m.items == 50 and m.unit == "records" and m.seconds > 0 for m in measurements)
    assert all(m.rate and m.peak_rss_mb > 0 for m in measurements)
