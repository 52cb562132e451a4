"""`legal2odoo report [RUN_ID]`: one self-contained HTML page a partner at the firm can read.

Built from files already on disk (ledger, warehouse, preflight.json, verify.json, diff.csv),
so it needs no Odoo connection and takes well under a second. Inline CSS and SVG only.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

from legal2odoo.load.marts import open_warehouse
from legal2odoo.load.target import strip_credentials
from legal2odoo.trust.audit import open_audit, resolve_run
from legal2odoo.trust.chart import stage_chart
from legal2odoo.trust.preflight import latest_preflight
from legal2odoo.trust.verify import differences, read_summary
from legal2odoo.trust.warehouse import dicts, has_table
from legal2odoo.workdir import Workdir

log = logging.getLogger(__name__)
REPORT_FILE = "report.html"
SAMPLE_DIFFS = 50
TOP_ROWS = 30
RECONCILIATION = (  # verify.json key, heading a person reads
    ("model", "Odoo model"),
    ("source", "source records"),
    ("review_queue", "held for review"),
    ("mart", "prepared"),
    ("in_scope", "in scope"),
    ("ledger_written", "written"),
    ("ledger_failed", "failed"),
    ("in_odoo", "in Odoo"),
    ("unexplained", "unexplained"),
    ("gone_from_source", "gone at source"),
    ("rate", "share"),
)
CSS = """
body{font:15px/1.45 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#1d2733;
max-width:1040px;margin:2em auto;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.8em;border-bottom:1px solid #d8dee6;
padding-bottom:.2em;font-size:1.2em}.meta{color:#5b6775}
table{border-collapse:collapse;width:100%;margin:.6em 0;font-size:13px}
th,td{border-bottom:1px solid #e4e8ee;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f6f9}td.n{text-align:right;font-variant-numeric:tabular-nums}
.verdict{padding:.8em 1em;border-radius:6px;font-weight:600;margin:1em 0}
.ok{background:#e5f5ec;color:#145c37}.bad{background:#fde8e8;color:#8a1c1c}
.warn{background:#fff6e0;color:#7a5300}
.block{color:#8a1c1c;font-weight:600}.degrade{color:#7a5300}
code{background:#f3f6f9;padding:1px 4px;border-radius:3px}
"""


def write_report(workdir: Workdir, run_id: str | None = None) -> Path:
    with open_audit(workdir.audit) as audit:
        run = resolve_run(audit, run_id)
        moved = dicts(
            audit.execute(
                "select model, action, count(*) as records from writes where run_id = ? "
                "and action <> 'pending' group by all order by model, action",
                [run["run_id"]],
            )
        )
        failures = dicts(
            audit.execute(
                "select model, action, error, count(*) as records from writes "
                "where run_id = ? and action in ('failed', 'held') group by all "
                "order by records desc limit ?",
                [run["run_id"], TOP_ROWS],
            )
        )
    run_id = str(run["run_id"])
    verification = read_summary(workdir, run_id)
    page = render(
        run,
        moved,
        failures,
        _review_queue(workdir),
        latest_preflight(workdir, before=run_id),
        verification,
        differences(workdir, run_id, SAMPLE_DIFFS),
    )
    path = workdir.reports(run_id) / REPORT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path


def _review_queue(workdir: Workdir) -> list[dict[str, Any]]:
    with open_warehouse(workdir.warehouse) as con:
        if not has_table(con, "int_records_held_for_review"):
            return []
        return dicts(
            con.execute(
                "select model, reason, count(*) as records, min(detail) as example "
                "from int_records_held_for_review group by all order by records desc"
            )
        )


def render(
    run: dict[str, Any],
    moved: list[dict[str, Any]],
    failures: list[dict[str, Any]],
    queue: list[dict[str, Any]],
    preflight: dict[str, Any] | None,
    verification: dict[str, Any] | None,
    diffs: list[Any],
) -> str:
    run_id = escape(str(run["run_id"]))
    url = strip_credentials(str(run["target_url"]))  # a ledger from before the stripping
    sections = [
        f"<h1>Migration report: run {run_id}</h1>",
        f'<p class="meta">{escape(str(run["mode"]))} load into {escape(url)}'
        f" (database {escape(str(run['db']))}, Odoo {escape(str(run.get('version')))}, "
        f"{escape(str(run.get('transport')))}) · started {escape(str(run['started_at']))} · "
        f"status {escape(str(run['status']))} · report written "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC</p>",
        _verdict(run_id, verification),
        "<h2>What moved</h2>",
        _moved(moved),
        "<h2>Pipeline stages before and after</h2>",
        stage_chart(verification.get("stages", [])) if verification else _no_verify(),
        "<h2>Reconciliation against the source</h2>",
        _source_reconciliation(verification),
        "<h2>Load check: marts against Odoo</h2>",
        _reconciliation(verification),
        "<h2>Field-by-field comparison</h2>",
        _comparison(verification, diffs),
        "<h2>Data map</h2>",
        _data_map(preflight),
        "<h2>Before the load: preflight findings</h2>",
        _preflight(preflight),
        "<h2>Failures and records held for review</h2>",
        _failures(failures, queue),
        "<h2>How to undo this run</h2>",
        f"<p>Run <code>legal2odoo rollback {run_id}</code>. It deletes what this run created "
        "and restores what it changed, from the before-images in the ledger, and refuses if a "
        "later run or a person has changed the same records since.</p>",
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Migration report {run_id}</title><style>{CSS}</style></head><body>"
        + "\n".join(sections)
        + "</body></html>\n"
    )


def _verdict(run_id: str, verification: dict[str, Any] | None) -> str:
    if verification is None:
        return (
            '<div class="verdict warn">Not verified yet: run <code>legal2odoo verify '
            f"{run_id}</code>, then this report again.</div>"
        )
    if verification["verified"]:
        return (
            '<div class="verdict ok">Verified: counts reconcile and values match within '
            f"{verification['tolerance_pct']:g} %.</div>"
        )
    lines = "".join(f"<li>{escape(line)}</li>" for line in verification["over_tolerance"])
    return (
        f'<div class="verdict bad">Not verified: beyond the {verification["tolerance_pct"]:g} % '
        f"tolerance.<ul>{lines}</ul>To undo: <code>legal2odoo rollback {run_id}</code></div>"
    )


def _no_verify() -> str:
    return "<p>Shown after <code>legal2odoo verify</code>.</p>"


def _table(headings: list[str], rows: list[list[Any]], numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    head = "".join(f"<th>{escape(h)}</th>" for h in headings)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{_fmt(v)}</td>' if i in numeric else f"<td>{escape(_fmt(v))}</td>"
            for i, v in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _fmt(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:.2%}"
    return str(value)


def _moved(moved: list[dict[str, Any]]) -> str:
    actions = ["created", "updated", "unchanged", "failed", "held"]
    per_model: dict[str, dict[str, int]] = {}
    for row in moved:
        per_model.setdefault(row["model"], {})[row["action"]] = row["records"]
    rows = [[m, *(counts.get(a, 0) for a in actions)] for m, counts in per_model.items()]
    return _table(["Odoo model", *actions], rows, set(range(1, 6)))


def _reconciliation(verification: dict[str, Any] | None) -> str:
    if not verification:
        return _no_verify()
    rows = [[r[k] for k, _ in RECONCILIATION] for r in verification["reconciliation"]]
    headings = [h for _, h in RECONCILIATION]
    note = (
        "<p>Source records = prepared + held for review. Records gone at source stay in "
        "Odoo: nothing is deleted automatically.</p>"
    )
    return _table(headings, rows, set(range(1, 11))) + note


def _comparison(verification: dict[str, Any] | None, diffs: list[Any]) -> str:
    if not verification:
        return _no_verify()
    mismatched = [f for f in verification["fields"] if f["mismatched"]]
    text = (
        f"<p>{verification['records_compared']:,} records read back from Odoo and compared "
        f"field by field; {verification['records_with_differences']:,} differ.</p>"
    )
    if mismatched:
        text += _table(
            ["Odoo model", "field", "compared", "different", "share"],
            [
                [f["model"], f["field"], f["compared"], f["mismatched"], f["rate"]]
                for f in mismatched
            ],
            {2, 3, 4},
        )
    source = verification.get("source")
    if source:
        text = (
            (
                f"<p>From the source: {source['records_compared']:,} source records compared with "
                f"what the mapping spec derives from the raw extract; "
                f"{source['records_with_differences']:,} differ; "
                f"{source['invariants_failed']:,} of {source['invariants_checked']:,} cross-record "
                "checks fail (one partner per email, one company per spelling).</p>"
            )
            + _table(
                ["check", "differences"],
                [[k, v] for k, v in sorted(source["differences"].items())],
                {1},
            )
            + text
        )
    if diffs:
        text += f"<p>First {len(diffs)} differences (all in diff.csv):</p>" + _table(
            [
                "check",
                "Odoo model",
                "record",
                "field",
                "source value",
                "expected",
                "Odoo value",
                "mart value",
            ],
            [
                [
                    d.check,
                    d.model,
                    d.external_id,
                    d.field,
                    _short(d.source_value),
                    _short(d.expected_value),
                    _short(d.odoo_value),
                    _short(d.mart_value),
                ]
                for d in diffs
            ],
        )
    return text


def _source_reconciliation(verification: dict[str, Any] | None) -> str:
    if not verification:
        return _no_verify()
    source = verification.get("source")
    if not source:
        return "<p>This verification did not read the source.</p>"
    rows = [
        [
            r["source_system"],
            r["record_type"],
            r["source"],
            r["excluded_by_rule"],
            r["exclusion_rules"],
            r["in_scope"],
            r["in_odoo"],
            r["missing"],
            r["held_reasons"],
            r["rate"],
        ]
        for r in source["reconciliation"]
    ]
    headings = [
        "source",
        "record type",
        "source records",
        "excluded by rule",
        "rule",
        "in scope",
        "in Odoo (our external id)",
        "missing",
        "of which held for review",
        "missing share",
    ]
    note = (
        "<p>Counted in the raw extract, not in the marts. Held for review counts as missing; "
        f"beyond {verification['tolerance_pct']:g} % missing the run is not verified. "
        "Link rows (a participant's role on a matter, an email filed on a matter) are not "
        "records of their own.</p>"
    )
    return _table(headings, rows, {2, 3, 5, 6, 7, 9}) + note


def _data_map(preflight: dict[str, Any] | None) -> str:
    entries = (preflight or {}).get("data_map") or []
    if not entries:
        return "<p>No data map: run <code>legal2odoo preflight</code> before the load.</p>"
    rows = [
        [
            f"{e['source_system']} {e['source_object']}",
            e["records"],
            ", ".join(e["odoo_models"]) or "(counted only)",
            "; ".join(f"{f['source_field']} → {f['odoo']} ({f['transform']})" for f in e["fields"]),
            "; ".join(f"{n:,} {rule}" for rule, n in e["excluded_by_rule"].items()),
        ]
        for e in entries
    ]
    return (
        _table(["source object", "records", "Odoo model", "fields", "excluded by rule"], rows, {1})
        + "<p>Generated from seeds/mapping_spec.csv.</p>"
    )


def _short(value: Any, limit: int = 300) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[:limit] + f"… ({len(text):,} characters)"


def _preflight(preflight: dict[str, Any] | None) -> str:
    if not preflight:
        return "<p>No preflight was run before this load.</p>"
    rows = preflight["findings"]
    body = "".join(
        f'<tr><td class="{escape(f["severity"])}">{escape(f["severity"])}</td>'
        f"<td>{escape(f['summary'])}</td></tr>"
        for f in rows
    )
    return (
        f'<p class="meta">preflight {escape(preflight["run_id"])}</p>'
        f"<table><thead><tr><th>severity</th><th>finding</th></tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def _failures(failures: list[dict[str, Any]], queue: list[dict[str, Any]]) -> str:
    parts = []
    if failures:
        parts.append(
            _table(
                ["Odoo model", "outcome", "Odoo's message", "records"],
                [[f["model"], f["action"], f["error"], f["records"]] for f in failures],
                {3},
            )
        )
    else:
        parts.append("<p>No record failed in this run.</p>")
    if queue:
        parts.append("<p>Held for review before the load (not sent):</p>")
        parts.append(
            _table(
                ["Odoo model", "reason", "records", "example"],
                [[q["model"], q["reason"], q["records"], q["example"]] for q in queue],
                {2},
            )
        )
    return "".join(parts)
