"""Walk every URL pattern with the outsider and fail if any review URL answers them.

A new page that forgets its access check fails here without anyone writing a test for it.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

REVIEW_KWARG = "reference"
# Pages that are not about one review. Each is still checked: it must not show the review.
NOT_REVIEW_SCOPED = re.compile(
    r"^(reviews/$|reviews/notify/|accounts/|api/|reference-data/|healthz)"
)


def _walk(patterns, prefix=""):  # noqa: ANN001, ANN202
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def _fill(route: str, reference: str) -> str:
    route = route.lstrip("^").rstrip("$")
    route = re.sub(r"<(?:str:)?reference>", reference, route)
    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<(?:str|slug|uuid|path):\w+>", "x", route)
    route = re.sub(r"<\w+>", "x", route)
    return "/" + route


def review_routes() -> list[str]:
    routes = []
    for route, _pattern in _walk(get_resolver().url_patterns):
        if "<reference>" in route or "<str:reference>" in route:
            routes.append(route)
    return sorted(set(routes))


def test_there_are_review_routes_to_sweep() -> None:
    assert len(review_routes()) >= 3


@pytest.mark.django_db
def test_outsider_gets_404_on_every_review_url(client, cast) -> None:
    client.force_login(cast.outsider)
    failures = []
    for route in review_routes():
        url = _fill(route, cast.review.reference)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if response.status_code != 404:
                failures.append(f"{method.upper()} {url} -> {response.status_code}")
    assert not failures, "Reachable by a non-member:\n" + "\n".join(failures)


@pytest.mark.django_db
def test_anonymous_never_sees_a_review(client, cast) -> None:
    for route in review_routes():
        url = _fill(route, cast.review.reference)
        response = client.get(url)
        assert response.status_code in (302, 401, 404), f"GET {url} -> {response.status_code}"
        assert cast.review.reference.encode() not in response.content


@pytest.mark.django_db
def test_other_pages_do_not_leak_the_review_to_the_outsider(client, cast) -> None:
    client.force_login(cast.outsider)
    for route, _pattern in _walk(get_resolver().url_patterns):
        if "<" in route or not NOT_REVIEW_SCOPED.match(route.lstrip("^")):
            continue
        url = _fill(route, cast.review.reference)
        response = client.get(url)
        assert response.status_code < 500, f"GET {url} -> {response.status_code}"
        body = response.content
        assert cast.review.reference.encode() not in body, url
        assert b"Joanne Whitfield" not in body, url
