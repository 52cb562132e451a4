"""The demo's flow against a real Odoo 17 (`make test-real-odoo`), as an operator runs it:
both sources of a small sample firm (Actionstep through the local API) → extract odoo →
build → preflight → load --apply-schema → verify with no unexplained difference → rollback,
after which every model the load touched is as it was. verify from the source finds no
difference: what it lists is held for review by design (with the reason), nothing else."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from legal2odoo.load.ledger import Ledger
from legal2odoo.workdir import Workdir
from tests.conftest import captorra_extract_args, extract_actionstep_in_process
from tests.loader.conftest import TOUCHED, Target, real_target  # noqa: F401 (fixture)
from tests.loader.test_cli import CLI, odoo_env

pytestmark = pytest.mark.real_odoo

MODELS = (
    *TOUCHED,
    "crm.tag",
    "res.partner.category",
    "ir.attachment",
    "mail.activity",
    "mail.message",
)


def test_demo_flow_on_real_odoo(real_target: Target, tmp_path: Path) -> None:  # noqa: F811
    root = tmp_path / "work"
    env = odoo_env(real_target)

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        argv = [*CLI, "--data-dir", str(root), *args]
        return subprocess.run(argv, env={**_base_env(), **env}, capture_output=True, text=True)

    def ok(*args: str) -> str:
        done = cli(*args)
        assert done.returncode == 0, f"{args}: {done.stdout[-3000:]}{done.stderr[-3000:]}"
        return done.stdout

    sample = root / "sample"
    ok("sample-data", "--scale", "60", "--seed", "42", "--out", str(sample))
    ok(*captorra_extract_args(sample))
    extract_actionstep_in_process(sample, Workdir(root))
    ok("extract", "odoo")
    ok("build")

    preflight = cli("preflight")
    findings = _newest_report(root, "preflight.json")["findings"]
    blocks = {f["check"] for f in findings if f["severity"] == "block"}
    assert blocks <= {"custom_fields_missing"}, findings  # what --apply-schema creates
    assert preflight.returncode == (1 if blocks else 0)

    before = real_target.dump(MODELS)
    fields_before = _custom_fields(real_target)
    loaded = cli("load", "--to", "odoo", "--apply-schema")
    run_id = _last_run(Workdir(root))
    try:
        assert loaded.returncode == 0, loaded.stdout[-3000:] + loaded.stderr[-3000:]
        from_source = _verify(cli, root / "reports" / run_id, run_id)
    finally:  # even after a failure: leave the shared database as it was
        ok("rollback", run_id, "--yes")
    assert _custom_fields(real_target) == fields_before
    assert real_target.dump(MODELS) == before
    assert from_source == [], from_source  # nothing beyond the tolerance but held records


def _verify(
    cli: Callable[..., subprocess.CompletedProcess[str]], reports: Path, run_id: str
) -> list[str]:
    """The load check must be clean, and every difference from the source held for review
    (listed with its reason); what is left beyond the tolerance for any other reason is
    returned (empty: verified from the source)."""
    verified = cli("verify", run_id)
    diff = list(csv.DictReader((reports / "diff.csv").open()))
    loaded = [r for r in diff if r["check"] == "mart->odoo"]
    assert loaded == [], loaded[:20]
    differ = [r for r in diff if r not in loaded and "(held: " not in r["check"]]
    assert differ == [], Counter(f"{r['check']} {r['model']}.{r['field']}" for r in differ)
    reconciliation = list(csv.DictReader((reports / "reconciliation.csv").open()))
    unexplained = [r for r in reconciliation if int(r["unexplained"])]
    assert reconciliation and unexplained == [], unexplained
    if verified.returncode == 0:
        return []
    beyond = [line for line in verified.stderr.splitlines() if "beyond" in line]
    assert beyond, verified.stdout[-3000:] + verified.stderr[-3000:]  # exit 1 says why
    return [line for line in beyond if not _only_held(line)]


def _only_held(line: str) -> bool:
    """A tolerance line whose missing records are all held for review (by design: a matter
    without a stage and what hangs under it, an unresolvable trust line)."""
    found = re.search(
        r": ([\d,]+) of [\d,]+ source records not in Odoo .*held for review: ([\d,]+)\)", line
    )
    return bool(found) and found.group(1) == found.group(2)


def _base_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("ODOO_")}


def _last_run(workdir: Workdir) -> str:
    with Ledger(workdir.audit) as ledger:
        runs = ledger.con.execute("select run_id from runs order by run_id").fetchall()
    assert len(runs) == 1, runs
    return runs[0][0]


def _newest_report(root: Path, name: str) -> dict[str, Any]:
    found = sorted((root / "reports").glob(f"*/{name}"))
    assert found, f"no {name} under {root / 'reports'}"
    return json.loads(found[-1].read_text())


def _custom_fields(target: Target) -> dict[str, list[str]]:
    odoo = target.connect()
    return {
        model: sorted(n for n in odoo.execute(model, "fields_get", [], {}) if n.startswith("x_"))
        for model in ("crm.lead", "res.partner")
    }
