"""The accounts API: who you are, reference data, and managing accounts within your scope."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from lantern.accounts.models import ApiToken, OrgRole, User
from lantern.accounts.services import api_token_create
from lantern.core.models import AuditEvent
from lantern.testing.factories import CspFactory

pytestmark = pytest.mark.django_db


def call(user: Any, method: str, path: str, body: Any = None, **params: Any) -> Any:
    _token, raw = api_token_create(user=user, by=user, name="tests")
    headers = {"Authorization": f"Bearer {raw}"}
    if method == "get":
        return Client().get(path, params, headers=headers)
    return getattr(Client(), method)(
        path, data=json.dumps(body or {}), content_type="application/json", headers=headers
    )


# --- /me and /organisations --------------------------------------------------------------------


def test_me_names_the_caller_and_their_roles_on_the_reviews_they_can_see(cast: Any) -> None:
    chair = call(cast.chair, "get", "/api/me").json()
    assert chair["username"] == "chair"
    assert chair["org_role"] == ""
    assert chair["reviews"] == [
        {
            "reference": cast.review.reference,
            "title": cast.review.title,
            "stage": "notified",
            "roles": ["chair"],
        }
    ]
    coordinator = call(cast.coordinator, "get", "/api/me").json()
    assert coordinator["organisation"]["name"] == cast.csp.name
    assert coordinator["reviews"][0]["roles"] == ["coordinator"]
    assert call(cast.agency_author, "get", "/api/me").json()["reviews"][0]["roles"] == [
        "agency_author"
    ]
    assert call(cast.outsider, "get", "/api/me").json()["reviews"] == []
    assert Client().get("/api/me").status_code == 401


def test_organisations_are_reference_data_for_anyone_signed_in(cast: Any) -> None:
    everything = call(cast.agency_author, "get", "/api/organisations").json()
    names = {o["name"] for o in everything}
    assert {cast.csp.name, cast.police.name, cast.housing.name} <= names
    csps = call(cast.agency_author, "get", "/api/organisations", type="csp").json()
    assert all(o["is_csp"] and o["type_label"] == "Community Safety Partnership" for o in csps)
    assert cast.police.name not in {o["name"] for o in csps}
    assert call(cast.chair, "get", "/api/organisations", type="spaceport").status_code == 422
    assert Client().get("/api/organisations").status_code == 401


# --- /users ------------------------------------------------------------------------------------


def test_only_managers_list_users_and_only_within_their_scope(cast: Any) -> None:
    listed = call(cast.coordinator, "get", "/api/users").json()
    names = {u["username"] for u in listed["items"]}
    assert {"coordinator", "chair", "panel_member", "agency_author", "board_member"} <= names
    assert "outsider" not in names

    outsider = call(cast.outsider, "get", "/api/users").json()
    assert [u["username"] for u in outsider["items"]] == ["outsider"]

    for name in ("chair", "panel_member", "board_member"):
        response = call(getattr(cast, name), "get", "/api/users")
        assert response.status_code == 403, name

    admin = call(cast.admin, "get", "/api/users").json()
    assert "outsider" in {u["username"] for u in admin["items"]}


def test_a_coordinator_creates_an_account_and_sees_its_password_once(cast: Any) -> None:
    body = {
        "username": "imr.author",
        "organisation": cast.housing.name,
        "first_name": "Priya",
        "last_name": "Shah",
        "email": "priya@example.org",
    }
    response = call(cast.coordinator, "post", "/api/users", body)
    assert response.status_code == 201, response.content
    data = response.json()
    user = User.objects.get(username="imr.author")
    assert user.organisation == cast.housing and user.org_role == ""
    assert user.check_password(data["one_time_password"])
    assert data["user"]["name"] == "Priya Shah"
    assert AuditEvent.objects.filter(object_id=str(user.pk), action="create").exists()

    again = call(cast.coordinator, "post", "/api/users", body)
    assert again.status_code == 422 and "username" in again.json()["errors"]
    assert call(cast.chair, "post", "/api/users", {**body, "username": "x"}).status_code == 403
    assert not User.objects.filter(username="x").exists()


def test_a_coordinator_cannot_create_staff_of_another_partnership(cast: Any) -> None:
    other = CspFactory(name="Southmoor Community Safety Partnership")
    body = {"username": "spy", "org_role": "board_member", "organisation": other.name}
    response = call(cast.coordinator, "post", "/api/users", body)
    assert response.status_code == 422 and "organisation" in response.json()["errors"]
    assert not User.objects.filter(username="spy").exists()

    own = call(cast.coordinator, "post", "/api/users", {**body, "organisation": cast.csp.pk})
    assert own.status_code == 201
    assert User.objects.get(username="spy").org_role == OrgRole.BOARD_MEMBER

    admin = call(cast.coordinator, "post", "/api/users", {"username": "root", "org_role": "admin"})
    assert admin.status_code == 403


def test_deactivating_an_account_stops_its_tokens(cast: Any) -> None:
    _token, raw = api_token_create(user=cast.agency_author, by=cast.agency_author, name="laptop")
    response = call(
        cast.coordinator, "post", "/api/users/agency_author/deactivate", {"reason": "Left"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False
    cast.agency_author.refresh_from_db()
    assert not cast.agency_author.is_active
    assert not ApiToken.objects.filter(user=cast.agency_author, revoked_at__isnull=True).exists()
    stale = Client().get("/api/me", headers={"Authorization": f"Bearer {raw}"})
    assert stale.status_code == 401


def test_deactivation_is_refused_outside_the_managers_scope(cast: Any) -> None:
    path = "/api/users/{}/deactivate"
    body = {"reason": "Because"}
    assert call(cast.outsider, "post", path.format("chair"), body).status_code == 404
    assert call(cast.coordinator, "post", path.format("no-one"), body).status_code == 404
    assert call(cast.coordinator, "post", path.format("admin"), body).status_code == 403
    assert call(cast.coordinator, "post", path.format("coordinator"), body).status_code == 403
    assert call(cast.chair, "post", path.format("panel_member"), body).status_code == 403
    missing = call(cast.coordinator, "post", path.format("chair"), {})
    assert missing.status_code == 422 and "reason" in missing.json()["errors"]
    assert User.objects.filter(is_active=False).count() == 0
