"""Two people changing the same action never silently overwrite each other: whoever saves
second, from what they saw before the first saved, is refused and told, and nothing of theirs
is stored. (Chronology entries have the same rule: chronology/tests/test_combined_*.)"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from lantern.recommendations import services
from lantern.recommendations.models import Action, PlanChange

pytestmark = pytest.mark.django_db


def _version(html: str) -> str:
    return re.search(r'name="(?:progress-)?version" value="([^"]+)"', html).group(1)


def test_service_refuses_a_change_made_from_an_old_version(cast: Any, plan: Any) -> None:
    action = plan.police_action
    seen_by_chair = services.action_version(action)
    services.action_update(action=action, by=cast.coordinator, milestones="Course written")
    with pytest.raises(services.StaleActionError) as stale:
        services.action_update(
            action=action,
            by=cast.chair,
            milestones="Something else",
            expected_version=seen_by_chair,
        )
    assert "Someone else" in stale.value.messages[0]
    assert Action.objects.get(pk=action.pk).milestones == "Course written"
    with pytest.raises(services.StaleActionError):
        services.action_progress(
            action=action,
            by=cast.agency_author,
            status="complete",
            note="Done",
            expected_version=seen_by_chair,
        )
    assert Action.objects.get(pk=action.pk).status == "in_progress"
    # With the current version the change goes in.
    current = services.action_version(Action.objects.get(pk=action.pk))
    services.action_update(
        action=action, by=cast.chair, milestones="Both", expected_version=current
    )
    assert Action.objects.get(pk=action.pk).milestones == "Both"


def test_two_people_on_the_edit_page(cast: Any, plan: Any) -> None:
    url = f"/reviews/{cast.review.reference}/actions/{plan.police_action.pk}/edit/"
    coordinator, chair = Client(), Client()
    coordinator.force_login(cast.coordinator)
    chair.force_login(cast.chair)
    page_a = coordinator.get(url).content.decode()
    page_b = chair.get(url).content.decode()
    form = {
        "description": plan.police_action.description,
        "lead_agency": str(cast.police.pk),
        "lead_agency_name": "",
        "lead_officer": "",
        "lead_officer_email": "",
        "milestones": "",
        "outcome_measure": "95% of officers trained",
        "target_date": "2026-12-31",
        "target_date_note": "",
        "status": "in_progress",
        "completed_on": "",
        "outcome": "",
    }
    first = coordinator.post(url, {**form, "milestones": "A", "version": _version(page_a)})
    assert first.status_code == 302
    second = chair.post(url, {**form, "milestones": "B", "version": _version(page_b)})
    assert second.status_code == 200
    assert "Someone else" in second.content.decode()
    assert Action.objects.get(pk=plan.police_action.pk).milestones == "A"
    changes = PlanChange.objects.filter(action=plan.police_action, kind="edited")
    assert changes.count() == 1


def test_two_progress_updates_through_the_api(cast: Any, plan: Any) -> None:
    base = f"/api/reviews/{cast.review.reference}/actions/{plan.police_action.pk}"
    author, chair = Client(), Client()
    author.force_login(cast.agency_author)
    chair.force_login(cast.chair)
    version = author.get(base).json()["version"]
    ok = author.post(
        f"{base}/progress",
        {"status": "in_progress", "note": "Half the officers trained", "version": version},
        content_type="application/json",
    )
    assert ok.status_code == 200, ok.content
    stale = chair.patch(
        base,
        {"milestones": "Changed from an old copy", "version": version},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert stale.json()["version"] == ok.json()["version"] != version
    assert Action.objects.get(pk=plan.police_action.pk).milestones != "Changed from an old copy"
    fresh = chair.patch(
        base,
        {"milestones": "Changed knowingly", "version": stale.json()["version"]},
        content_type="application/json",
    )
    assert fresh.status_code == 200
