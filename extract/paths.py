"""Source values that become paths, confined to the folder they belong in.

An export names files by values the source system controls (a Captorra lead id and file name,
an Actionstep document id): `../../etc` or `/etc` there must never reach outside the export's
folder, and a symlink planted inside it must never be followed. Every extractor builds such
paths with `confined_file` / `safe_component`; nothing else joins source values onto a path.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class UnsafePath(ValueError):
    """A source value that would escape its folder, or a symlink on the way."""


def component_problem(value: str) -> str | None:
    """Why `value` cannot be one path component (a folder or file name), or None when it can."""
    if not value or not value.strip():
        return "an empty name"
    if "\x00" in value:
        return "a NUL byte"
    if _CONTROL.search(value):
        return "a control character"
    if "/" in value or "\\" in value:
        return "a path separator"
    if _DRIVE.match(value):
        return "a drive letter"
    if value.strip() in (".", "..") or value.startswith(".."):
        return "a parent-folder reference"
    return None


def safe_component(value: str, what: str = "name") -> str:
    """`value` unchanged when it is a plain name; `UnsafePath` naming the reason otherwise."""
    problem = component_problem(value)
    if problem:
        raise UnsafePath(f"unsafe {what} {value!r}: it has {problem}, so it cannot name a file")
    return value


def confined_file(root: Path, *parts: str) -> Path | None:
    """`root/part/...` when it is a regular file inside `root`; None when it does not exist.

    Raises `UnsafePath` for a part that is not a plain name, a symlink anywhere below `root`,
    or a resolved path outside `root` (belt and braces: the checks above already exclude it).
    `root` itself is the operator's choice and may be a symlink."""
    if not parts:
        raise ValueError("confined_file needs at least one name below root")
    for part in parts:
        safe_component(part)
    mode = 0
    base = root.resolve()
    path = base
    for part in parts:
        path = path / part
        try:
            mode = os.lstat(path).st_mode
        except (FileNotFoundError, NotADirectoryError):
            return None
        if stat.S_ISLNK(mode):
            raise UnsafePath(f"{path} is a symlink: symlinks inside the export are not followed")
    if not path.resolve().is_relative_to(base):
        raise UnsafePath(f"{path} resolves outside {base}")
    return path if stat.S_ISREG(mode) else None


def open_no_follow(path: Path):
    """Open `path` for reading in binary, refusing a symlink at the last step (race-safe)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        if Path(path).is_symlink():
            raise UnsafePath(f"{path} is a symlink: it is not followed") from error
        raise
    return os.fdopen(descriptor, "rb")
