"""What Odoo 17 itself does to text put into an html field, and that verify sees it: plain
text with `<Name>` loses the name to the sanitiser and its line breaks run together (caught),
escaped text in paragraphs / <br> reads back visibly identical (passes)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from legal2odoo.load.transport import Transport
from legal2odoo.trust.mapping_spec import SpecRow
from legal2odoo.trust.source_check import _matches
from tests.loader.conftest import Target, real_target  # noqa: F401 (fixture)

pytestmark = pytest.mark.real_odoo

SOURCE = "Opposing counsel <Ms. Núñez> called.\nSettlement offer: $12,500 — rejected."
ROW = SpecRow(
    "actionstep", "file_note", "note_text", "crm.lead", "description", "text-to-html", "", ""
)
ESCAPED = (
    "<p>Opposing counsel &lt;Ms. Núñez&gt; called.<br>Settlement offer: $12,500 — rejected.</p>"
)


@pytest.fixture
def odoo(real_target: Target) -> Iterator[Transport]:  # noqa: F811
    transport = real_target.connect()
    created: list[int] = []
    transport.created = created  # type: ignore[attr-defined]
    try:
        yield transport
    finally:
        if created:
            transport.execute("crm.lead", "unlink", [created])
        transport.close()


def _stored(odoo: Transport, description: str) -> str:
    lead = odoo.execute(
        "crm.lead", "create", [{"name": "verify html probe", "description": description}]
    )
    odoo.created.append(lead)  # type: ignore[attr-defined]
    [record] = odoo.execute("crm.lead", "read", [[lead], ["description"]])
    return record["description"]


def test_plain_text_in_an_html_field_is_caught(odoo: Transport) -> None:
    stored = _stored(odoo, SOURCE)
    assert "Núñez" not in stored  # Odoo 17's sanitiser took <Ms. Núñez> for a tag
    assert not _matches(ROW, "html", SOURCE, stored, {}, "odoo")


def test_escaped_text_with_breaks_reads_back_visibly_identical(odoo: Transport) -> None:
    stored = _stored(odoo, ESCAPED)
    assert _matches(ROW, "html", SOURCE, stored, {}, "odoo"), stored
