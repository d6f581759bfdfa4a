"""The Individual Management Review template (DOMAIN.md section 4), as data.

One definition feeds the IMR page (a textarea per part, the guidance as its hint), the API's
validation of section codes, and the DOCX template agencies download, so they cannot drift apart.

Most parts are free text kept in `IMR.sections` under their code. Three have fields of their own:
the author's statement of independence, the single-agency recommendations (a list), and the
senior manager's sign-off.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Where a section's content lives on the IMR model.
IN_SECTIONS = "sections"
IN_INDEPENDENCE = "independence_statement"
IN_RECOMMENDATIONS = "recommendations"
IN_SIGN_OFF = "sign_off"


@dataclass(frozen=True)
class Prompt:
    """One question a section answers; its text is kept in `IMR.sections[code]`."""

    code: str
    question: Any  # lazy translated string


@dataclass(frozen=True)
class Section:
    code: str
    heading: Any
    guidance: Any
    # Answered question by question (one text each), or as one text under the section's code.
    prompts: tuple[Prompt, ...] = ()
    stored_in: str = IN_SECTIONS

    @property
    def text_codes(self) -> tuple[str, ...]:
        """The keys of `IMR.sections` this section fills."""
        if self.stored_in == IN_RECOMMENDATIONS:
            return (ACTION_PLAN_CODE,)
        if self.stored_in != IN_SECTIONS:
            return ()
        return tuple(p.code for p in self.prompts) or (self.code,)


ACTION_PLAN_CODE = "action_plan"

IMR_SECTIONS: tuple[Section, ...] = (
    Section(
        "introduction",
        gettext_lazy("Introduction and terms of reference"),
        gettext_lazy(
            "Why your agency is writing this review, the period it covers, and the review's "
            "terms of reference and key lines of enquiry that it answers."
        ),
    ),
    Section(
        "independence",
        gettext_lazy("Author's statement of independence"),
        gettext_lazy(
            "Confirm that you had no involvement with the people in this review and that you "
            "do not line-manage any member of staff whose actions it considers."
        ),
        stored_in=IN_INDEPENDENCE,
    ),
    Section(
        "sources",
        gettext_lazy("Sources and staff interviewed"),
        gettext_lazy(
            "The records and systems you searched, and the staff you interviewed, by role and "
            "not by name."
        ),
    ),
    Section(
        "chronology",
        gettext_lazy("Agency chronology"),
        gettext_lazy(
            "A summary of your agency's contact with the people in this review, in date order. "
            "Return the full chronology on the chronology template."
        ),
    ),
    Section(
        "analysis",
        gettext_lazy("Analysis against the terms of reference"),
        gettext_lazy(
            "Answer each question for the period the review covers, with the evidence from your "
            "records. Say where practice was good as well as where it fell short."
        ),
        prompts=(
            Prompt(
                "analysis_indicators",
                gettext_lazy(
                    "Did staff know the indicators of domestic abuse, and did they act on them?"
                ),
            ),
            Prompt(
                "analysis_dash",
                gettext_lazy("Was a DASH risk assessment done, and was it followed?"),
            ),
            Prompt(
                "analysis_information_sharing",
                gettext_lazy("Were information-sharing protocols followed?"),
            ),
            Prompt(
                "analysis_decisions",
                gettext_lazy("Were the decisions staff made reasonable at the time?"),
            ),
            Prompt(
                "analysis_wishes",
                gettext_lazy(
                    "Were the victim's wishes and feelings sought and taken into account?"
                ),
            ),
            Prompt(
                "analysis_diversity",
                gettext_lazy(
                    "Was practice sensitive to ethnicity, culture, language, faith and other "
                    "protected characteristics?"
                ),
            ),
            Prompt(
                "analysis_escalation",
                gettext_lazy(
                    "Were managers, MARAC or safeguarding procedures brought in at the right "
                    "points?"
                ),
            ),
            Prompt(
                "analysis_capacity",
                gettext_lazy(
                    "Were there capacity or resource issues (staffing, caseloads, systems) that "
                    "affected the service?"
                ),
            ),
        ),
    ),
    Section(
        "lessons",
        gettext_lazy("Lessons and good practice"),
        gettext_lazy(
            "What your agency has learned, and the good practice the review should recognise."
        ),
    ),
    Section(
        "recommendations",
        gettext_lazy("Recommendations and single-agency action plan"),
        gettext_lazy(
            "Your agency's own recommendations, one per line, and for each the action, who "
            "leads it, the milestones and the target date."
        ),
        stored_in=IN_RECOMMENDATIONS,
    ),
    Section(
        "sign_off",
        gettext_lazy("Senior manager sign-off"),
        gettext_lazy(
            "A senior manager of your agency confirms the content of this review and commits "
            "the agency to its action plan."
        ),
        stored_in=IN_SIGN_OFF,
    ),
)

SECTION_BY_CODE = {s.code: s for s in IMR_SECTIONS}


def text_codes() -> tuple[str, ...]:
    """Every key `IMR.sections` may hold, in template order."""
    return tuple(code for section in IMR_SECTIONS for code in section.text_codes)


def text_parts() -> Iterator[tuple[Section, str, Any, Any]]:
    """(section, code, label, hint) for each free-text part, in template order."""
    for section in IMR_SECTIONS:
        if section.stored_in == IN_SECTIONS and section.prompts:
            for prompt in section.prompts:
                yield section, prompt.code, prompt.question, ""
        elif section.stored_in == IN_SECTIONS:
            yield section, section.code, section.heading, section.guidance
        elif section.stored_in == IN_RECOMMENDATIONS:
            yield (
                section,
                ACTION_PLAN_CODE,
                gettext_lazy("Single-agency action plan"),
                gettext_lazy(
                    "For each recommendation: the action, who leads it, milestones and the "
                    "target date."
                ),
            )


def label_for(code: str) -> str:
    for _section, part_code, label, _hint in text_parts():
        if part_code == code:
            return str(label)
    return code


# --- the DOCX agencies fill in -----------------------------------------------------------------


def imr_template_docx(*, reference: str, agency_name: str = "") -> bytes:
    """The IMR template as a Word document: each section's heading, its guidance in italics,
    a space to write, a recommendations table and a sign-off table.

    It names the review by reference only (and the agency, when given), never a person.
    """
    from docx import Document
    from docx.shared import Pt

    document = Document()
    document.core_properties.title = _("Individual Management Review")
    document.core_properties.author = "Lantern"
    document.add_heading(_("Individual Management Review"), level=0)
    document.add_paragraph(_("Review: %(reference)s") % {"reference": reference})
    if agency_name:
        document.add_paragraph(_("Agency: %(agency)s") % {"agency": agency_name})
    intro = document.add_paragraph()
    intro.add_run(
        _(
            "Write in plain English. Refer to the people in the review by the pseudonyms the "
            "review uses, and to staff by role, never by name. When the review is finished, "
            "upload this document to Lantern as DOCX or PDF."
        )
    ).italic = True

    def guidance(text: Any) -> None:
        run = document.add_paragraph().add_run(str(text))
        run.italic = True
        run.font.size = Pt(10)

    def space_to_write() -> None:
        document.add_paragraph(_("[Write here]"))

    for number, section in enumerate(IMR_SECTIONS, start=1):
        document.add_heading(f"{number}. {section.heading}", level=1)
        guidance(section.guidance)
        if section.stored_in == IN_SECTIONS and section.prompts:
            for index, prompt in enumerate(section.prompts, start=1):
                document.add_heading(f"{number}.{index} {prompt.question}", level=2)
                space_to_write()
        elif section.stored_in == IN_RECOMMENDATIONS:
            headings = [
                _("Recommendation"),
                _("Action"),
                _("Lead"),
                _("Key milestones"),
                _("Target date"),
            ]
            table = document.add_table(rows=4, cols=len(headings))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, headings, strict=True):
                cell.text = text
        elif section.stored_in == IN_SIGN_OFF:
            table = document.add_table(rows=4, cols=2)
            table.style = "Table Grid"
            for row, text in zip(
                table.rows,
                [_("Senior manager"), _("Role"), _("Signature"), _("Date")],
                strict=True,
            ):
                row.cells[0].text = text
        else:
            space_to_write()

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
