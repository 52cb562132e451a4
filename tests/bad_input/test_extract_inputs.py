"""Hostile and broken source files at `extract captorra`: each is refused (exit 1) with one
message that names the file, line and column and says what to do, and nothing is written
(no raw run, no staging folder, no file in the store). Inputs are small and hand-written."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner, Result

from legal2odoo.cli import main
from legal2odoo.extract import csvfile
from legal2odoo.extract.paths import UnsafePath, component_problem, confined_file, safe_component

HEADER = "Lead ID,Created Date,Last Modified,Pipeline,Status,Email,Attachments,Notes\n"
GOOD = "L1,05/12/2021 09:30 AM,05/13/2021,Personal Injury,New,ann@example.com,,a note\n"


def _extract(tmp_path: Path, text: str | bytes, *extra: str) -> Result:
    export = tmp_path / "export" / "export.csv"
    export.parent.mkdir(exist_ok=True)
    if isinstance(text, bytes):
        export.write_bytes(text)
    else:
        export.write_text(text, encoding="utf-8", newline="")
    data = tmp_path / "data"
    return CliRunner().invoke(
        main, ["--data-dir", str(data), "extract", "captorra", "--export", str(export), *extra]
    )


def _nothing_written(tmp_path: Path) -> None:
    raw = tmp_path / "data" / "raw" / "captorra"
    assert not list(raw.glob("*/run=*")), "no raw run published"
    assert not list(raw.glob(".staging-*")), "no staging folder left"
    files = tmp_path / "data" / "files"
    assert not files.exists() or not list(files.iterdir()), "nothing in the file store"


def _refused(result: Result, *expected: str) -> str:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), "a message, not a traceback"
    assert "Traceback" not in result.output
    assert "What to do:" in result.output
    for text in expected:
        assert text in result.output, result.output
    return result.output


# --- Deliver 1: source values that become paths ------------------------------------------


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("..", "parent-folder"),
        ("../../../../etc", "separator"),
        ("/etc", "separator"),
        ("C:", "drive letter"),
        ("C:passwd", "drive letter"),
        ("..\\..\\windows", "separator"),
        ("a\x00b", "NUL"),
        ("a\nb", "control"),
        ("", "empty"),
        ("  ", "empty"),
    ],
)
def test_unsafe_components_are_named(value: str, reason: str) -> None:
    assert reason in (component_problem(value) or "")
    with pytest.raises(UnsafePath):
        safe_component(value)


@pytest.mark.parametrize("value", ["L-0001", "report.pdf", "Zoë's notes v2.docx", ".hidden"])
def test_plain_names_pass(value: str) -> None:
    assert component_problem(value) is None and safe_component(value) == value


def test_confined_file_stays_inside_and_never_follows_symlinks(tmp_path: Path) -> None:
    root = tmp_path / "attachments"
    (root / "L1").mkdir(parents=True)
    (root / "L1" / "a.pdf").write_bytes(b"%PDF-1.4")
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    (root / "L1" / "link.txt").symlink_to(outside)
    (root / "L2").symlink_to(tmp_path)  # a folder symlink to outside the export
    assert confined_file(root, "L1", "a.pdf") == root.resolve() / "L1" / "a.pdf"
    assert confined_file(root, "L1", "missing.pdf") is None
    assert confined_file(root, "L3", "a.pdf") is None
    for parts in (("L1", "link.txt"), ("L2", "secret.txt")):
        with pytest.raises(UnsafePath, match="symlink"):
            confined_file(root, *parts)
    for parts in (("..", "secret.txt"), ("/etc", "passwd"), ("L1", "../../secret.txt")):
        with pytest.raises(UnsafePath):
            confined_file(root, *parts)


@pytest.mark.parametrize(
    ("lead_id", "name", "column"),
    [
        ("../../../../../../../../../../etc", "passwd", "Lead ID"),
        ("/etc", "passwd", "Lead ID"),
        ("C:", "passwd", "Lead ID"),
        ("L1", "../../../../etc/passwd", "Attachments"),
        ("L1", "C:passwd", "Attachments"),
    ],
)
def test_traversal_in_the_export_is_refused(
    tmp_path: Path, lead_id: str, name: str, column: str
) -> None:
    (tmp_path / "export" / "attachments" / "L1").mkdir(parents=True)
    (tmp_path / "export" / "attachments" / "L1" / "ok.pdf").write_bytes(b"%PDF-1.4 ok")
    text = HEADER + GOOD.replace("L1,", f'"{lead_id}",').replace(",,a note", f",ok.pdf;{name},x")
    output = _refused(_extract(tmp_path, text), "export.csv line 2", f"column '{column}'", "unsafe")
    assert repr(lead_id if column == "Lead ID" else name) in output
    _nothing_written(tmp_path)


def test_symlinked_attachment_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "export" / "attachments" / "L1"
    folder.mkdir(parents=True)
    (folder / "notes.txt").symlink_to("/etc/passwd")
    text = HEADER + GOOD.replace(",,a note", ",notes.txt,a note")
    _refused(_extract(tmp_path, text), "export.csv line 2", "symlink", "not symlinks")
    _nothing_written(tmp_path)


def test_symlinked_lead_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "export" / "attachments").mkdir(parents=True)
    (tmp_path / "export" / "attachments" / "L1").symlink_to("/etc")
    text = HEADER + GOOD.replace(",,a note", ",passwd,a note")
    _refused(_extract(tmp_path, text), "symlink")
    _nothing_written(tmp_path)


# --- Deliver 6: nothing lost in silence -------------------------------------------------------


def test_missing_attachments_folder_is_counted_and_reported(tmp_path: Path) -> None:
    text = HEADER + GOOD.replace(",,a note", ",a.pdf;b.pdf,a note")
    result = _extract(tmp_path, text)
    assert result.exit_code == 0, result.output
    assert "2 attachment(s) named in the export are missing" in result.output
    assert "does not exist" in result.output and "--attachments FOLDER" in result.output
    rows = duckdb.sql(
        "select file_name, present from read_parquet("
        f"'{tmp_path}/data/raw/captorra/attachments/*/*.parquet') order by file_name"
    ).fetchall()
    assert rows == [("a.pdf", False), ("b.pdf", False)]


@pytest.mark.parametrize("value", ["12/05/21", "12/05/21 09:30 AM", "1/2/99", "21-05-12"])
def test_two_digit_year_is_refused_with_line_and_column(tmp_path: Path, value: str) -> None:
    text = HEADER + GOOD + GOOD.replace("L1", "L2").replace("05/12/2021 09:30 AM", value)
    _refused(
        _extract(tmp_path, text),
        "export.csv line 3, column 'Created Date'",
        value,
        "four-digit year",
    )
    _nothing_written(tmp_path)


@pytest.mark.parametrize(("byte", "shown"), [("\x00", "0x00"), ("\x1b", "0x1b"), ("\x7f", "0x7f")])
def test_control_bytes_are_refused_with_line_and_column(
    tmp_path: Path, byte: str, shown: str
) -> None:
    text = HEADER + GOOD + GOOD.replace("L1", "L2").replace("a note", f"ab{byte}c")
    _refused(
        _extract(tmp_path, text),
        "export.csv line 3, column 'Notes'",
        f"control byte {shown} at character 3",
    )
    _nothing_written(tmp_path)


def test_tab_and_newlines_inside_a_value_are_kept(tmp_path: Path) -> None:
    text = HEADER + GOOD.replace("a note", '"tab\there\r\nnext line"')
    assert _extract(tmp_path, text).exit_code == 0


# --- Deliver 7: one line and a next step --------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_export_with_a_bom_is_read(tmp_path: Path, codec: str) -> None:
    text = HEADER + GOOD.replace("ann@", "zoë@")
    data = text.encode(codec)
    if codec != "utf-16":
        data = ("\ufeff" + text).encode(codec)
    result = _extract(tmp_path, data)
    assert result.exit_code == 0, result.output
    emails = duckdb.sql(
        f"select email from read_parquet('{tmp_path}/data/raw/captorra/leads/*/*.parquet')"
    ).fetchall()
    assert emails == [("zoë@example.com",)]


def test_utf16_without_a_bom_is_refused_clearly(tmp_path: Path) -> None:
    _refused(_extract(tmp_path, (HEADER + GOOD).encode("utf-16-le")), "UTF-16", "CSV UTF-8")
    _nothing_written(tmp_path)


def test_cell_longer_than_two_blocks_is_read(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(csvfile, "BLOCK_SIZE", 1 << 16)
    long_note = "x" * (3 << 16)
    text = HEADER + GOOD + GOOD.replace("L1", "L2").replace("a note", long_note)
    result = _extract(tmp_path, text)
    assert result.exit_code == 0, result.output
    (length,) = duckdb.sql(
        "select max(length(notes)) from "
        f"read_parquet('{tmp_path}/data/raw/captorra/leads/*/*.parquet')"
    ).fetchall()[0]
    assert length == len(long_note)


def test_cell_over_the_limit_is_refused_naming_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(csvfile, "BLOCK_SIZE", 1 << 16)
    monkeypatch.setattr(csvfile, "MAX_BLOCK_SIZE", 1 << 17)
    text = HEADER + GOOD + GOOD.replace("L1", "L2").replace("a note", "x" * (5 << 17))
    _refused(_extract(tmp_path, text), "longer than 0.125 MiB", "shorten that value")
    _nothing_written(tmp_path)


def test_read_only_data_dir_is_one_line(tmp_path: Path, monkeypatch) -> None:
    data = tmp_path / "data"
    data.mkdir()
    if os.geteuid() == 0:  # root writes anywhere: the OS's refusal is played instead
        real_mkdir = Path.mkdir

        def refuse(self: Path, *args, **kwargs) -> None:
            if self.is_relative_to(data):
                raise PermissionError(13, "Permission denied", str(self))
            real_mkdir(self, *args, **kwargs)

        monkeypatch.setattr(Path, "mkdir", refuse)
    data.chmod(0o500)
    try:
        result = _extract(tmp_path, HEADER + GOOD)
    finally:
        data.chmod(0o700)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    assert "permission denied on " + str(data) in result.output
    assert "--data-dir" in result.output
    _nothing_written(tmp_path)


def test_control_byte_in_the_field_registry_is_refused(tmp_path: Path) -> None:
    registry = tmp_path / "export" / "fields.csv"
    registry.parent.mkdir(parents=True)
    registry.write_text(
        "field_name,label,type,options,required\n"
        "incident_date,Date of Incident,date,,false\n"
        "venue,Ven\x00ue,text,,false\n",
        encoding="utf-8",
    )
    _refused(_extract(tmp_path, HEADER + GOOD), "fields.csv line 3, column 'label'", "control")
    _nothing_written(tmp_path)


def test_read_only_file_system_is_one_line(tmp_path: Path, monkeypatch) -> None:
    import errno

    from legal2odoo.extract import rawstore

    def refuse(self, resource: str) -> Path:
        raise OSError(errno.EROFS, "Read-only file system", str(self.staging))

    monkeypatch.setattr(rawstore.RawRun, "staged", refuse)
    result = _extract(tmp_path, HEADER + GOOD)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "read-only file system on " + str(tmp_path / "data") in result.output
    _nothing_written(tmp_path)


def test_excel_unicode_text_export_is_read(tmp_path: Path) -> None:
    """Excel's "Unicode Text": UTF-16 LE with a BOM, tab-separated, CRLF."""
    text = (HEADER + GOOD.replace("ann@", "zoë@")).replace(",", "\t").replace("\n", "\r\n")
    result = _extract(tmp_path, codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert result.exit_code == 0, result.output
    rows = duckdb.sql(
        "select lead_id, email, notes, _line from "
        f"read_parquet('{tmp_path}/data/raw/captorra/leads/*/*.parquet')"
    ).fetchall()
    assert rows == [("L1", "zoë@example.com", "a note", 2)]
