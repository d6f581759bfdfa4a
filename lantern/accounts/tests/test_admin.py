"""The Django admin at /reference-data/ holds reference data only, for administrators only."""

from __future__ import annotations

import pytest
from django.contrib import admin

from lantern.accounts.models import Organisation
from lantern.core.models import AuditEvent
from lantern.reviews.models import ReviewType

INDEX = "/reference-data/"


def test_only_organisations_and_review_types_are_registered() -> None:
    assert set(admin.site._registry) == {Organisation, ReviewType}


@pytest.fixture
def staff_admin(cast):  # noqa: ANN001, ANN201
    cast.admin.is_staff = True
    cast.admin.save(update_fields=["is_staff"])
    return cast.admin


@pytest.mark.django_db
def test_an_administrator_who_is_staff_sees_reference_data_and_nothing_else(
    client, staff_admin
) -> None:
    client.force_login(staff_admin)
    response = client.get(INDEX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "/reference-data/accounts/organisation/" in html
    assert "/reference-data/reviews/reviewtype/" in html
    assert "auditevent" not in html.lower()
    assert "/reference-data/reviews/review/" not in html
    assert client.get("/reference-data/core/auditevent/").status_code == 404
    assert client.get("/reference-data/reviews/review/").status_code == 404
    assert client.get("/reference-data/otp_totp/totpdevice/").status_code == 404
    assert client.get("/reference-data/accounts/organisation/").status_code == 200


@pytest.mark.django_db
def test_adding_an_organisation_is_audited(client, staff_admin) -> None:
    client.force_login(staff_admin)
    response = client.post(
        "/reference-data/accounts/organisation/add/",
        {"name": "Northbridge Fire and Rescue", "type": "other"},
    )
    assert response.status_code == 302
    org = Organisation.objects.get(name="Northbridge Fire and Rescue")
    assert AuditEvent.objects.filter(
        actor=staff_admin, object_id=str(org.pk), action=AuditEvent.Action.CREATE
    ).exists()
    # Only a superuser deletes reference data.
    assert client.get(f"/reference-data/accounts/organisation/{org.pk}/delete/").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "board_member", "chair", "admin"])
def test_others_are_refused(client, cast, role: str) -> None:
    user = getattr(cast, role)
    user.is_staff = role != "admin"  # staff alone is not enough; nor is the admin role alone
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    response = client.get(INDEX, follow=True)
    assert response.status_code == 403
    assert client.get("/reference-data/accounts/organisation/", follow=True).status_code == 403


@pytest.mark.django_db
def test_a_superuser_may_enter(client, cast) -> None:
    cast.chair.is_superuser = True
    cast.chair.save(update_fields=["is_superuser"])
    client.force_login(cast.chair)
    assert client.get(INDEX).status_code == 200


@pytest.mark.django_db
def test_signing_in_happens_on_lanterns_own_page(client) -> None:
    response = client.get(INDEX, follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=")
    assert b'for="id_username"' in response.content
