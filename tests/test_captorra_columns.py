"""Header matching (extract/captorra/columns.py) on the shipped seed: the best match fills a
field, a worse one stays a column of its own with a warning, only a true tie is refused."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from legal2odoo.extract.captorra.columns import (
    RegistryField,
    SeedRow,
    absent_fields,
    load_seed,
    plan_columns,
)
from legal2odoo.extract.errors import SourceFileError

EXPORT = Path("export.csv")
REQUIRED = ["Lead ID", "Created Date", "Last Modified", "Status"]


def _plan(headers: list[str], seed: list[SeedRow] | None = None) -> dict[str, tuple[str, str]]:
    columns = plan_columns(EXPORT, headers, "leads", seed or load_seed(), [])
    return {c.header: (c.name, c.kind) for c in columns}


def test_canonical_spelling_beats_an_alias_and_the_alias_is_kept(caplog) -> None:
    with caplog.at_level(logging.WARNING):
        plan = _plan([*REQUIRED, "Case Type", "Pipeline"])
    assert plan["Pipeline"] == ("pipeline", "standard")
    assert plan["Case Type"] == ("case_type", "unknown")
    assert "'Case Type' could fill field 'pipeline'" in caplog.text


def test_exact_beats_normalised_and_a_normalised_loser_gets_a_free_raw_name() -> None:
    plan = _plan([*REQUIRED, "Pipeline", "EMAIL", "Email"])
    assert plan["Email"] == ("email", "standard")
    assert plan["EMAIL"] == ("email_2", "unknown"), "never the raw name of a canonical field"


def test_case_punctuation_and_a_near_spelling_match() -> None:
    plan = _plan(["LEAD-ID", "created_date", "Last modified:", "STATUS", "Pipline", "E-mail"])
    assert plan["LEAD-ID"] == ("lead_id", "standard")
    assert plan["Pipline"] == ("pipeline", "standard")
    assert plan["E-mail"] == ("email", "standard")


def test_a_true_tie_is_refused_naming_both_headers() -> None:
    with pytest.raises(SourceFileError) as refused:
        _plan([*REQUIRED, "Pipeline", "E-mail", "EMAIL"])
    assert "'E-mail' and 'EMAIL' both match field 'email'" in str(refused.value)


def test_absent_optional_fields_are_listed() -> None:
    columns = plan_columns(EXPORT, [*REQUIRED, "Pipeline"], "leads", load_seed(), [])
    absent = {c.name for c in absent_fields(columns, "leads", load_seed())}
    assert {"phone", "owner_email", "converted", "attachments"} <= absent
    assert "status" not in absent


def test_seed_can_ignore_a_column_or_map_it_to_an_existing_field() -> None:
    seed = [
        *load_seed(),
        SeedRow("leads", "ignore", "Internal Score", False, "text"),
        SeedRow("leads", "odoo:website", "Web Site", False, "text"),
    ]
    plan = _plan([*REQUIRED, "Pipeline", "Internal Score", "Web Site"], seed)
    assert plan["Internal Score"] == ("internal_score", "ignored")
    assert plan["Web Site"] == ("web_site", "mapped")


def test_two_headers_for_one_registry_field_are_refused() -> None:
    registry = [RegistryField("injury_type", "Injury Type", "picklist", "A|B", "false")]
    with pytest.raises(SourceFileError) as refused:
        plan_columns(
            EXPORT,
            [*REQUIRED, "Pipeline", "Injury Type", "injury-type"],
            "leads",
            load_seed(),
            registry,
        )
    assert "same registry field 'injury_type' as column 'Injury Type'" in str(refused.value)
