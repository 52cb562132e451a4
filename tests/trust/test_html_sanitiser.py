"""The facts preflight holds about Odoo 17's html sanitiser (trust/html_sanitiser.py), checked
on hand-written notes, against the Actionstep source notes of the sample firm, and against the
real Odoo 17 (which must drop exactly what we say it drops)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from legal2odoo.trust.html_sanitiser import dropped_markup, is_html
from legal2odoo.trust.preflight import run_preflight
from tests.conftest import Pipeline
from tests.loader.conftest import Target, real_target  # noqa: F401  (the real Odoo fixture)

# Hand-written notes: (html, what the sanitiser drops).
NOTES = [
    ("<p>Met <b>client</b> &amp; spouse.</p><ul><li>Retainer</li></ul>", []),
    ('<p style="color:red" class="x">Red</p><font color="blue">blue</font>', []),
    (
        "<p>Opposing counsel <Ms. Núñez> called.</p>",
        ["<ms.> (not an html tag: its text disappears)"],
    ),
    (
        "<style>p{color:red}</style><p>Hi</p><script>alert(1)</script>",
        ["<style> with its content", "<script> with its content"],
    ),
    ('<p onclick="steal()">Click</p><!-- internal -->', ["onclick= on <p>", "<!-- comment -->"]),
    ('<form><input name="q"><p>Form text</p></form>', ["<input> with its content"]),
]


@pytest.mark.parametrize(("html", "dropped"), NOTES)
def test_dropped_markup_names_what_odoo_drops(html: str, dropped: list[str]) -> None:
    assert dropped_markup(html) == dropped


def test_angle_brackets_without_a_tag_are_not_html() -> None:
    assert not is_html("Opposing counsel <Ms. Núñez> called.")
    assert not is_html("Call back <TBD>; a < b > c")
    assert is_html("Met client &amp; spouse")
    assert is_html("Line<br>Line")


def test_preflight_lists_the_source_notes_that_lose_markup(both_pipeline: Pipeline) -> None:
    result = run_preflight(both_pipeline.workdir, both_pipeline.firm.root / "odoo", check_api=False)
    (finding,) = [f for f in result.findings if f.check == "html_markup_dropped"]
    (expected,) = both_pipeline.query(
        "select count(*) from stg_actionstep__file_notes where note_text like '%<script>%'"
    )[0]
    assert expected > 0
    assert finding.count == expected  # the generator's only notes with dropped markup
    item = finding.items[0]
    assert item["source_system"] == "actionstep" and item["source_object"] == "filenote"
    assert item["dropped"] == "<style> with its content; <script> with its content"


class _Shape(HTMLParser):
    """Tags with their attribute names, comments: what sanitising can take away."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.parts.append((tag, tuple(sorted(name for name, _ in attrs))))

    def handle_comment(self, data: str) -> None:
        self.parts.append(("comment",))


def _shape(html: str) -> list[tuple]:
    parser = _Shape()
    parser.feed(html)
    parser.close()
    return parser.parts


@pytest.mark.real_odoo
def test_real_odoo_drops_exactly_what_we_say(real_target: Target) -> None:  # noqa: F811
    odoo = real_target.connect()
    created = []
    try:
        for html, dropped in NOTES:
            lead = odoo.execute("crm.lead", "create", [{"name": "sanitiser", "description": html}])
            created.append(lead)
            (row,) = odoo.execute("crm.lead", "read", [[lead], ["description"]])
            stored = row["description"]
            if dropped:
                assert _shape(stored) != _shape(html), (html, stored)
            else:
                assert _shape(stored) == _shape(html), (html, stored)
    finally:
        if created:
            odoo.execute("crm.lead", "unlink", [created])
        odoo.close()
