"""Small pieces of the extractor: settings, file names, MIME sniffing, raw parts."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from legal2odoo.extract.actionstep.files import sanitise_name, sniff_mime
from legal2odoo.extract.actionstep.rawwrite import write_records
from legal2odoo.extract.actionstep.settings import ConfigError, ConnectionSettings, rest_base


def test_settings_from_dotenv_environment_wins(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "# comment\nexport ACTIONSTEP_REFRESH_TOKEN='from-file'\nACTIONSTEP_CLIENT_ID=id\n"
        'ACTIONSTEP_CLIENT_SECRET="s3cret"\nUNRELATED=x\n'
    )
    settings = ConnectionSettings.from_env({"ACTIONSTEP_CLIENT_ID": "env-id"}, dotenv)
    assert (settings.refresh_token, settings.client_id, settings.client_secret) == (
        "from-file",
        "env-id",
        "s3cret",
    )
    assert "s3cret" not in repr(settings) and "from-file" not in repr(settings)


def test_settings_say_what_is_missing(tmp_path: Path) -> None:
    nowhere = tmp_path / "none.env"
    with pytest.raises(ConfigError, match="ACTIONSTEP_REFRESH_TOKEN"):
        ConnectionSettings.from_env({}, nowhere)
    with pytest.raises(ConfigError, match="ACTIONSTEP_CLIENT_ID"):
        ConnectionSettings.from_env({"ACTIONSTEP_REFRESH_TOKEN": "r"}, nowhere)
    with pytest.raises(ConfigError, match="ACTIONSTEP_API_URL"):
        ConnectionSettings.from_env({"ACTIONSTEP_ACCESS_TOKEN": "a"}, nowhere)


def test_rest_base() -> None:
    assert rest_base("https://ap-southeast-2.actionstep.com/api/") == (
        "https://ap-southeast-2.actionstep.com/api/rest/"
    )
    assert rest_base("https://x/api/rest") == "https://x/api/rest/"


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\me\\scan.pdf", "scan.pdf"),
        ("Rëport: final?.pdf", "Rëport_ final_.pdf"),
        ("con.txt", "_con.txt"),
        ("..", "document"),
        ("  .hidden", "hidden"),
    ],
)
def test_sanitise_name(name: str, safe: str) -> None:
    assert sanitise_name(name) == safe


def test_sniff_mime() -> None:
    assert sniff_mime(b"%PDF-1.4", "x.bin") == "application/pdf"
    assert sniff_mime(b"\x89PNG\r\n\x1a\n", "x") == "image/png"
    assert sniff_mime(b"PK\x03\x04", "a.docx").endswith("wordprocessingml.document")
    assert sniff_mime(b"hello", "notes") == "text/plain"


def test_raw_part_keeps_record_verbatim(tmp_path: Path) -> None:
    records = [
        {"id": 7, "isDeleted": "F", "name": "Zoë “Q”", "links": {"action": "3", "tags": None}}
    ]
    write_records(records, tmp_path / "part-00001.parquet", "run1")
    table = pq.read_table(tmp_path / "part-00001.parquet")
    assert table.schema.names == ["id", "record", "_extracted_at", "_run_id"]
    row = table.to_pylist()[0]
    assert row["id"] == "7" and row["_run_id"] == "run1"
    assert row["record"] == json.dumps(records[0], ensure_ascii=False, separators=(",", ":"))
    assert not list(tmp_path.glob(".*tmp"))
