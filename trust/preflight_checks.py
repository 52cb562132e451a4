"""The data checks of `preflight`: each reads the warehouse, the raw data or the target
snapshot and returns findings. None of them talks to Odoo (see `target.py`)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from legal2odoo.load.marts import Mart, find_marts
from legal2odoo.load.upsert import field_of
from legal2odoo.trust.findings import BLOCK, DEGRADE, INFO, Finding
from legal2odoo.trust.html_sanitiser import dropped_markup, is_html
from legal2odoo.trust.warehouse import (
    columns_of,
    dicts,
    has_table,
    latest_raw,
    one_row,
    tables_with_columns,
)

MAX_ITEMS = 50  # detail rows kept per finding: the counts stay exact
DEFAULT_MAX_ATTACHMENT_MB = 25.0  # Odoo's RPC/web upload limits start to bite around here
# Created by the schema step, not part of a mart's own check; adopted ones exist already.
SCHEMA_MARTS = ("ir.model.data", "ir.model.fields", "ir.model.fields.selection")
# Source markup, raw or escaped; <p> and <br/> alone are how the marts wrap plain text.
HTML_TAG = r"</?(div|span|b|i|u|strong|em|ul|ol|li|table|tr|td|font|a|h[1-6])[\s>/]|&lt;/?[a-z]"
# Source notes that go into Odoo html fields: (table, source system, source object, id, text).
SOURCE_NOTES = (
    ("stg_actionstep__file_notes", "actionstep", "filenote", "file_note_id", "note_text"),
    ("stg_captorra__leads", "captorra", "lead", "lead_id", "notes"),
)
CYCLE_REASON = re.compile(r"cycle|circular", re.IGNORECASE)


@dataclass(frozen=True)
class Inputs:
    warehouse: duckdb.DuckDBPyConnection
    raw: Path  # DATA_DIR/raw
    snapshot: Path  # the target Odoo snapshot folder (raw/odoo or --odoo-snapshot)
    fallback_login: str
    max_attachment_mb: float = DEFAULT_MAX_ATTACHMENT_MB


Check = Callable[[Inputs], list[Finding]]


def owners_on_fallback(inputs: Inputs) -> list[Finding]:
    """Records whose source owner has no Odoo user: they go to the fallback owner."""
    con = inputs.warehouse
    per_mart = []
    for table in tables_with_columns(con, "_owner_is_fallback"):
        if table.startswith("odoo__"):
            (n,) = one_row(con, f'select count(*) from "{table}" where _owner_is_fallback')
            if n:
                per_mart.append({"mart": table, "records": n})
    if not per_mart:
        return []
    owners: list[dict] = []
    for table in tables_with_columns(con, "owner_is_fallback", "owner_email"):
        owners += dicts(
            con.execute(
                f"select owner_email as owner, count(*) as records, '{table}' as seen_in "
                f'from "{table}" where owner_is_fallback {_loaded_only(con, table)} '
                "group by all order by records desc"
            )
        )
    total = sum(m["records"] for m in per_mart)
    return [
        Finding(
            "owners_on_fallback",
            DEGRADE,
            total,
            f"{total:,} record(s) from {len(owners) or 'some'} source owner(s) without an Odoo "
            f"user will belong to the fallback owner '{inputs.fallback_login}'",
            (owners or per_mart)[:MAX_ITEMS],
        )
    ]


def review_queue(inputs: Inputs) -> list[Finding]:
    """Every held record by reason; cycles get their own line (the issue asks for them)."""
    con = inputs.warehouse
    if not has_table(con, "int_records_held_for_review"):
        return [
            Finding(
                "review_queue", BLOCK, 0, "no int_records_held_for_review: run `legal2odoo build`"
            )
        ]
    rows = dicts(
        con.execute(
            "select model, reason, count(*) as records, min(detail) as example "
            "from int_records_held_for_review "
            "where reason <> 'invalid_email' "  # own finding: they load
            "group by all order by records desc, model, reason"
        )
    )
    findings = []
    cycles = [r for r in rows if CYCLE_REASON.search(r["reason"] or "")]
    if cycles:
        n = sum(r["records"] for r in cycles)
        findings.append(
            Finding("cycles_broken", DEGRADE, n, f"{n:,} circular reference(s) broken", cycles)
        )
    if rows:
        n = sum(r["records"] for r in rows)
        findings.append(
            Finding(
                "review_queue",
                DEGRADE,
                n,
                f"{n:,} source record(s) held for review in {len(rows)} reason(s); "
                "they will not load until fixed",
                rows[:MAX_ITEMS],
            )
        )
    return findings


def missing_in_target(inputs: Inputs) -> list[Finding]:
    """Mart columns naming a field the target does not have: the loader refuses the mart."""
    fields_sql = latest_raw(inputs.snapshot / "fields_get")
    if fields_sql is None and _no_snapshot(inputs):
        return []  # target_version says it in one line
    if fields_sql is None:
        return [
            Finding(
                "target_fields_unknown",
                DEGRADE,
                0,
                "the target snapshot has no fields_get: custom fields cannot be checked "
                "(run `legal2odoo extract odoo` against the target, then `build`)",
            )
        ]
    con = inputs.warehouse
    known = {(m, n) for m, n in con.execute(f"select model, name from {fields_sql}").fetchall()}
    planned = _planned_fields(con)
    missing: list[dict] = []
    for mart in find_marts(con):
        if mart.model in SCHEMA_MARTS:
            continue
        for column in _field_columns(mart):
            if (mart.model, field_of(column)) not in known:
                planned_here = (mart.model, field_of(column)) in planned
                missing.append(
                    {"model": mart.model, "field": field_of(column), "in_schema_plan": planned_here}
                )
    if not missing:
        return []
    return [
        Finding(
            "custom_fields_missing",
            BLOCK,
            len(missing),
            f"{len(missing)} field(s) the marts write do not exist in the target; create them "
            "first (exports/odoo_schema_plan.yaml, `load --apply-schema`)",
            missing[:MAX_ITEMS],
        )
    ]


def records_to_create(inputs: Inputs) -> list[Finding]:
    """Stages, teams and tags the load will create because the target has none by that name."""
    findings = []
    pairs = (
        ("odoo__crm_stage", "crm_stage", "stages"),
        ("odoo__crm_team", "crm_team", "sales teams (pipelines)"),
        ("odoo__crm_tag", "crm_tag", "lead tags"),
        ("odoo__res_partner_category", "res_partner_category", "contact tags"),
    )
    for mart, resource, label in pairs:
        if not has_table(inputs.warehouse, mart):
            continue
        snapshot = latest_raw(inputs.snapshot / resource)
        existing = (
            f"select lower(name) from {snapshot} where name is not null"
            if snapshot
            else "select ''"
        )
        rows = dicts(
            inputs.warehouse.execute(
                f'select id as external_id, name from "{mart}" '
                f"where lower(name) not in ({existing}) order by name"
            )
        )
        if rows:
            findings.append(
                Finding(
                    f"missing_{resource}",
                    INFO,
                    len(rows),
                    f"{len(rows)} {label} missing in the target will be created by the load",
                    rows[:MAX_ITEMS],
                )
            )
    return findings


def html_notes(inputs: Inputs) -> list[Finding]:
    """Text that held HTML markup: Odoo shows it as markup or re-sanitises it."""
    con = inputs.warehouse
    items = []
    for mart in find_marts(con):
        for column, data_type in zip(mart.columns, mart.types, strict=True):
            if data_type != "VARCHAR" or column not in ("description", "body", "comment", "note"):
                continue
            (n,) = one_row(
                con,
                f"select count(*) from {mart.table} where regexp_matches(\"{column}\", ?, 'i')",
                [HTML_TAG],
            )
            if n:
                items.append({"model": mart.model, "field": column, "records": n})
    total = sum(i["records"] for i in items)
    if not total:
        return []
    return [
        Finding(
            "html_notes",
            INFO,
            total,
            f"{total:,} note(s) held HTML markup; Odoo keeps safe tags and strips the rest",
            items,
        )
    ]


def html_markup_dropped(inputs: Inputs) -> list[Finding]:
    """Source html notes that lose markup in Odoo 17's sanitiser (trust/html_sanitiser.py):
    the text still goes in, but what was in a dropped tag, or the tag itself, does not."""
    con = inputs.warehouse
    items = []
    for table, system, source_object, id_column, text_column in SOURCE_NOTES:
        if not has_table(con, table):
            continue
        rows = con.execute(
            f'select cast("{id_column}" as varchar), "{text_column}" from "{table}" '
            f"where \"{text_column}\" like '%<%' order by 1"
        ).fetchall()
        for source_id, text in rows:
            dropped = dropped_markup(text) if is_html(text) else []
            if dropped:
                items.append(
                    {
                        "source_system": system,
                        "source_object": source_object,
                        "source_id": source_id,
                        "dropped": "; ".join(dropped),
                    }
                )
    if not items:
        return []
    return [
        Finding(
            "html_markup_dropped",
            INFO,
            len(items),
            f"{len(items):,} source note(s) hold markup Odoo 17's html sanitiser drops "
            "(scripts, styles, unknown tags, unsafe attributes); their visible text is kept",
            items[:MAX_ITEMS],
        )
    ]


def shared_emails(inputs: Inputs) -> list[Finding]:
    """People merged by email: one Odoo contact from several source records."""
    con = inputs.warehouse
    partners = "int_partners_deduplicated_by_email"
    if not has_table(con, partners) or "sightings" not in columns_of(con, partners):
        return []
    rows = dicts(
        con.execute(
            "select partner_xmlid as external_id, email, max(sightings) as source_records "
            "from int_partners_deduplicated_by_email where sightings > 1 group by all "
            "order by source_records desc, email"
        )
    )
    if not rows:
        return []
    return [
        Finding(
            "emails_matching_several_records",
            INFO,
            len(rows),
            f"{len(rows):,} email(s) matched several source records and become one contact each",
            rows[:MAX_ITEMS],
        )
    ]


def invalid_emails(inputs: Inputs) -> list[Finding]:
    """Emails that are not addresses (`a@b`, `x@@y.com`): never a partner key, never loaded."""
    con = inputs.warehouse
    if not has_table(con, "int_records_held_for_review"):
        return []
    rows = dicts(
        con.execute(
            "select source_system, source_model, source_id, detail "
            "from int_records_held_for_review "
            "where reason = 'invalid_email' order by source_system, source_id"
        )
    )
    if not rows:
        return []
    return [
        Finding(
            "invalid_emails",
            DEGRADE,
            len(rows),
            f"{len(rows):,} email(s) are not addresses: those contacts load without an email "
            "and are merged with no one; correct them in the source and extract again",
            rows[:MAX_ITEMS],
        )
    ]


def attachments(inputs: Inputs) -> list[Finding]:
    con = inputs.warehouse
    findings = []
    if has_table(con, "int_records_held_for_review"):
        missing = dicts(
            con.execute(
                "select source_system, source_id, detail from int_records_held_for_review "
                "where reason = 'attachment_missing' order by source_id"
            )
        )
        if missing:
            findings.append(
                Finding(
                    "attachments_missing",
                    DEGRADE,
                    len(missing),
                    f"{len(missing)} attachment(s) named by the source are not in the files",
                    missing[:MAX_ITEMS],
                )
            )
    if has_table(con, "odoo__ir_attachment") and "_file_size" in columns_of(
        con, "odoo__ir_attachment"
    ):
        limit = int(inputs.max_attachment_mb * 1024 * 1024)
        big = dicts(
            con.execute(
                "select id as external_id, name, _file_size as bytes from odoo__ir_attachment "
                "where _file_size > ? order by _file_size desc",
                [limit],
            )
        )
        if big:
            findings.append(
                Finding(
                    "attachments_oversized",
                    DEGRADE,
                    len(big),
                    f"{len(big)} attachment(s) larger than {inputs.max_attachment_mb:g} MB",
                    big[:MAX_ITEMS],
                )
            )
    return findings


def unknown_columns(inputs: Inputs) -> list[Finding]:
    """Captorra export columns not in the column map (in any extract run, as staging reads
    them): proposed custom intake fields."""
    dataset = _all_captorra_runs(inputs, "columns")
    if dataset is None:
        return []
    rows = dicts(
        inputs.warehouse.execute(
            f"select distinct dataset, header, column_name from {dataset} "
            "where kind = 'unknown' order by 1, 2"
        )
    )
    if not rows:
        return []
    if has_table(inputs.warehouse, "int_captorra__custom_fields"):
        fields = dict(
            inputs.warehouse.execute(
                "select field_name, odoo_name || ' (' || ttype || ')' "
                "from int_captorra__custom_fields where origin = 'export'"
            ).fetchall()
        )
        for row in rows:
            row["proposed_field"] = fields.get(row["column_name"])
    return [
        Finding(
            "captorra_unknown_columns",
            INFO,
            len(rows),
            f"{len(rows)} Captorra column(s) not in the column map become custom intake fields "
            "once exports/odoo_schema_plan.yaml is approved (or map or ignore them in "
            "seeds/captorra_columns.csv)",
            rows,
        )
    ]


# What follows when an export has no column for an optional field.
ABSENT_CONSEQUENCES = {
    "owner_email": "every lead on the fallback owner",
    "owner_name": "no intake owner name",
    "email": "no contact shared between leads (no email to match)",
    "first_name": "lead names from the email or the lead id",
    "last_name": "lead names from the first name, email or lead id",
    "phone": "no phone",
    "mobile": "no mobile",
    "street": "no street",
    "city": "no city",
    "state": "no state",
    "zip": "no zip",
    "company": "no company contacts",
    "referral_source": "no referral channel",
    "referring_attorney": "no referring attorney",
    "referring_firm": "no referring firm",
    "converted": "every lead a lead, none an opportunity",
    "matter_ref": "no matter reference",
    "notes": "no description",
    "attachments": "no attachments",
}


def absent_fields(inputs: Inputs) -> list[Finding]:
    """Optional Captorra lead fields no export run had a column for: NULL in every lead."""
    dataset = _all_captorra_runs(inputs, "columns")
    if dataset is None:
        return []
    rows = inputs.warehouse.execute(
        f"select column_name from {dataset} "
        "where dataset = 'leads' group by column_name "
        "having bool_and(kind = 'absent') order by column_name"
    ).fetchall()
    items = [
        {"field": name, "consequence": ABSENT_CONSEQUENCES.get(name, "left empty")}
        for (name,) in rows
    ]
    if not items:
        return []
    return [
        Finding(
            "captorra_absent_fields",
            INFO,
            len(items),
            f"the Captorra export has no column for {len(items)} optional field(s): "
            + "; ".join(f"{i['field']} ({i['consequence']})" for i in items),
            items,
        )
    ]


def inferred_stages(inputs: Inputs) -> list[Finding]:
    """Pipelines and statuses the seed captorra_stages does not list: created as stages."""
    con = inputs.warehouse
    if not has_table(con, "int_captorra__stages"):
        return []
    rows = dicts(
        con.execute(
            "select pipeline, status, stage_name, sequence, is_won, is_lost "
            "from int_captorra__stages where is_inferred order by pipeline, sequence"
        )
    )
    if not rows:
        return []
    won = sum(r["is_won"] for r in rows)
    lost = sum(r["is_lost"] for r in rows)
    return [
        Finding(
            "captorra_inferred_stages",
            INFO,
            len(rows),
            f"{len(rows)} Captorra status(es) not in seeds/captorra_stages.csv get a stage of "
            f"their own ({won} won, {lost} lost by their words); edit "
            "exports/captorra_stages.proposed.csv and copy it over the seed to change them",
            rows[:MAX_ITEMS],
        )
    ]


def target_version(inputs: Inputs) -> list[Finding]:
    """What the snapshot says about the target: version and edition."""
    server = latest_raw(inputs.snapshot / "server")
    if server is None and _no_snapshot(inputs):
        return [
            Finding(
                "target_snapshot",
                DEGRADE,
                0,
                "no target snapshot: an empty Odoo is assumed — every owner on the fallback "
                f"owner '{inputs.fallback_login}' (user id 2), no existing partner adopted, "
                "custom fields unchecked (`legal2odoo extract odoo`, then `build`, to use the "
                "real target)",
            )
        ]
    if server is None:
        return [Finding("target_snapshot", BLOCK, 0, "no target snapshot: run `extract odoo`")]
    (version,) = one_row(inputs.warehouse, f"select server_version from {server}")
    modules = latest_raw(inputs.snapshot / "installed_modules")
    enterprise = False
    if modules:
        (n,) = one_row(
            inputs.warehouse, f"select count(*) from {modules} where name = 'web_enterprise'"
        )
        enterprise = bool(n)
    edition = "Enterprise" if enterprise else "Community" if modules else "unknown edition"
    major = _major(version)
    supported = 17 <= major <= 19
    return [
        Finding(
            "target_version",
            INFO if supported else BLOCK,
            1,
            f"target snapshot: Odoo {version} {edition}"
            + ("" if supported else " — only Odoo 17, 18 and 19 are supported"),
            [{"version": version, "edition": edition}],
        )
    ]


CHECKS: tuple[Check, ...] = (
    target_version,
    missing_in_target,
    owners_on_fallback,
    records_to_create,
    review_queue,
    html_notes,
    html_markup_dropped,
    shared_emails,
    invalid_emails,
    attachments,
    unknown_columns,
    absent_fields,
    inferred_stages,
)


def _all_captorra_runs(inputs: Inputs, name: str) -> str | None:
    """SQL reading every extract run of a Captorra raw dataset, or None without one."""
    runs = inputs.raw / "captorra" / name
    if not any(runs.glob("run=*/*.parquet")):
        return None
    files = str(runs / "run=*" / "*.parquet").replace("'", "''")
    return f"read_parquet('{files}', union_by_name = true)"


def _no_snapshot(inputs: Inputs) -> bool:
    """No snapshot file at all: the build assumed an empty target (macros/odoo.sql)."""
    return not any(inputs.snapshot.glob("*/run=*/*.parquet"))


def _loaded_only(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """Leave out rows the review queue holds: they are not loaded, so own nothing."""
    return "and review_reason is null" if "review_reason" in columns_of(con, table) else ""


def _major(version: str) -> int:
    match = re.match(r"(?:saas~)?(\d+)", version or "")
    return int(match.group(1)) if match else 0


def _field_columns(mart: Mart) -> list[str]:
    return [c for c in mart.columns if c not in ("id", ".id")]


def _planned_fields(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    """(model, field) the schema mart would create: `model_id/id` is `...model_crm_lead`."""
    if not has_table(con, "odoo__ir_model_fields"):
        return set()
    rows = con.execute('select "model_id/id", name from odoo__ir_model_fields').fetchall()
    return {(_model_of_xmlid(x), n) for x, n in rows if x}


def _model_of_xmlid(xmlid: str) -> str:
    return xmlid.rsplit(".model_", 1)[-1].replace("_", ".")


def as_json(findings: list[Finding]) -> str:
    return json.dumps([f.as_dict() for f in findings], indent=2, default=str)
