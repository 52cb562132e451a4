"""Which text encoding a source file uses: UTF-8, or a legacy Windows export."""

from __future__ import annotations

import codecs
import logging
from pathlib import Path

from legal2odoo.extract.errors import Problem, SourceFileError

log = logging.getLogger(__name__)

CHUNK = 1 << 20
FALLBACK = "cp1252"  # what Excel on Windows writes when "CSV" is not "CSV UTF-8"


def detect_encoding(path: Path) -> str:
    """'utf-16' when the file starts with a UTF-16 byte-order mark; 'utf-8' when the whole
    file decodes; the fallback, with a warning, when the file holds no valid UTF-8 multi-byte
    text at all; otherwise refuse: a UTF-8 file with broken bytes would be silently mangled
    by any fallback."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        log.info("%s is UTF-16 (byte-order mark); reading it as such", path)
        return "utf-16"  # Excel's "Unicode text"; the codec reads the BOM and the byte order
    if head.count(0) > len(head) // 4:
        raise SourceFileError(
            [Problem(path, 1, None, "NUL bytes between the characters: UTF-16 without a BOM")],
            "re-export the file as 'CSV UTF-8' (or UTF-16 with its byte-order mark)",
        )
    line, has_utf8_text = _scan_utf8(path)
    if line is None:
        return "utf-8"
    if not has_utf8_text and _decodes(path, FALLBACK):
        log.warning(
            "%s is not UTF-8; reading it as %s (Windows). Re-export as 'CSV UTF-8' to be sure "
            "names with accents are right.",
            path,
            FALLBACK,
        )
        return FALLBACK
    raise SourceFileError(
        [Problem(path, line, None, "bytes that are not valid UTF-8 (the file is damaged)")],
        "re-export the file from the source system as CSV UTF-8, or repair that line",
    )


def _scan_utf8(path: Path) -> tuple[int | None, bool]:
    """(line of the first invalid byte or None, whether any valid non-ASCII UTF-8 appears)."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    first_bad: int | None = None
    has_utf8_text = False
    lines_before = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            text = decoder.decode(chunk)
            if first_bad is None and "\ufffd" in text:
                first_bad = lines_before + text[: text.index("\ufffd")].count("\n") + 1
            if not has_utf8_text and not text.isascii():
                has_utf8_text = any(ord(ch) > 127 and ch != "\ufffd" for ch in text)
            lines_before += text.count("\n")
        tail = decoder.decode(b"", final=True)
        if first_bad is None and "\ufffd" in tail:
            first_bad = lines_before + 1
    return first_bad, has_utf8_text


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                decoder.decode(chunk)
    except UnicodeDecodeError:
        return False
    return True
