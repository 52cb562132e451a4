"""Notes into Odoo's html fields keep what a person saw in the source (issue 15, point 3).

Hand-written notes (not generator output) are put into a copy of the sample firm's Captorra
export, pushed through extract → dbt build, and the lead's description is checked: plain text
is escaped with its line breaks kept, source html goes in as html. The same description,
written to the real Odoo 17 and read back, shows the very text the source showed."""

from __future__ import annotations

import csv
import shutil
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from legal2odoo.dbt import run_dbt
from legal2odoo.extract.captorra.run import extract_captorra
from legal2odoo.workdir import Workdir
from tests.conftest import Firm, Pipeline, builds_a_warehouse
from tests.loader.conftest import Target, real_target  # noqa: F401  (the real Odoo fixture)

# A person typed this into Captorra: angle brackets that are no tag, an ampersand, quotes,
# Windows line breaks and a blank line between two paragraphs.
PLAIN_NOTE = (
    'Opposing counsel <Ms. Núñez> called.\r\nShe\'ll send the "final" offer & costs.\r\n\r\n'
    "Next: call <TBD> back."
)
HTML_NOTE = "<p>Prospect <b>very</b> upset &amp; wants a call back.</p><script>x()</script>"
BLOCKS = frozenset({"p", "div", "li", "ul", "ol", "table", "tr", "h1", "h2", "h3"})


class _Visible(HTMLParser):
    """The text a browser shows: blocks are paragraphs (a blank line apart), <br> a break."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden -= 1
        elif tag in BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()


def _with_notes(firm: Firm, folder: Path, notes: dict[str, str]) -> None:
    """A copy of the firm's Captorra export whose first loaded leads carry `notes` (by key)."""
    shutil.copytree(firm.captorra, folder / "captorra")
    path = folder / "captorra" / "export.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = reader.fieldnames, list(reader)
    retained = [r for r in rows if r["Status"] == "Retained" and r["Email"]]
    for row, note in zip(retained, notes.values(), strict=False):
        row["Notes"] = note
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)
    ids = {key: row["Lead ID"] for key, row in zip(notes, retained, strict=False)}
    (folder / "lead_ids.csv").write_text("\n".join(f"{k},{v}" for k, v in ids.items()))


@pytest.fixture(scope="module")
@builds_a_warehouse
def notes_pipeline(firm: Firm, tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    folder = tmp_path_factory.mktemp("notes")
    _with_notes(firm, folder, {"plain": PLAIN_NOTE, "html": HTML_NOTE})
    workdir = Workdir(folder / "work")
    files = firm.captorra_files()
    extract_captorra(workdir, replace(files, export=folder / "captorra" / "export.csv"))
    run_dbt(workdir, ["build"], odoo_snapshot=firm.root / "odoo")
    return Pipeline(workdir, firm)


def _lead_ids(pipeline: Pipeline) -> dict[str, str]:
    text = (pipeline.workdir.root.parent / "lead_ids.csv").read_text()
    return dict(line.split(",") for line in text.splitlines())


def description_of(pipeline: Pipeline, key: str) -> str:
    lead_id = _lead_ids(pipeline)[key]
    ((description,),) = pipeline.query(
        f"select description from odoo__crm_lead where x_captorra_id = '{lead_id}'"
    )
    return description


def test_plain_note_is_escaped_with_its_line_breaks(notes_pipeline: Pipeline) -> None:
    description = description_of(notes_pipeline, "plain")
    assert description == (
        "<p>Opposing counsel &lt;Ms. Núñez&gt; called.<br>She'll send the &quot;final&quot; "
        "offer &amp; costs.</p><p>Next: call &lt;TBD&gt; back.</p>"
    )
    assert visible_text(description) == PLAIN_NOTE.replace("\r\n", "\n")


def test_html_note_goes_in_as_html_without_what_odoo_kills(notes_pipeline: Pipeline) -> None:
    description = description_of(notes_pipeline, "html")
    assert description == "<p>Prospect <b>very</b> upset &amp; wants a call back.</p>"
    assert visible_text(description) == "Prospect very upset & wants a call back."


@pytest.mark.real_odoo
def test_plain_note_reads_back_visibly_identical_from_real_odoo(
    notes_pipeline: Pipeline,
    real_target: Target,  # noqa: F811
) -> None:
    """Odoo 17 sanitises html on write: the note must survive it character for character."""
    odoo = real_target.connect()
    created = []
    try:
        for key, source in (("plain", PLAIN_NOTE), ("html", HTML_NOTE)):
            description = description_of(notes_pipeline, key)
            lead = odoo.execute(
                "crm.lead",
                "create",
                [{"name": f"legal2odoo notes test {key}", "description": description}],
            )
            created.append(lead)
            ((stored,),) = [
                (r["description"],)
                for r in odoo.execute("crm.lead", "read", [[lead], ["description"]])
            ]
            assert visible_text(stored) == visible_text(description), stored
            if key == "plain":
                assert visible_text(stored) == source.replace("\r\n", "\n")
    finally:
        if created:
            odoo.execute("crm.lead", "unlink", [created])
        odoo.close()
