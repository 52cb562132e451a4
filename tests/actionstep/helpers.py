"""Helpers for the Actionstep tests: settings for the local API, running the extractor
in-process, reading raw datasets and the generator's source records."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import httpx
import pyarrow.parquet as pq

from legal2odoo.extract.actionstep.limiter import PacingOptions
from legal2odoo.extract.actionstep.runner import ExtractOptions, RunResult, run_extract
from legal2odoo.extract.actionstep.settings import ConnectionSettings
from legal2odoo.workdir import Workdir
from legal2odoo_sandbox.actionstep.app import ActionstepApp
from legal2odoo_sandbox.actionstep.schema import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_REFRESH_TOKEN,
)

HOST = "http://as.local"
FAST = PacingOptions(start_rate=2000, max_rate=5000, creep=1.0, backoff_base_s=0.001)


def sandbox_settings(**overrides: str | None) -> ConnectionSettings:
    values = {
        "api_url": None,
        "token_url": f"{HOST}/api/oauth/token",
        "access_token": None,
        "refresh_token": SANDBOX_REFRESH_TOKEN,
        "client_id": SANDBOX_CLIENT_ID,
        "client_secret": SANDBOX_CLIENT_SECRET,
    } | overrides
    return ConnectionSettings(**values)  # type: ignore[arg-type]


async def extract(
    app: ActionstepApp, data: Path, settings: ConnectionSettings | None = None, **options: object
) -> RunResult:
    opts = ExtractOptions(pacing=FAST, **options)  # type: ignore[arg-type]
    return await run_extract(
        Workdir(data), settings or sandbox_settings(), opts, transport=httpx.ASGITransport(app=app)
    )


def source_records(firm_dir: Path, resource: str) -> dict[str, str]:
    """id -> the line as the generator wrote it."""
    out = {}
    with (firm_dir / "actionstep" / f"{resource}.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            out[str(json.loads(line)["id"])] = line
    return out


def raw_rows(data: Path, dataset: str) -> list[dict]:
    """Every row of every part of every run, in run then part order."""
    rows = []
    for part in sorted((data / "raw" / "actionstep" / dataset).glob("run=*/part-*.parquet")):
        rows += pq.read_table(part).to_pylist()
    return rows


def latest(data: Path, dataset: str) -> dict[str, str]:
    """Dedup by id, latest extraction wins, ids marked removed afterwards dropped."""
    best: dict[str, tuple] = {}
    for row in raw_rows(data, dataset):
        key = (row["_extracted_at"], row["_run_id"])
        if row["id"] not in best or best[row["id"]][0] <= key:
            best[row["id"]] = (key, row["record"])
    gone: dict[str, list] = defaultdict(list)
    for row in raw_rows(data, "removals"):
        if row["resource"] == dataset:
            gone[row["id"]].append(row["_detected_at"])
    return {
        i: rec for i, (key, rec) in best.items() if not any(at > key[0] for at in gone.get(i, []))
    }
