"""One set of marts for Odoo 17, 18 and 19. The marts name fields as 17 and 18 do; Odoo 19
renamed or dropped a few. `for_target` maps a mart onto the target's `fields_get`, in SQL:
the loader, validate and verify all read rows through the mapped mart."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from legal2odoo.load.marts import Mart

# crm.stage.team_id (many2one) became team_ids (many2many): one external id is a valid cell.
RENAMED = {("crm.stage", "team_id"): "team_ids"}
# Odoo 19 keeps one number field: its upgrade moves mobile into an empty phone, and so do we.
# (A lead carries its partner's phone and mobile, so both fold to the same number.)
FOLDED = {("res.partner", "mobile"): "phone", ("crm.lead", "mobile"): "phone"}


def for_target(mart: Mart, fields: dict[str, Any]) -> Mart:
    """The mart as this target names its fields: renamed columns, folded columns merged into
    the column they fill. Columns the target lacks for any other reason stay, for the
    loader's own check to report."""
    typed = dict(zip(mart.columns, mart.types, strict=True))
    sources = {column: source for column, _, source in mart.selects()}
    columns: list[str] = []
    for column in mart.columns:
        name, slash, suffix = column.partition("/")
        renamed = RENAMED.get((mart.model, name))
        folded = FOLDED.get((mart.model, name))
        if name in fields or column in ("id", ".id"):
            columns.append(column)
        elif renamed in fields:
            new = renamed + slash + suffix
            typed[new], sources[new] = typed[column], sources[column]
            columns.append(new)
        elif folded in fields and folded in typed:
            sources[folded] = f"coalesce(nullif({sources[folded]}, ''), {sources[column]})"
        else:
            columns.append(column)
    return replace(
        mart,
        columns=tuple(columns),
        types=tuple(typed[c] for c in columns),
        sources=tuple(sources[c] for c in columns),
    )
