"""Make a mart cell and the value Odoo reads back comparable, per field type.

Odoo transforms what it stores: many2one reads as [id, name], html gets wrapped and
sanitised, datetimes come back as UTC strings without fractions, floats are rounded to the
field's digits, selections may be written by label. Each normaliser maps both sides onto the
same plain value; anything not listed compares as trimmed text.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from html.parser import HTMLParser
from typing import Any

FLOAT_TOLERANCE = 0.005  # cents: Odoo rounds floats to the field's digits (2 by default)
TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")

Resolve = Callable[[str], int | None]  # external id -> database id


def empty(value: Any) -> bool:
    return value is None or value is False or value == "" or value == []


def text(value: Any) -> str | None:
    if empty(value):
        return None
    return str(value).strip() or None


def html_text(value: Any) -> str | None:
    """Visible text of an html value, exactly (see visible_text): angle brackets Odoo's
    sanitiser ate and line breaks it ran together are differences, not noise."""
    return visible_text(value)


BLOCKS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "tr",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "hr",
        "section",
        "article",
        "header",
        "footer",
        "dd",
        "dt",
    }
)
HIDDEN = frozenset({"script", "style", "head", "title"})


class _Visible(HTMLParser):
    """Text a browser shows: text runs with whitespace collapsed, a line break at every
    block boundary and <br>, entities decoded, nothing of script or style."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in HIDDEN:
            self.hidden += 1
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(SPACE.sub(" ", data))


def visible_text(value: Any) -> str | None:
    """What a person sees of an html value: its lines (whitespace inside a line collapsed as
    a browser does, blank lines dropped). Angle-bracket text that is not markup stays."""
    if empty(value):
        return None
    parser = _Visible()
    parser.feed(str(value))
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line) or None


def moment(value: Any) -> str | None:
    if empty(value):
        return None
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    raw = str(value).strip().replace("T", " ")
    return raw[:19]  # fractions and zone suffixes: Odoo stores naive UTC seconds


def day(value: Any) -> str | None:
    if empty(value):
        return None
    return value.isoformat() if isinstance(value, date) else str(value).strip()[:10]


def number(value: Any) -> float:
    """Odoo reads an unset float as 0.0: an empty source cell is 0 after the load."""
    return 0.0 if empty(value) else float(value)


def integer(value: Any) -> int:
    return 0 if empty(value) else int(float(value))


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1", "yes")


def selection(value: Any, options: list[list[str]]) -> str | None:
    """The key, whether the mart gave the key or the label."""
    if empty(value):
        return None
    for key, label in options:
        if str(value) in (str(key), str(label)):
            return str(key)
    return str(value)


def odoo_many2one(value: Any) -> int | None:
    if empty(value):
        return None
    return int(value[0]) if isinstance(value, list | tuple) else int(value)


def odoo_many2many(value: Any) -> frozenset[int]:
    return frozenset(int(v) for v in value or [])


def mart_reference(column: str, cell: str, resolve: Resolve) -> int | None:
    """`x/id` names an external id, `x/.id` a database id."""
    if empty(cell):
        return None
    if column.endswith("/.id"):
        return int(float(cell))
    return resolve(cell.strip())


def mart_references(column: str, cell: str, resolve: Resolve) -> frozenset[int | None]:
    if empty(cell):
        return frozenset()
    return frozenset(mart_reference(column, part, resolve) for part in cell.split(","))


def digest(value: Any) -> str | None:
    """Binary fields compare by content: `sha256:<hex>` as given, or of the base64 bytes."""
    if empty(value):
        return None
    text_value = str(value)
    if text_value.startswith("sha256:"):
        return text_value.removeprefix("sha256:")
    return hashlib.sha256(base64.b64decode(text_value)).hexdigest()


def compare(
    column: str, meta: Mapping[str, Any], cell: str, odoo_value: Any, resolve: Resolve
) -> tuple[bool, Any, Any]:
    """(equal, source as compared, Odoo as compared) for one mart cell."""
    kind = meta.get("type")
    if kind == "many2one" or (column.endswith("/.id") and kind not in ("many2many", "one2many")):
        left: Any = mart_reference(column, cell, resolve)
        right: Any = odoo_many2one(odoo_value)
    elif kind in ("many2many", "one2many"):
        left, right = mart_references(column, cell, resolve), odoo_many2many(odoo_value)
    elif kind == "binary":
        left, right = digest(cell), digest(odoo_value)
    elif kind == "html":
        left, right = html_text(cell), html_text(odoo_value)
    elif kind == "datetime":
        left, right = moment(cell), moment(odoo_value)
    elif kind == "date":
        left, right = day(cell), day(odoo_value)
    elif kind in ("float", "monetary"):
        left, right = number(cell), number(odoo_value)
        return abs(left - right) <= FLOAT_TOLERANCE, left, right
    elif kind == "integer":
        left, right = integer(cell), integer(odoo_value)
    elif kind == "boolean":
        left, right = boolean(cell), boolean(odoo_value)
    elif kind == "selection":
        options = meta.get("selection") or []
        left, right = selection(cell, options), selection(odoo_value, options)
    else:
        left, right = text(cell), text(odoo_value)
    return left == right, left, right
