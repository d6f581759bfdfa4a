"""`lantern chronology analyse --review REF [--subject S] [--json]`: what the combined chronology
shows, over the entries the acting user may see (the same service as the page and the API).

`lantern chronology notes --review REF [--json]`: store what the analysis reads in the entries'
text now, rather than waiting for the task (after changing the analysis wording settings, say).
"""

from __future__ import annotations

from typing import Any

from lantern.chronology.analysis import Analysis
from lantern.chronology.analysis_service import (
    SUBJECTS,
    chronology_analysis,
    review_for_analysis,
)
from lantern.chronology.text_notes import current_notes_key, text_notes_refresh
from lantern.reviews.access import Cap, review_get_for_user


def register(sub: Any, command: Any) -> dict:
    parser = sub.add_parser(
        "analyse",
        help="what the combined chronology shows: who knew what, engagement, risk steps",
    )
    parser.add_argument("--review", required=True, metavar="REF", help="the review's reference")
    parser.add_argument(
        "--subject",
        choices=list(SUBJECTS),
        default=None,
        help="only entries about this subject (default: everyone)",
    )
    command.add_json_argument(parser)
    notes = sub.add_parser(
        "notes",
        help="store what the analysis reads in each entry's text, for entries without it now",
    )
    notes.add_argument("--review", required=True, metavar="REF", help="the review's reference")
    command.add_json_argument(notes)
    return {"analyse": analyse, "notes": store_notes}


def store_notes(command: Any, actor: Any, **options: Any) -> None:
    review = review_get_for_user(
        user=actor, reference=options["review"], need=Cap.EDIT_ANALYSIS, audit=False
    )
    stored = text_notes_refresh(review=review, by=actor)
    key = current_notes_key()
    if options.get("json"):
        command.emit_json({"review": review.reference, "stored": stored, "notes_key": key})
        return
    command.stdout.write(
        f"Stored text notes for {stored} entries on {review.reference} (notes {key}); "
        "the other entries' notes were already current."
    )


def analyse(command: Any, actor: Any, **options: Any) -> None:
    review = review_for_analysis(user=actor, reference=options["review"])
    analysis = chronology_analysis(user=actor, review=review, subject=options.get("subject"))
    if options.get("json"):
        command.emit_json(analysis.as_dict())
        return
    for line in summary_lines(analysis):
        command.stdout.write(line)


def summary_lines(analysis: Analysis) -> list[str]:
    """A readable summary for the console."""
    lines = [
        f"Review {analysis.review}"
        + (f" (subject: {analysis.subject})" if analysis.subject else "")
    ]
    death = analysis.date_of_death.isoformat() if analysis.date_of_death else "not recorded"
    lines.append(f"Date of death: {death}")
    lines.append(
        f"{analysis.contacts} entries before the death from {len(analysis.agencies)} agencies"
        + (f" ({analysis.after_death} on or after it left out)" if analysis.after_death else "")
    )
    if not analysis.agencies:
        return lines
    total = len(analysis.themes)
    lines.append(
        f"{len(analysis.agencies)} agencies knew part of the picture; the most any one agency "
        f"knew was {analysis.most_known} of {total} themes."
    )
    if analysis.last_contact is not None:
        when = analysis.last_contact.isoformat()
        who = ", ".join(analysis.last_contact_agencies)
        if analysis.days_without_contact is not None:
            lines.append(
                f"Last contact with any agency: {when} ({who}), "
                f"{analysis.days_without_contact} days before the death."
            )
        else:
            lines.append(f"Last contact with any agency: {when} ({who}).")
    lines.append("")
    lines.append(f"Themes: {', '.join(analysis.themes) or '-'}")
    width = max(len(a.agency) for a in analysis.agencies)
    for agency in analysis.agencies:
        lines.append(
            f"  {agency.agency:<{width}}  {agency.entries:>5}  "
            f"{agency.first_contact.isoformat()} to {agency.last_contact.isoformat()}  "
            f"{len(agency.themes)}/{total} ({agency.theme_coverage:.2f})  "
            f"{', '.join(agency.themes)}"
        )
    if analysis.single_issue_agencies:
        lines.append(f"Single-issue agencies: {', '.join(analysis.single_issue_agencies)}")
    lines.append("")
    lines.append(f"Flags: {len(analysis.flags)}")
    for flag in analysis.flags:
        lines.append(f"  {flag.date.isoformat()}  {flag.kind}  {flag.agency}: {flag.detail}")
    return lines
