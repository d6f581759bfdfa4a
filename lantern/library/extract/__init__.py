"""Facts about a published review, read from its plain text by rules, each with the passage it
came from. No Django here: the library's ingest, its `extract` command and the evaluation all call
`extract_facts`.

    facts = extract_facts(extracted.text, pages=[(page.number, offset), ...], filename=name)
    facts.values["relationship_category"], facts.evidence["relationship_category"].passage

Every key of `FACT_KEYS` is in `values`, None where the document does not say. Accuracy on real
published reviews and on generated reports is measured by `lantern.library.evaluation` and written
in docs/library-extraction.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lantern.library.extract.counts import extract_agencies_count, stated_recommendation_counts
from lantern.library.extract.death import (
    extract_death_type,
    extract_death_year,
    extract_report_year,
)
from lantern.library.extract.flags import FLAG_CODES, People, extract_flags
from lantern.library.extract.partnership import extract_csp
from lantern.library.extract.people import (
    AGE_BANDS,
    age_band,
    extract_age_band,
    extract_pseudonym,
    extract_relationship,
    extract_sex,
)
from lantern.library.extract.recommendations import (
    ADDRESSEES,
    RECOMMENDATION_THEMES,
    extract_recommendations,
)
from lantern.library.extract.text import Document, Evidence

# Raise when a rule changes what is extracted, so stored extractions can be refreshed.
EXTRACTOR_VERSION = "1"

FACT_KEYS = (
    "csp", "year", "report_year", "pseudonym", "victim_sex", "victim_age_band",
    "relationship_category", "death_type", "agencies_count", "overarching_recommendations",
    "single_agency_recommendations", "themes", "recommendations",
)  # fmt: skip
RELATIONSHIP_CATEGORIES = (
    "current_partner", "former_partner", "son_or_daughter", "grandchild", "parent", "sibling",
    "other_relative", "household_member",
)  # fmt: skip
DEATH_TYPES = ("homicide", "suicide", "other", "unknown")
VICTIM_SEXES = ("female", "male")
AGE_BAND_CODES = tuple(band for _, _, band in AGE_BANDS)

__all__ = [
    "ADDRESSEES", "AGE_BAND_CODES", "DEATH_TYPES", "EXTRACTOR_VERSION", "FACT_KEYS", "FLAG_CODES",
    "RECOMMENDATION_THEMES", "RELATIONSHIP_CATEGORIES", "VICTIM_SEXES", "Evidence", "Facts",
    "age_band", "extract_facts",
]  # fmt: skip


@dataclass
class Facts:
    values: dict[str, Any]
    evidence: dict[str, Evidence] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The JSON object of `lantern library extract FILE --json`: every fact key, plus the
        evidence of each fact found ({"page", "start", "end", "passage"})."""
        data = {key: self.values.get(key) for key in FACT_KEYS}
        data["evidence"] = {key: ev.as_dict() for key, ev in self.evidence.items()}
        return data


def extract_facts(
    text: str, *, pages: list[tuple[int, int]] | None = None, filename: str = ""
) -> Facts:
    """The facts of one document's plain text. `pages` are (page number, start offset) pairs, so
    each Evidence names its page. `filename` is not read for facts; it is there for messages."""
    doc = Document(text, pages)
    values: dict[str, Any] = dict.fromkeys(FACT_KEYS)
    evidence: dict[str, Evidence] = {}

    def put(key: str, value: Any, ev: Evidence | None) -> None:
        values[key] = value
        if value is not None and ev is not None:
            evidence[key] = ev

    put("csp", *extract_csp(doc))
    year, year_ev = extract_death_year(doc)
    put("year", year, year_ev)
    put("report_year", *extract_report_year(doc, year))
    victim = extract_pseudonym(doc)
    put("pseudonym", victim.pseudonym, victim.pseudonym_evidence)
    put("victim_sex", *extract_sex(doc, victim))
    put("victim_age_band", *extract_age_band(doc, victim))
    put("relationship_category", *extract_relationship(doc))
    put("death_type", *extract_death_type(doc))
    put("agencies_count", *extract_agencies_count(doc))

    recommendations = extract_recommendations(doc)
    stated_overarching, stated_single = stated_recommendation_counts(doc)
    if stated_overarching:
        put("overarching_recommendations", *stated_overarching)
    elif recommendations.items:
        put(
            "overarching_recommendations",
            recommendations.overarching,
            recommendations.overarching_evidence or recommendations.evidence,
        )
    if stated_single:
        put("single_agency_recommendations", *stated_single)
    elif recommendations.single is not None:
        put(
            "single_agency_recommendations",
            recommendations.single,
            recommendations.single_evidence or recommendations.evidence,
        )
    put("recommendations", recommendations.items, recommendations.evidence)

    people = People(
        victim=values["pseudonym"],
        victim_sex=values["victim_sex"],
        perpetrators=victim.perpetrator_names,
        relationship=values["relationship_category"],
        age_band=values["victim_age_band"],
        death_type=values["death_type"],
    )
    themes, theme_evidence = extract_flags(doc, people)
    values["themes"] = themes
    if themes:
        first = next((theme_evidence[c] for c in themes if c in theme_evidence), None)
        if first:
            evidence["themes"] = first
        for code, ev in theme_evidence.items():
            evidence[f"themes.{code}"] = ev
    return Facts(values=values, evidence=evidence)
