"""The product installs as one import package, legal2odoo.*, and never imports its stand-ins."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT_DIRS = {
    "legal2odoo": "legal2odoo",
    "extract": "legal2odoo.extract",
    "load": "legal2odoo.load",
    "trust": "legal2odoo.trust",
}


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _packages_on_disk() -> set[str]:
    found = set()
    for folder, package in PRODUCT_DIRS.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            parts = init.parent.relative_to(ROOT / folder).parts
            found.add(".".join((package, *parts)))
    return found


def test_every_product_package_on_disk_is_installed() -> None:
    # An editable install finds a package missing from this list; a wheel would not ship it.
    assert set(_pyproject()["tool"]["setuptools"]["packages"]) == _packages_on_disk()


def test_package_dirs_keep_the_top_level_folders() -> None:
    assert _pyproject()["tool"]["setuptools"]["package-dir"] == {
        package: folder for folder, package in PRODUCT_DIRS.items()
    }


def test_the_product_never_imports_the_sandbox_or_bare_top_level_names() -> None:
    bad = re.compile(r"^\s*(from|import) (legal2odoo_sandbox|sandbox|extract|load|trust)\b", re.M)
    offenders = [
        str(path.relative_to(ROOT))
        for folder in PRODUCT_DIRS
        for path in (ROOT / folder).rglob("*.py")
        if bad.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_fake_odoo_shares_no_code_with_the_loader_it_judges() -> None:
    # The fake Odoo reads what the loader writes with its own (stdlib) code: a parsing bug
    # shared by both sides would pass every test.
    bad = re.compile(r"^\s*(from|import) legal2odoo\.load\b", re.M)
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "sandbox" / "legal2odoo_sandbox" / "odoo").rglob("*.py")
        if bad.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
