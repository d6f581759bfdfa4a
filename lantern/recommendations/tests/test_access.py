"""Every role against every recommendations page and API resource, with real object ids.

core/tests/test_role_matrix.py sweeps the routes without ids (listed in route_capabilities);
here the routes with an action, recommendation or evidence id are swept too.
"""

from __future__ import annotations

import pytest

from lantern.conftest import ROLES, Cast
from lantern.core.tests.test_outsider_sweep import review_routes
from lantern.recommendations import services
from lantern.recommendations.tests.conftest import Plan
from lantern.recommendations.tests.route_capabilities import READ_CAPABILITY
from lantern.reviews.access import Cap, capabilities

pytestmark = pytest.mark.django_db

WITH_IDS: dict[str, str] = {
    "reviews/<str:reference>/actions/recommendations/<int:rec_id>/": Cap.VIEW_ACTIONS,
    "reviews/<str:reference>/actions/recommendations/<int:rec_id>/edit/": Cap.EDIT_ACTIONS,
    "reviews/<str:reference>/actions/recommendations/<int:rec_id>/actions/new/": Cap.EDIT_ACTIONS,
    "reviews/<str:reference>/actions/<int:action_id>/": Cap.VIEW_ACTIONS,
    "reviews/<str:reference>/actions/<int:action_id>/edit/": Cap.EDIT_ACTIONS,
    "reviews/<str:reference>/actions/<int:action_id>/evidence/<int:evidence_id>/": (
        Cap.VIEW_ACTIONS
    ),
    "api/reviews/<reference>/recommendations/<id>": Cap.VIEW_ACTIONS,
    "api/reviews/<reference>/actions/<id>": Cap.VIEW_ACTIONS,
    "api/reviews/<reference>/actions/<id>/evidence/<evidence_id>": Cap.VIEW_ACTIONS,
}


def _fill(route: str, cast: Cast, plan: Plan, evidence_id: int) -> str:
    path = route.replace("<str:reference>", cast.review.reference)
    path = path.replace("<reference>", cast.review.reference)
    path = path.replace("<int:rec_id>", str(plan.rec1.pk))
    path = path.replace("<int:action_id>", str(plan.police_action.pk))
    path = path.replace("<int:evidence_id>", str(evidence_id))
    path = path.replace("<evidence_id>", str(evidence_id))
    if "recommendations/<id>" in path:
        path = path.replace("<id>", str(plan.rec1.pk))
    return "/" + path.replace("<id>", str(plan.police_action.pk))


def test_every_route_of_this_app_is_classified() -> None:
    prefixes = (
        "reviews/<str:reference>/actions/",
        "api/reviews/<reference>/recommendations",
        "api/reviews/<reference>/actions",
        "api/reviews/<reference>/action-plan/",
    )
    mine = [r for r in review_routes() if r.startswith(prefixes)]
    assert len(mine) > 20
    post_only = {
        "reviews/<str:reference>/actions/<int:action_id>/update/",
        "reviews/<str:reference>/actions/<int:action_id>/evidence/",
        "reviews/<str:reference>/actions/<int:action_id>/sign-off/",
        "api/reviews/<reference>/recommendations/<id>/actions",
        "api/reviews/<reference>/actions/<id>/progress",
        "api/reviews/<reference>/actions/<id>/evidence",
        "api/reviews/<reference>/actions/<id>/sign-off",
    }
    unclassified = set(mine) - set(READ_CAPABILITY) - set(WITH_IDS) - post_only
    assert not unclassified, sorted(unclassified)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_what_its_capabilities_allow(client, cast: Cast, plan: Plan, role) -> None:
    evidence = services.evidence_add(
        action=plan.police_action,
        by=cast.coordinator,
        note="Register",
        filename="register.txt",
        content=b"register",
    )
    user = getattr(cast, role)
    caps = capabilities(user=user, review=cast.review)
    client.force_login(user)
    wrong = []
    for route, need in {**READ_CAPABILITY, **WITH_IDS}.items():
        response = client.get(_fill(route, cast, plan, evidence.pk))
        if not caps:
            expected = {404}
        elif need is None:
            expected = {302, 403, 405}
        else:
            expected = {200} if need in caps else {403}
        if response.status_code not in expected:
            wrong.append(f"{route}: {response.status_code}, expected {sorted(expected)}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("role", ["outsider", "admin"])
def test_non_members_get_404_for_every_write(client, cast: Cast, plan: Plan, role: str) -> None:
    client.force_login(getattr(cast, role))
    ref, action, rec = cast.review.reference, plan.police_action.pk, plan.rec1.pk
    for path in (
        f"/reviews/{ref}/actions/{action}/update/",
        f"/reviews/{ref}/actions/{action}/evidence/",
        f"/reviews/{ref}/actions/{action}/sign-off/",
        f"/reviews/{ref}/actions/{action}/edit/",
        f"/reviews/{ref}/actions/recommendations/{rec}/edit/",
        f"/reviews/{ref}/actions/import/",
        f"/api/reviews/{ref}/actions/{action}/progress",
        f"/api/reviews/{ref}/actions/{action}/sign-off",
        f"/api/reviews/{ref}/action-plan/import",
    ):
        assert client.post(path).status_code == 404, path
