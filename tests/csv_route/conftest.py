"""A small firm (Captorra and Actionstep) built with no target snapshot: the CSV route's
starting point for an Odoo we never saw."""

from __future__ import annotations

import pytest

from extract.captorra.run import extract_captorra
from legal2odoo.dbt import run_dbt
from legal2odoo.workdir import Workdir
from sandbox.firm.generate import generate
from tests.conftest import Firm, extract_actionstep_in_process
from tests.loader.conftest import real_target  # noqa: F401 (the real Odoo 17 fixture)

SMALL_FIRM = 50  # the generator's smallest firm: ~100 leads, ~170 messages, ~80 files


@pytest.fixture(scope="session")
def small_firm_marts(tmp_path_factory: pytest.TempPathFactory) -> Workdir:
    root = tmp_path_factory.mktemp("csv-route")
    generate(SMALL_FIRM, 7, root / "firm")
    firm = Firm(root / "firm", {})
    workdir = Workdir(root / "work")
    extract_actionstep_in_process(firm.root, workdir)
    extract_captorra(workdir, firm.captorra_files())
    run_dbt(workdir, ["build"])  # no snapshot: an empty Odoo is assumed
    return workdir
