"""The reviews API: the pages' access rules, writes through the services, errors as data.

Every call carries a bearer token made with `api_token_create`, as a client would, except where
the session cookie (and its CSRF check) is the point of the test.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client, override_settings

from lantern.accounts.services import api_token_create
from lantern.core.models import AuditEvent
from lantern.reviews.models import (
    Decision,
    Meeting,
    Membership,
    Pause,
    Person,
    Review,
    ReviewEvent,
    Stage,
)
from lantern.reviews.selectors import review_clock
from lantern.reviews.services import decision_record, pause_add, terms_save
from lantern.testing.factories import CspFactory, ReviewFactory

pytestmark = pytest.mark.django_db

REAL_NAME = "Joanne Whitfield"


class Api:
    """A client holding one user's bearer token."""

    def __init__(self, user: Any, client: Client | None = None) -> None:
        self.user = user
        self.client = client or Client()
        _token, self.token = api_token_create(user=user, by=user, name="tests")

    def call(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        kwargs: dict[str, Any] = {"headers": {"Authorization": f"Bearer {self.token}"}}
        if method == "get":
            return self.client.get(path, params, **kwargs)
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(self.client, method)(path, **kwargs)

    def get(self, path: str, **params: Any) -> Any:
        return self.call("get", path, **params)

    def post(self, path: str, body: Any = None) -> Any:
        return self.call("post", path, body)

    def patch(self, path: str, body: Any = None) -> Any:
        return self.call("patch", path, body)

    def put(self, path: str, body: Any = None) -> Any:
        return self.call("put", path, body)

    def delete(self, path: str) -> Any:
        return self.call("delete", path)


def as_(user: Any) -> Api:
    return Api(user)


def rpath(cast: Any, tail: str = "") -> str:
    return f"/api/reviews/{cast.review.reference}{tail}"


def hold(cast: Any) -> Decision:
    return decision_record(
        review=cast.review,
        by=cast.coordinator,
        outcome=Decision.Outcome.HOLD,
        decided_on=dt.date(2024, 10, 20),
        decided_by="CSP chair",
        consulted=["Police", "Health"],
        rationale="Criteria met.",
    )


DECISION = {
    "outcome": "hold",
    "decided_on": "2024-10-20",
    "decided_by": "Chair of the CSP",
    "consulted": ["Northbridge Police", "ICB"],
    "rationale": "The criteria are met: a former partner, coercive control.",
}


# --- listing and reading -----------------------------------------------------------------------


def test_the_list_shows_only_reviews_the_caller_can_see(cast: Any) -> None:
    elsewhere = ReviewFactory(reference="SM-DHR-2024-01", csp=CspFactory(name="Elsewhere CSP"))

    body = as_(cast.coordinator).get("/api/reviews").json()
    assert [r["reference"] for r in body["items"]] == [cast.review.reference]
    assert body["count"] == 1
    row = body["items"][0]
    assert row["stage"] == "notified"
    assert row["clock"]["next_deadline_label"] == "Decision"
    assert row["clock"]["decision_due"] == "2024-10-27"
    assert row["csp"]["name"] == cast.csp.name

    for name in ("chair", "panel_member", "agency_author", "board_member"):
        refs = [
            r["reference"] for r in as_(getattr(cast, name)).get("/api/reviews").json()["items"]
        ]
        assert refs == [cast.review.reference], name

    outsider = as_(cast.outsider).get("/api/reviews").json()
    assert outsider == {"items": [], "count": 0}
    assert elsewhere.reference not in json.dumps(body)


def test_the_list_filters_by_stage_and_leaves_closed_reviews_out(cast: Any) -> None:
    api = as_(cast.coordinator)
    hold(cast)
    ReviewFactory(reference="NB-DHR-2023-01", csp=cast.csp)
    assert [r["reference"] for r in api.get("/api/reviews", stage="decided").json()["items"]] == [
        cast.review.reference
    ]
    assert api.get("/api/reviews", stage="notified").json()["count"] == 1
    assert api.get("/api/reviews", stage="closed").json()["count"] == 0
    assert api.get("/api/reviews", stage="nonsense").status_code == 422
    page = api.get("/api/reviews", limit=1, offset=1).json()
    assert page["count"] == 2 and len(page["items"]) == 1


def test_listing_is_audited_with_the_references_it_returned(cast: Any) -> None:
    as_(cast.chair).get("/api/reviews")
    event = AuditEvent.objects.filter(actor=cast.chair, object_type="review list").get()
    assert event.channel == "api"
    assert event.action == AuditEvent.Action.READ
    assert event.data["references"] == [cast.review.reference]


def test_a_non_member_gets_404_and_an_anonymous_caller_401(cast: Any) -> None:
    response = as_(cast.outsider).get(rpath(cast))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert Client().get(rpath(cast)).status_code == 401
    assert as_(cast.outsider).get("/api/reviews/NO-SUCH-REF").status_code == 404


def test_a_bad_or_revoked_token_is_refused(cast: Any) -> None:
    api = as_(cast.coordinator)
    api.token = api.token + "x"
    assert api.get(rpath(cast)).status_code == 401


def test_the_review_hides_identifying_fields_from_those_who_may_not_see_them(cast: Any) -> None:
    Review.objects.filter(pk=cast.review.pk).update(
        circumstances=f"{REAL_NAME} was found at home.", notifier_name="DS Patel"
    )
    chair = as_(cast.chair).get(rpath(cast)).json()
    assert chair["circumstances"].startswith(REAL_NAME)
    assert chair["pseudonym"] == "Kerry"
    assert "view_real_names" in chair["capabilities"]

    board = as_(cast.board_member).get(rpath(cast))
    assert board.status_code == 200
    data = board.json()
    assert data["circumstances"] is None and data["notifier_name"] is None
    assert data["pseudonym"] is None and data["date_of_death"] is None
    assert REAL_NAME not in board.content.decode()

    agency = as_(cast.agency_author).get(rpath(cast)).json()
    assert agency["pseudonym"] == "Kerry" and agency["circumstances"] is None


def test_the_clock_is_the_selectors(cast: Any) -> None:
    response = as_(cast.board_member).get(rpath(cast, "/clock"))
    assert response.status_code == 200
    assert response.json() == review_clock(review=cast.review).as_dict()


# --- people ------------------------------------------------------------------------------------


def test_people_are_shown_by_pseudonym_and_real_names_only_to_those_who_may_see_them(
    cast: Any,
) -> None:
    assert as_(cast.board_member).get(rpath(cast, "/people")).status_code == 403

    panel = as_(cast.panel_member).get(rpath(cast, "/people"))
    assert panel.status_code == 200
    assert {p["pseudonym"] for p in panel.json()} == {"Kerry", "Lee"}
    assert all(p["real_name"] is None and p["date_of_birth"] is None for p in panel.json())
    assert all(p["aliases"] is None for p in panel.json())
    assert REAL_NAME not in panel.content.decode()

    chair = as_(cast.chair).get(rpath(cast, "/people")).json()
    assert {p["real_name"] for p in chair} == {REAL_NAME, "Darren Pike"}

    victim = Person.objects.get(review=cast.review, role="victim")
    one = as_(cast.panel_member).get(rpath(cast, f"/people/{victim.pk}")).json()
    assert one["pseudonym"] == "Kerry" and one["real_name"] is None


def test_adding_a_person_needs_edit_rights_and_goes_through_the_service(cast: Any) -> None:
    body = {"role": "child", "real_name": "Sam Whitfield", "pseudonym": "Alex"}
    assert as_(cast.panel_member).post(rpath(cast, "/people"), body).status_code == 403
    assert as_(cast.chair).post(rpath(cast, "/people"), body).status_code == 403
    assert not Person.objects.filter(pseudonym="Alex").exists()

    response = as_(cast.coordinator).post(rpath(cast, "/people"), body)
    assert response.status_code == 201, response.content
    assert response.json()["real_name"] == "Sam Whitfield"
    assert ReviewEvent.objects.filter(review=cast.review, kind=ReviewEvent.Kind.PERSON).exists()


def test_a_person_with_a_bad_role_is_refused_naming_the_field(cast: Any) -> None:
    response = as_(cast.coordinator).post(rpath(cast, "/people"), {"role": "wizard"})
    assert response.status_code == 422
    assert "role" in response.json()["errors"]


def test_a_perpetrator_relationship_is_checked_by_the_service(cast: Any) -> None:
    body = {"role": "perpetrator", "pseudonym": "Max", "relationship_to_victim": "neighbour"}
    response = as_(cast.coordinator).post(rpath(cast, "/people"), body)
    assert response.status_code == 422
    assert "relationship_to_victim" in response.json()["errors"]


def test_changing_and_removing_a_person(cast: Any) -> None:
    victim = Person.objects.get(review=cast.review, role="victim")
    api = as_(cast.coordinator)
    response = api.patch(rpath(cast, f"/people/{victim.pk}"), {"ethnicity": "White British"})
    assert response.status_code == 200
    victim.refresh_from_db()
    assert victim.ethnicity == "White British" and victim.pseudonym == "Kerry"

    assert as_(cast.chair).delete(rpath(cast, f"/people/{victim.pk}")).status_code == 403
    assert api.delete(rpath(cast, f"/people/{victim.pk}")).status_code == 204
    assert not Person.objects.filter(pk=victim.pk).exists()
    assert api.get(rpath(cast, f"/people/{victim.pk}")).status_code == 404


def test_a_person_of_another_review_is_not_found_through_this_one(cast: Any) -> None:
    other = ReviewFactory(csp=cast.csp)
    stranger = Person.objects.create(review=other, role="victim", real_name="Someone Else")
    response = as_(cast.coordinator).get(rpath(cast, f"/people/{stranger.pk}"))
    assert response.status_code == 404


# --- notification ------------------------------------------------------------------------------


def test_a_coordinator_records_a_notification(cast: Any) -> None:
    body = {
        "csp": cast.csp.name,
        "notification_date": "2025-03-03",
        "notification_source": "police",
        "notifying_agency": cast.police.pk,
        "notifier_name": "DS Patel",
        "circumstances": "Found at home.",
        "date_of_death": "2025-03-01",
        "death_type": "homicide",
        "pseudonym": "Robin",
        "review_type": "dhr",
    }
    response = as_(cast.coordinator).post("/api/reviews", body)
    assert response.status_code == 201, response.content
    data = response.json()
    review = Review.objects.get(reference=data["reference"])
    assert review.csp == cast.csp and review.notifying_agency == cast.police
    assert review.stage == Stage.NOTIFIED and review.created_by == cast.coordinator
    assert data["pseudonym"] == "Robin" and data["clock"]["decision_due"] == "2025-04-03"
    assert as_(cast.coordinator).get(f"/api/reviews/{review.reference}").status_code == 200


def test_a_notification_names_what_it_could_not_use(cast: Any) -> None:
    api = as_(cast.coordinator)
    body = {"csp": "No Such Partnership", "notification_date": "2025-03-03"}
    assert "csp" in api.post("/api/reviews", body).json()["errors"]
    body = {"csp": cast.police.name, "notification_date": "2025-03-03"}
    assert "csp" in api.post("/api/reviews", body).json()["errors"]
    body = {"csp": " ", "notification_date": "2025-03-03"}
    assert "csp" in api.post("/api/reviews", body).json()["errors"]
    body = {"csp": cast.csp.pk, "notification_date": "2025-03-03", "review_type": "nope"}
    assert "review_type" in api.post("/api/reviews", body).json()["errors"]
    body = {"csp": cast.csp.pk, "notification_date": "3 March"}
    response = api.post("/api/reviews", body)
    assert response.status_code == 422
    assert "notification_date" in response.json()["errors"]
    assert Review.objects.count() == 1


def test_updating_a_review_needs_edit_rights(cast: Any) -> None:
    # Review.created_by is null=True but not blank=True, so review_update's full_clean refuses a
    # review with no creator (the factory's, an imported one, or one whose creator was deleted).
    Review.objects.filter(pk=cast.review.pk).update(created_by=cast.coordinator)
    assert as_(cast.chair).patch(rpath(cast), {"pseudonym": "K"}).status_code == 403
    response = as_(cast.coordinator).patch(
        rpath(cast), {"pseudonym": "Kez", "death_type": "homicide"}
    )
    assert response.status_code == 200
    cast.review.refresh_from_db()
    assert cast.review.pseudonym == "Kez" and cast.review.death_type == "homicide"
    assert ReviewEvent.objects.filter(review=cast.review, kind=ReviewEvent.Kind.UPDATED).exists()


# --- criteria, decisions, transitions ----------------------------------------------------------


def test_a_criteria_assessment_is_stored_with_its_advice(cast: Any) -> None:
    body = {
        "victim_age": 34,
        "relationship": "former_partner",
        "death_type": "suicide",
        "abuse_indicated": None,
        "concerns_of_coercive_control": True,
    }
    assert as_(cast.chair).post(rpath(cast, "/criteria"), body).status_code == 403
    response = as_(cast.coordinator).post(rpath(cast, "/criteria"), body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["legal_test"] == cast.review.legal_test
    assert data["result"]["outcome"] == "met"
    assert [c["code"] for c in data["result"]["checks"]][0] == "age"
    listed = as_(cast.board_member).get(rpath(cast, "/criteria")).json()
    assert [a["id"] for a in listed] == [data["id"]]

    bad = as_(cast.coordinator).post(rpath(cast, "/criteria"), {**body, "relationship": "friend"})
    assert bad.status_code == 422 and "relationship" in bad.json()["errors"]


def test_recording_a_decision_moves_the_stage(cast: Any) -> None:
    assert as_(cast.chair).post(rpath(cast, "/decisions"), DECISION).status_code == 403
    response = as_(cast.coordinator).post(rpath(cast, "/decisions"), DECISION)
    assert response.status_code == 201, response.content
    assert response.json()["consulted"] == DECISION["consulted"]
    cast.review.refresh_from_db()
    assert cast.review.stage == Stage.DECIDED
    review = as_(cast.board_member).get(rpath(cast)).json()
    assert review["stage"] == "decided" and review["clock"]["decided_on"] == "2024-10-20"
    listed = as_(cast.board_member).get(rpath(cast, "/decisions")).json()
    assert [d["outcome"] for d in listed] == ["hold"]


def test_a_decision_with_no_one_consulted_is_refused_naming_the_field(cast: Any) -> None:
    response = as_(cast.coordinator).post(rpath(cast, "/decisions"), {**DECISION, "consulted": []})
    assert response.status_code == 422
    body = response.json()
    assert list(body["errors"]) == ["consulted"]
    assert "inadequate" in body["errors"]["consulted"][0]
    assert body["messages"][0].startswith("consulted: ")
    cast.review.refresh_from_db()
    assert cast.review.stage == Stage.NOTIFIED
    assert not Decision.objects.exists()

    missing = {k: v for k, v in DECISION.items() if k != "decided_on"}
    response = as_(cast.coordinator).post(rpath(cast, "/decisions"), missing)
    assert response.status_code == 422 and "decided_on" in response.json()["errors"]


def test_a_decision_can_only_cite_an_assessment_of_the_same_review(cast: Any) -> None:
    response = as_(cast.coordinator).post(
        rpath(cast, "/decisions"), {**DECISION, "assessment_id": 999999}
    )
    assert response.status_code == 422 and "assessment_id" in response.json()["errors"]


def test_transitions_show_what_blocks_them_and_refuse_with_the_reason(cast: Any) -> None:
    hold(cast)
    listed = as_(cast.chair).get(rpath(cast, "/transitions")).json()
    assert listed["stage"] == "decided" and listed["can_transition"] is True
    commission = next(t for t in listed["transitions"] if t["target"] == "commissioned")
    assert commission["allowed"] is False
    assert "terms of reference" in commission["blocked_reason"]
    assert as_(cast.board_member).get(rpath(cast, "/transitions")).json()["can_transition"] is False

    response = as_(cast.chair).post(rpath(cast, "/transitions"), {"target": "commissioned"})
    assert response.status_code == 422
    assert "terms of reference" in response.json()["errors"]["target"][0]
    cast.review.refresh_from_db()
    assert cast.review.stage == Stage.DECIDED

    impossible = as_(cast.chair).post(rpath(cast, "/transitions"), {"target": "published"})
    assert impossible.status_code == 422 and "target" in impossible.json()["errors"]
    refused = as_(cast.panel_member).post(rpath(cast, "/transitions"), {"target": "commissioned"})
    assert refused.status_code == 403


def test_a_transition_that_is_allowed_moves_the_review(cast: Any) -> None:
    hold(cast)
    terms_save(
        review=cast.review,
        by=cast.coordinator,
        period_start=dt.date(2020, 1, 1),
        period_end=dt.date(2024, 9, 20),
        key_lines_of_enquiry=["Risk"],
        agreed_on=dt.date(2024, 11, 1),
    )
    response = as_(cast.chair).post(
        rpath(cast, "/transitions"), {"target": "commissioned", "note": "Panel formed"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["stage"] == "commissioned"
    event = ReviewEvent.objects.filter(review=cast.review, kind=ReviewEvent.Kind.STAGE).first()
    assert event.data["note"] == "Panel formed"


def test_qa_outcome_and_monitoring_are_refused_out_of_turn(cast: Any) -> None:
    api = as_(cast.coordinator)
    qa = api.post(
        rpath(cast, "/qa-outcome"), {"outcome": "publish", "letter_received_on": "2025-01-01"}
    )
    assert qa.status_code == 422 and "__all__" in qa.json()["errors"]
    done = api.post(rpath(cast, "/monitoring-complete"), {"on": "2025-01-01"})
    assert done.status_code == 422
    assert (
        as_(cast.chair).post(rpath(cast, "/monitoring-complete"), {"on": "2025-01-01"}).status_code
        == 403
    )


# --- running the review ------------------------------------------------------------------------


def test_pauses_are_recorded_and_ended(cast: Any) -> None:
    hold(cast)
    body = {"cause": "criminal_trial", "start": "2024-11-01", "agreed_by": "CSP chair"}
    assert as_(cast.panel_member).post(rpath(cast, "/pauses"), body).status_code == 403
    response = as_(cast.chair).post(rpath(cast, "/pauses"), body)
    assert response.status_code == 201, response.content
    pause_id = response.json()["id"]
    assert response.json()["cause_label"] == "Criminal trial"
    bad = as_(cast.chair).post(rpath(cast, f"/pauses/{pause_id}/end"), {"end": "2024-10-01"})
    assert bad.status_code == 422 and "end" in bad.json()["errors"]
    ended = as_(cast.chair).post(rpath(cast, f"/pauses/{pause_id}/end"), {"end": "2025-02-01"})
    assert ended.status_code == 200 and ended.json()["end"] == "2025-02-01"
    assert [p["id"] for p in as_(cast.board_member).get(rpath(cast, "/pauses")).json()] == [
        pause_id
    ]


def test_extensions_liaison_and_family_follow_their_capabilities(cast: Any) -> None:
    hold(cast)
    extension = {
        "months": 3,
        "reason": "Trial listed for spring",
        "agreed_by": "CSP chair",
        "agreed_on": "2025-01-10",
    }
    assert as_(cast.chair).post(rpath(cast, "/extensions"), extension).status_code == 201
    assert len(as_(cast.board_member).get(rpath(cast, "/extensions")).json()) == 1
    zero = as_(cast.chair).post(rpath(cast, "/extensions"), {**extension, "months": 0})
    assert zero.status_code == 422 and "months" in zero.json()["errors"]

    liaison = {"date": "2025-01-05", "with_whom": "sio", "summary": "Trial date set"}
    assert as_(cast.chair).post(rpath(cast, "/liaison"), liaison).status_code == 201
    assert as_(cast.panel_member).get(rpath(cast, "/liaison")).status_code == 403
    assert as_(cast.board_member).get(rpath(cast, "/liaison")).status_code == 403
    assert [e["with_whom"] for e in as_(cast.author).get(rpath(cast, "/liaison")).json()] == ["sio"]

    victim = Person.objects.get(review=cast.review, role="victim")
    contact = {
        "date": "2025-01-07",
        "kind": "meeting",
        "summary": "Met the victim's mother; AAFDA advocacy offered.",
        "advocacy_offered": True,
        "person_id": victim.pk,
    }
    assert as_(cast.panel_member).post(rpath(cast, "/family-contacts"), contact).status_code == 403
    response = as_(cast.chair).post(rpath(cast, "/family-contacts"), contact)
    assert response.status_code == 201, response.content
    assert response.json()["recorded_by"] == "chair"
    assert as_(cast.panel_member).get(rpath(cast, "/family-contacts")).status_code == 403
    assert len(as_(cast.author).get(rpath(cast, "/family-contacts")).json()) == 1
    stranger = as_(cast.chair).post(rpath(cast, "/family-contacts"), {**contact, "person_id": 0})
    assert stranger.status_code == 422 and "person_id" in stranger.json()["errors"]


def test_terms_of_reference_are_read_and_saved(cast: Any) -> None:
    empty = as_(cast.board_member).get(rpath(cast, "/terms")).json()
    assert empty["agreed"] is False and empty["key_lines_of_enquiry"] == []
    body = {
        "period_start": "2020-01-01",
        "period_end": "2024-09-20",
        "key_lines_of_enquiry": ["Risk assessment", " "],
        "agreed_on": "2024-11-01",
        "agencies_in_scope": [cast.police.pk],
    }
    unexplained = as_(cast.chair).put(rpath(cast, "/terms"), body)
    assert unexplained.status_code == 422
    assert "reasons_not_in_scope" in unexplained.json()["errors"]
    body["reasons_not_in_scope"] = {str(cast.housing.pk): "No contact in the period"}
    assert as_(cast.panel_member).put(rpath(cast, "/terms"), body).status_code == 403
    response = as_(cast.chair).put(rpath(cast, "/terms"), body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["agreed"] is True and data["key_lines_of_enquiry"] == ["Risk assessment"]
    scope = {a["organisation"]["name"]: a["in_scope"] for a in data["agencies"]}
    assert scope == {cast.police.name: True, cast.housing.name: False}

    backwards = as_(cast.chair).put(rpath(cast, "/terms"), {**body, "period_end": "2019-01-01"})
    assert backwards.status_code == 422 and "period_end" in backwards.json()["errors"]
    unknown = as_(cast.chair).put(rpath(cast, "/terms"), {**body, "agencies_in_scope": [0]})
    assert unknown.status_code == 422 and "agencies_in_scope" in unknown.json()["errors"]


def test_members_are_listed_added_and_ended(cast: Any) -> None:
    listed = as_(cast.panel_member).get(rpath(cast, "/members")).json()
    assert {m["username"] for m in listed} >= {"chair", "author", "panel_member"}

    body = {"username": "board_member", "role": "panel_member", "agency": cast.csp.name}
    assert as_(cast.chair).post(rpath(cast, "/members"), body).status_code == 403
    response = as_(cast.coordinator).post(rpath(cast, "/members"), body)
    assert response.status_code == 201, response.content
    membership_id = response.json()["id"]
    assert response.json()["agency"]["name"] == cast.csp.name

    wrong = as_(cast.coordinator).post(rpath(cast, "/members"), {**body, "role": "coordinator"})
    assert wrong.status_code == 422 and "role" in wrong.json()["errors"]
    nobody = as_(cast.coordinator).post(rpath(cast, "/members"), {**body, "username": "ghost"})
    assert nobody.status_code == 422 and "username" in nobody.json()["errors"]

    ended = as_(cast.coordinator).delete(rpath(cast, f"/members/{membership_id}"))
    assert ended.status_code == 200 and ended.json()["ended_at"]
    assert Membership.objects.get(pk=membership_id).ended_at is not None
    assert as_(cast.coordinator).delete(rpath(cast, f"/members/{membership_id}")).status_code == 404
    with_ended = as_(cast.coordinator).get(rpath(cast, "/members"), include_ended=True).json()
    assert membership_id in [m["id"] for m in with_ended]


def test_agencies_are_listed_and_added(cast: Any) -> None:
    listed = as_(cast.board_member).get(rpath(cast, "/agencies")).json()
    assert {a["organisation"]["name"] for a in listed} == {cast.police.name, cast.housing.name}
    assert as_(cast.agency_author).get(rpath(cast, "/agencies")).status_code == 403
    body = {"name": "Northbridge ICB", "type": "other"}
    assert as_(cast.chair).post(rpath(cast, "/agencies"), body).status_code == 403
    response = as_(cast.coordinator).post(rpath(cast, "/agencies"), body)
    assert response.status_code == 201 and response.json()["organisation"]["name"] == body["name"]
    bad = as_(cast.coordinator).post(rpath(cast, "/agencies"), {**body, "type": "martian"})
    assert bad.status_code == 422


def test_meetings_are_recorded_with_their_actions(cast: Any) -> None:
    body = {
        "date": "2025-01-15",
        "title": "First panel meeting",
        "actions": [{"description": "Police to send chronology", "owner": "DS Patel"}],
    }
    assert as_(cast.panel_member).post(rpath(cast, "/meetings"), body).status_code == 403
    response = as_(cast.chair).post(rpath(cast, "/meetings"), body)
    assert response.status_code == 201, response.content
    assert [a["owner"] for a in response.json()["actions"]] == ["DS Patel"]
    listed = as_(cast.panel_member).get(rpath(cast, "/meetings")).json()
    assert [m["title"] for m in listed] == ["First panel meeting"]
    assert Meeting.objects.get().actions.count() == 1


def test_the_timeline_and_the_audit_trail_are_paginated(cast: Any) -> None:
    hold(cast)
    timeline = as_(cast.board_member).get(rpath(cast, "/timeline"), limit=2).json()
    assert timeline["count"] == ReviewEvent.objects.filter(review=cast.review).count() >= 3
    assert len(timeline["items"]) == 2
    assert timeline["items"][0]["kind"] == "stage"
    assert as_(cast.agency_author).get(rpath(cast, "/timeline")).status_code == 403

    assert as_(cast.chair).get(rpath(cast, "/audit")).status_code == 403
    audit = as_(cast.coordinator).get(rpath(cast, "/audit"), limit=5).json()
    assert len(audit["items"]) == 5 and audit["count"] > 5
    newest = audit["items"][0]
    assert newest["summary"] == "Viewed audit trail" and newest["channel"] == "api"


# --- every read is audited ---------------------------------------------------------------------


def test_every_successful_get_of_review_data_is_audited_as_api(cast: Any) -> None:
    victim = Person.objects.get(review=cast.review, role="victim")
    api = as_(cast.coordinator)
    # This app's routes; the chronology, themes and recommendations apps test their own reads.
    paths = [p for p in openapi(api)["paths"] if "{reference}" in p and p in EXPECTED_PATHS]
    gets = [p for p in paths if "get" in openapi(api)["paths"][p]]
    assert len(gets) >= 16
    for template in gets:
        path = fill(template, cast, id=victim.pk)
        before = AuditEvent.objects.filter(review=cast.review, channel="api").count()
        response = api.get(path)
        assert response.status_code == 200, (path, response.content)
        reads = AuditEvent.objects.filter(
            review=cast.review, channel="api", action=AuditEvent.Action.READ, actor=cast.coordinator
        )
        assert reads.count() == before + 1, path


def test_a_refused_read_is_audited_as_refused(cast: Any) -> None:
    as_(cast.board_member).get(rpath(cast, "/people"))
    event = AuditEvent.objects.filter(actor=cast.board_member).first()
    assert event.action == AuditEvent.Action.ACCESS_DENIED and event.channel == "api"


# --- the OpenAPI document and the docs page ----------------------------------------------------

EXPECTED_PATHS = {
    "/api/reviews": {"get", "post"},
    "/api/reviews/{reference}": {"get", "patch"},
    "/api/reviews/{reference}/clock": {"get"},
    "/api/reviews/{reference}/timeline": {"get"},
    "/api/reviews/{reference}/people": {"get", "post"},
    "/api/reviews/{reference}/people/{id}": {"get", "patch", "delete"},
    "/api/reviews/{reference}/agencies": {"get", "post"},
    "/api/reviews/{reference}/criteria": {"get", "post"},
    "/api/reviews/{reference}/decisions": {"get", "post"},
    "/api/reviews/{reference}/transitions": {"get", "post"},
    "/api/reviews/{reference}/pauses": {"get", "post"},
    "/api/reviews/{reference}/pauses/{id}/end": {"post"},
    "/api/reviews/{reference}/extensions": {"get", "post"},
    "/api/reviews/{reference}/liaison": {"get", "post"},
    "/api/reviews/{reference}/terms": {"get", "put"},
    "/api/reviews/{reference}/members": {"get", "post"},
    "/api/reviews/{reference}/members/{id}": {"delete"},
    "/api/reviews/{reference}/family-contacts": {"get", "post"},
    "/api/reviews/{reference}/meetings": {"get", "post"},
    "/api/reviews/{reference}/qa-outcome": {"post"},
    "/api/reviews/{reference}/monitoring-complete": {"post"},
    "/api/reviews/{reference}/audit": {"get"},
    "/api/me": {"get"},
    "/api/organisations": {"get"},
    "/api/users": {"get", "post"},
    "/api/users/{username}/deactivate": {"post"},
}


OTHER_APPS = (
    "/chronology",
    "/recommendations",
    "/actions",
    "/action-plan",
    "/api/oversight",
    "/api/themes",
    "/documents",
    "/briefing",
    "/anonymisation",
    "/publication",
    "/api/library",
)


def _other_app(path: str) -> bool:
    """Paths another app owns (and lists in its own tests); the checks on every operation's
    tags, errors and security below still apply to them."""
    return any(part in path for part in OTHER_APPS)


def openapi(api: Api | None = None) -> dict[str, Any]:
    response = (api.client if api else Client()).get("/api/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_openapi_document_lists_every_resource_with_its_errors(db: Any) -> None:
    doc = openapi()
    assert doc["openapi"].startswith("3.")
    ours = {p: set(ops) for p, ops in doc["paths"].items() if not _other_app(p)}
    assert ours == EXPECTED_PATHS
    operation_ids = []
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            operation_ids.append(op["operationId"])
            assert op.get("tags"), (method, path)
            codes = set(op["responses"])
            assert "401" in codes, (method, path)
            if "{reference}" in path:
                assert {"403", "404"} <= codes, (method, path)
            if method in ("post", "put", "patch"):
                assert "422" in codes, (method, path)
                schema = op["responses"]["422"]["content"]["application/json"]["schema"]
                # File imports answer a refusal with the same shape as a success (problems as
                # data, nothing stored); everything else uses the one error shape.
                if "import" not in path:
                    assert schema["$ref"].endswith("/ValidationErrorOut"), (method, path)
            assert op["security"] == [{"BearerToken": []}, {"SessionCookie": []}]
    assert len(operation_ids) == len(set(operation_ids))
    person = doc["components"]["schemas"]["PersonOut"]["properties"]
    assert {"anyOf": [{"type": "string"}, {"type": "null"}]}.items() <= person["real_name"].items()


def test_the_docs_page_loads_everything_from_this_site(db: Any) -> None:
    response = Client().get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "/static/ninja/swagger-ui-init.js" in html
    assert not re.findall(r"https?://", html), "the docs page must not load from another host"
    # Under our content security policy only scripts with a src on this site may run.
    policy = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert all('type="application/json"' in attrs for attrs in inline), inline
    assert '"validatorUrl": null' in html
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        assert Client().get(asset).status_code == 200, asset


# --- the outsider sweep ------------------------------------------------------------------------

# Paths not about one review, with what the outsider (a coordinator elsewhere) may get: their
# own empty list, reference data, their own partnership's users; refusals for everything else.
NOT_ABOUT_ONE_REVIEW = {
    ("get", "/api/reviews"): {200},
    ("post", "/api/reviews"): {422},
    ("get", "/api/me"): {200},
    ("get", "/api/organisations"): {200},
    ("get", "/api/users"): {200},
    ("post", "/api/users"): {422},
    ("post", "/api/users/{username}/deactivate"): {404, 422},
    # Oversight covers only the caller's own partnership's reviews; reference data is public.
    ("get", "/api/oversight/actions"): {200},
    ("get", "/api/oversight/summary"): {200},
    ("get", "/api/themes/vocabulary"): {200},
    # The library holds only published, anonymised documents, open to everyone signed in; the
    # outsider is a coordinator, so may add to it (refused here for an empty body or no such
    # document). Reviews like a live one are for its members only.
    ("get", "/api/library/documents"): {200},
    ("get", "/api/library/documents/{id}"): {404},
    ("get", "/api/library/documents/{id}/pages"): {404},
    ("get", "/api/library/documents/{id}/similar"): {404},
    ("post", "/api/library/documents/{id}/facts"): {404, 422},
    ("post", "/api/library/documents/{id}/reextract"): {404},
    ("get", "/api/library/search"): {200},
    ("get", "/api/library/stats"): {200},
    ("post", "/api/library/ingest"): {422},
    ("get", "/api/library/ingest/{id}"): {404},
    ("get", "/api/library/similar-to-review"): {404, 422},
}


def fill(template: str, cast: Any, *, id: int, username: str = "chair") -> str:
    path = template.replace("{reference}", cast.review.reference)
    path = path.replace("{username}", username)
    return re.sub(r"\{\w+\}", str(id), path)


def real_id(template: str, cast: Any) -> int:
    """A real id for the path's {id}, so a 404 cannot be the id's fault."""
    if "/people/" in template:
        return Person.objects.filter(review=cast.review).first().pk
    if "/members/" in template:
        return Membership.objects.filter(review=cast.review).first().pk
    if "/pauses/" in template:
        return Pause.objects.filter(review=cast.review).first().pk
    return 1


def test_the_outsider_gets_404_on_every_path_of_the_openapi_document(cast: Any) -> None:
    hold(cast)
    pause_add(
        review=cast.review,
        by=cast.coordinator,
        cause="inquest",
        start=dt.date(2024, 11, 1),
        agreed_by="CSP chair",
    )
    outsider = as_(cast.outsider)
    doc = openapi(outsider)
    unknown = {p for p in doc["paths"] if "{reference}" not in p} - {
        t for _m, t in NOT_ABOUT_ONE_REVIEW
    }
    assert not unknown, f"decide what the outsider may get from: {unknown}"
    events_before = ReviewEvent.objects.filter(review=cast.review).count()
    failures = []
    for template, operations in doc["paths"].items():
        path = fill(template, cast, id=real_id(template, cast))
        for method in operations:
            for body in ({}, {"target": "closed", "role": "victim", "reason": "x"}):
                response = outsider.call(method, path, body)
                text = response.content.decode()
                leaked = cast.review.reference in text or REAL_NAME in text
                allowed = NOT_ABOUT_ONE_REVIEW.get((method, template))
                if allowed is not None:
                    if response.status_code not in allowed or leaked:
                        failures.append(f"{method} {path} -> {response.status_code}")
                elif response.status_code != 404:
                    failures.append(f"{method} {path} -> {response.status_code}: {text[:80]}")
    assert not failures, "Reachable by a non-member:\n" + "\n".join(failures)
    assert ReviewEvent.objects.filter(review=cast.review).count() == events_before
    cast.chair.refresh_from_db()
    assert cast.chair.is_active


def test_methods_a_review_path_lacks_are_405_for_members_and_404_for_others(cast: Any) -> None:
    assert as_(cast.coordinator).post(rpath(cast, "/clock")).status_code == 405
    assert as_(cast.coordinator).delete(rpath(cast)).status_code == 405
    assert as_(cast.outsider).post(rpath(cast, "/clock")).status_code == 404
    assert as_(cast.outsider).delete(rpath(cast)).status_code == 404


def test_path_ids_are_checked_after_access(cast: Any) -> None:
    assert as_(cast.outsider).get(rpath(cast, "/people/not-a-number")).status_code == 404
    response = as_(cast.coordinator).get(rpath(cast, "/people/not-a-number"))
    assert response.status_code == 422 and "id" in response.json()["errors"]


# --- session authentication --------------------------------------------------------------------


def test_a_session_needs_the_csrf_token_for_writes_but_a_token_does_not(cast: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.coordinator)
    body = json.dumps({"role": "child", "pseudonym": "Alex"})
    url = rpath(cast, "/people")

    assert browser.get(url).status_code == 200

    refused = browser.post(url, body, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    cross_site = browser.post(
        url, body, content_type="application/json", headers={"Origin": "https://evil.example"}
    )
    assert cross_site.status_code == 403
    assert not Person.objects.filter(pseudonym="Alex").exists()

    secret = _get_new_csrf_string()
    browser.cookies["csrftoken"] = secret
    with_token = browser.post(
        url, body, content_type="application/json", headers={"X-CSRFToken": secret}
    )
    assert with_token.status_code == 201, with_token.content

    token_client = Api(cast.coordinator, Client(enforce_csrf_checks=True))
    assert token_client.post(url, {"role": "child", "pseudonym": "Sam"}).status_code == 201


@override_settings(LANTERN_REQUIRE_2FA=True)
def test_a_session_without_two_factor_is_not_accepted_where_it_is_required(cast: Any) -> None:
    browser = Client()
    browser.force_login(cast.coordinator)
    assert browser.get(rpath(cast)).status_code == 401
    assert as_(cast.coordinator).get(rpath(cast)).status_code == 200
