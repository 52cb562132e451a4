"""Document bytes into the content-addressed store DATA/files/<sha256>, plus manifest rows."""

from __future__ import annotations

import hashlib
import math
import mimetypes
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

import pyarrow as pa

from legal2odoo.extract.actionstep.client import ActionstepClient, GiveUp
from legal2odoo.extract.actionstep.rawwrite import utc_now, write_atomic
from legal2odoo.extract.paths import safe_component

CHUNK = 5 * 1024 * 1024
MANIFEST_SCHEMA = pa.schema(
    [
        ("id", pa.string()),  # the actiondocument id
        ("sha256", pa.string()),
        ("size", pa.int64()),
        ("mime", pa.string()),
        ("original_name", pa.string()),
        ("_extracted_at", pa.timestamp("us")),
        ("_run_id", pa.string()),
    ]
)
_RESERVED = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_WINDOWS_NAMES = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}
_MAGIC = (
    (b"%PDF", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
)


def wants_download(document: dict[str, Any]) -> bool:
    """Soft-deleted documents and placeholders without content are not fetched."""
    return bool(document.get("file")) and document.get("isDeleted") != "T" and _size(document) > 0


def sanitise_name(name: str | None, fallback: str = "document") -> str:
    """A file name safe on any OS: no directories, no traversal, no reserved names."""
    text = unicodedata.normalize("NFC", name or "")
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = _RESERVED.sub("_", text).strip().lstrip(".").strip()
    stem = text.split(".", 1)[0].lower()
    if stem in _WINDOWS_NAMES:
        text = f"_{text}"
    return text[:200] or fallback


def sniff_mime(head: bytes, name: str) -> str:
    for magic, mime in _MAGIC:
        if head.startswith(magic):
            return mime
    guessed, _ = mimetypes.guess_type(name)
    if guessed:
        return guessed
    if head.startswith(b"PK\x03\x04"):
        return "application/zip"
    try:
        head.decode("utf-8")
        return "text/plain"
    except UnicodeDecodeError:
        return "application/octet-stream"


async def download(
    client: ActionstepClient, document: dict[str, Any], store: Path
) -> dict[str, Any]:
    """Fetch every 5 MiB part, verify the size, hash while writing, move into the store."""
    document_id = safe_component(str(document["id"]), "Actionstep document id")
    size = _size(document)
    parts = max(1, math.ceil(size / CHUNK))
    store.mkdir(parents=True, exist_ok=True)
    tmp = store / f".download-{document_id}-{os.getpid()}"
    digest = hashlib.sha256()
    head = b""
    try:
        with tmp.open("wb") as handle:
            for part in range(1, parts + 1):
                expected = min(CHUNK, size - (part - 1) * CHUNK)
                data = await _part(client, document["file"], part, expected)
                head = head or data[:16]
                digest.update(data)
                handle.write(data)
        sha = digest.hexdigest()
        os.replace(tmp, store / sha)
    finally:
        tmp.unlink(missing_ok=True)
    name = sanitise_name(document.get("name"), f"document-{document['id']}")
    return {
        "id": str(document["id"]),
        "sha256": sha,
        "size": size,
        "mime": sniff_mime(head, name),
        "original_name": name,
    }


async def _part(client: ActionstepClient, file_id: str, part: int, expected: int) -> bytes:
    """A short part (cut connection, truncated body) is fetched again."""
    for _ in range(client.max_attempts):
        data = await client.file_part(file_id, part)
        if len(data) == expected:
            return data
        client.stats["retries"] += 1
        client.stats["short_file_part"] += 1
    raise GiveUp(f"file {file_id} part {part}: never got the expected {expected} bytes")


def write_manifest(rows: list[dict[str, Any]], path: Path, run_id: str) -> None:
    now = utc_now()
    columns = {
        name: [row[name] for row in rows]
        for name in ("id", "sha256", "size", "mime", "original_name")
    }
    columns["_extracted_at"] = [now] * len(rows)
    columns["_run_id"] = [run_id] * len(rows)
    write_atomic(pa.table(columns, schema=MANIFEST_SCHEMA), path)


def _size(document: dict[str, Any]) -> int:
    try:
        return int(document.get("fileSize") or 0)
    except (TypeError, ValueError):
        return 0
