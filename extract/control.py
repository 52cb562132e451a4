"""Control bytes in source values: NUL and the other C0 controls (and DEL) that no export
means and Odoo's XML-RPC cannot carry (ExpatError at load). Tab, LF and CR are text."""

from __future__ import annotations

import re
from typing import Any

CONTROL = "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]"
_CONTROL = re.compile(CONTROL)


def describe(value: str) -> str | None:
    """'control byte 0x00 at character 3' for the first one in `value`, else None."""
    found = _CONTROL.search(value)
    if found is None:
        return None
    return f"control byte {ord(found.group()):#04x} at character {found.start() + 1}"


def find_in_record(record: Any, path: str = "") -> tuple[str, str] | None:
    """(field path, description) of the first control byte in a JSON record, else None."""
    if isinstance(record, str):
        problem = describe(record)
        return (path or "value", problem) if problem else None
    if isinstance(record, dict):
        items = ((f"{path}.{key}" if path else str(key), value) for key, value in record.items())
    elif isinstance(record, list):
        items = ((f"{path}[{index}]", value) for index, value in enumerate(record))
    else:
        return None
    for where, value in items:
        found = find_in_record(value, where)
        if found:
            return found
    return None
