"""The analysis page and its API: who may open them, and what they show."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from lantern.accounts.services import api_token_create
from lantern.chronology.models import ThemeTag
from lantern.chronology.tests.analysis_support import entry, settle, tag
from lantern.core.models import AuditEvent

pytestmark = pytest.mark.django_db

CONFIRMED = ThemeTag.Status.CONFIRMED
CONTRACT = [
    "review",
    "date_of_death",
    "entries",
    "agencies",
    "themes",
    "single_issue_agencies",
    "days_without_contact_before_death",
    "monthly_contacts",
    "flags",
]


@pytest.fixture
def rows(cast):  # noqa: ANN001, ANN201
    review = cast.review  # date of death 20 September 2024
    police = [
        entry(review, cast.police, f"2023-{m:02d}-05", what_happened="Officers attended.")
        for m in range(1, 7)
    ]
    police.append(
        entry(
            review,
            cast.police,
            "2023-06-20",
            what_happened="Second call this month. Referred to Northbridge Homes.",
        )
    )
    housing = [
        entry(review, cast.housing, "2024-02-01", what_happened="Tenant did not attend."),
        entry(review, cast.housing, "2024-05-01", what_happened="Rent arrears letter sent."),
    ]
    settle(review)
    for item in police[:3]:
        tag(item, "domestic_abuse", CONFIRMED)
    tag(housing[1], "finance_employment", CONFIRMED)
    tag(housing[0], "housing", CONFIRMED)
    return {"police": police, "housing": housing}


def url(cast) -> str:  # noqa: ANN001
    return f"/reviews/{cast.review.reference}/chronology/analysis/"


def api_url(cast) -> str:  # noqa: ANN001
    return f"/api/reviews/{cast.review.reference}/chronology/analysis"


def test_the_page_shows_what_the_chronology_shows(client, cast, rows) -> None:
    client.force_login(cast.chair)
    response = client.get(url(cast))
    assert response.status_code == 200
    page = response.content.decode()
    assert "What the combined chronology shows" in page
    # headline: two agencies, the most any knew was 2 of 3 themes
    assert "2 agencies knew part of Kerry&#x27;s life; none saw the whole" in page
    assert "the most any one agency knew was 2 of 3 themes" in page
    # silence: last contact 1 May 2024, 142 days before the death on 20 September
    assert "on 1 May 2024: 142 days (about 4 months) before the death" in page
    assert "9 entries from 2 agencies" in page
    assert "This analysis covers only" not in page
    # the matrix: each agency a row, each theme a column, ticks with words for screen readers
    matrix = re.search(r'<table class="govuk-table lantern-analysis-matrix".*?</table>', page, re.S)
    assert matrix is not None
    assert matrix.group().count('scope="row"') == 2
    assert "Domestic abuse" in matrix.group()
    assert "Knew: 3 entries" in matrix.group()
    assert "Did not know" in matrix.group()
    assert "1 of 3 (33%)" in matrix.group()
    # flags: police contact fell away; a missed appointment at housing
    assert "Contact fell away" in page
    assert "Missed appointments" in page
    assert "Tenant did not attend" in page
    # the referral network, drawn and as a table
    assert '<svg class="lantern-network__svg"' in page
    assert "Referrals, as a table" in page
    # the heat map has a row per agency plus all agencies
    heat = re.search(r'<table class="govuk-table lantern-heatmap".*?</table>', page, re.S)
    assert heat is not None
    assert heat.group().count('scope="row"') == 3
    assert "lantern-heat-5" in heat.group()
    # the content security policy forbids inline styles and scripts
    assert " style=" not in page
    assert "chronology/analysis.css" in page


def test_agency_author_sees_only_their_own_agency(client, cast, rows) -> None:
    client.force_login(cast.agency_author)
    page = client.get(url(cast)).content.decode()
    assert "Northbridge Police" in page
    assert "Northbridge Homes" not in page
    assert "Tenant did not attend" not in page
    assert "This analysis covers only your own agency&#x27;s entries" in page
    assert (
        "The entries here are one agency&#x27;s: it knew of 1 theme in Kerry&#x27;s life." in page
    )
    assert "7 entries from 1 agency" in page


@pytest.mark.parametrize(("role", "status"), [("board_member", 403), ("outsider", 404)])
def test_page_refused(client, cast, rows, role, status) -> None:
    client.force_login(getattr(cast, role))
    assert client.get(url(cast)).status_code == status


def test_anonymous_visitor_is_sent_to_sign_in(client, cast, rows) -> None:
    response = client.get(url(cast))
    assert response.status_code == 302
    assert cast.review.reference.encode() not in response.content


def test_subject_filter(client, cast, rows) -> None:
    client.force_login(cast.chair)
    page = client.get(url(cast), {"subject": "perpetrator"}).content.decode()
    assert "There are no entries about this subject" in page
    assert '<option value="perpetrator" selected>' in page
    page = client.get(url(cast), {"subject": "nonsense"}).content.decode()
    assert "2 agencies knew part" in page  # an unknown subject shows everyone


def test_empty_review(client, cast) -> None:
    client.force_login(cast.chair)
    page = client.get(url(cast)).content.decode()
    assert "There are no chronology entries before the death that you can see yet" in page


def test_one_audit_read_per_page(client, cast, rows) -> None:
    client.force_login(cast.author)
    before = AuditEvent.objects.filter(object_type="chronology analysis").count()
    client.get(url(cast))
    after = AuditEvent.objects.filter(object_type="chronology analysis")
    assert after.count() == before + 1
    assert after.last().action == AuditEvent.Action.READ


def test_the_review_links_to_the_analysis(client, cast, rows) -> None:
    client.force_login(cast.chair)
    page = client.get(f"/reviews/{cast.review.reference}/").content.decode()
    assert url(cast) in page


# --- the API -------------------------------------------------------------------------------------


def api(user) -> Client:  # noqa: ANN001
    _token, secret = api_token_create(user=user, by=user, name="tests")
    return Client(headers={"Authorization": f"Bearer {secret}"})


def test_api_answers_the_contract(cast, rows) -> None:
    response = api(cast.coordinator).get(api_url(cast))
    assert response.status_code == 200
    data = response.json()
    assert list(data)[: len(CONTRACT)] == CONTRACT
    assert data["review"] == cast.review.reference
    assert data["date_of_death"] == "2024-09-20"
    assert data["entries"] == 9
    assert data["themes"] == ["domestic_abuse", "finance_employment", "housing"]
    assert data["agencies"][0] == {
        "agency": "Northbridge Homes",
        "entries": 2,
        "first_contact": "2024-02-01",
        "last_contact": "2024-05-01",
        "themes": ["finance_employment", "housing"],
        "theme_coverage": 0.67,
    }
    assert data["single_issue_agencies"] == ["Northbridge Police"]
    assert data["days_without_contact_before_death"] == 142
    assert data["monthly_contacts"]["2023-06"] == 2
    assert data["monthly_contacts"]["2023-07"] == 0
    assert len(data["monthly_contacts"]) == 17  # January 2023 to May 2024
    assert all(set(f) == {"kind", "agency", "date", "detail"} for f in data["flags"])
    assert [f["date"] for f in data["flags"]] == sorted(f["date"] for f in data["flags"])
    assert data["referrals"] == [
        {
            "from": "Northbridge Police",
            "to": "Northbridge Homes",
            "referrals": 1,
            "first": "2023-06-20",
            "last": "2023-06-20",
        }
    ]


def test_api_access_and_subject(cast, rows) -> None:
    assert api(cast.board_member).get(api_url(cast)).status_code == 403
    assert api(cast.outsider).get(api_url(cast)).status_code == 404
    assert api(cast.outsider).post(api_url(cast)).status_code == 404
    assert api(cast.chair).post(api_url(cast)).status_code == 405
    author = api(cast.agency_author).get(api_url(cast)).json()
    assert [a["agency"] for a in author["agencies"]] == ["Northbridge Police"]
    assert api(cast.chair).get(api_url(cast), {"subject": "child"}).json()["entries"] == 0
    assert api(cast.chair).get(api_url(cast), {"subject": "neighbour"}).status_code == 422
