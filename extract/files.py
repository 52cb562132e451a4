"""The content-addressed file store `files/<sha256>` and what a file's bytes say it is."""

from __future__ import annotations

import hashlib
import mimetypes
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from legal2odoo.extract.paths import open_no_follow

MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
    (b"PK\x03\x04", "application/zip"),
)
OFFICE = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    mime: str


def sniff_mime(name: str, head: bytes) -> str:
    """Trust the bytes first (exports lie about types), the extension second."""
    for magic, mime in MAGIC:
        if head.startswith(magic):
            if mime == "application/zip":
                return OFFICE.get(Path(name).suffix.lower(), mime)
            return mime
    guessed, _ = mimetypes.guess_type(name)
    if guessed:
        return guessed
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain"


def store_file(source: Path, store: Path) -> StoredFile:
    """Copy `source` into the store under its sha256 (once: the same content is stored once)."""
    digest = hashlib.sha256()
    with open_no_follow(source) as handle:
        head = handle.read(512)
        digest.update(head)
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    sha = digest.hexdigest()
    target = store / sha
    if not target.exists():
        store.mkdir(parents=True, exist_ok=True)
        partial = store / f".{sha}.{os.getpid()}.part"
        with open_no_follow(source) as handle, open(partial, "wb") as out:
            shutil.copyfileobj(handle, out)
        partial.replace(target)  # atomic: a reader never sees half a file
    return StoredFile(sha, source.stat().st_size, sniff_mime(source.name, head))
