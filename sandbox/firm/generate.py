"""`legal2odoo sample-data`: write one coherent synthetic firm for every system, and its truth."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import numpy as np

from sandbox.firm.actionstep import write_actionstep
from sandbox.firm.captorra import write_captorra
from sandbox.firm.core import Firm, count_in_odoo
from sandbox.firm.odoo import write_odoo

log = logging.getLogger(__name__)

MIN_SCALE, MAX_SCALE = 50, 1_000_000


def generate(scale: int, seed: int, out: Path) -> dict[str, Any]:
    """Write the firm under `out` and return the manifest (also written as manifest.json)."""
    if not MIN_SCALE <= scale <= MAX_SCALE:
        raise ValueError(f"--scale must be between {MIN_SCALE:,} and {MAX_SCALE:,}, got {scale:,}")
    firm = Firm(seed=seed, scale=scale)
    out.mkdir(parents=True, exist_ok=True)
    persons_seen = np.zeros(firm.people, dtype=bool)  # persons with an email, across sources
    log.info("writing the Odoo side")
    odoo = write_odoo(firm, out)
    log.info("writing the Captorra export (%s leads)", f"{scale:,}")
    captorra = write_captorra(firm, out, persons_seen)
    log.info("writing the Actionstep API records (%s matters)", f"{scale:,}")
    actionstep = write_actionstep(firm, out, persons_seen)
    manifest = {
        "seed": seed,
        "scale": scale,
        "people": firm.people,
        "staff": firm.staff,
        "odoo": odoo,
        "captorra": captorra,
        "actionstep": actionstep,
        "partners": _partner_truth(firm, persons_seen),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def _partner_truth(firm: Firm, persons_seen: np.ndarray) -> dict[str, int]:
    """Distinct persons with an email across sources, and how many Odoo already has."""
    return {
        "persons_with_email": int(persons_seen.sum()),
        "existing_in_odoo": count_in_odoo(firm, persons_seen),
    }
