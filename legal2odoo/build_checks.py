"""What `build` checks before it starts dbt, so a mistake is one line with a next step and not
a page of dbt errors: the --vars (a mapping of known vars with allowed values), something
extracted to build from, a target Odoo snapshot, and a fallback owner that is a user there."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import duckdb
import yaml

from legal2odoo.workdir import PROJECT_DIR, Workdir

# A new Odoo database's only user (base_odoo__users assumes it without a snapshot).
NO_SNAPSHOT_LOGIN = "admin"


class BuildInputError(Exception):
    """`build` cannot start: the message says why and what to run or pass instead."""


EXAMPLE = "--vars '{referral_mode: field, fallback_owner_login: jane}'"


def project_vars() -> dict[str, Any]:
    """The vars and their defaults, from dbt_project.yml (the one list of what exists)."""
    with open(PROJECT_DIR / "dbt_project.yml", encoding="utf-8") as handle:
        return dict(yaml.safe_load(handle).get("vars") or {})


def parse_vars(text: str | None) -> dict[str, Any]:
    """The --vars text as a mapping, each var checked against what it allows."""
    if not text:
        return {}
    try:
        given = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at column {mark.column + 1}" if mark is not None else ""
        raise BuildInputError(f"--vars is not valid YAML{where}: write it as {EXAMPLE}") from None
    if not isinstance(given, dict):
        kind = type(given).__name__ if given is not None else "nothing"
        raise BuildInputError(
            f"--vars must be a mapping of var: value, a mapping is expected (got a {kind}): "
            f"write it as {EXAMPLE}"
        )
    known = project_vars()
    unknown = sorted(str(k) for k in given if k not in known)
    if unknown:
        raise BuildInputError(
            f"unknown var(s) in --vars: {', '.join(unknown)}; the vars are "
            f"{', '.join(sorted(known))} (see dbt_project.yml)"
        )
    for name, value in given.items():
        problem = _var_problem(name, value)
        if problem:
            raise BuildInputError(f"--vars {name}: {value!r} {problem}")
    return given


def _var_problem(name: str, value: Any) -> str | None:
    """Why `value` is not allowed for var `name`, with the allowed values; None when it is."""
    if name == "referral_mode":
        if value not in ("partner", "field"):
            return "is not allowed; use one of: partner, field (lower case)"
    elif name == "captorra_timezone":
        try:
            ZoneInfo(str(value))
        except (ZoneInfoNotFoundError, ValueError):
            return "is not a time zone; use an IANA name such as America/New_York"
    elif name == "actionstep_currency":
        if not (isinstance(value, str) and re.fullmatch(r"[A-Z]{3}", value)):
            return "is not a currency code; use three capital letters such as USD"
    elif name == "verify_tolerance_pct":
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            return "is not a per cent; use a number from 0 to 100 such as 0.5"
    elif not (isinstance(value, str) and value.strip()):
        return "is not allowed; use a non-empty text"
    return None


def effective_vars(given: dict[str, Any]) -> dict[str, Any]:
    return {**project_vars(), **given}


def check_extracted(workdir: Workdir) -> None:
    """dbt reads every Captorra dataset: without an extract it fails on missing files."""
    leads = workdir.raw / "captorra" / "leads"
    if not any(leads.glob("run=*/*.parquet")):
        actionstep = any((workdir.raw / "actionstep").glob("*/run=*/*.parquet"))
        what = "no Captorra export" if actionstep else "nothing"
        raise BuildInputError(
            f"{what} extracted in {workdir.raw}: run `legal2odoo --data-dir {workdir.root} "
            "extract captorra --export FILE` first (and `extract actionstep` for Actionstep), "
            "then build"
        )


def snapshot_folder(workdir: Workdir, odoo_snapshot: Path | None) -> Path | None:
    """The target snapshot's folder, or None when there is none (an empty Odoo is assumed)."""
    from_env = os.environ.get("LEGAL2ODOO_ODOO_SNAPSHOT")  # dbt honours it too
    folder = odoo_snapshot or (Path(from_env) if from_env else workdir.raw / "odoo")
    if odoo_snapshot and not folder.is_dir():
        raise BuildInputError(f"--odoo-snapshot {folder}: no such folder")
    return folder if any((folder / "res_users").glob("run=*/*.parquet")) else None


def check_fallback_owner(login: str, snapshot: Path | None) -> None:
    """The fallback owner must be an active user of the latest snapshot (as the dbt test);
    without a snapshot the new database's administrator is the only user assumed."""
    if snapshot is None:
        if login.strip().lower() == NO_SNAPSHOT_LOGIN:
            return
        raise BuildInputError(
            f"fallback_owner_login {login!r}: with no target Odoo snapshot only "
            f"{NO_SNAPSHOT_LOGIN!r} is known; run `legal2odoo extract odoo` first, or pass "
            f"--vars '{{fallback_owner_login: {NO_SNAPSHOT_LOGIN}}}'"
        )
    users = (snapshot / "res_users").as_posix()
    with duckdb.connect() as con:
        rows = con.execute(
            "with u as (select * from read_parquet(?, union_by_name = true)) "
            "select login, lower(trim(login)) = lower(?) from u "
            "where _run_id = (select max(_run_id) from u) and active order by login",
            [f"{users}/run=*/*.parquet", str(login)],
        ).fetchall()
    if any(match for _, match in rows):
        return
    shown = ", ".join(login for login, _ in rows[:20]) + (" …" if len(rows) > 20 else "")
    raise BuildInputError(
        f"fallback_owner_login {login!r} is not an active user of the target Odoo; "
        f"logins there: {shown or 'none'}. Pass --vars '{{fallback_owner_login: <login>}}' "
        "(or set it in dbt_project.yml)"
    )


def check_writable(workdir: Workdir) -> None:
    """dbt writes the warehouse and its target/ and logs/ folders under the data dir."""
    for path in (workdir.root, workdir.root / "dbt", workdir.warehouse):
        if path.exists() and not os.access(path, os.W_OK):
            raise PermissionError(13, "Permission denied", str(path))
