"""`legal2odoo sample-data`: write one coherent synthetic firm for every system, and its truth."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import numpy as np

from legal2odoo_sandbox.firm.actionstep import write_actionstep
from legal2odoo_sandbox.firm.captorra import write_captorra
from legal2odoo_sandbox.firm.core import Firm, count_in_odoo
from legal2odoo_sandbox.firm.odoo import write_odoo

log = logging.getLogger(__name__)

MIN_SCALE, MAX_SCALE = 50, 1_000_000


SIDES = ("odoo", "captorra", "actionstep")
WRITERS = {
    "odoo": lambda firm, out, seen: write_odoo(firm, out),
    "captorra": write_captorra,
    "actionstep": write_actionstep,
}


def generate(scale: int, seed: int, out: Path, sides: tuple[str, ...] = SIDES) -> dict[str, Any]:
    """Write the firm under `out` and return the manifest (also written as manifest.json).

    `sides` writes only some systems (the others are left as they are); the firm itself is
    the same whichever are written, because every value is a function of seed and index."""
    if not MIN_SCALE <= scale <= MAX_SCALE:
        raise ValueError(f"--scale must be between {MIN_SCALE:,} and {MAX_SCALE:,}, got {scale:,}")
    unknown = sorted(set(sides) - set(SIDES))
    if unknown:
        raise ValueError(f"unknown side(s) {', '.join(unknown)}: choose from {', '.join(SIDES)}")
    firm = Firm(seed=seed, scale=scale)
    out.mkdir(parents=True, exist_ok=True)
    persons_seen = np.zeros(firm.people, dtype=bool)  # persons with an email, across sources
    manifest: dict[str, Any] = {
        "seed": seed,
        "scale": scale,
        "people": firm.people,
        "staff": firm.staff,
    }
    for side in SIDES:
        if side in sides:
            log.info("writing the %s side (%s matters/leads)", side, f"{scale:,}")
            manifest[side] = WRITERS[side](firm, out, persons_seen)
    manifest["partners"] = _partner_truth(firm, persons_seen)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def _partner_truth(firm: Firm, persons_seen: np.ndarray) -> dict[str, int]:
    """Distinct persons with an email across sources, and how many Odoo already has."""
    return {
        "persons_with_email": int(persons_seen.sum()),
        "existing_in_odoo": count_in_odoo(firm, persons_seen),
    }
