"""What the two public pages (the accessibility statement and the privacy notice) share: they
answer GET and HEAD only, and the footer of every page, signed in or not, links to them."""

from __future__ import annotations

from typing import Any

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse

PAGES = [("Accessibility", "/accessibility/"), ("Privacy", "/privacy/")]


def footer_links(response: Any) -> dict[str, str]:
    """The footer's links: text -> address."""
    tree = lxml.html.fromstring(response.content.decode())
    return {
        " ".join(a.text_content().split()): a.get("href")
        for a in tree.xpath('//footer[@class="govuk-footer"]//a[@class="govuk-footer__link"]')
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "url"), PAGES)
def test_only_get_and_head(client: Client, label: str, url: str) -> None:
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405
    assert client.put(url).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "url"), PAGES)
def test_the_footer_of_a_signed_in_page_links_to_it(
    client: Client, cast: Any, label: str, url: str
) -> None:
    client.force_login(cast.coordinator)
    response = client.get(reverse("reviews:dashboard"))
    assert response.status_code == 200
    assert footer_links(response)[label] == url
    # And the page itself, signed in, carries the same footer.
    assert footer_links(client.get(url))[label] == url


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "url"), PAGES)
def test_the_footer_of_the_sign_in_page_links_to_it(client: Client, label: str, url: str) -> None:
    response = client.get(reverse("accounts:login"))
    assert footer_links(response)[label] == url
    assert "#" not in footer_links(response).values()
