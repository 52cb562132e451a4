"""`extract actionstep` against a token endpoint that refuses the client, or that a machine
does not trust (self-signed certificate): one line that says what to set, exit 1, no
warning noise, no refresh-token hint, nothing extracted. The servers are hand-written."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from legal2odoo.extract.actionstep.files import download


class _RefuseClient(BaseHTTPRequestHandler):
    """The answer RFC 6749 §5.2 gives for a wrong client secret."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.dumps({"error": "invalid_client"}).encode()
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def token_server(request) -> Iterator[tuple[ThreadingHTTPServer, str]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RefuseClient)
    scheme = "http"
    if getattr(request, "param", None) == "tls":
        if not shutil.which("openssl"):
            pytest.skip("openssl is needed to make a self-signed certificate")
        folder = Path(request.getfixturevalue("tmp_path"))
        cert, key = folder / "cert.pem", folder / "key.pem"
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
                "-keyout",
                str(key),
                "-out",
                str(cert),
            ],
            check=True,
            capture_output=True,
        )
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, f"{scheme}://127.0.0.1:{server.server_address[1]}/api/oauth/token"
    finally:
        server.shutdown()
        server.server_close()


def _extract(tmp_path: Path, token_url: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ACTIONSTEP_", "SSL_CERT")) and k != "LEGAL2ODOO_DATA"
    }
    env |= {
        "ACTIONSTEP_TOKEN_URL": token_url,
        "ACTIONSTEP_REFRESH_TOKEN": "a-refresh-token",
        "ACTIONSTEP_CLIENT_ID": "the-client",
        "ACTIONSTEP_CLIENT_SECRET": "a-wrong-secret",
        "PYTHONWARNINGS": "default",  # show every warning, as a first run would
    }
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "legal2odoo",
            "--data-dir",
            str(tmp_path / "data"),
            "extract",
            "actionstep",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _nothing_extracted(tmp_path: Path) -> None:
    raw = tmp_path / "data" / "raw" / "actionstep"
    assert not raw.exists() or not list(raw.glob("*/run=*/*.parquet"))


def test_wrong_client_secret_says_which_setting(tmp_path: Path, token_server) -> None:
    _, url = token_server
    result = _extract(tmp_path, url)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    assert "ACTIONSTEP_CLIENT_SECRET" in errors[0] and "invalid_client" in errors[0]
    assert "REFRESH_TOKEN" not in result.stderr, "the refresh token was not the problem"
    assert "never awaited" not in result.stderr and "Traceback" not in result.stderr
    assert "a-wrong-secret" not in result.stderr + result.stdout
    _nothing_extracted(tmp_path)


@pytest.mark.parametrize("token_server", ["tls"], indirect=True)
def test_self_signed_certificate_names_ssl_cert_file(tmp_path: Path, token_server) -> None:
    _, url = token_server
    result = _extract(tmp_path, url)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    assert "SSL_CERT_FILE" in errors[0] and "127.0.0.1" in errors[0]
    assert "never awaited" not in result.stderr and "Traceback" not in result.stderr
    _nothing_extracted(tmp_path)


@pytest.mark.parametrize("document_id", ["../../etc/x", "/tmp/x", "C:x", "a\x00b"])
def test_hostile_document_id_never_becomes_a_path(tmp_path: Path, document_id: str) -> None:
    document = {"id": document_id, "file": "f1", "fileSize": 3, "name": "a.txt"}
    with pytest.raises(ValueError, match="unsafe Actionstep document id"):
        asyncio.run(download(None, document, tmp_path / "files"))  # type: ignore[arg-type]
    assert not (tmp_path / "files").exists() or not list((tmp_path / "files").iterdir())


def test_control_byte_in_an_api_record_stops_that_resource_naming_it(tmp_path: Path) -> None:
    """A NUL typed into an Actionstep matter name: never written to raw (it would fail at load
    with ExpatError); the run is incomplete with the record, field and what to do."""
    from legal2odoo_sandbox.actionstep.app import ActionstepApp
    from legal2odoo_sandbox.firm.actionstep import write_actionstep
    from legal2odoo_sandbox.firm.core import Firm
    from tests.actionstep.helpers import extract

    write_actionstep(Firm(seed=5, scale=50), tmp_path / "firm")
    actions = tmp_path / "firm" / "actionstep" / "actions.jsonl"
    lines = actions.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[1])
    record["name"] = "Smith v\x00 Jones"  # the hand-made bad value
    lines[1] = json.dumps(record)
    actions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = asyncio.run(
        extract(ActionstepApp(tmp_path / "firm"), tmp_path / "data", resources=["actions"])
    )
    assert not result.ok
    message = result.incomplete["actions"]
    assert f"actions id {record['id']} field 'name'" in message
    assert "control byte 0x00 at character 8" in message and "extract actionstep" in message
    raw = tmp_path / "data" / "raw" / "actionstep" / "actions"
    assert not list(raw.glob("run=*/*.parquet")), "the page with the NUL was not written"
