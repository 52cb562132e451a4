"""The mapping spec and its transforms on hand-written raw values (not generator output), and
the exact visible-text comparison of HTML fields."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from legal2odoo.trust.mapping_spec import (
    SourceRecord,
    SpecError,
    SpecRow,
    expected_records,
    load_spec,
    source_objects,
)
from legal2odoo.trust.normalise import visible_text
from legal2odoo.trust.source_check import (
    _chunks,
    _element_of,
    _in_scope,
    _matches,
    _unused_alternatives,
)

NOTE = "Opposing counsel <Ms. Núñez> called.\r\nSecond  line\n\n  third line "


def _write_leads(raw: Path, rows: list[dict[str, str]]) -> None:
    folder = raw / "captorra" / "leads" / "run=r1"
    folder.mkdir(parents=True)
    columns = sorted({k for r in rows for k in r} | {"_run_id"})
    values = ", ".join(
        "(" + ", ".join(_literal(r.get(c, "r1" if c == "_run_id" else None)) for c in columns) + ")"
        for r in rows
    )
    names = ", ".join(f'"{c}"' for c in columns)
    duckdb.sql(
        f"copy (select * from (values {values}) as t({names})) to '{folder}/part-00000.parquet'"
    )


def _literal(value: str | None) -> str:
    return "cast(null as varchar)" if value is None else "'" + value.replace("'", "''") + "'"


def _lead(**values: str) -> dict[str, str]:
    base = {
        "lead_id": "L1",
        "first_name": "Ana",
        "last_name": "Núñez",
        "email": " Ana@Example.COM ",
        "phone": "+1 (555) 010-2000",
        "street": "1 Main St",
        "city": "Austin",
        "zip": "78701",
        "company": "Núñez & Co.",
        "notes": NOTE,
        "created_at": "03/04/2021 10:23 AM",
        "modified_at": "07/04/2021 09:00 PM",
        "pipeline": "Personal Injury",
        "status": "New Lead",
        "converted": "Yes",
        "matter_ref": " M-1 ",
    }
    return base | values


def _expected(raw: Path) -> dict[str, dict[str, object]]:
    spec = load_spec()
    con = duckdb.connect()
    out: dict[str, dict[str, object]] = {}
    for record in expected_records(con, raw, spec, "captorra__lead"):
        values: dict[str, object] = {}
        for i in sorted(record.expected, key=lambda i: record.expected[i] is not None):
            values[spec[i].odoo_field] = record.expected[i]  # an alternative with a value wins
        out[record.source_id] = values
    return out


def test_captorra_lead_expected_values_from_raw(tmp_path: Path) -> None:
    _write_leads(tmp_path, [_lead(), _lead(lead_id="L2", status="Rejected", converted="no")])
    got = _expected(tmp_path)
    first = got["L1"]
    assert first["description"] == "Opposing counsel <Ms. Núñez> called.\nSecond line\nthird line"
    assert first["x_original_created"] == "2021-03-04 15:23:00"  # EST, UTC-5
    assert first["x_original_modified"] == "2021-07-05 01:00:00"  # EDT, UTC-4
    assert first["email_from"] == "ana@example.com"
    assert first["phone"] == "+15550102000"
    assert first["x_matter_ref"] == "M-1"
    assert first["contact_name"] == "Ana Núñez"
    assert first["team_id"] == "legal2odoo.captorra_team_Personal_Injury"
    assert first["stage_id"] == "legal2odoo.captorra_stage_Personal_Injury_New_Inquiry"
    assert (first["active"], first["type"], first["probability"]) == ("true", "opportunity", "10")
    lost = got["L2"]  # rejected: lost in Odoo, archived with probability 0
    assert (lost["active"], lost["probability"], lost["type"]) == ("false", "0", "lead")
    assert lost["stage_id"] == "legal2odoo.captorra_stage_Personal_Injury_Rejected"


def test_status_missing_from_the_stage_map_gets_its_own_stage_by_the_build_vars(
    tmp_path: Path,
) -> None:
    rows = [
        _lead(status="Waitlisted"),
        _lead(lead_id="L2", status="Declined - No Case"),
        _lead(lead_id="L3", status="Hired Us"),
        _lead(lead_id="L4", status="Not Hired"),
    ]
    _write_leads(tmp_path / "raw", rows)  # no build yet: the defaults (unknown_status: create)
    got = _expected(tmp_path / "raw")
    waiting = got["L1"]
    assert waiting["stage_id"] == "legal2odoo.captorra_stage_Personal_Injury_Waitlisted"
    assert (waiting["active"], waiting["probability"]) == ("true", "10")
    assert (got["L2"]["active"], got["L2"]["probability"]) == ("false", "0")  # a lost word
    assert (got["L3"]["active"], got["L3"]["probability"]) == ("true", "100")  # a won word
    assert (got["L4"]["active"], got["L4"]["probability"]) == ("false", "0")  # negated: lost


def test_status_missing_from_the_stage_map_expects_no_stage_when_the_build_held_it(
    tmp_path: Path,
) -> None:
    _write_leads(tmp_path / "raw", [_lead(status="Waitlisted")])
    (tmp_path / "build_vars.json").write_text(json.dumps({"unknown_status": "hold"}))
    assert _expected(tmp_path / "raw")["L1"]["stage_id"] is None  # held for review


def test_notes_as_text_or_as_html_by_their_markup(tmp_path: Path) -> None:
    html = "<p>Prospect <b>very</b> upset &amp; wants a call back.</p><ul><li>Call AM</li></ul>"
    _write_leads(tmp_path, [_lead(), _lead(lead_id="L2", notes=html)])
    spec = load_spec()
    records = {
        r.source_id: r for r in expected_records(duckdb.connect(), tmp_path, spec, "captorra__lead")
    }
    kinds = {spec[i].source_field: i for i in records["L1"].expected}
    text, markup = kinds["notes_text"], kinds["notes_html"]
    assert (
        records["L1"].expected[text]
        == "Opposing counsel <Ms. Núñez> called.\nSecond line\nthird line"
    )
    assert records["L1"].expected[markup] is None
    assert records["L2"].expected[(text)] is None
    assert records["L2"].expected[markup] == html
    assert _unused_alternatives(records["L1"], spec) == {markup}  # compared as text only
    assert _unused_alternatives(records["L2"], spec) == {text}  # compared as HTML only


def test_lead_phone_is_the_persons_newest_non_blank_phone(tmp_path: Path) -> None:
    _write_leads(
        tmp_path,
        [
            _lead(lead_id="L1", phone="555-000-1111", modified_at="01/01/2022 10:00 AM"),
            _lead(
                lead_id="L2",
                email="ana@example.com",
                phone="555 000 2222 ext. 7",
                modified_at="01/01/2023 10:00 AM",
            ),
            _lead(
                lead_id="L3", email="ANA@example.com", phone=" ", modified_at="01/01/2024 10:00 AM"
            ),
            _lead(lead_id="L4", email="not an email", phone="555-000-4444"),
        ],
    )
    got = _expected(tmp_path)
    assert {k: got[k]["phone"] for k in ("L1", "L2", "L3")} == dict.fromkeys(
        ("L1", "L2", "L3"), "55500022227"
    )  # one person, one phone: the newest a sighting has (a blank one does not count)
    assert got["L4"]["phone"] == "5550004444"  # no valid email: a person of its own


def test_every_source_object_has_a_query_and_every_row_a_known_transform() -> None:
    spec = load_spec()
    assert {r.source_key for r in spec} <= set(source_objects())
    assert {r.transform for r in spec} >= {"lookup", "text-to-html", "datetime-in-timezone"}


def test_bad_spec_row_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "mapping_spec.csv"
    path.write_text(
        "source_system,source_object,source_field,odoo_model,odoo_field,transform,argument,spec\n"
        "captorra,lead,notes,crm.lead,description,markdown,,x\n",
        encoding="utf-8",
    )
    with pytest.raises(SpecError, match=r"mapping_spec.csv:2: transform 'markdown'"):
        load_spec(path)


ROW = SpecRow("captorra", "lead", "notes", "crm.lead", "description", "text-to-html", "", "")
WANT = "Opposing counsel <Ms. Núñez> called.\nSecond line"


@pytest.mark.parametrize(
    ("odoo_html", "same"),
    [
        ("<p>Opposing counsel &lt;Ms. Núñez&gt; called.<br>Second line</p>", True),
        ("<p>Opposing counsel &lt;Ms. Núñez&gt; called.</p><p>Second   line</p>", True),
        ("<p>Opposing counsel  called.<br>Second line</p>", False),  # the sanitiser ate a "tag"
        ("<p>Opposing counsel &lt;Ms. Núñez&gt; called.\nSecond line</p>", False),  # run-on
        ("<p>Opposing counsel &lt;Ms. Nunez&gt; called.<br>Second line</p>", False),
    ],
)
def test_html_compares_visible_text_exactly(odoo_html: str, same: bool) -> None:
    assert _matches(ROW, "html", WANT, odoo_html, {}, "odoo") is same


def test_visible_text_keeps_escaped_brackets_and_drops_script() -> None:
    html = (
        "<style>p{}</style><p>A &lt;B&gt;</p><script>x()</script><ul><li>one</li><li>two</li></ul>"
    )
    assert visible_text(html) == "A <B>\none\ntwo"


def _record(external_id: str | None, expected: dict[int, object], **source: object) -> SourceRecord:
    return SourceRecord(
        "actionstep__billing_line", "1", external_id, "billing line", None, dict(source), expected
    )


def test_json_lines_match_one_element_each() -> None:
    spec = [
        SpecRow(
            "actionstep",
            "billing_line",
            "description",
            "crm.lead",
            "x_billing_lines",
            "json",
            "",
            "",
        ),
        SpecRow(
            "actionstep",
            "billing_line",
            "bill_reference",
            "crm.lead",
            "x_billing_lines",
            "json",
            "",
            "",
        ),
    ]
    pool = {
        (0, "m1"): [
            {"description": "Call", "bill_reference": None},
            {"description": None, "bill_reference": "INV-1"},
        ]
    }
    call = _record("m1", {0: "Call", 1: None}, description="Call", bill_reference=None)
    bill = _record("m1", {0: None, 1: "INV-1"}, description=None, bill_reference="INV-1")
    assert _element_of(pool, [0, 1], call, spec) == {"description": "Call", "bill_reference": None}
    assert _element_of(pool, [0, 1], call, spec) is None  # a second equal line needs its own
    assert _element_of(pool, [0, 1], bill, spec) is not None


def test_chunks_never_split_the_records_of_one_external_id() -> None:
    ids = ["m1", "m1", "m1", "m2", "m3", "m3", None, None]
    records = [_record(x, {}) for x in ids]
    chunks = [[r.external_id for r in c] for c in _chunks(records, 2)]
    assert chunks == [["m1", "m1", "m1"], ["m2", "m3", "m3"], [None, None]]
    assert [len(c) for c in _chunks(records, 100)] == [8]


def test_sample_anchors_keep_what_hangs_under_a_kept_lead() -> None:
    spec = [
        SpecRow(
            "actionstep",
            "document",
            "action_id",
            "ir.attachment",
            "res_id",
            "lookup",
            "actionstep_matter",
            "",
        )
    ]
    kept = "legal2odoo.actionstep_matter_1"
    under_kept = SourceRecord(
        "actionstep__document",
        "9",
        "legal2odoo.actionstep_document_9",
        "document",
        None,
        {},
        {0: kept},
    )
    other = "legal2odoo.actionstep_matter_2"
    elsewhere = SourceRecord(
        "actionstep__document",
        "8",
        "legal2odoo.actionstep_document_8",
        "document",
        None,
        {},
        {0: other},
    )
    assert _in_scope(under_kept, spec, None, {kept})  # dropped by the SQL: still expected
    assert not _in_scope(elsewhere, spec, None, {kept})
    assert _in_scope(elsewhere, spec, None, None)
