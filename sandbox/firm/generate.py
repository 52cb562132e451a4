"""`legal2odoo sample-data`: write one coherent synthetic firm for every system, and its truth."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from sandbox.firm.captorra import write_captorra
from sandbox.firm.core import Firm, person_in_odoo
from sandbox.firm.odoo import write_odoo

log = logging.getLogger(__name__)

MIN_SCALE, MAX_SCALE = 50, 1_000_000


def generate(scale: int, seed: int, out: Path) -> dict[str, Any]:
    """Write the firm under `out` and return the manifest (also written as manifest.json)."""
    if not MIN_SCALE <= scale <= MAX_SCALE:
        raise ValueError(f"--scale must be between {MIN_SCALE:,} and {MAX_SCALE:,}, got {scale:,}")
    firm = Firm(seed=seed, scale=scale)
    out.mkdir(parents=True, exist_ok=True)
    persons_seen = bytearray(firm.people)  # persons with an email, across sources
    log.info("writing the Odoo side")
    odoo = write_odoo(firm, out)
    log.info("writing the Captorra export (%s leads)", f"{scale:,}")
    captorra = write_captorra(firm, out, persons_seen)
    manifest = {
        "seed": seed,
        "scale": scale,
        "people": firm.people,
        "staff": firm.staff,
        "odoo": odoo,
        "captorra": captorra,
        "partners": _partner_truth(firm, persons_seen),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def _partner_truth(firm: Firm, persons_seen: bytearray) -> dict[str, int]:
    """Distinct persons with an email across sources, and how many Odoo already has."""
    existing = sum(
        1
        for index in range(0, firm.people, 11)
        if persons_seen[index] and person_in_odoo(firm.person(index))
    )
    return {"persons_with_email": sum(persons_seen), "existing_in_odoo": existing}
