"""Actionstep models at scale: `dbt build` of a firm with N matters.

Extracting 100,000 matters through the rate-limited API takes days, so the raw layer is built
straight from the generator's JSONL with DuckDB, in exactly the layout the extractor writes
(docs/raw-datasets.md: id, record = the JSON line, _extracted_at, _run_id; files_manifest
with each document's sha256; trust_transactions keyed by the export's header). Document bytes
are hashed but not copied: the build reads only the manifest. The firm's Captorra side is a
50-lead export through the real extractor, so the measured build is the Actionstep path.

    python -m bench.actionstep_models 100000        # scale
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import duckdb

from bench.measure import Measurement, run_step
from legal2odoo.extract.actionstep.resources import RESOURCES

log = logging.getLogger(__name__)
TITLE = "Actionstep models (raw Parquet → dbt build)"
RUN_ID = "20260101T000000000000Z"
MIMES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".txt": "text/plain",
    ".png": "image/png",
}


def _cli(data: Path, *args: str) -> list[str]:
    return [str(Path(sys.executable).parent / "legal2odoo"), "--data-dir", str(data), *args]


def jsonl_to_raw(firm: Path, data: Path) -> None:
    """The generator's Actionstep JSONL as raw Parquet in the extractor's layout."""
    source = firm / "actionstep"
    raw = data / "raw" / "actionstep"
    con = duckdb.connect()
    for spec in RESOURCES:
        out = raw / spec.name / f"run={RUN_ID}"
        out.mkdir(parents=True, exist_ok=True)
        con.execute(
            f"copy (select json ->> 'id' as id, cast(json as varchar) as record, "
            f"timestamp '2026-01-01' as _extracted_at, '{RUN_ID}' as _run_id "
            f"from read_json_objects('{source / spec.name}.jsonl', format = 'newline_delimited')) "
            f"to '{out / 'part-00001.parquet'}' (format parquet, compression zstd)"
        )
    mimes = ", ".join(f"('{ext}', '{mime}')" for ext, mime in MIMES.items())
    out = raw / "files_manifest" / f"run={RUN_ID}"
    out.mkdir(parents=True, exist_ok=True)
    con.execute(
        f"copy (with docs as ("
        f"  select json ->> 'id' as id, json ->> 'name' as name, json ->> 'extension' as ext "
        f"  from read_json_objects('{source}/actiondocuments.jsonl', "
        f"format = 'newline_delimited') "
        f"  where json ->> 'isDeleted' = 'F' and cast(json ->> 'fileSize' as bigint) > 0), "
        f"blobs as (select parse_filename(filename) as id, sha256(content) as sha256, size "
        f"  from read_blob('{source}/files/*')), "
        f"mimes(ext, mime) as (values {mimes}) "
        f"select docs.id, blobs.sha256, blobs.size, "
        f"coalesce(mimes.mime, 'application/octet-stream') as mime, docs.name as original_name, "
        f"timestamp '2026-01-01' as _extracted_at, '{RUN_ID}' as _run_id "
        f"from docs join blobs using (id) left join mimes using (ext)) "
        f"to '{out / 'part-00001.parquet'}' (format parquet)"
    )
    out = raw / "trust_transactions" / f"run={RUN_ID}"
    out.mkdir(parents=True, exist_ok=True)
    con.execute(
        f'copy (select t."Transaction ID" as id, cast(to_json(t) as varchar) as record, '
        f"timestamp '2026-01-01' as _extracted_at, '{RUN_ID}' as _run_id "
        f"from read_csv('{source}/trust_ledger.csv', all_varchar = true, header = true) t) "
        f"to '{out / 'part-00000.parquet'}' (format parquet)"
    )


def run(scale: int, root: Path) -> list[Measurement]:
    label = f"@{scale:,}"
    firm, small, data = root / f"asfirm-{scale}", root / "asfirm-captorra", root / f"asdata-{scale}"
    generated = run_step(
        f"generate actionstep {label}",
        _cli(
            data,
            "sample-data",
            "--scale",
            str(scale),
            "--out",
            str(firm),
            "--sides",
            "odoo,actionstep",
        ),
        items=scale,
        unit="matters",
        note="JSONL per resource, document bytes, trust CSV, Odoo snapshot",
    )
    converted = run_step(
        f"JSONL → raw Parquet {label}",
        [
            sys.executable,
            "-c",
            f"from bench.actionstep_models import jsonl_to_raw; "
            f"from pathlib import Path; jsonl_to_raw(Path({str(firm)!r}), Path({str(data)!r}))",
        ],
        items=scale,
        unit="matters",
        note="stands in for extract actionstep (same raw layout)",
    )
    sample = ["sample-data", "--scale", "50", "--out", str(small), "--sides", "captorra"]
    export = str(small / "captorra" / "export.csv")
    run_step("generate captorra @50", _cli(data, *sample))
    run_step("extract captorra @50", _cli(data, "extract", "captorra", "--export", export))
    built = run_step(
        f"dbt build actionstep {label}",
        _cli(data, "build", "--odoo-snapshot", str(firm / "odoo")),
        items=scale,
        unit="matters",
        note="seeds, models, data tests, unit tests (both sources; Captorra 50 leads)",
    )
    return [generated, converted, built]


if __name__ == "__main__":
    import tempfile

    logging.basicConfig(level=logging.INFO)
    with tempfile.TemporaryDirectory(prefix="legal2odoo-bench-as-") as tmp:
        for m in run(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000, Path(tmp)):
            log.info("%s: %.2f s, peak %.0f MB", m.step, m.seconds, m.peak_rss_mb)
