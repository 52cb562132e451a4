"""docs/mapping.md says where each Odoo field comes from: every mart column has its meta, and
the document is the generator's output for the YAML as it is."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from legal2odoo.mapping_doc import DOC, MARTS, MappingMetaError, read_marts, render


def test_every_mart_column_has_source_meta() -> None:
    marts = read_marts()
    assert len(marts) >= 16
    for mart in marts:
        assert mart.columns, mart.name
        for column in mart.columns:
            assert column.source.strip(), f"{mart.name}.{column.name}"


def test_docs_mapping_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == render(read_marts()), (
        "docs/mapping.md is out of date: run `make mapping`"
    )


def test_the_document_names_field_source_file_and_seed() -> None:
    text = render(read_marts())
    assert "| `email_from` |" in text and "captorra lead.email" in text
    assert "SQL: `models/marts/odoo__crm_stage.sql`" in text
    assert "`captorra_stages, stages`" in text


def test_a_column_without_meta_is_refused(tmp_path: Path) -> None:
    marts = tmp_path / "models" / "marts"
    marts.mkdir(parents=True)
    mart = yaml.safe_load((MARTS / "odoo__crm_tag.yml").read_text(encoding="utf-8"))
    del mart["models"][0]["columns"][1]["meta"]
    (marts / "odoo__crm_tag.yml").write_text(yaml.safe_dump(mart), encoding="utf-8")
    with pytest.raises(MappingMetaError, match=r"odoo__crm_tag\.name: no meta source"):
        read_marts(marts)
