"""What each document holds: sections in the standard order, values filled in from the review,
the briefing's headings and length, the marking and the issue line, pseudonyms only."""

from __future__ import annotations

import html
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document as DocxDocument

from lantern.core.models import AuditEvent
from lantern.documents import selectors, services
from lantern.documents.models import DocumentIssue, DocumentSettings
from lantern.documents.services import (
    DOCUMENT_KINDS,
    FORMATS,
    build_document,
    document_issue,
    document_settings_update,
    render_briefing,
    render_document,
)
from lantern.documents.tests.conftest import REAL_NAMES, TODAY
from lantern.documents.tests.support import (
    docx_paragraphs,
    names_found,
    package_text,
    pdf_pages,
    text_of,
)
from lantern.recommendations import services as plan_services
from lantern.recommendations.plan_import import read_plan
from lantern.testing.factories import PersonFactory, ReviewFactory

OVERVIEW_ORDER = [
    "Introduction and condolences",
    "Timescales",
    "Confidentiality",
    "Methodology and terms of reference",
    "Involvement of family, friends, colleagues, neighbours and community",
    "Contributors",
    "Panel membership",
    "Author and statement of independence",
    "Parallel reviews",
    "Equality and diversity",
    "Dissemination",
    "Background",
    "Chronology",
    "Overview",
    "Analysis",
    "Conclusions",
    "Lessons to be learnt",
    "Recommendations",
]
APPENDICES = ["Action plan", "Terms of reference", "Combined chronology"]
STANDARD_HEADINGS = [
    "Context",
    "Why it matters",
    "Criteria for a review",
    "Background",
    "Safeguarding",
    "Recommendations and learning",
    "What's next",
]
ALTERNATIVE_HEADINGS = [
    "Case summary",
    "Why it matters",
    "Key findings",
    "What we learned",
    "What you should do",
    "Questions for reflection",
    "Resources",
]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def html_text(content: bytes) -> str:
    """The words of an HTML page, as a reader sees them."""
    body = content.decode("utf-8").split("<body", 1)[1]
    return flat(html.unescape(re.sub(r"<[^>]+>", " ", body)))


def docx_body(content: bytes) -> str:
    return flat(
        "\n".join(text for _style, text in docx_paragraphs(content)) + "\n" + _cells(content)
    )


def _cells(content: bytes) -> str:
    document = DocxDocument(io.BytesIO(content))
    return "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )


# --- the overview report ------------------------------------------------------------------------


def test_overview_report_has_the_standard_sections_in_order(documented) -> None:
    doc = build_document(documented.review, "overview_report", today=TODAY)
    assert [s.heading for s in doc.sections] == OVERVIEW_ORDER
    assert [s.heading for s in doc.appendices] == APPENDICES
    content = render_document(documented.review, "overview_report", fmt="docx", today=TODAY)
    headings = [t for style, t in docx_paragraphs(content) if style == "Heading 1"]
    expected = [f"{n}. {h}" for n, h in enumerate(OVERVIEW_ORDER, start=1)]
    expected += [f"Appendix {letter}: {h}" for letter, h in zip("ABC", APPENDICES, strict=True)]
    assert headings == expected
    # The lines of enquiry become the analysis's subsections, pseudonymised.
    subsections = [t for style, t in docx_paragraphs(content) if style == "Heading 2"]
    assert subsections == [
        "15.1 What did agencies know of Lee's abuse of Kerry?",
        "15.2 Were DASH risk assessments completed and acted on?",
        "Family involvement",  # in the terms of reference appendix
        "Parallel processes",
    ]


def test_overview_report_is_filled_in_from_the_review(documented) -> None:
    content = render_document(
        documented.review, "overview_report", fmt="docx", issued_to="Panel", today=TODAY
    )
    text = docx_body(content)
    for expected in (
        "before her death in September 2024",  # the date of death as month and year only
        "Hold a review, 20 October 2024",  # the decision
        "22 October 2024",  # Home Office told
        "Inquest",  # the pause
        "10 January 2025",
        "The panel met once: 1 December 2024.",
        "Sandra",  # the family member, by pseudonym, in the people table and family contact
        "Advocacy offered (AAFDA)",
        "Pseudonym agreed",
        "Independent chair",
        "I have never worked for any agency in this review.",
        "Inquest opened by the coroner.",  # parallel processes
        "This is a joint review with: Safeguarding Adults Review.",
        "Northbridge Police",  # contributors
        "Northbridge Surgery",
        "3 agencies had contact with Kerry or her family.",
        "Kerry was a woman in her late thirties of White British heritage.",
        "Agencies to recognise stalking after separation, as Lee's was not.",  # recommendations
        "Housing to ask about domestic abuse at every move request.",
        "Train response officers on stalking; case study of Kerry.",  # the action plan appendix
        "Call from Kerry: Lee threatened her.",  # the combined chronology appendix
        "Prompt referral for Kerry.",  # flagged in the analysis
        "Domestic abuse",  # themes
    ):
        assert expected in text, expected
    assert "Author:" in text  # prompts where the author writes


