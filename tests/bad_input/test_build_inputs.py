"""`build` on bad input: refused before dbt starts with one line that says what to run or
pass (exit 1, no warehouse written), and what reaches dbt is never lost in silence
(invalid emails off the partner key and flagged by preflight, two-digit years null).
The Captorra export is hand-written; the target Odoo snapshot is the sandbox's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner, Result

from legal2odoo.dbt import dbt_env
from legal2odoo.workdir import PROJECT_DIR, Workdir
from legal2odoo_sandbox.firm.generate import generate
from tests.conftest import builds_a_warehouse

HEADER = (
    "Lead ID,Created Date,Last Modified,First Name,Last Name,Email,Phone,Mobile Phone,"
    "Street Address,City,State,Zip,Company,Pipeline,Status,Intake Owner,Owner Email,"
    "Referral Source,Referring Attorney,Referring Firm,Converted to Matter,Matter Number,"
    "Notes,Attachments\n"
)
ROW = "{id},05/12/2021 09:30 AM,05/13/2021,{first},Test,{email},,,,,,,,Personal Injury,New Lead,,,,,,No,,,\n"  # noqa: E501
EXPORT = HEADER + "".join(
    ROW.format(id=lead, first=first, email=email)
    for lead, first, email in [
        ("L1", "Ann", "ann@example.com"),
        ("L2", "Bob", "a@b"),
        ("L3", "Cy", "A@B"),  # the same invalid email: still two people, not one
        ("L4", "Di", "x@@y.com"),
        ("L5", "Ann", " ANN@example.com "),  # the same valid email: one partner
    ]
)


def _cli(*args: str) -> Result:
    from legal2odoo.cli import main

    return CliRunner().invoke(main, list(args))


def _refused(result: Result, *expected: str) -> str:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    for text in expected:
        assert text in lines[0], lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("target")
    generate(50, 3, root, ("odoo",))
    return root / "odoo"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("extracted")
    (folder / "export.csv").write_text(EXPORT, encoding="utf-8")
    data = folder / "data"
    export = str(folder / "export.csv")
    result = _cli("--data-dir", str(data), "extract", "captorra", "--export", export)
    assert result.exit_code == 0, result.output
    return data


@pytest.fixture(scope="module")
@builds_a_warehouse
def built(extracted: Path, snapshot: Path) -> Path:
    result = _cli("--data-dir", str(extracted), "build", "--odoo-snapshot", str(snapshot))
    assert result.exit_code == 0, result.output
    return extracted


def test_build_with_nothing_extracted_says_which_extract(tmp_path: Path, snapshot: Path) -> None:
    data = tmp_path / "data"
    result = _cli("--data-dir", str(data), "build", "--odoo-snapshot", str(snapshot))
    _refused(result, "nothing extracted", f"legal2odoo --data-dir {data} extract captorra")
    assert not (data / "warehouse.duckdb").exists()


def test_build_without_a_snapshot_assumes_an_empty_odoo(extracted: Path, monkeypatch) -> None:
    monkeypatch.delenv("LEGAL2ODOO_ODOO_SNAPSHOT", raising=False)
    result = _cli(
        "--data-dir", str(extracted), "build", "--vars", "{fallback_owner_login: someone}"
    )
    _refused(result, "only 'admin' is known", "extract odoo")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("[1,2,3]", "a mapping is expected"),
        ("42", "a mapping is expected"),
        ("{referral_mode: [", "not valid YAML"),
        ("{referral_mode: Field}", "use one of: partner, field"),
        ("{refferal_mode: field}", "unknown var(s) in --vars: refferal_mode"),
        ("{captorra_timezone: Mars/Olympus}", "IANA name"),
        ("{verify_tolerance_pct: lots}", "0 to 100"),
        ("{actionstep_currency: usd}", "three capital letters"),
    ],
)
def test_bad_vars_are_refused_with_the_allowed_values(
    extracted: Path, snapshot: Path, given: str, expected: str
) -> None:
    before = (
        (extracted / "warehouse.duckdb").stat().st_mtime_ns
        if (extracted / "warehouse.duckdb").exists()
        else None
    )
    result = _cli(
        "--data-dir", str(extracted), "build", "--odoo-snapshot", str(snapshot), "--vars", given
    )
    line = _refused(result, expected)
    assert "--vars" in line or "var" in line
    after = (
        (extracted / "warehouse.duckdb").stat().st_mtime_ns
        if (extracted / "warehouse.duckdb").exists()
        else None
    )
    assert before == after, "dbt did not run"


def test_unknown_fallback_owner_names_the_var_and_the_logins(
    extracted: Path, snapshot: Path
) -> None:
    result = _cli(
        "--data-dir",
        str(extracted),
        "build",
        "--odoo-snapshot",
        str(snapshot),
        "--vars",
        "{fallback_owner_login: nobody}",
    )
    _refused(result, "fallback_owner_login 'nobody'", "logins there: admin", "--vars")


def test_plain_dbt_refuses_an_unknown_referral_mode(tmp_path: Path) -> None:
    """The on-run-start hook: a direct `dbt seed` with a misspelt mode stops before anything."""
    workdir = Workdir(tmp_path / "data")
    command = [
        str(Path(sys.executable).parent / "dbt"),
        "seed",
        "--select",
        "captorra_stages",
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(tmp_path / "target"),
        "--log-path",
        str(tmp_path / "logs"),
        "--vars",
        "{referral_mode: Field}",
    ]
    workdir.root.mkdir()
    done = subprocess.run(command, env=dbt_env(workdir), capture_output=True, text=True)
    assert done.returncode != 0
    assert "referral_mode = 'Field' is not allowed; use one of: partner, field" in done.stdout


@pytest.mark.slow
def test_invalid_emails_are_off_the_partner_key_and_flagged(built: Path, snapshot: Path) -> None:
    with duckdb.connect(str(built / "warehouse.duckdb"), read_only=True) as con:
        keys = dict(
            con.execute("select lead_id, partner_xmlid from int_captorra__leads").fetchall()
        )
        held = con.execute(
            "select source_id, detail from int_records_held_for_review "
            "where reason = 'invalid_email' "
            "order by source_id"
        ).fetchall()
        partner_emails = {
            e for (e,) in con.execute("select email from odoo__res_partner").fetchall()
        }
    assert keys["L1"] == keys["L5"], "a valid email, however typed, is one partner"
    assert len({keys["L2"], keys["L3"], keys["L4"], keys["L1"]}) == 4, "invalid: no merge"
    assert [lead for lead, _ in held] == ["L2", "L3", "L4"]
    assert "a@b" in held[0][1] and "x@@y.com" in held[2][1]
    assert partner_emails == {"ann@example.com", None}
    result = _cli(
        "--data-dir", str(built), "preflight", "--offline", "--odoo-snapshot", str(snapshot)
    )
    assert result.exit_code == 0, result.output
    report = next((built / "reports").glob("*/preflight.json"))
    findings = {f["check"]: f for f in json.loads(report.read_text())["findings"]}
    assert findings["invalid_emails"]["count"] == 3
    assert {i["source_id"] for i in findings["invalid_emails"]["items"]} == {"L2", "L3", "L4"}


@pytest.mark.slow
def test_two_digit_year_is_null_in_sql_never_year_21(built: Path) -> None:
    """The macro alone (extract already refuses such a value): same rule, no year 21 AD."""
    inline = (
        "select {{ captorra_timestamp(\"'12/05/21'\") }} as short_year, "
        "{{ captorra_timestamp(\"'12/05/2021'\") }} as full_year, "
        "{{ parse_us_or_iso_date(\"'1/2/99'\") }} as short_date, "
        "{{ parse_us_or_iso_date(\"'1/2/1999'\") }} as full_date"
    )
    command = [
        str(Path(sys.executable).parent / "dbt"),
        "show",
        "--inline",
        inline,
        "--output",
        "json",
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(built / "dbt" / "target"),
        "--log-path",
        str(built / "dbt" / "logs"),
    ]
    done = subprocess.run(command, env=dbt_env(Workdir(built)), capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
    assert '"short_year": null' in done.stdout
    assert '"full_year": "2021-12-05' in done.stdout
    assert '"short_date": null' in done.stdout and '"full_date": "1999-01-02' in done.stdout


def test_read_only_data_dir_at_build_is_one_line(extracted: Path, snapshot: Path, monkeypatch):
    import os

    from legal2odoo import build_checks

    real_access = os.access
    monkeypatch.setattr(  # root may write anywhere: the OS's answer for a read-only dir
        build_checks.os,
        "access",
        lambda path, mode, **kw: (
            False if Path(path) == extracted and mode == os.W_OK else real_access(path, mode, **kw)
        ),
    )
    result = _cli("--data-dir", str(extracted), "build", "--odoo-snapshot", str(snapshot))
    _refused(result, f"permission denied on {extracted}", "--data-dir")


@pytest.mark.slow
def test_read_only_reports_at_preflight_is_one_line(built: Path, snapshot: Path, monkeypatch):
    real_mkdir = Path.mkdir

    def refuse(self: Path, *args, **kwargs) -> None:
        if self.is_relative_to(built / "reports"):
            raise PermissionError(13, "Permission denied", str(self))
        real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", refuse)
    result = _cli(
        "--data-dir", str(built), "preflight", "--offline", "--odoo-snapshot", str(snapshot)
    )
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert f"permission denied on {built / 'reports'}" in result.output
    assert "Traceback" not in result.output
