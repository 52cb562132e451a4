"""Fixtures for the Actionstep tests: one small generated firm, and private copies of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from legal2odoo_sandbox.firm.actionstep import write_actionstep
from legal2odoo_sandbox.firm.core import Firm


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
