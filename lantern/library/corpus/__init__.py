"""Fictional full-length overview reports (about 5,000 words) with the facts they state, in DOCX,
PDF, HTML and plain text: for testing the library's ingest and fact extraction on whole documents
and for its benchmark. Everyone and everywhere in them is invented.

    report = generate_report(7, fmt="pdf")     # same seed, same report
    reports = generate_corpus(out_dir, 500)    # mixed formats, written to out_dir

Seeds at or above `EVALUATION_SEED_BASE` may use phrasings kept for evaluation (generator.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from lantern.library.corpus import render
from lantern.library.corpus.generator import EVALUATION_SEED_BASE, ReportBuilder

FORMATS = ("docx", "pdf", "html", "txt")
FACT_KEYS_GENERATED = (
    "csp", "year", "report_year", "pseudonym", "victim_sex", "victim_age_band",
    "relationship_category", "death_type", "agencies_count", "overarching_recommendations",
    "single_agency_recommendations", "themes", "recommendations",
)  # fmt: skip

__all__ = [
    "EVALUATION_SEED_BASE",
    "FORMATS",
    "GeneratedReport",
    "generate_corpus",
    "generate_report",
]


@dataclass(frozen=True)
class GeneratedReport:
    filename: str
    data: bytes
    facts: dict[str, Any]
    words: int


def generate_report(seed: int, *, fmt: str) -> GeneratedReport:
    """One fictional overview report. `facts` holds every extraction fact key with the value the
    report states (None where it does not say), plus `perpetrator` and `place`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    builder = ReportBuilder(seed)
    blocks = builder.build()
    f = builder.f
    facts: dict[str, Any] = {key: f.get(key) for key in FACT_KEYS_GENERATED}
    facts["themes"] = sorted(f["themes"])
    facts["perpetrator"] = f["perpetrator"]
    facts["place"] = f["place"]
    title = f"Domestic Homicide Review: {f['pseudonym']}"
    created = datetime(f["report_year"], 1 + seed % 12, 1 + seed % 28)
    slug = f["place"].lower().replace(" ", "-")
    filename = f"dhr-{seed:07d}-{slug}.{fmt}"
    if fmt == "txt":
        data = render.to_txt(blocks)
    elif fmt == "html":
        data = render.to_html(blocks, title=title, created=created)
    elif fmt == "docx":
        data = render.to_docx(blocks, title=title, created=created)
    else:
        data = render.to_pdf(blocks, title=title, created=created)
    return GeneratedReport(filename=filename, data=data, facts=facts, words=builder.words)


def generate_corpus(out_dir: Path, n: int, *, seed: int = 0) -> list[GeneratedReport]:
    """`n` reports from seeds seed..seed+n-1, formats in turn (docx, pdf, html, txt), each written
    to out_dir under its file name. Returns them in seed order."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    reports = []
    for index in range(n):
        report = generate_report(seed + index, fmt=FORMATS[(seed + index) % len(FORMATS)])
        (out_dir / report.filename).write_bytes(report.data)
        reports.append(report)
    return reports
