"""The pages: what each member of the cast sees, may do, and is refused."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from lantern.conftest import Cast
from lantern.core.models import AuditEvent
from lantern.recommendations import services
from lantern.recommendations.models import Action, Evidence, PlanChange, Recommendation
from lantern.recommendations.plan_import import read_plan
from lantern.recommendations.tests.conftest import Plan
from lantern.recommendations.tests.workbooks import published_rows, write_published_plan
from lantern.reviews.models import Person
from lantern.testing.factories import ReviewFactory
from lantern.testing.pdfs import tiny_pdf

pytestmark = pytest.mark.django_db

REF = "NB-DHR-2024-07"


def url(name: str, **kwargs: object) -> str:
    return reverse(f"recommendations:{name}", kwargs={"reference": REF, **kwargs})


def text(response) -> str:  # noqa: ANN001
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", html.unescape(body))


# --- the plan page -----------------------------------------------------------------------------


def test_every_member_reads_the_plan_and_the_read_is_audited(
    client, cast: Cast, plan: Plan
) -> None:
    for name in ("coordinator", "chair", "author", "panel_member", "agency_author", "board_member"):
        client.force_login(getattr(cast, name))
        response = client.get(url("plan"))
        assert response.status_code == 200, name
        page = text(response)
        assert "Overarching recommendations" in page and "Single agency recommendations" in page
        assert "Refresh DASH training" in page
    assert (
        AuditEvent.objects.filter(
            review=cast.review, object_type="action plan", action="read"
        ).count()
        == 6
    )
    client.force_login(cast.outsider)
    assert client.get(url("plan")).status_code == 404
    client.logout()
    assert client.get(url("plan")).status_code == 302


def test_the_plan_shows_status_overdue_and_what_is_not_smart(
    client, cast: Cast, plan: Plan
) -> None:
    client.force_login(cast.coordinator)
    page = text(client.get(url("plan")))
    assert "Overdue" in page
    assert "Not SMART" in page and "No target date." in page
    assert "Add a recommendation" in page and "Import a plan" in page


def test_only_own_agency_actions_offer_an_update_to_an_agency_author(
    client, cast: Cast, plan: Plan
) -> None:
    client.force_login(cast.agency_author)
    body = client.get(url("plan")).content.decode()
    own = url("action_detail", action_id=plan.police_action.pk) + "#progress"
    other = url("action_detail", action_id=plan.housing_action.pk) + "#progress"
    assert own in body and other not in body
    assert "Add a recommendation" not in body


def test_filters(client, cast: Cast, plan: Plan) -> None:
    client.force_login(cast.coordinator)
    page = text(client.get(url("plan"), {"agency": "Northbridge Homes"}))
    assert "Add domestic abuse questions" in page and "Refresh DASH" not in page
    page = text(client.get(url("plan"), {"not_smart": "on"}))
    assert "Consider a new flag" in page and "Refresh DASH" not in page


# --- progress by agency authors ----------------------------------------------------------------


def test_an_agency_author_records_progress_on_their_own_agencys_action(
    client, cast: Cast, plan: Plan
) -> None:
    client.force_login(cast.agency_author)
    response = client.post(
        url("action_update", action_id=plan.police_action.pk),
        {
            "progress-status": "complete",
            "progress-completed_on": "2025-05-30",
            "progress-outcome": "All response officers trained",
            "progress-note": "Register attached",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(pk=plan.police_action.pk)
    assert (action.status, action.completed_on) == ("complete", date(2025, 5, 30))
    change = action.changes.first()
    assert (change.kind, change.by, change.note) == (
        "progress",
        cast.agency_author,
        "Register attached",
    )
    page = text(client.get(url("action_detail", action_id=action.pk)))
    assert "Progress update" in page and "Register attached" in page


def test_another_agencys_action_is_refused_and_nothing_changes(
    client, cast: Cast, plan: Plan
) -> None:
    client.force_login(cast.agency_author)
    before = PlanChange.objects.count()
    response = client.post(
        url("action_update", action_id=plan.housing_action.pk),
        {"progress-status": "in_progress", "progress-note": "Not mine"},
    )
    assert response.status_code == 403
    response = client.post(
        url("evidence_add", action_id=plan.housing_action.pk), {"evidence-note": "Not mine"}
    )
    assert response.status_code == 403
    assert PlanChange.objects.count() == before
    assert Action.objects.get(pk=plan.housing_action.pk).status == "not_started"
    # They may read it, and are told why they cannot update it.
    page = text(client.get(url("action_detail", action_id=plan.housing_action.pk)))
    assert "led by another agency" in page and "Save progress" not in page
    client.force_login(cast.outsider)
    assert client.post(url("action_update", action_id=plan.housing_action.pk)).status_code == 404
    assert client.get(url("action_detail", action_id=plan.housing_action.pk)).status_code == 404


def test_an_invalid_update_shows_the_errors(client, cast: Cast, plan: Plan) -> None:
    client.force_login(cast.agency_author)
    response = client.post(
        url("action_update", action_id=plan.police_action.pk), {"progress-status": "complete"}
    )
    assert response.status_code == 200
    assert "<title>Error: Action 1.1: NB-DHR-2024-07" in response.content.decode()
    assert "Enter the date the action was completed." in text(response)


def test_evidence_upload_and_download(client, cast: Cast, plan: Plan) -> None:
    client.force_login(cast.agency_author)
    register = tiny_pdf("Attendance register")
    upload = SimpleUploadedFile("register.pdf", register, "application/pdf")
    response = client.post(
        url("evidence_add", action_id=plan.police_action.pk),
        {"evidence-note": "Attendance register", "evidence-file": upload},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    client.force_login(cast.board_member)
    download = client.get(
        url("evidence_download", action_id=plan.police_action.pk, evidence_id=evidence.pk)
    )
    assert download.status_code == 200
    assert download.content == register
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="register.pdf"'
    assert AuditEvent.objects.filter(object_type="action evidence", action="export").exists()
    wrong = url("evidence_download", action_id=plan.housing_action.pk, evidence_id=evidence.pk)
    assert client.get(wrong).status_code == 404


# --- board members: read, never write ----------------------------------------------------------


def test_board_members_read_everything_but_change_nothing(client, cast: Cast, plan: Plan) -> None:
    client.force_login(cast.board_member)
    action = plan.police_action
    for path in (
        url("plan"),
        url("recommendation_detail", rec_id=plan.rec1.pk),
        url("action_detail", action_id=action.pk),
        url("export_xlsx"),
        reverse("oversight:dashboard"),
    ):
        assert client.get(path).status_code == 200, path
    before = PlanChange.objects.count()
    for path in (
        url("recommendation_new"),
        url("recommendation_edit", rec_id=plan.rec1.pk),
        url("action_new", rec_id=plan.rec1.pk),
        url("action_edit", action_id=action.pk),
        url("import"),
    ):
        assert client.get(path).status_code == 403, path
        assert client.post(path, {"description": "x", "text": "x"}).status_code == 403, path
    for path in (
        url("action_update", action_id=action.pk),
        url("evidence_add", action_id=action.pk),
        url("action_sign_off", action_id=action.pk),
    ):
        assert client.post(path, {"progress-status": "complete"}).status_code == 403, path
    assert PlanChange.objects.count() == before
    page = text(client.get(url("action_detail", action_id=action.pk)))
    assert "Save progress" not in page and "Change the action" not in page


# --- writing the plan --------------------------------------------------------------------------


def test_a_coordinator_writes_a_recommendation_then_its_actions(client, cast: Cast) -> None:
    client.force_login(cast.coordinator)
    response = client.post(
        url("recommendation_new"),
        {
            "number": "4",
            "kind": "overarching",
            "text": "The CSP to publish a MARAC referral pathway for older victims.",
            "scope": "local",
            "themes": ["policy", "multi_agency_working"],
            "addressee": "csp",
            "addressed_to": "Northbridge Community Safety Partnership",
            "source": "panel",
        },
    )
    rec = Recommendation.objects.get(number="4")
    assert response.status_code == 302
    assert response["Location"] == url("action_new", rec_id=rec.pk)
    assert rec.themes == ["policy", "multi_agency_working"]
    response = client.post(
        url("action_new", rec_id=rec.pk),
        {
            "description": "Write and publish the pathway with the MARAC chair",
            "lead_agency": str(cast.police.pk),
            "target_date": "2025-09-30",
            "status": "not_started",
            "outcome_measure": "Pathway on the CSP website",
        },
    )
    assert response.status_code == 302
    action = rec.actions.get()
    assert (action.lead_agency, action.lead, action.target_date) == (
        cast.police,
        "Northbridge Police",
        date(2025, 9, 30),
    )
    assert action.smart_flags == []


def test_a_duplicate_number_is_shown_on_the_form(client, cast: Cast, plan: Plan) -> None:
    client.force_login(cast.chair)
    response = client.post(
        url("recommendation_new"),
        {
            "number": "1",
            "kind": "overarching",
            "text": "Again",
            "scope": "local",
            "source": "panel",
        },
    )
    assert response.status_code == 200
    assert "Recommendation 1 is already in this plan." in text(response)


def test_similar_recommendations_from_other_reviews_the_user_may_see_without_names(
    client, cast: Cast, plan: Plan
) -> None:
    earlier = ReviewFactory(reference="NB-DHR-2022-03", csp=cast.csp)
    Person.objects.create(review=earlier, role="victim", real_name="Gwendolyn Marsh")
    services.recommendation_create(
        review=earlier,
        by=cast.coordinator,
        number="2",
        kind="overarching",
        scope="local",
        text="Police to complete a DASH risk assessment at every domestic incident, as "
        "Gwendolyn Marsh's family asked.",
    )
    hidden = ReviewFactory(reference="SM-DHR-2022-01", csp=cast.outsider.organisation)
    Recommendation.objects.create(
        review=hidden,
        number="1",
        kind="overarching",
        scope="local",
        text="Police to complete a DASH risk assessment at every domestic incident.",
    )
    client.force_login(cast.coordinator)
    response = client.get(
        url("similar"), {"text": "Northbridge Police to complete DASH at each domestic incident"}
    )
    page = text(response)
    assert "NB-DHR-2022-03" in page and "recommendation 2" in page
    assert "SM-DHR-2022-01" not in page
    assert "Gwendolyn" not in page and "Marsh" not in page and "[name]" in page
    assert AuditEvent.objects.filter(review=earlier, object_type="similar recommendations").exists()
    # Without JavaScript the form has a button that checks and shows the form again, unsaved.
    response = client.post(
        url("recommendation_new"),
        {"check": "1", "number": "9", "text": "DASH risk assessment at every domestic incident"},
    )
    assert response.status_code == 200
    assert "NB-DHR-2022-03" in text(response)
    assert not Recommendation.objects.filter(number="9").exists()
    client.force_login(cast.board_member)
    assert client.get(url("similar"), {"text": "DASH"}).status_code == 403


def test_the_coordinator_signs_off_from_the_action_page(client, cast: Cast, plan: Plan) -> None:
    services.action_progress(
        action=plan.police_action,
        by=cast.agency_author,
        status="complete",
        completed_on=date(2025, 5, 30),
        outcome="Trained",
    )
    client.force_login(cast.coordinator)
    page = text(client.get(url("action_detail", action_id=plan.police_action.pk)))
    assert "Sign the action off" in page
    response = client.post(
        url("action_sign_off", action_id=plan.police_action.pk), {"signoff-note": "Evidence seen"}
    )
    assert response.status_code == 302
    assert Action.objects.get(pk=plan.police_action.pk).signed_off_by == cast.coordinator


# --- import and export -------------------------------------------------------------------------


def test_the_import_page_lists_every_problem_and_stores_nothing(
    client, cast: Cast, tmp_path: Path
) -> None:
    rows = published_rows()
    rows[4].cells[6] = "31/02/2025"
    rows[4].cells[7] = "Nearly"
    path = write_published_plan(tmp_path / "bad.xlsx", rows)
    client.force_login(cast.coordinator)
    with path.open("rb") as handle:
        response = client.post(url("import"), {"file": handle})
    assert response.status_code == 200
    page = text(response)
    assert "The plan was not imported: 2 problems" in page
    assert "DHR Action Plan 10 G (Target date) 31/02/2025" in page
    assert "DHR Action Plan 10 H (Status) Nearly" in page
    assert not Recommendation.objects.exists()


def test_import_then_download_the_same_shape(client, cast: Cast, tmp_path: Path) -> None:
    client.force_login(cast.coordinator)
    with write_published_plan(tmp_path / "plan.xlsx").open("rb") as handle:
        response = client.post(url("import"), {"file": handle})
    assert response.status_code == 302
    assert "Imported 6 recommendations and 10 actions" in text(client.get(url("plan")))
    download = client.get(url("export_xlsx"))
    assert download["Content-Disposition"] == f'attachment; filename="{REF}-action-plan.xlsx"'
    again = read_plan(download.content, filename="export.xlsx")
    assert again.errors == [] and len(again.recommendations) == 6
    docx = client.get(url("export_docx"))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert AuditEvent.objects.filter(review=cast.review, action="export").count() == 2


# --- oversight ---------------------------------------------------------------------------------


def test_the_board_sees_where_everything_stands(client, cast: Cast, plan: Plan) -> None:
    client.force_login(cast.board_member)
    response = client.get(reverse("oversight:dashboard"), {"as_of": "2025-06-02"})
    assert response.status_code == 200
    page = text(response)
    assert "Overdue actions, longest overdue first" in page
    assert "Due in the next 30 days" in page
    assert "By lead agency" in page and "By theme" in page and "The oldest open actions" in page
    assert "Northbridge Police" in page and "Identification of risk" in page
    body = response.content.decode()
    assert body.count("<svg") >= 3 and "style=" not in body.split("<main")[1]
    assert "recommendations/recommendations.css" in body
    assert AuditEvent.objects.filter(
        review=cast.review, object_type="action plan oversight"
    ).exists()


def test_oversight_is_for_coordinators_and_board_members_only(
    client, cast: Cast, plan: Plan
) -> None:
    for name in ("chair", "author", "panel_member", "agency_author", "admin"):
        client.force_login(getattr(cast, name))
        assert client.get(reverse("oversight:dashboard")).status_code == 403, name
        assert client.get(reverse("oversight:export_csv")).status_code == 403, name
    client.force_login(cast.outsider)  # a coordinator of another partnership
    response = client.get(reverse("oversight:dashboard"))
    assert response.status_code == 200 and REF not in text(response)
    client.logout()
    assert client.get(reverse("oversight:dashboard")).status_code == 302


def test_oversight_downloads(client, cast: Cast, plan: Plan) -> None:
    client.force_login(cast.board_member)
    response = client.get(reverse("oversight:export_csv"), {"as_of": "2025-06-02"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Review", "Recommendation", "Kind"]
    assert [(r[0], r[5], r[10]) for r in rows[1:]] == [
        (REF, "1.1", "Yes"),
        (REF, "1.2", "No"),
        (REF, "SA1.1", "No"),
    ]
    response = client.get(reverse("oversight:export_xlsx"), {"as_of": "2025-06-02"})
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Summary", "Actions"]
    assert workbook["Summary"]["B4"].value == 1  # overdue
    assert workbook["Actions"].max_row == 4
    assert (
        AuditEvent.objects.filter(object_type="action plan oversight", action="export").count() == 2
    )


def test_the_service_navigation_offers_oversight_to_coordinators_and_board_members(
    client, cast: Cast
) -> None:
    oversight = reverse("oversight:dashboard")
    for name, shown in (("coordinator", True), ("board_member", True), ("agency_author", False)):
        client.force_login(getattr(cast, name))
        body = client.get(reverse("reviews:dashboard")).content.decode()
        assert (f'href="{oversight}"' in body) is shown, name


def test_imr_recommendations_page(client, cast: Cast, plan: Plan) -> None:
    from lantern.chronology.models import IMR

    IMR.objects.create(review=cast.review, agency=cast.housing, recommendations=["Train officers"])
    client.force_login(cast.coordinator)
    assert "Train officers" in text(client.get(url("from_imrs")))
    response = client.post(url("from_imrs"), {"chosen": [f"{cast.housing.pk}:0"]})
    assert response.status_code == 302
    assert Recommendation.objects.get(number="SA2").source_agency == cast.housing
    client.force_login(cast.author)  # may see every IMR, may not write the plan
    assert client.get(url("from_imrs")).status_code == 403
    client.force_login(cast.chair)
    assert client.get(url("from_imrs")).status_code == 200


def test_the_review_navigation_links_the_plan(client, cast: Cast) -> None:
    client.force_login(cast.agency_author)
    body = client.get(url("plan")).content.decode()
    assert "Recommendations and action plan" in body
    assert f'href="{url("plan")}"' in body


def test_recommendation_page_follows_it_to_the_evidence(client, cast: Cast, plan: Plan) -> None:
    services.evidence_add(action=plan.police_action, by=cast.agency_author, note="Course register")
    client.force_login(cast.board_member)
    page = text(client.get(url("recommendation_detail", rec_id=plan.rec1.pk)))
    assert "Course register" in page and "Action 1.1" in page and "Action 1.2" in page
    assert "Evidence added" in page
    assert client.get(url("recommendation_detail", rec_id=plan.rec1.pk + 999)).status_code == 404


def test_oversight_downloads_never_carry_a_live_formula(client, cast: Cast, plan: Plan) -> None:
    from lantern.recommendations.models import Action

    Action.objects.filter(pk=plan.police_action.pk).update(description='=HYPERLINK("x")')
    client.force_login(cast.board_member)
    response = client.get(reverse("oversight:export_csv"), {"as_of": "2025-06-02"})
    body = response.content.decode()
    assert "'=HYPERLINK" in body and ",=HYPERLINK" not in body
    response = client.get(reverse("oversight:export_xlsx"), {"as_of": "2025-06-02"})
    sheet = load_workbook(io.BytesIO(response.content))["Actions"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == '=HYPERLINK("x")']
    assert cells and all(c.data_type == "s" for c in cells)
