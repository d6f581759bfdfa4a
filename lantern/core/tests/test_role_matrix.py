"""Every role against every review URL: what each may read follows the capability table.

Each review page and API resource is listed, in its app's tests/route_capabilities.py, with the
capability its GET needs. A new review URL
that is not listed here fails `test_every_review_route_is_classified`, so its access rule has to
be decided, not left to chance.
"""

from __future__ import annotations

import pytest

from lantern.conftest import ROLES
from lantern.core.tests.test_outsider_sweep import _fill, review_routes
from lantern.reviews.access import capabilities


def _registry() -> dict[str, str | None]:
    """Each app lists its review routes in `<app>/tests/route_capabilities.py`."""
    import importlib

    merged: dict[str, str | None] = {}
    for app in (
        "reviews",
        "chronology",
        "recommendations",
        "documents",
        "anonymisation",
        "publishing",
        "library",
    ):
        try:
            module = importlib.import_module(f"lantern.{app}.tests.route_capabilities")
        except ModuleNotFoundError:
            continue
        merged.update(module.READ_CAPABILITY)
    return merged


READ_CAPABILITY = _registry()


def _without_ids() -> list[str]:
    return [r for r in review_routes() if "<int:" not in r and "<id>" not in r]


def test_every_review_route_is_classified() -> None:
    missing = sorted(set(_without_ids()) - set(READ_CAPABILITY))
    assert not missing, f"Decide the read capability for: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_exactly_what_its_capabilities_allow(client, cast, role) -> None:
    user = getattr(cast, role)
    caps = capabilities(user=user, review=cast.review)
    client.force_login(user)
    wrong = []
    for route, need in READ_CAPABILITY.items():
        response = client.get(_fill(route, cast.review.reference))
        if not caps:
            expected = {404}
        elif need is None:
            expected = {302, 403, 405}
        else:
            expected = {200} if need in caps else {403}
        if response.status_code not in expected:
            wrong.append(f"{route}: {response.status_code}, expected {sorted(expected)}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


@pytest.mark.django_db
def test_roles_see_the_review_they_should(cast) -> None:
    seen = {
        role: bool(capabilities(user=getattr(cast, role), review=cast.review)) for role in ROLES
    }
    assert seen == {
        "coordinator": True,
        "chair": True,
        "author": True,
        "panel_member": True,
        "agency_author": True,
        "other_agency_author": True,
        "board_member": True,
        "outsider": False,
        "admin": False,
    }
