"""The CSV route's files from a hand-written warehouse: owners by login, self-references in
their own file, BOM, limits, formula-like cells neutralised and repeated verbatim, link-ids
all or nothing, adoptions of another Odoo refused."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from legal2odoo.load.csv_export import ExportError, export_csv
from legal2odoo.load.csv_files import read_import_csv
from legal2odoo.load.csv_link import LinkError, link_ids
from legal2odoo.spreadsheet import TRIGGERS
from tests.load_plan import write_load_plan

PARTNERS = [  # id, name, phone, parent, pass
    ("legal2odoo.company_a", "Acme Law", None, None, 0),
    (
        "legal2odoo.partner_1",
        '=HYPERLINK("http://x","y")',
        "+1 555 0100",
        "legal2odoo.company_a",
        1,
    ),
    ("legal2odoo.partner_2", "Ann Lee", "555 0101", "legal2odoo.company_a", 1),
]
LEADS = [  # id, name, owner db id, owner login, related
    ("legal2odoo.matter_1", "Lee v. Roe", 7, "ann@firm.example", "legal2odoo.matter_2"),
    ("legal2odoo.matter_2", "@risk claim", 7, "ann@firm.example", None),
]
MESSAGES = [  # id, body, lead, author name
    ("legal2odoo.msg_1", "<p>hello</p>", "legal2odoo.matter_1", None),
    ("legal2odoo.msg_2", "<p>done</p>", "legal2odoo.matter_2", "Ann Lee"),
]


def warehouse(root: Path, adopt: bool = False) -> Path:
    path = root / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(
            "create table odoo__res_partner (id varchar, name varchar, phone varchar, "
            '"parent_id/id" varchar, _load_pass int)'
        )
        con.executemany("insert into odoo__res_partner values (?, ?, ?, ?, ?)", PARTNERS)
        con.execute(
            'create table odoo__crm_lead (id varchar, name varchar, "user_id/.id" bigint,'
            ' _user_login varchar, "x_related_matter_id/id" varchar)'
        )
        con.executemany("insert into odoo__crm_lead values (?, ?, ?, ?, ?)", LEADS)
        con.execute(
            "create table odoo__mail_message (id varchar, model varchar, body varchar,"
            ' "author_id/id" varchar, _res_xmlid varchar, _author_user_name varchar)'
        )
        con.executemany(
            "insert into odoo__mail_message values (?, 'crm.lead', ?, null, ?, ?)", MESSAGES
        )
        if adopt:
            con.execute(
                "create table odoo__ir_model_data as select 'legal2odoo' as module, "
                "'partner_9' as name, 'res.partner' as model, 41 as res_id"
            )
        write_load_plan(
            con, "odoo__ir_model_data", "odoo__res_partner", "odoo__crm_lead", "odoo__mail_message"
        )
    return path


def rows(path: Path) -> list[dict[str, str]]:
    header, body = read_import_csv(path)
    return [dict(zip(header, r, strict=True)) for r in body]


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    export_csv(warehouse(tmp_path), tmp_path / "out")
    return tmp_path / "out"


def test_owners_by_login_and_no_database_ids(exported: Path) -> None:
    leads = rows(exported / "01_crm_lead_001.csv")
    assert {r["user_id"] for r in leads} == {"ann@firm.example"}
    assert not [h for h in leads[0] if h.endswith("/.id") or h.startswith("_")]


def test_self_references_go_to_a_later_file(exported: Path) -> None:
    assert "parent_id/id" not in rows(exported / "00_res_partner_001.csv")[0]
    assert rows(exported / "00_res_partner__self_001.csv") == [
        {"id": "legal2odoo.partner_1", "parent_id/id": "legal2odoo.company_a"},
        {"id": "legal2odoo.partner_2", "parent_id/id": "legal2odoo.company_a"},
    ]
    assert rows(exported / "01_crm_lead__self_001.csv") == [
        {"id": "legal2odoo.matter_1", "x_related_matter_id/id": "legal2odoo.matter_2"}
    ]
    guide = (exported / "IMPORT.md").read_text(encoding="utf-8")
    assert guide.index("00_res_partner_001") < guide.index("00_res_partner__self_001")
    assert guide.index("00_res_partner__self_001") < guide.index("01_crm_lead_001")


def test_files_open_safely_and_the_verbatim_repeat_restores(exported: Path) -> None:
    for path in exported.glob("*.csv"):
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), path.name
        if "__verbatim" in path.name:
            continue
        for row in rows(path):
            risky = [v for v in row.values() if v.startswith(TRIGGERS)]
            assert not risky, (path.name, risky)
    partners = {r["id"]: r for r in rows(exported / "00_res_partner_001.csv")}
    assert partners["legal2odoo.partner_1"]["phone"] == "'+1 555 0100"
    verbatim = rows(exported / "00_res_partner__verbatim_001.csv")
    assert verbatim == [
        {"id": "legal2odoo.partner_1", "name": PARTNERS[1][1], "phone": "+1 555 0100"}
    ]
    assert rows(exported / "01_crm_lead__verbatim_001.csv") == [
        {"id": "legal2odoo.matter_2", "name": "@risk claim"}
    ]


def test_parts_stay_under_the_row_and_byte_limits(tmp_path: Path) -> None:
    files = export_csv(warehouse(tmp_path), tmp_path / "out", rows_per_file=1, bytes_per_file=10)
    partner_files = [f for f in files if f.path.name.startswith("00_res_partner_0")]
    assert [f.rows for f in partner_files] == [1, 1, 1]
    assert [f.path.name for f in partner_files][-1] == "00_res_partner_003.csv"


def test_user_authored_messages_name_the_author_in_their_own_file(exported: Path) -> None:
    plain = rows(exported / "02_mail_message_001.needs-ids.csv")
    by_user = rows(exported / "02_mail_message__by_user_001.needs-ids.csv")
    assert [r["id"] for r in plain] == ["legal2odoo.msg_1"] and "author_id/id" in plain[0]
    assert by_user[0]["author_id"] == "Ann Lee" and "author_id/id" not in by_user[0]
    assert by_user[0]["res_id"] == "" and by_user[0]["record_external_id"] == LEADS[1][0]


def odoo_export(path: Path, ids: dict[str, int], header=("External ID", "ID")) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(ids.items())
    return path


def test_link_ids_fills_res_id_and_drops_the_helper(exported: Path, tmp_path: Path) -> None:
    export = odoo_export(tmp_path / "leads.csv", {LEADS[0][0]: 11, LEADS[1][0]: 12})
    linked = link_ids(exported, [export])
    assert sorted(f.path.name for f in linked) == [
        "02_mail_message_001.csv",
        "02_mail_message__by_user_001.csv",
    ]
    message = rows(exported / "02_mail_message__by_user_001.csv")
    assert message[0]["res_id"] == "12" and "record_external_id" not in message[0]
    assert (exported / "02_mail_message_001.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_link_ids_writes_nothing_when_a_record_is_missing(exported: Path, tmp_path: Path) -> None:
    export = odoo_export(tmp_path / "part.csv", {LEADS[0][0]: 11})
    with pytest.raises(LinkError, match=r"1 row\(s\).*legal2odoo.matter_2.*nothing was written"):
        link_ids(exported, [export])
    assert not list(exported.glob("02_mail_message_00?.csv"))
    wrong = odoo_export(tmp_path / "names.csv", {LEADS[0][0]: 11}, ("Name", "Stage"))
    with pytest.raises(LinkError, match="no column 'Complete ID' or 'External ID'"):
        link_ids(exported, [wrong])


def test_adoptions_of_another_odoo_are_refused(tmp_path: Path) -> None:
    path = warehouse(tmp_path, adopt=True)
    with pytest.raises(ExportError, match="--snapshot-of-target"):
        export_csv(path, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    files = export_csv(path, tmp_path / "out", snapshot_of_target=True)
    assert files[0].model == "ir.model.data"


def test_cli_link_ids(exported: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from legal2odoo.cli import main

    ids = {LEADS[0][0]: 11}
    export = odoo_export(tmp_path / "ids.csv", ids, ("Complete ID", "Record ID"))
    args = ["--data-dir", str(tmp_path), "csv", "link-ids", "--folder", str(exported)]
    refused = CliRunner().invoke(main, [*args, str(export)])
    assert refused.exit_code == 1 and "legal2odoo.matter_2" in refused.output
    odoo_export(export, {**ids, LEADS[1][0]: 12}, ("Complete ID", "Record ID"))
    done = CliRunner().invoke(main, [*args, str(export)])
    assert done.exit_code == 0, done.output
    assert "02_mail_message_001.csv: 1 row(s) linked" in done.output