def test_executive_summary_sections_and_content(documented) -> None:
    doc = build_document(documented.review, "executive_summary", today=TODAY)
    assert [s.heading for s in doc.sections] == [
        "The review process",
        "Contributors",
        "Panel",
        "Chair and author",
        "Terms of reference",
        "Summary chronology",
        "Key issues",
        "Conclusions",
        "Lessons",
        "Recommendations",
    ]
    text = docx_body(render_document(documented.review, "executive_summary", fmt="docx"))
    assert "Agencies to recognise stalking after separation, as Lee's was not." in text
    # The summary lists overarching recommendations; single-agency ones are counted.
    assert "Housing to ask about domestic abuse" not in text
    assert "also made 1 single-agency recommendation" in text
    assert "The combined chronology holds 3 entries from 3 agencies" in text


# --- the briefing -------------------------------------------------------------------------------


def test_briefing_has_the_starting_cases_seven_headings_filled_from_the_review(documented) -> None:
    doc = build_document(documented.review, "briefing", today=TODAY)
    assert [s.heading for s in doc.sections] == STANDARD_HEADINGS
    assert [s.title for s in doc.sections][0] == "1. Context"
    text = html_text(render_briefing(documented.review, fmt="html", today=TODAY))
    review_type = documented.review.review_type.name
    for expected in (
        f"Northbridge Community Safety Partnership must hold a {review_type}",
        "In October 2024 the partnership decided that the death of Kerry met the criteria.",
        "Kerry was a woman in her late thirties of White British heritage.",
        "She took her own life in September 2024.",
        "The review also concerns her former partner, called Lee here.",
        "3 agencies had contact with Kerry or her family between March 2022 and May 2024.",
        "No agency recorded contact with her in the last 4 months of her life.",
        "Domestic abuse (recorded by 2 agencies)",
        "Housing (recorded by 1 agency)",
        "1 missed opportunity and 1 example of good practice",
        "1 overarching recommendation and 1 single-agency recommendation",
        "identification of risk, training and policy",
        "An action plan of 2 actions",
        "0808 2000 247",
    ):
        assert expected in text, expected


def test_briefing_can_use_the_alternative_headings_and_the_partnerships_text(documented) -> None:
    review = documented.review
    document_settings_update(
        review=review,
        by=documented.cast.chair,
        values={
            "heading_set": "alternative",
            "local_services": "Northbridge Women's Aid: 01234 567890\nNorthbridge IDVA service",
        },
    )
    doc = build_document(review, "briefing", today=TODAY)
    assert [s.heading for s in doc.sections] == ALTERNATIVE_HEADINGS
    text = html_text(render_briefing(review, fmt="html", today=TODAY))
    assert "Northbridge Women's Aid: 01234 567890" in text
    assert "0808 2000 247" not in text
    # "What you should do" from the recommendations' themes; questions from the records' themes.
    assert "Complete a DASH risk assessment" in text
    assert "How would your team recognise domestic abuse" in text


@pytest.mark.parametrize("heading_set", ["standard", "alternative"])
def test_briefing_pdf_fits_on_one_or_two_a4_pages(documented, heading_set) -> None:
    review = documented.review
    # A full review: many themes, a long plan, a partnership's own long texts.
    for number in range(2, 14):
        plan_services.recommendation_create(
            review=review,
            by=documented.cast.coordinator,
            number=str(number),
            kind="overarching",
            scope="local",
            text=f"Recommendation {number}",
            themes=["technology_systems", "multi_agency_working", "record_keeping"],
        )
    document_settings_update(
        review=review,
        by=documented.cast.chair,
        values={
            "heading_set": heading_set,
            "why_it_matters": " ".join(["Domestic abuse harms many people in our area."] * 8),
            "local_services": "\n".join(f"Local service {n}: 01234 56789{n}" for n in range(6)),
        },
    )
    pages = pdf_pages(render_briefing(review, fmt="pdf", today=TODAY))
    assert 1 <= len(pages) <= 2
    assert "7-minute briefing" in pages[0]


