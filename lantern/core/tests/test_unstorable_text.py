"""Text no database column can hold (a NUL character, an unpaired surrogate) is refused at the
door, the same on SQLite and PostgreSQL: 422 naming the field from the API, 400 from pages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from lantern.reviews.models import Person

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_api_json_with_a_nul_is_refused_naming_the_field(cast: Any) -> None:
    client = _client(cast.coordinator)
    before = Person.objects.count()
    body = json.dumps({"role": "other", "pseudonym": "Sam", "aliases": ["ok", "bad\u0000"]})
    response = client.post(
        f"/api/reviews/{cast.review.reference}/people", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert "aliases.1" in response.json()["errors"]
    assert Person.objects.count() == before


def test_api_json_with_a_lone_surrogate_is_refused(cast: Any) -> None:
    client = _client(cast.coordinator)
    body = '{"role": "other", "pseudonym": "S\\udbddam"}'
    response = client.post(
        f"/api/reviews/{cast.review.reference}/people", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert "pseudonym" in response.json()["errors"]


def test_good_unicode_goes_through(cast: Any) -> None:
    client = _client(cast.coordinator)
    body = json.dumps({"role": "other", "pseudonym": "Siân Ó Briain 👩🏽"})
    response = client.post(
        f"/api/reviews/{cast.review.reference}/people", body, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert Person.objects.filter(pseudonym="Siân Ó Briain 👩🏽").exists()


def test_pages_refuse_a_nul_in_the_address_or_a_form(cast: Any) -> None:
    client = _client(cast.coordinator)
    page = client.get(f"/reviews/{cast.review.reference}/chronology/", {"q": "a\x00b"})
    assert page.status_code == 400 and b"q:" in page.content
    form = client.post(
        f"/reviews/{cast.review.reference}/people/new/", {"role": "other", "pseudonym": "x\x00"}
    )
    assert form.status_code == 400
