"""The accessibility statement at /accessibility/: public, in the GOV.UK sample's structure,
filled in from the settings, linked from every page's footer, and true about what it says
Lantern does not do yet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from lantern.core import views

URL = "/accessibility/"

HEADINGS = [
    (1, "Accessibility statement for Lantern"),
    (2, "How accessible this service is"),
    (2, "Feedback and contact information"),
    (2, "Reporting accessibility problems with this service"),
    (2, "Enforcement procedure"),
    (2, "Technical information about this service's accessibility"),
    (3, "Compliance status"),
    (2, "Non-accessible content"),
    (3, "Non-compliance with the accessibility regulations"),
    (3, "Parts of the service not yet tested"),
    (3, "Documents uploaded to the service"),
    (3, "Disproportionate burden"),
    (2, "What we're doing to improve accessibility"),
    (2, "Preparation of this accessibility statement"),
]
DEFAULT_OPERATOR = "the Community Safety Partnership that runs this service"


def _tree(response: Any) -> Any:
    return lxml.html.fromstring(response.content.decode())


def _main_text(response: Any) -> str:
    main = _tree(response).get_element_by_id("main-content")
    return " ".join(main.text_content().split())


def _lantern(**overrides: str) -> dict[str, Any]:
    return {**django_settings.LANTERN, **overrides}


@pytest.mark.django_db
def test_anonymous_visitor_reads_the_statement_with_its_headings(client: Client) -> None:
    assert reverse("core:accessibility") == URL
    response = client.get(URL)
    assert response.status_code == 200
    tree = _tree(response)
    assert tree.findtext(".//title").startswith("Accessibility statement - ")
    headings = [
        (int(h.tag[1]), " ".join(h.text_content().split()))
        for h in tree.get_element_by_id("main-content").iter("h1", "h2", "h3")
    ]
    assert headings == HEADINGS
    assert tree.xpath('//main//h1[@class="govuk-heading-l"]')
    text = _main_text(response)
    assert "partially compliant with the Web Content Accessibility Guidelines version 2.2" in text
    assert "Equality and Human Rights Commission (EHRC)" in text
    assert "Equality Advisory and Support Service (EASS)" in text
    assert tree.xpath('//main//a[@href="https://www.equalityadvisoryservice.com/"]')
    assert "This statement was prepared on 26 November 2026." in text
    assert "It was last reviewed on 26 November 2026." in text
    assert "Lantern was last tested on 26 November 2026." in text


@pytest.mark.django_db
def test_without_settings_it_names_no_one_and_shows_no_email(client: Client, settings) -> None:
    settings.LANTERN = _lantern(OPERATOR_NAME="", ACCESSIBILITY_CONTACT="")
    response = client.get(URL)
    text = _main_text(response)
    assert f"This statement is published by {DEFAULT_OPERATOR}." in text
    assert "The Community Safety Partnership that runs this service is committed" in text
    assert f"contact the review coordinator at {DEFAULT_OPERATOR}." in text
    assert b"mailto:" not in response.content


@pytest.mark.django_db
def test_the_settings_name_the_operator_and_the_contact(client: Client, settings) -> None:
    settings.LANTERN = _lantern(
        OPERATOR_NAME="Northbridge Community Safety Partnership",
        ACCESSIBILITY_CONTACT="access@northbridge.gov.uk",
    )
    response = client.get(URL)
    text = _main_text(response)
    assert "This service is run by Northbridge Community Safety Partnership" in text
    assert "Northbridge Community Safety Partnership is committed to making" in text
    assert DEFAULT_OPERATOR not in text
    mailto = _tree(response).xpath('//main//a[@href="mailto:access@northbridge.gov.uk"]')
    assert len(mailto) == 2  # different formats; reporting a problem
    assert all(a.text_content() == "access@northbridge.gov.uk" for a in mailto)
    assert "contact the review coordinator" not in text


@pytest.mark.django_db
def test_the_operator_name_is_escaped(client: Client, settings) -> None:
    settings.LANTERN = _lantern(OPERATOR_NAME="<b>Northbridge</b>")
    response = client.get(URL)
    assert b"<b>Northbridge</b>" not in response.content
    assert b"&lt;b&gt;Northbridge&lt;/b&gt;" in response.content


@pytest.mark.django_db
def test_readable_before_the_two_factor_check(client: Client, cast: Any, settings) -> None:
    """Signed in but not yet past two-factor: the statement is still open (it is public), while
    other pages send the person to the check."""
    settings.LANTERN_REQUIRE_2FA = True
    client.force_login(cast.coordinator)
    assert client.get(reverse("reviews:dashboard")).status_code == 302
    assert client.get(URL).status_code == 200


def test_the_dates_are_in_order() -> None:
    assert views.STATEMENT_REVIEWED_ON >= views.STATEMENT_PREPARED_ON
    assert views.STATEMENT_TESTED_ON <= views.STATEMENT_REVIEWED_ON


# What the statement says Lantern does not do is checked against Lantern, so that the statement
# fails a test the day it stops being true.


def _structure_types(content: bytes) -> set[str]:
    """The structure element types (H1, P, Table, TH...) of a PDF's tagged pages."""
    import ctypes

    import pypdfium2
    import pypdfium2.raw as pdfium_c

    def kind(element: Any) -> str:
        size = pdfium_c.FPDF_StructElement_GetType(element, None, 0)
        buffer = ctypes.create_string_buffer(size)
        pdfium_c.FPDF_StructElement_GetType(element, buffer, size)
        return buffer.raw.decode("utf-16-le").rstrip("\x00")

    found: set[str] = set()

    def walk(element: Any) -> None:
        found.add(kind(element))
        for i in range(pdfium_c.FPDF_StructElement_CountChildren(element)):
            child = pdfium_c.FPDF_StructElement_GetChildAtIndex(element, i)
            if child:
                walk(child)

    pdf = pypdfium2.PdfDocument(content)
    try:
        assert pdfium_c.FPDFCatalog_IsTagged(pdf.raw)
        for number in range(len(pdf)):
            page = pdf[number]
            tree = pdfium_c.FPDF_StructTree_GetForPage(page.raw)
            try:
                for i in range(pdfium_c.FPDF_StructTree_CountChildren(tree)):
                    walk(pdfium_c.FPDF_StructTree_GetChildAtIndex(tree, i))
            finally:
                pdfium_c.FPDF_StructTree_Close(tree)
                page.close()
    finally:
        pdf.close()
    return found