def test_briefing_of_a_review_just_notified_still_reads_sensibly(cast) -> None:
    review = ReviewFactory(csp=cast.csp, pseudonym="", date_of_death=None)
    PersonFactory(review=review, role="victim", pseudonym="", real_name="Anna Lowe")
    text = html_text(render_briefing(review, fmt="html"))
    assert "The review's recommendations are being written." in text
    assert "Anna" not in text and "Lowe" not in text
    assert "[victim] was a person." in text
    assert len(pdf_pages(render_briefing(review, fmt="pdf"))) == 1


# --- marking and issue line ---------------------------------------------------------------------


def _header_footer_text(content: bytes) -> tuple[str, str]:
    document = DocxDocument(io.BytesIO(content))
    section = document.sections[0]
    header = " ".join(p.text for p in section.header.paragraphs)
    footer = " ".join(p.text for p in section.footer.paragraphs)
    return header, footer


def test_drafts_carry_the_marking_and_whom_they_were_issued_to_on_every_page(documented) -> None:
    review = documented.review
    docx = render_document(review, "overview_report", fmt="docx", issued_to="Panel", today=TODAY)
    header, footer = _header_footer_text(docx)
    assert header == "OFFICIAL-SENSITIVE"
    assert "OFFICIAL-SENSITIVE" in footer
    assert "Issued to Panel, June 2025" in footer
    assert 'w:instrText xml:space="preserve"> PAGE ' in package_text(docx)
    assert "NUMPAGES" in package_text(docx)
    pages = pdf_pages(
        render_document(review, "overview_report", fmt="pdf", issued_to="Panel", today=TODAY)
    )
    assert len(pages) >= 4  # title page, contents, body, landscape appendices
    for number, page in enumerate(pages, start=1):
        assert page.count("OFFICIAL-SENSITIVE") >= 2, number  # top and bottom
        assert "Issued to Panel, June 2025" in flat(page)
        assert f"Page {number} of {len(pages)}" in flat(page)


def test_the_marking_is_configurable_per_review_partnership_and_setting(
    documented, settings
) -> None:
    review = documented.review
    assert selectors.settings_for(review).marking == "OFFICIAL-SENSITIVE"
    settings.LANTERN = {**settings.LANTERN, "DOCUMENTS": {"MARKING": "OFFICIAL"}}
    assert selectors.settings_for(review).marking == "OFFICIAL"
    document_settings_update(
        review=review,
        by=documented.cast.coordinator,
        values={"marking": "OFFICIAL-SENSITIVE PERSONAL"},
        partnership_default=True,
    )
    other = ReviewFactory(csp=review.csp)
    assert selectors.settings_for(other).marking == "OFFICIAL-SENSITIVE PERSONAL"
    assert selectors.settings_for(other).sources["marking"] == "partnership"
    document_settings_update(review=review, by=documented.cast.chair, values={"marking": "SECRET"})
    assert selectors.settings_for(review).marking == "SECRET"
    assert selectors.settings_for(other).marking == "OFFICIAL-SENSITIVE PERSONAL"
    header, _footer = _header_footer_text(render_briefing(review, fmt="docx"))
    assert header == "SECRET"
    published = render_briefing(review, fmt="docx", marking="")
    header, footer = _header_footer_text(published)
    assert header == "" and "SECRET" not in footer


def test_only_a_coordinator_of_the_partnership_sets_its_defaults(documented) -> None:
    with pytest.raises(PermissionDenied):
        document_settings_update(
            review=documented.review,
            by=documented.cast.chair,
            values={"marking": "OFFICIAL"},
            partnership_default=True,
        )
    with pytest.raises(PermissionDenied):  # a panel member reads documents, not settings
        document_settings_update(
            review=documented.review, by=documented.cast.panel_member, values={"marking": "X"}
        )
    with pytest.raises(ValidationError):
        document_settings_update(
            review=documented.review, by=documented.cast.chair, values={"heading_set": "other"}
        )
    assert not DocumentSettings.objects.filter(csp=documented.cast.csp).exists()


