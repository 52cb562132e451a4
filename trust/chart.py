"""An inline SVG bar chart: leads per stage before and after the load (no script, no assets)."""

from __future__ import annotations

from html import escape
from typing import Any

BEFORE, AFTER = "#8da0cb", "#1b7f5f"
ROW, BAR, LABEL_WIDTH, PLOT_WIDTH = 30, 11, 260, 420
WIDTH = LABEL_WIDTH + PLOT_WIDTH + 60


def stage_chart(stages: list[dict[str, Any]]) -> str:
    if not stages:
        return "<p>No leads in this run.</p>"
    peak = max(max(s["before"], s["after"]) for s in stages) or 1
    height = ROW * len(stages) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{height}"'
        ' aria-label="Leads per stage before and after the migration">',
        _legend(),
    ]
    for i, stage in enumerate(stages):
        top = 30 + i * ROW
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{top + BAR + 3}" text-anchor="end" '
            f'font-size="12">{escape(str(stage["stage"]))}</text>'
        )
        for offset, key, colour in ((0, "before", BEFORE), (BAR + 1, "after", AFTER)):
            width = round(PLOT_WIDTH * stage[key] / peak, 1)
            parts.append(
                f'<rect class="{key}" x="{LABEL_WIDTH}" y="{top + offset}" width="{width}" '
                f'height="{BAR}" fill="{colour}"><title>{key}: {stage[key]:,}</title></rect>'
                f'<text x="{LABEL_WIDTH + width + 4}" y="{top + offset + BAR - 1}" '
                f'font-size="10">{stage[key]:,}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _legend() -> str:
    return (
        f'<rect x="{LABEL_WIDTH}" y="4" width="12" height="12" fill="{BEFORE}"/>'
        f'<text x="{LABEL_WIDTH + 16}" y="14" font-size="12">before (source, mapped)</text>'
        f'<rect x="{LABEL_WIDTH + 190}" y="4" width="12" height="12" fill="{AFTER}"/>'
        f'<text x="{LABEL_WIDTH + 206}" y="14" font-size="12">after (in Odoo)</text>'
    )
