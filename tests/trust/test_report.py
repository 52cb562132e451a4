"""report: one self-contained HTML page, parsed back; the chart's bars are the verified counts."""

from __future__ import annotations

import json
import time
from html.parser import HTMLParser

from click.testing import CliRunner

from legal2odoo.cli import main
from legal2odoo.trust.preflight import run_preflight
from legal2odoo.trust.report import write_report
from legal2odoo.trust.verify import verify_run
from tests.trust.conftest import LoadedRun

EXTERNAL = ("http://", "https://", "//")


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.headings: list[str] = []
        self.bars: dict[str, list[int]] = {"before": [], "after": []}
        self.references: list[str] = []
        self._in_h2 = False
        self._title_of: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        for name in ("src", "href"):
            if values.get(name):
                self.references.append(str(values[name]))
        self._in_h2 = tag == "h2"
        if tag == "rect" and values.get("class") in self.bars:
            self._title_of = values["class"]

    def handle_data(self, data: str) -> None:
        if self._in_h2:
            self.headings.append(data.strip())
        if self._title_of and ":" in data:
            self.bars[self._title_of].append(int(data.split(":")[1].replace(",", "")))
            self._title_of = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self._in_h2 = False


def test_report_is_self_contained_and_shows_the_run(loaded_run: LoadedRun) -> None:
    run_preflight(
        loaded_run.workdir, loaded_run.firm.root / "odoo", check_api=False
    )  # preflight before the run would be normal; the report takes the newest before it or none
    verified = verify_run(loaded_run.workdir, loaded_run.odoo.connect)
    started = time.perf_counter()
    path = write_report(loaded_run.workdir, loaded_run.run_id)
    assert time.perf_counter() - started < 5
    text = path.read_text(encoding="utf-8")
    page = Page()
    page.feed(text)
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    assert not [r for r in page.references if r.startswith(EXTERNAL)]
    assert {
        "What moved",
        "Pipeline stages before and after",
        "Reconciliation against the source",
        "Load check: marts against Odoo",
        "Field-by-field comparison",
        "Data map",
        "Failures and records held for review",
        "How to undo this run",
    } <= set(page.headings)
    leads = {r.model: r for r in verified.reconciliation}["crm.lead"]
    assert verified.source is not None  # "before" is the source: held leads included
    in_source = [c for c in verified.source.reconciliation if c.record_type in ("lead", "matter")]
    assert sum(page.bars["before"]) == sum(c.in_scope for c in in_source) > leads.in_scope
    assert sum(page.bars["after"]) == leads.in_odoo
    assert f"legal2odoo rollback {loaded_run.run_id}" in text
    summary = json.loads((path.parent / "verify.json").read_text())
    assert ("Not verified" in text) == (not summary["verified"])


def test_cli_writes_the_report(loaded_run: LoadedRun) -> None:
    result = CliRunner().invoke(main, ["--data-dir", str(loaded_run.workdir.root), "report"])
    assert result.exit_code == 0, result.output
    assert (loaded_run.workdir.reports(loaded_run.run_id) / "report.html").exists()
