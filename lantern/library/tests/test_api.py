"""The library API: reading for everyone signed in, writing for editors, scores and shapes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from lantern.library.models import Document, IngestJob
from lantern.library.tests.reports import Report

pytestmark = pytest.mark.django_db
BASE = "/api/library"


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_reading_needs_a_signed_in_caller_unless_public(cast: Any, two_reports: list) -> None:
    assert Client().get(f"{BASE}/documents").status_code == 401
    with override_settings(LANTERN_LIBRARY_ACCESS="public"):
        assert Client().get(f"{BASE}/documents").status_code == 200
        found = Client().get(f"{BASE}/search", {"q": "MARAC"})
        assert found.status_code == 200 and found.json()["results"][0]["document"] == "kerry.txt"
        assert (
            Client()
            .post(f"{BASE}/documents/1/facts", {}, content_type="application/json")
            .status_code
            == 401
        )
    response = _as(cast.agency_author).get(f"{BASE}/documents", {"relationship": "former_partner"})
    assert [d["filename"] for d in response.json()] == ["kerry.txt"]


def test_document_detail_has_facts_evidence_and_corrections(cast: Any, two_reports: list) -> None:
    kerry = two_reports[0]
    api = _as(cast.coordinator)
    created = api.post(
        f"{BASE}/documents/{kerry.pk}/facts",
        {"field": "year", "value": 2018, "note": "inquest date"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["value"] == 2018
    detail = api.get(f"{BASE}/documents/{kerry.pk}").json()
    assert detail["facts"]["year"] == 2018
    assert detail["extracted"]["year"] == 2019
    assert detail["evidence"]["year"]["passage"]
    assert detail["corrections"][0]["by"] == "coordinator"
    pages = api.get(f"{BASE}/documents/{kerry.pk}/pages").json()
    assert pages[0]["number"] == 1 and "MARAC" in pages[0]["text"]


def test_corrections_are_for_editors_and_checked(cast: Any, two_reports: list) -> None:
    kerry = two_reports[0]
    url = f"{BASE}/documents/{kerry.pk}/facts"
    assert (
        _as(cast.chair)
        .post(url, {"field": "year", "value": 1}, content_type="application/json")
        .status_code
        == 403
    )
    bad = _as(cast.coordinator).post(
        url, {"field": "year", "value": "soon"}, content_type="application/json"
    )
    assert bad.status_code == 422 and "year" in bad.json()["errors"]
    unknown = _as(cast.coordinator).post(
        url, {"field": "colour", "value": "x"}, content_type="application/json"
    )
    assert unknown.status_code == 422


def test_search_results_shape_and_scores(cast: Any, two_reports: list) -> None:
    api = _as(cast.panel_member)
    for semantic in ("false", "true"):
        body = api.get(f"{BASE}/search", {"q": "MARAC psychosis", "semantic": semantic}).json()
        assert body["mode"] == ("semantic" if semantic == "true" else "fulltext")
        assert body["results"]
        for hit in body["results"]:
            assert {"document", "title", "score", "snippet"} <= set(hit)
            assert 0.0 <= hit["score"] <= 1.0
            assert "\ue000" not in hit["snippet"]
    filtered = api.get(f"{BASE}/search", {"q": "training", "year": "2016"}).json()
    assert [h["document"] for h in filtered["results"]] == ["margaret.txt"]
    bad = api.get(f"{BASE}/search", {"q": "x", "theme": "nonsense"})
    assert bad.status_code == 422


def test_stats(cast: Any, two_reports: list) -> None:
    stats = _as(cast.board_member).get(f"{BASE}/stats").json()
    assert stats["documents"] == 2
    assert stats["recurring_recommendations"][0]["documents"] == 2


def test_upload_runs_a_job(cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    refused = _as(cast.panel_member).post(
        f"{BASE}/ingest", {"files": [SimpleUploadedFile("a.txt", b"x")]}
    )
    assert refused.status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = _as(cast.coordinator).post(
            f"{BASE}/ingest", {"files": [SimpleUploadedFile("k.html", Report().as_html())]}
        )
    assert response.status_code == 202
    job = _as(cast.coordinator).get(f"{BASE}/ingest/{response.json()['id']}").json()
    assert job["status"] == "done" and job["results"][0]["status"] == "stored"
    assert Document.objects.get().format == "html"
    assert IngestJob.objects.count() == 1


def test_similar_to_a_live_review_is_for_its_members(cast: Any, two_reports: list) -> None:
    # The cast's perpetrator is the victim's former partner, as in Kerry's published review.
    cast.review.circumstances = "She had separated from him; MARAC had heard her case."
    cast.review.save()
    url = f"{BASE}/similar-to-review"
    assert _as(cast.outsider).get(url, {"review": cast.review.reference}).status_code == 404
    assert _as(cast.outsider).get(url, {"review": "NO-SUCH"}).status_code == 404
    hits = _as(cast.chair).get(url, {"review": cast.review.reference}).json()
    assert hits[0]["document"] == "kerry.txt"
