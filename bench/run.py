"""`make bench`: run every benchmark and write docs/benchmarks.md."""

from __future__ import annotations

import argparse
import logging
import platform
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench import actionstep, actionstep_models, captorra, loader, trust
from bench.measure import Measurement

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
HAND_MEASURED = "<!-- measured by hand below: make bench keeps this part -->"


def kept_part(doc: Path) -> str:
    """The hand-measured notes at the end of the file, which a run does not regenerate."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else ""
    return text[text.index(HAND_MEASURED) :] if HAND_MEASURED in text else ""


def render(sections: list[tuple[str, str, list[Measurement]]]) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{platform.machine()}, {_cpus()} cores, Python {platform.python_version()}.",
        "Wall time and the step's own peak RSS (each step is a child process). Ratios compare",
        "with the baseline rows measured in the same run.",
    ]
    for title, doc, measured in sections:
        lines += [
            "",
            f"## {title}",
            "",
            doc.strip(),
            "",
            "| step | items | wall s | rate /s | peak RSS MB | time ÷ baseline | note |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        by_step = {m.step: m for m in measured}
        for m in measured:
            rate = f"{m.rate:,.0f}" if m.rate else ""
            items = f"{m.items:,} {m.unit}" if m.items else ""
            base = by_step.get(m.baseline) if m.baseline else None
            ratio = f"{m.seconds / base.seconds:.2f} x ({base.step})" if base else ""
            lines.append(
                f"| {m.step} | {items} | {m.seconds:.2f} | {rate} "
                f"| {m.peak_rss_mb:,.0f} | {ratio} | {m.note} |"
            )
    return "\n".join(lines) + "\n"


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=100_000, help="Leads for the Captorra path.")
    parser.add_argument(
        "--actionstep-scale", type=int, default=200, help="Matters for the Actionstep extract."
    )
    parser.add_argument(
        "--actionstep-limit", type=int, default=120, help="Local API rate limit, requests/min."
    )
    parser.add_argument(
        "--actionstep-models-scale",
        type=int,
        default=100_000,
        help="Matters for the Actionstep models build (raw built from the generator's JSONL).",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    sections = []
    with tempfile.TemporaryDirectory(prefix="legal2odoo-bench-") as tmp:
        sections.append(
            (captorra.TITLE, captorra.__doc__ or "", captorra.run(args.scale, Path(tmp)))
        )
        sections.append((loader.TITLE, loader.__doc__ or "", loader.run(args.scale, Path(tmp))))
        sections.append((trust.TITLE, trust.__doc__ or "", trust.run(args.scale, Path(tmp))))
        models = actionstep_models.run(args.actionstep_models_scale, Path(tmp))
        sections.append((actionstep_models.TITLE, actionstep_models.__doc__ or "", models))
    measured = actionstep.run(args.actionstep_scale, args.actionstep_limit)
    sections.append((actionstep.TITLE, actionstep.__doc__ or "", measured))
    DOC.parent.mkdir(exist_ok=True)
    kept = kept_part(DOC)
    DOC.write_text(render(sections) + ("\n" + kept if kept else ""), encoding="utf-8")
    print(DOC.read_text())


if __name__ == "__main__":
    main()
