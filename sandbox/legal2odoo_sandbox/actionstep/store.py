"""JSONL files indexed by byte offset: records are read on demand, never all held in memory."""

from __future__ import annotations

import json
import os
from array import array
from pathlib import Path
from typing import Any


class ResourceFile:
    """One `<resource>.jsonl`: line offsets, plus an id -> position map built on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.version = _version(path)
        self.offsets = array("q")
        self._ids: dict[str, int] | None = None
        self._fd = os.open(path, os.O_RDONLY)
        self._index()

    def _index(self) -> None:
        offset = 0
        with self.path.open("rb") as handle:
            for line in handle:
                self.offsets.append(offset)
                offset += len(line)
        self.offsets.append(offset)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def close(self) -> None:
        os.close(self._fd)

    def line(self, pos: int) -> bytes:
        start, end = self.offsets[pos], self.offsets[pos + 1]
        return os.pread(self._fd, end - start, start).rstrip(b"\r\n")

    def record(self, pos: int) -> dict[str, Any]:
        return json.loads(self.line(pos))

    def position(self, record_id: str) -> int | None:
        if self._ids is None:
            self._ids = {_line_id(self.line(p)): p for p in range(len(self))}
        return self._ids.get(record_id)


def _line_id(line: bytes) -> str:
    """The id as a string; lines written by the generator start with it, so skip parsing."""
    if line.startswith(b'{"id":'):
        end = line.index(b",", 6) if b"," in line else len(line) - 1
        raw = line[6:end]
        return raw.strip(b'"').decode() if raw.startswith(b'"') else raw.decode()
    return str(json.loads(line)["id"])


def _version(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


class FirmStore:
    """All resources of one firm directory (`<firm>/actionstep`); reloads a file that changed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._files: dict[str, ResourceFile] = {}
        if not root.is_dir():
            raise FileNotFoundError(f"no Actionstep firm data at {root} (run sample-data first)")

    def get(self, resource: str) -> ResourceFile | None:
        path = self.root / f"{resource}.jsonl"
        current = self._files.get(resource)
        if not path.exists():
            return None
        if current is None or current.version != _version(path):
            if current is not None:
                current.close()
            current = self._files[resource] = ResourceFile(path)
        return current

    def file_path(self, document_id: str) -> Path | None:
        path = self.root / "files" / document_id
        return path if document_id.isdigit() and path.is_file() else None

    def close(self) -> None:
        for handle in self._files.values():
            handle.close()
        self._files.clear()
