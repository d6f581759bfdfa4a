"""A review commissioned jointly by two partnerships (or with a Safeguarding Adults Board):
both see it; a third partnership does not; only the lead decides who is in."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from lantern.accounts.models import Organisation, OrgRole
from lantern.reviews.access import Cap, capabilities, reviews_visible_to
from lantern.reviews.services import review_set_co_commissioners
from lantern.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners(cast: Any) -> dict[str, Any]:
    southmoor = Organisation.objects.get(name="Southmoor Community Safety Partnership")
    sab = Organisation.objects.create(
        name="Northbridge Safeguarding Adults Board",
        type=Organisation.Type.SAFEGUARDING_ADULTS_BOARD,
    )
    eastvale = Organisation.objects.create(name="Eastvale CSP", type=Organisation.Type.CSP)
    return {
        "southmoor": southmoor,
        "sab": sab,
        "sab_coordinator": UserFactory(
            username="sab_coordinator", organisation=sab, org_role=OrgRole.COORDINATOR
        ),
        "sab_board": UserFactory(
            username="sab_board", organisation=sab, org_role=OrgRole.BOARD_MEMBER
        ),
        "eastvale_coordinator": UserFactory(
            username="eastvale_coordinator", organisation=eastvale, org_role=OrgRole.COORDINATOR
        ),
    }


def test_co_commissioners_see_the_review_as_the_lead_does(
    cast: Any, partners: dict[str, Any]
) -> None:
    review = cast.review
    assert not capabilities(user=partners["sab_coordinator"], review=review)
    review_set_co_commissioners(
        review=review, by=cast.coordinator, organisations=[partners["sab"], partners["southmoor"]]
    )
    assert capabilities(user=partners["sab_coordinator"], review=review) == capabilities(
        user=cast.coordinator, review=review
    )
    assert capabilities(user=partners["sab_board"], review=review) == capabilities(
        user=cast.board_member, review=review
    )
    assert Cap.VIEW_REAL_NAMES not in capabilities(user=partners["sab_board"], review=review)
    # The outsider fixture is Southmoor's coordinator: now a co-commissioner too.
    assert review in reviews_visible_to(user=cast.outsider)
    assert review in reviews_visible_to(user=partners["sab_coordinator"])
    assert review not in reviews_visible_to(user=partners["eastvale_coordinator"])
    assert not capabilities(user=partners["eastvale_coordinator"], review=review)


def test_pages_for_each_partnership(cast: Any, partners: dict[str, Any]) -> None:
    review_set_co_commissioners(
        review=cast.review, by=cast.coordinator, organisations=[partners["sab"]]
    )
    url = f"/reviews/{cast.review.reference}/"
    sab = Client()
    sab.force_login(partners["sab_coordinator"])
    assert sab.get(url).status_code == 200
    assert cast.review.reference in sab.get("/reviews/").content.decode()
    third = Client()
    third.force_login(partners["eastvale_coordinator"])
    assert third.get(url).status_code == 404
    assert cast.review.reference not in third.get("/reviews/").content.decode()
    # The co-commissioner may edit the notification, but not who commissions the review.
    edit = sab.get(f"{url}edit/").content.decode()
    assert "Commissioned jointly with" not in edit
    lead = Client()
    lead.force_login(cast.coordinator)
    assert "Commissioned jointly with" in lead.get(f"{url}edit/").content.decode()


def test_only_the_lead_partnership_decides(cast: Any, partners: dict[str, Any]) -> None:
    review_set_co_commissioners(
        review=cast.review, by=cast.coordinator, organisations=[partners["sab"]]
    )
    with pytest.raises(PermissionDenied):
        review_set_co_commissioners(
            review=cast.review, by=partners["sab_coordinator"], organisations=[]
        )
    with pytest.raises(ValidationError) as refused:
        review_set_co_commissioners(
            review=cast.review, by=cast.coordinator, organisations=[cast.police, cast.csp]
        )
    message = str(refused.value)
    assert "Northbridge Police" in message and "Northbridge Community Safety" in message
    assert list(cast.review.co_commissioners.all()) == [partners["sab"]]


def test_api(cast: Any, partners: dict[str, Any]) -> None:
    client = Client()
    client.force_login(cast.coordinator)
    url = f"/api/reviews/{cast.review.reference}"
    response = client.patch(
        url,
        json.dumps({"co_commissioners": ["Northbridge Safeguarding Adults Board"]}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert [o["name"] for o in response.json()["co_commissioners"]] == [
        "Northbridge Safeguarding Adults Board"
    ]
    bad = client.patch(
        url,
        json.dumps({"co_commissioners": ["Northbridge Police"]}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert "co_commissioners" in bad.json()["errors"]
    sab = Client()
    sab.force_login(partners["sab_coordinator"])
    assert sab.get(url).status_code == 200
