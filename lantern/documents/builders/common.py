"""What every document builder shares: the options a document is generated with, its
frame (title, marking, the issue line), and small text helpers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lantern.documents.content.model import Document, Text
from lantern.documents.facts import ReviewFacts


@dataclass(frozen=True)
class Options:
    """How a document is generated: the resolved settings of the review plus the issue."""

    marking: str
    issued_on: date
    issued_to: str = ""
    heading_set: str = "standard"
    local_services: str = ""
    why_it_matters: str = ""
    practice_points: str = ""
    reflection_questions: str = ""


def issued_label(options: Options) -> str:
    # Month and year: a day, month and year in a document is what the anonymisation check
    # looks for (the issue log keeps the exact time).
    when = date_format(options.issued_on, "F Y")
    if options.issued_to:
        return _("Issued to %(to)s, %(date)s") % {"to": options.issued_to, "date": when}
    return _("Issued %(date)s") % {"date": when}


def frame(
    facts: ReviewFacts,
    options: Options,
    *,
    kind: str,
    title: str,
    subtitle: str = "",
    title_page: bool = True,
    contents: bool = True,
    compact: bool = False,
    landscape: bool = False,
) -> Document:
    return Document(
        kind=kind,
        title=title,
        subtitle=subtitle or review_name(facts),
        partnership=facts.partnership,
        reference=facts.reference,
        marking=options.marking,
        issued_on=options.issued_on,
        issued_to=options.issued_to,
        title_page=title_page,
        contents=contents,
        compact=compact,
        landscape=landscape,
        status=_("Draft") if options.marking else "",
        issued_label=issued_label(options),
        contents_word=_("Contents"),
        page_word=_("Page"),
        of_word=_("of"),
        appendix_word=_("Appendix"),
    )


def review_name(facts: ReviewFacts) -> str:
    """ "Domestic Homicide Review into the death of Nicola"."""
    return _("%(type)s into the death of %(pseudonym)s") % {
        "type": facts.review_type,
        "pseudonym": facts.pseudonym,
    }


def prompt(text: str) -> Text:
    """Guidance for the author, shown in grey, to be replaced by their own words."""
    return Text(_("Author: %(text)s") % {"text": text}, "prompt")


def join_words(items: list[str]) -> str:
    """ "a, b and c"."""
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def lines(text: str) -> list[str]:
    return [line.strip(" \t-•*") for line in (text or "").splitlines() if line.strip(" \t-•*")]


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def or_dash(text: str | int | None) -> str:
    if text is None or text == "":
        return "–"
    return str(text)