# --- pseudonyms only ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "fmt"), [(kind, fmt) for kind in DOCUMENT_KINDS for fmt in FORMATS[kind]]
)
def test_no_real_name_or_alias_appears_in_any_document(documented, kind, fmt) -> None:
    content = render_document(
        documented.review,
        kind,
        fmt=fmt,
        # Even typed into "issued to", a family member's real name is replaced.
        issued_to="Margaret Whitfield",
        today=TODAY,
    )
    text = text_of(content, fmt)
    assert names_found(text, REAL_NAMES) == []
    if kind != "action_plan":
        assert "Kerry" in text
    assert "Sandra" in text  # the pseudonym stands where the real name was


# --- issuing copies -----------------------------------------------------------------------------


def test_issuing_a_copy_records_it_in_the_issue_log_and_the_audit_trail(documented) -> None:
    issued = document_issue(
        review=documented.review,
        kind="briefing",
        fmt="pdf",
        by=documented.cast.author,
        issued_to="Northbridge Police",
    )
    entry = DocumentIssue.objects.get()
    assert entry == issued.issue
    assert entry.issued_to == "Northbridge Police"
    assert entry.marking == "OFFICIAL-SENSITIVE"
    assert entry.generated_by == documented.cast.author
    assert entry.filename == "NB-DHR-2024-07-7-minute-briefing.pdf"
    import hashlib

    assert entry.sha256 == hashlib.sha256(issued.content).hexdigest()
    assert entry.size == len(issued.content)
    audit = AuditEvent.objects.filter(object_type="document").get()
    assert audit.action == AuditEvent.Action.EXPORT
    assert audit.data["sha256"] == entry.sha256


def test_issuing_needs_view_documents_and_another_marking_needs_edit_drafts(documented) -> None:
    cast = documented.cast
    for user in (cast.agency_author, cast.board_member):
        with pytest.raises(PermissionDenied):
            document_issue(review=documented.review, kind="briefing", fmt="html", by=user)
    with pytest.raises(PermissionDenied):
        document_issue(
            review=documented.review, kind="briefing", fmt="html", by=cast.panel_member, marking=""
        )
    issued = document_issue(
        review=documented.review, kind="briefing", fmt="html", by=cast.chair, marking=""
    )
    assert issued.issue.marking == ""
    with pytest.raises(ValidationError):
        document_issue(review=documented.review, kind="briefing", fmt="xlsx", by=cast.chair)
    with pytest.raises(ValidationError):
        document_issue(review=documented.review, kind="letter", fmt="pdf", by=cast.chair)
    assert DocumentIssue.objects.count() == 1


def test_a_panel_members_copy_holds_only_the_agencies_material_shared_with_the_panel(
    documented,
) -> None:
    cast = documented.cast
    panel_copy = document_issue(
        review=documented.review, kind="overview_report", fmt="docx", by=cast.panel_member
    )
    chair_copy = document_issue(
        review=documented.review, kind="overview_report", fmt="docx", by=cast.chair
    )
    police_entry = "Call from Kerry: Lee threatened her."  # police: shared with the panel
    housing_entry = "asked to move"  # housing: not shared
    assert police_entry in docx_body(panel_copy.content)
    assert housing_entry not in docx_body(panel_copy.content)
    assert "This copy holds only the agencies' material its reader may see" in docx_body(
        panel_copy.content
    )
    assert housing_entry in docx_body(chair_copy.content)


def test_the_action_plan_workbook_imports_back_as_the_same_plan(documented) -> None:
    content = render_document(documented.review, "action_plan", fmt="xlsx", issued_to="Board")
    result = read_plan(content, filename="plan.xlsx")
    assert not result.errors
    assert [r.number for r in result.recommendations] == ["1", "SA1"]
    assert [len(r.actions) for r in result.recommendations] == [1, 1]
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.oddHeader.center.text == "OFFICIAL-SENSITIVE"
    assert "Issued to Board, " in sheet.oddFooter.center.text


def test_every_format_of_every_document_is_what_it_says(documented) -> None:
    signatures = {"docx": b"PK\x03\x04", "xlsx": b"PK\x03\x04", "pdf": b"%PDF-"}
    for kind in DOCUMENT_KINDS:
        for fmt in FORMATS[kind]:
            content = render_document(documented.review, kind, fmt=fmt)
            if fmt == "html":
                assert content.startswith(b"<!DOCTYPE html>")
                assert b"<script" not in content and b"http" not in content.split(b"<body")[0]
            else:
                assert content.startswith(signatures[fmt]), (kind, fmt)
    assert services.document_filename(documented.review, "action_plan", "xlsx") == (
        "NB-DHR-2024-07-action-plan.xlsx"
    )