def test_generated_pdfs_are_tagged_as_the_statement_says() -> None:
    from lantern.documents.content.model import Bullets, Document, Section, Table, Text
    from lantern.documents.content.pdf import render_pdf

    doc = Document(
        kind="overview_report",
        title="Overview report",
        subtitle="Domestic Homicide Review",
        partnership="Northbridge Community Safety Partnership",
        reference="NB-DHR-2024-07",
        marking="",
        issued_on=dt.date(2026, 11, 26),
        sections=[
            Section(
                "Introduction",
                [
                    Text("A paragraph."),
                    Bullets(("One", "Two")),
                    Table(headings=("Agency", "Contacts"), rows=(("Police", "3"),)),
                ],
            )
        ],
    ).number_sections()
    types = _structure_types(render_pdf(doc))
    assert {"H1", "H2", "P", "L", "LI", "Table", "TH", "TD"} <= types, sorted(types)


def test_there_is_no_welsh_translation_as_the_statement_says() -> None:
    import lantern

    package = Path(lantern.__file__).resolve().parent
    catalogues = [
        *package.glob("**/locale/cy/LC_MESSAGES/*.mo"),
        *(p for p in map(Path, django_settings.LOCALE_PATHS) if (p / "cy").exists()),
    ]
    assert not catalogues, f"A Welsh translation exists ({catalogues}): update the statement"


# The statement page in a browser, signed out, with axe-core's WCAG 2.0, 2.1 and 2.2 A/AA rules.


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_statement_page_passes_axe_signed_out(live_server: Any) -> None:
    from lantern.core.tests.browser_support import ARTIFACTS, axe_check_signed_out

    result = axe_check_signed_out(
        live_server.url, URL, ARTIFACTS / "accessibility-statement" / "statement.png"
    )
    assert result.passes > 10
    assert not result.violations, "\n".join(result.lines(URL, only_blocking=False))
