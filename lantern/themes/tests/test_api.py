"""The themes API as mounted in the project (tests/urls.py names the prefix), with the
project's own authentication and error handlers."""

from __future__ import annotations

from typing import Any

import pytest

from lantern.chronology.models import ThemeTag
from lantern.core.models import AuditEvent
from lantern.themes.services import suggest_for
from lantern.themes.tests.conftest import share_with_panel
from lantern.themes.tests.urls import PREFIX

pytestmark = [pytest.mark.django_db, pytest.mark.urls("lantern.themes.tests.urls")]

STRANGLED = "She said he put his hands round her neck and she could not breathe."


def tags_url(reference: str, entry_id: int) -> str:
    return f"{PREFIX}/reviews/{reference}/chronology/entries/{entry_id}/tags"


def tag_url(reference: str, tag_id: int) -> str:
    return f"{PREFIX}/reviews/{reference}/chronology/tags/{tag_id}"


@pytest.fixture
def tagged(cast: Any, entry: Any) -> Any:
    item = entry(STRANGLED)
    suggest_for(review=cast.review)
    return item


def test_members_who_see_the_entry_list_its_tags(client: Any, cast: Any, tagged: Any) -> None:
    client.force_login(cast.author)
    response = client.get(tags_url(cast.review.reference, tagged.pk))
    assert response.status_code == 200
    body = response.json()
    found = {t["theme"]: t for t in body}
    assert found["strangulation"]["status"] == "suggested"
    assert found["strangulation"]["top_level"] == "domestic_abuse"
    assert found["strangulation"]["label"] == "Strangulation, choking or suffocation"
    assert found["strangulation"]["source"] == "tagger"
    event = AuditEvent.objects.filter(action=AuditEvent.Action.READ).latest("id")
    assert event.actor == cast.author and event.object_id == str(tagged.pk)


def test_reading_tags_follows_who_may_see_the_entry(client: Any, cast: Any, tagged: Any) -> None:
    url = tags_url(cast.review.reference, tagged.pk)
    expected = {
        "outsider": 404,  # not a member: nothing about the review exists
        "board_member": 403,  # a member without sight of chronologies
        "other_agency_author": 404,  # a housing author cannot see a police entry
        "agency_author": 200,  # the police author sees the police entry
        "panel_member": 200,  # the panel member is from the police
        "chair": 200,
        "coordinator": 200,
    }
    for role, status in expected.items():
        client.force_login(getattr(cast, role))
        assert client.get(url).status_code == status, role


def test_a_panel_member_sees_another_agency_entry_once_it_is_shared(
    client: Any, cast: Any, entry: Any
) -> None:
    item = entry("Notice seeking possession served for rent arrears.", agency=cast.housing)
    url = tags_url(cast.review.reference, item.pk)
    client.force_login(cast.panel_member)
    assert client.get(url).status_code == 404
    share_with_panel(cast.review, cast.housing)
    assert client.get(url).status_code == 200


def test_chair_confirms_and_rejects_panel_member_may_not(
    client: Any, cast: Any, tagged: Any
) -> None:
    tag = ThemeTag.objects.get(entry=tagged, theme="strangulation")
    url = tag_url(cast.review.reference, tag.pk)
    client.force_login(cast.panel_member)
    response = client.patch(url, {"status": "confirmed"}, content_type="application/json")
    assert response.status_code == 403
    client.force_login(cast.outsider)
    response = client.patch(url, {"status": "confirmed"}, content_type="application/json")
    assert response.status_code == 404
    client.force_login(cast.chair)
    response = client.patch(url, {"status": "rejected"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert response.json()["decided_by"] == "chair"
    response = client.patch(url, {"status": "maybe"}, content_type="application/json")
    assert response.status_code == 422
    tag.refresh_from_db()
    assert tag.status == ThemeTag.Status.REJECTED


def test_a_tag_of_another_review_is_not_found(client: Any, cast: Any, tagged: Any) -> None:
    from lantern.testing.factories import ReviewFactory, add_member

    other = ReviewFactory(csp=cast.csp)
    add_member(other, cast.chair, "chair")
    tag = ThemeTag.objects.filter(entry=tagged).first()
    client.force_login(cast.chair)
    response = client.patch(
        tag_url(other.reference, tag.pk), {"status": "confirmed"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_adding_a_theme(client: Any, cast: Any, tagged: Any) -> None:
    url = tags_url(cast.review.reference, tagged.pk)
    client.force_login(cast.author)
    response = client.post(url, {"theme": "coercive_control"}, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["status"] == "confirmed"
    assert response.json()["source"] == "person"
    response = client.post(url, {"theme": "made_up"}, content_type="application/json")
    assert response.status_code == 422
    assert "theme" in response.json()["errors"]
    client.force_login(cast.agency_author)
    response = client.post(url, {"theme": "weapons"}, content_type="application/json")
    assert response.status_code == 403
    assert not ThemeTag.objects.filter(entry=tagged, theme="weapons").exists()


def test_the_vocabulary_is_open_to_anyone_signed_in(client: Any, cast: Any) -> None:
    url = f"{PREFIX}/themes/vocabulary"
    assert client.get(url).status_code == 401
    client.force_login(cast.outsider)
    response = client.get(url)
    assert response.status_code == 200
    body = response.json()
    assert body["version"]
    tops = {t["code"]: t for t in body["themes"]}
    assert "domestic_abuse" in tops
    assert "coercive_control" in {c["code"] for c in tops["domestic_abuse"]["children"]}


def test_a_method_a_route_lacks_is_404_for_outsiders_and_405_for_members(
    client: Any, cast: Any, tagged: Any
) -> None:
    tag = ThemeTag.objects.filter(entry=tagged).first()
    url = tag_url(cast.review.reference, tag.pk)
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    client.force_login(cast.panel_member)
    response = client.get(url)
    assert response.status_code == 405 and response["Allow"] == "PATCH"
    response = client.delete(tags_url(cast.review.reference, tagged.pk))
    assert response.status_code == 405
    assert {m.strip() for m in response["Allow"].split(",")} == {"GET", "POST"}
