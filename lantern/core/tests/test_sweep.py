"""Every review page and API route, with every role, on a review where one agency's material is
not shared: nobody outside that agency (or the review's leadership) ever sees it, on any page or
API response; and every successful read of review data leaves a record in the audit trail.

Ids in routes are filled from real objects of the police's unshared material, so that a route
showing one object is tried on exactly the object that must stay hidden.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.test import Client

from lantern.chronology.models import ChronologyEntry
from lantern.chronology.services import chronology_import
from lantern.chronology.services_returns import imr_save, imr_start
from lantern.core.models import AuditEvent
from lantern.core.tests.test_outsider_sweep import review_routes
from lantern.reviews.access import Cap, capabilities

pytestmark = pytest.mark.django_db

MARKER = "Quillfeather"  # only in the police's unshared chronology and IMR
POLICE_CSV = (
    "Date,What happened,Action taken\n"
    f"01/02/2021,Officer noted the {MARKER} disclosure at the address,DASH completed\n"
    f"03/02/2021,{MARKER} follow-up visit,Referred to MARAC\n"
).encode()
HOUSING_CSV = b"Date,What happened\n05/02/2021,Tenancy review visit\n"


@pytest.fixture
def seeded(cast: Any) -> dict[str, int]:
    chronology_import(
        review=cast.review,
        agency=cast.police,
        files=[("police.csv", POLICE_CSV)],
        by=cast.coordinator,
    )
    chronology_import(
        review=cast.review,
        agency=cast.housing,
        files=[("housing.csv", HOUSING_CSV)],
        by=cast.coordinator,
    )
    imr = imr_start(review=cast.review, agency=cast.police, by=cast.agency_author)
    imr_save(
        review=cast.review,
        agency=cast.police,
        by=cast.agency_author,
        sections={"introduction": f"{MARKER} summary"},
        author_name="A. Author",
        independence_statement="Independent of the case.",
        recommendations=[],
    )
    entry = ChronologyEntry.objects.filter(review=cast.review, agency=cast.police).first()
    person = cast.review.people.first()
    return {
        "entry_id": entry.pk,
        "agency_id": cast.police.pk,
        "person_id": person.pk,
        "imr_id": imr.pk,
        "id": entry.pk,
    }


def _fill(route: str, reference: str, ids: dict[str, int]) -> str | None:
    route = route.lstrip("^").rstrip("$")
    route = re.sub(r"<(?:str:)?reference>", reference, route)
    missing = [n for n in re.findall(r"<int:(\w+)>", route) if n not in ids]
    if missing:
        return None
    route = re.sub(r"<int:(\w+)>", lambda m: str(ids[m.group(1)]), route)
    if re.search(r"<\w+(:\w+)?>", route):
        return None
    return "/" + route


def _api_paths(client: Client, reference: str, ids: dict[str, int]) -> list[str]:
    doc = json.loads(client.get("/api/openapi.json").content)
    paths = []
    for template, operations in doc["paths"].items():
        if "get" not in operations or "{reference}" not in template:
            continue
        path = template.replace("{reference}", reference)
        names = re.findall(r"\{(\w+)\}", path)
        if any(n not in ids for n in names):
            continue
        paths.append(re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path))
    return paths


def _urls(client: Client, cast: Any, ids: dict[str, int]) -> list[str]:
    pages = [u for r in review_routes() if (u := _fill(r, cast.review.reference, ids))]
    return pages + _api_paths(client, cast.review.reference, ids)


@pytest.mark.parametrize(
    "role", ["other_agency_author", "board_member", "outsider"], ids=lambda r: r
)
def test_no_role_reaches_another_agencys_unshared_material(
    cast: Any, seeded: dict[str, int], role: str
) -> None:
    user = getattr(cast, role)
    client = Client()
    client.force_login(user)
    urls = _urls(client, cast, seeded)
    assert len(urls) > 100
    leaks = []
    for url in urls:
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content
        if MARKER.encode() in body:
            leaks.append(f"{url} ({response.status_code})")
    assert not leaks, f"{role} sees the police's unshared material at:\n" + "\n".join(leaks)


def test_the_police_see_their_own_material_so_the_marker_is_findable(
    cast: Any, seeded: dict[str, int]
) -> None:
    client = Client()
    client.force_login(cast.agency_author)
    response = client.get(f"/reviews/{cast.review.reference}/chronology/")
    assert MARKER in response.content.decode()


@pytest.mark.parametrize("role", ["coordinator", "agency_author", "board_member"])
def test_every_read_of_review_data_is_audited(cast: Any, seeded: dict[str, int], role: str) -> None:
    user = getattr(cast, role)
    assert Cap.VIEW in capabilities(user=user, review=cast.review)
    client = Client()
    client.force_login(user)
    unaudited = []
    for url in _urls(client, cast, seeded):
        before = AuditEvent.objects.filter(review=cast.review, actor=user).count()
        response = client.get(url)
        if response.status_code != 200:
            continue
        after = AuditEvent.objects.filter(review=cast.review, actor=user).count()
        if after == before:
            unaudited.append(url)
    assert not unaudited, f"{role}: reads with no audit record:\n" + "\n".join(unaudited)


def test_dates_are_today(cast: Any) -> None:
    """Guard for the fixtures above: the cast's review is current."""
    assert cast.review.notification_date <= dt.date.today()
