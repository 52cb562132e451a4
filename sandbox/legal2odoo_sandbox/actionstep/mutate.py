"""Change a generated firm between extraction runs, as users would: the ground truth for deltas.

Modifies a fraction of records (bumping their modified timestamp), soft-deletes some matters,
adds new records after the highest id, and removes participants from matters (a hard removal
that polling cannot see). Files are rewritten whole, so the API serves the new version at once.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from legal2odoo_sandbox.firm.actionstep import local_ts
from legal2odoo_sandbox.firm.core import EPOCH, SPAN_DAYS

# resource -> the attribute that says "changed since"; these are the ones a delta run filters.
MODIFIED_FIELD = {
    "actions": "modifiedTimestamp",
    "participants": "modifiedTimestamp",
    "actiondocuments": "modifiedTimestamp",
    "tasks": "lastModifiedTimestamp",
    "bills": "modifiedTimestamp",
    "datacollectionrecordvalues": "last_modified_time_stamp",
}
# append-only resources: new records carry a new creation/entry timestamp.
ENTERED_FIELD = {
    "filenotes": "enteredTimestamp",
    "emails": "createdTimestamp",
    "timeentries": "createdTimestamp",
    "disbursements": "enteredTimestamp",
}
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


@dataclass
class Changes:
    modified: dict[str, set[str]] = field(default_factory=dict)
    added: dict[str, set[str]] = field(default_factory=dict)
    removed: dict[str, set[str]] = field(default_factory=dict)

    def touched(self, resource: str) -> set[str]:
        return self.modified.get(resource, set()) | self.added.get(resource, set())


def mutate_firm(
    firm_dir: Path, *, seed: int, at: datetime, change: float = 0.01, add: float = 0.01
) -> Changes:
    """Apply one round of edits to `<firm_dir>/actionstep`; returns exactly what changed."""
    root = Path(firm_dir) / "actionstep"
    stamp = local_ts(at)
    changes = Changes()
    for resource, ts_field in MODIFIED_FIELD.items():
        r = random.Random(f"{seed}:{resource}")
        edit = _editor(resource, ts_field, stamp, r)
        changes.modified[resource] = _rewrite(root / f"{resource}.jsonl", r, change, edit)
        changes.added[resource] = _append(root / f"{resource}.jsonl", r, add, ts_field, stamp)
    for resource, ts_field in ENTERED_FIELD.items():
        r = random.Random(f"{seed}:{resource}")
        changes.added[resource] = _append(root / f"{resource}.jsonl", r, add, ts_field, stamp)
    r = random.Random(f"{seed}:actionparticipants")
    changes.removed["actionparticipants"] = _remove_participants(
        root / "actionparticipants.jsonl", r, change
    )
    return changes


def _editor(
    resource: str, ts_field: str, stamp: str, r: random.Random
) -> Callable[[dict[str, Any]], None]:
    def edit(record: dict[str, Any]) -> None:
        record[ts_field] = stamp
        if resource == "actions":
            if r.random() < 0.3:  # soft delete, as Actionstep does
                record.update(isDeleted="T", deletedBy="Brian Cole", deletedTimestamp=stamp)
            else:
                record["name"] = f"{record['name']} (revised)"
        elif resource == "participants":
            record["occupation"] = "Retired"
        elif resource == "tasks":
            record["status"] = "Complete"
            record["completedTimestamp"] = stamp
        elif resource == "actiondocuments":
            record["keywords"] = "reviewed"
        elif resource == "bills":
            record["status"] = "Closed"
        else:
            record["stringValue"] = "changed"

    return edit


def _rewrite(
    path: Path, r: random.Random, rate: float, edit: Callable[[dict[str, Any]], None]
) -> set[str]:
    changed: set[str] = set()
    tmp = path.with_suffix(".tmp")
    with path.open(encoding="utf-8") as src, tmp.open("w", encoding="utf-8") as dst:
        for line in src:
            if r.random() < rate:
                record = json.loads(line)
                edit(record)
                changed.add(str(record["id"]))
                line = _dumps(record) + "\n"
            dst.write(line)
    os.replace(tmp, path)
    return changed


def _append(path: Path, r: random.Random, rate: float, ts_field: str, stamp: str) -> set[str]:
    """New records after the highest numeric id, cloned from random existing ones."""
    total, max_id, samples = 0, 0, []
    with path.open(encoding="utf-8") as src:
        for line in src:
            total += 1
            record = json.loads(line)
            if isinstance(record["id"], int):
                max_id = max(max_id, record["id"])
            if len(samples) < 50:
                samples.append(record)
    if not samples:
        return set()
    added: set[str] = set()
    with path.open("a", encoding="utf-8") as dst:
        for k in range(max(1, round(total * rate))):
            record = dict(r.choice(samples))
            if isinstance(record["id"], int):
                record["id"] = max_id + 1 + k
            else:  # composite: a new record number in the last position
                head, _, _ = record["id"].rpartition("--")
                record["id"] = f"{head}--{10**8 + k}"
            record[ts_field] = stamp
            added.add(str(record["id"]))
            dst.write(_dumps(record) + "\n")
    return added


def _remove_participants(path: Path, r: random.Random, rate: float) -> set[str]:
    removed: set[str] = set()
    tmp = path.with_suffix(".tmp")
    with path.open(encoding="utf-8") as src, tmp.open("w", encoding="utf-8") as dst:
        for line in src:
            record = json.loads(line)
            if record["participantNumber"] > 1 and r.random() < rate * 3:
                removed.add(record["id"])
                continue
            dst.write(line)
    os.replace(tmp, path)
    return removed


def default_time() -> datetime:
    """A moment after everything the generator wrote, so every edit is newer than the data."""
    return EPOCH + timedelta(days=SPAN_DAYS + 400)
