"""Shared fixtures: a small generated firm, the in-process API, and raw-dataset readers."""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from pathlib import Path

import httpx
import pyarrow.parquet as pq
import pytest

from extract.actionstep.limiter import PacingOptions
from extract.actionstep.runner import ExtractOptions, RunResult, run_extract
from extract.actionstep.settings import ConnectionSettings
from legal2odoo.workdir import Workdir
from sandbox.actionstep.app import ActionstepApp
from sandbox.actionstep.schema import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_REFRESH_TOKEN,
)
from sandbox.firm.actionstep import write_actionstep
from sandbox.firm.core import Firm

HOST = "http://as.local"
FAST = PacingOptions(start_rate=2000, max_rate=5000, creep=1.0, backoff_base_s=0.001)


@pytest.fixture(scope="session")
def firm_master(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("asfirm")
    return out, write_actionstep(Firm(seed=11, scale=150), out)


@pytest.fixture
def firm(firm_master: tuple[Path, dict], tmp_path: Path) -> Path:
    """A private copy: tests may mutate it."""
    copy = tmp_path / "firm"
    shutil.copytree(firm_master[0], copy)
    return copy


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
