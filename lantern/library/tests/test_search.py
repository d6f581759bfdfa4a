"""Full-text and meaning-based search, filters on facts, similar reviews, and the counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lantern.library import fulltext, selectors, services
from lantern.library.tests.reports import Report

pytestmark = pytest.mark.django_db


def test_fulltext_finds_the_words_with_a_marked_snippet_and_page(two_reports: list) -> None:
    kerry, margaret = two_reports
    result = selectors.search("MARAC DASH")
    assert [h.document for h in result.hits] == [kerry]
    snippet = result.hits[0].snippet
    assert f"{fulltext.MARK_START}MARAC{fulltext.MARK_END}" in snippet
    assert result.hits[0].as_dict()["snippet"] == fulltext.plain(snippet)
    assert "\ue000" not in result.hits[0].as_dict()["snippet"]


def test_scores_run_from_0_to_1_best_first(two_reports: list) -> None:
    for semantic in (False, True):
        result = selectors.search("psychosis MARAC separated", semantic_mode=semantic)
        scores = [h.score for h in result.hits]
        assert scores, semantic
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert scores == sorted(scores, reverse=True)
    full = selectors.search("psychosis MARAC separated")
    assert full.hits[0].score == 1.0
    assert full.any_term  # no one review has every word


def test_stemming_and_phrases(two_reports: list) -> None:
    kerry, margaret = two_reports
    assert [h.document for h in selectors.search("separating").hits] == [kerry]
    assert [h.document for h in selectors.search('"mental health trust"').hits] == [margaret]
    assert selectors.search('"health mental trust"').hits == []


def test_query_syntax_is_never_an_error(two_reports: list) -> None:
    for query in ('"unclosed', "NEAR(", "a AND OR", "*", "-police", "colon:thing", "the"):
        selectors.search(query)  # does not raise


def test_filters_on_facts(two_reports: list) -> None:
    kerry, margaret = two_reports
    assert list(selectors.filter_documents({"relationship": "former_partner"})) == [kerry]
    assert list(selectors.filter_documents({"age_band": "65+"})) == [margaret]
    assert list(selectors.filter_documents({"year": "2015-2017"})) == [margaret]
    assert list(selectors.filter_documents({"year": "2019"})) == [kerry]
    assert list(selectors.filter_documents({"csp": "southmoor"})) == [margaret]
    assert list(selectors.filter_documents({"theme": "marac,dash"})) == [kerry]
    assert list(selectors.filter_documents({"addressee": "police"})) == [kerry]
    assert list(selectors.filter_documents({"death_type": "homicide"}).order_by("id")) == [
        kerry,
        margaret,
    ]
    # A search with a filter looks only at the matching documents.
    assert [h.document for h in selectors.search("training", filters={"year": "2016"}).hits] == [
        margaret
    ]


def test_a_bad_filter_is_refused_naming_it(two_reports: list) -> None:
    with pytest.raises(ValidationError) as error:
        selectors.filter_documents({"colour": "blue"})
    assert "colour" in error.value.message_dict
    with pytest.raises(ValidationError):
        selectors.filter_documents({"theme": "nonsense"})
    with pytest.raises(ValidationError):
        selectors.filter_documents({"year": "last year"})
    with pytest.raises(ValidationError):
        selectors.parse_filters(["theme"])


def test_semantic_search_finds_meaning_in_other_words(system: Any) -> None:
    """Enough reviews for LSA: the one about a mother killed by her son who misused alcohol
    comes first for a query that uses none of its exact phrasing."""
    variants = []
    for i in range(12):
        variants.append(
            Report(
                pseudonym=f"Person{i}",
                csp=f"Area {i} Community Safety Partnership",
                story=[
                    "She had separated from him and he stalked her, following her car and "
                    "sending threatening messages.",
                    f"The police attended {i + 2} incidents and completed DASH risk assessments.",
                ],
            )
        )
    for i in range(4):
        variants.append(
            Report(
                pseudonym=f"Elder{i}",
                csp=f"Shire {i} Community Safety Partnership",
                age=80,
                relationship="son",
                story=[
                    "Her son drank heavily and misused alcohol; he was her carer and lived with "
                    "her. His drinking grew worse after he lost his job.",
                    "The GP knew about his alcohol dependency but not about the abuse.",
                ],
            )
        )
    for i, report in enumerate(variants):
        assert (
            services.document_ingest(data=report.as_txt(), filename=f"r{i}.txt", by=system).status
            == "stored"
        )
    services.semantic_update()
    hits = selectors.search("elderly mother harmed by her alcoholic son", semantic_mode=True).hits
    elders = {"r12.txt", "r13.txt", "r14.txt", "r15.txt"}
    assert hits[0].document.filename in elders
    assert {h.document.filename for h in hits[:4]} == elders
    similar = selectors.similar_documents(document=hits[0].document, limit=3)
    assert {h.document.filename for h in similar} <= elders
    assert hits[0].document not in [h.document for h in similar]


def test_new_documents_are_encoded_with_the_current_model_until_a_refit(
    two_reports: list, system: Any
) -> None:
    first = services.current_index()
    services.document_ingest(
        data=Report(pseudonym="Zara", csp="Westvale Community Safety Partnership").as_txt(),
        filename="zara.txt",
        by=system,
    )
    outcome = services.semantic_update()
    assert outcome["action"] == "refit"  # the library grew by half
    assert services.current_index().version == first.version + 1
    again = services.semantic_update()
    assert again == {**again, "action": "encode", "passages": 0}


def test_stats_count_themes_relationships_years_and_recommendations(two_reports: list) -> None:
    stats = selectors.library_stats()
    assert stats["documents"] == 2
    themes = {r["code"]: r for r in stats["themes"]}
    assert themes["marac"]["count"] == 1 and themes["marac"]["percent"] == 50.0
    assert themes["honour_based_abuse"]["count"] == 0
    rel = {r["code"]: r["count"] for r in stats["relationship_category"]}
    assert rel["former_partner"] == 1 and rel["son_or_daughter"] == 1
    assert stats["years"] == [{"year": 2016, "count": 1}, {"year": 2019, "count": 1}]
    recs = stats["recommendations"]
    assert recs["total"] == 4
    assert {r["code"]: r["count"] for r in recs["by_addressee"]}["csp"] == 2
    recurring = stats["recurring_recommendations"]
    assert len(recurring) == 1
    assert recurring[0]["documents"] == 2
    assert "training on coercive control" in recurring[0]["text"]
    comparison = {c["code"]: c for c in stats["home_office_comparison"]}
    assert comparison["intimate_partner"]["count"] == 1
    assert comparison["intimate_partner"]["of"] == 2
    assert comparison["intimate_partner"]["home_office_percent"] == 51.0


def test_stats_follow_corrections_and_filters(two_reports: list, system: Any) -> None:
    kerry, _margaret = two_reports
    services.fact_correct(document=kerry, field="year", value=2016, by=system)
    stats = selectors.library_stats()
    assert stats["years"] == [{"year": 2016, "count": 2}]
    assert selectors.library_stats(filters={"relationship": "son_or_daughter"})["documents"] == 1
