"""A small firm (Captorra and Actionstep) built with no target snapshot: the CSV route's
starting point for an Odoo we never saw."""

from __future__ import annotations

import duckdb
import pytest

from legal2odoo.dbt import run_dbt
from legal2odoo.extract.captorra.run import extract_captorra
from legal2odoo.workdir import Workdir
from legal2odoo_sandbox.firm.generate import generate
from tests.conftest import Firm, builds_a_warehouse, extract_actionstep_in_process
from tests.loader.conftest import real_target  # noqa: F401 (the real Odoo 17 fixture)

FORMULAS = (  # mart, column, a source value a spreadsheet would run as a formula
    ("odoo__res_partner", "name", '=HYPERLINK("http://example.com","Ann")'),
    ("odoo__crm_lead", "description", "@SUM(1+1)"),
    ("odoo__mail_message", "subject", "-2+3"),
    ("odoo__crm_lead__intake", "x_incident_description", "\tRear-ended"),
)
SMALL_FIRM = 50  # the generator's smallest firm: ~100 leads, ~170 messages, ~80 files


@pytest.fixture(scope="session")
@builds_a_warehouse
def small_firm_marts(tmp_path_factory: pytest.TempPathFactory) -> Workdir:
    root = tmp_path_factory.mktemp("csv-route")
    generate(SMALL_FIRM, 7, root / "firm")
    firm = Firm(root / "firm", {})
    workdir = Workdir(root / "work")
    extract_actionstep_in_process(firm.root, workdir)
    extract_captorra(workdir, firm.captorra_files())
    run_dbt(workdir, ["build"])  # no snapshot: an empty Odoo is assumed
    with duckdb.connect(str(workdir.warehouse)) as con:
        # values a spreadsheet would run (the firm has only phones starting with +)
        for table, column, value in FORMULAS:
            # a person (pass 1) rather than a company: the first row with a value to replace
            where = f'"{column}" is not null' + (
                " and _load_pass = 1" if "partner" in table else ""
            )
            first = f"(select min(id) from {table} where {where})"
            con.execute(f'update {table} set "{column}" = ? where id = {first}', [value])
    return workdir
