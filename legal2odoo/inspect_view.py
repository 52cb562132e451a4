"""The one screen `legal2odoo inspect captorra` prints (plain text, no colours needed)."""

from __future__ import annotations

from legal2odoo.extract.captorra.inspect import Inspection
from legal2odoo.trust.preflight_checks import ABSENT_CONSEQUENCES

DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
TYPE_TO_ODOO = {
    "text": "char",
    "memo": "text",
    "number": "float",
    "integer": "integer",
    "date": "date",
    "datetime": "datetime",
    "boolean": "boolean",
    "picklist": "selection",
}


def render(result: Inspection) -> list[str]:
    delimiter = DELIMITER_NAMES.get(result.delimiter, repr(result.delimiter))
    lines = [
        f"{result.path}: {result.encoding}, {delimiter}-delimited, {result.rows:,} lead row(s)",
        "",
        "columns:",
    ]
    lines += [f"  {_header_line(result, c)}" for c in result.columns]
    if result.absent:
        absent = [f"{n} ({ABSENT_CONSEQUENCES.get(n, 'left empty')})" for n in result.absent]
        lines += ["", f"absent optional fields: {'; '.join(absent)}"]
    if result.date_formats:
        lines += ["", "date formats seen:"]
        lines += [f"  {h}: {', '.join(f)}" for h, f in result.date_formats.items()]
    lines += ["", "statuses per pipeline (→ stage; * = not in seeds/captorra_stages.csv):"]
    for row in result.stages:
        if not row["leads_use_it"]:
            continue
        flag = " won" if row["is_won"] == "true" else " lost" if row["is_lost"] == "true" else ""
        mark = "*" if row["proposed"] else " "
        lines.append(
            f" {mark}{row['pipeline']} / {row['status']} → {row['stage_name']} "
            f"(sequence {row['sequence']}){flag}"
        )
    if result.shared_emails:
        lines += ["", "emails shared by several leads (one contact each):"]
        lines += [f"  {email}: {n} leads" for email, n in result.shared_emails]
    return lines


def _header_line(result: Inspection, column) -> str:
    if column.kind == "standard":
        how = "" if column.target.startswith("canonical") else f" ({column.target})"
        return f"{column.header!r} → field {column.name}{how}"
    if column.kind == "custom":
        return f"{column.header!r} → registry field x_{column.name}"
    if column.kind == "ignored":
        return f"{column.header!r} → ignored (seed)"
    if column.kind == "mapped":
        return f"{column.header!r} → existing crm.lead field {column.target}"
    source_type = result.proposed_types.get(column.name, "text")
    return (
        f"{column.header!r} → custom field x_{column.name} "
        f"({TYPE_TO_ODOO.get(source_type, 'char')}, proposed)"
    )
