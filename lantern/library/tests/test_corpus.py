"""The generator of fictional full-length reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from lantern.core.textextract import extract_text
from lantern.library.corpus import EVALUATION_SEED_BASE, FORMATS, generate_corpus, generate_report
from lantern.library.extract import FACT_KEYS, FLAG_CODES, RELATIONSHIP_CATEGORIES


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_same_seed_gives_the_same_file(fmt: str) -> None:
    first, second = generate_report(5, fmt=fmt), generate_report(5, fmt=fmt)
    assert first.data == second.data
    assert first.facts == second.facts
    assert first.filename == second.filename and first.filename.endswith(f".{fmt}")


def test_different_seeds_give_different_reports() -> None:
    reports = [generate_report(seed, fmt="txt") for seed in range(6)]
    assert len({r.data for r in reports}) == 6
    assert len({r.facts["csp"] for r in reports}) > 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_report_reads_back_as_about_five_thousand_words_stating_its_facts(fmt: str) -> None:
    report = generate_report(21, fmt=fmt)
    extracted = extract_text(report.data, filename=report.filename)
    words = len(extracted.text.split())
    assert 4500 <= report.words <= 5600
    assert 4300 <= words <= 6000, words
    facts = report.facts
    assert set(FACT_KEYS) <= set(facts)
    assert facts["csp"] in extracted.text
    assert facts["pseudonym"] in extracted.text
    assert facts["relationship_category"] in RELATIONSHIP_CATEGORIES
    assert set(facts["themes"]) <= set(FLAG_CODES)
    texts = " ".join(extracted.text.split())
    for recommendation in facts["recommendations"]:
        assert recommendation["text"] in texts


def test_the_facts_hang_together() -> None:
    for seed in range(40):
        facts = generate_report(seed, fmt="txt").facts
        assert facts["report_year"] > facts["year"]
        assert facts["overarching_recommendations"] + (
            facts["single_agency_recommendations"] or 0
        ) == len(facts["recommendations"])
        if facts["victim_age_band"] == "65+":
            assert "older_victim" in facts["themes"]
        if facts["death_type"] == "suicide":
            assert "suicide_risk" in facts["themes"]
        if "covid" in facts["themes"]:
            assert facts["year"] in (2020, 2021)


def test_a_corpus_mixes_formats_and_is_written_to_disk(tmp_path: Path) -> None:
    reports = generate_corpus(tmp_path, 8, seed=100)
    assert [r.filename.rsplit(".", 1)[1] for r in reports[:4]] == ["docx", "pdf", "html", "txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(r.filename for r in reports)
    assert (tmp_path / reports[0].filename).read_bytes() == reports[0].data


def test_evaluation_seeds_can_use_wordings_tuning_seeds_never_do() -> None:
    from lantern.library.corpus.generator import Writer

    options = ("a", "b", "held back")
    tuning = {Writer(seed).pick(options) for seed in range(60)}
    evaluation = {Writer(EVALUATION_SEED_BASE + seed).pick(options) for seed in range(60)}
    assert "held back" not in tuning
    assert "held back" in evaluation


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        generate_report(1, fmt="rtf")
