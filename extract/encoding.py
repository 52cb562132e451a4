"""Which text encoding a source file uses: UTF-8, or a legacy Windows export."""

from __future__ import annotations

import codecs
import logging
from pathlib import Path

from extract.errors import Problem, SourceFileError

log = logging.getLogger(__name__)

CHUNK = 1 << 20
FALLBACK = "cp1252"  # what Excel on Windows writes when "CSV" is not "CSV UTF-8"


def detect_encoding(path: Path) -> str:
    """'utf-8' when the whole file decodes; the fallback, with a warning, when the file has no
    valid UTF-8 multi-byte text at all; otherwise refuse: a UTF-8 file with broken bytes would
    be silently mangled by any fallback."""
    failure = _first_utf8_failure(path)
    if failure is None:
        return "utf-8"
    line, seen_non_ascii = failure
    if not seen_non_ascii and _decodes(path, FALLBACK):
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


def _first_utf8_failure(path: Path) -> tuple[int, bool] | None:
    """(line number, whether valid non-ASCII text came before) of the first bad byte."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines_before = 0
    seen_non_ascii = False
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                head = chunk[: error.start]
                return lines_before + head.count(b"\n") + 1, seen_non_ascii or not head.isascii()
            seen_non_ascii = seen_non_ascii or not chunk.isascii()
            lines_before += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return lines_before + 1, seen_non_ascii
    return None


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                decoder.decode(chunk)
    except UnicodeDecodeError:
        return False
    return True
