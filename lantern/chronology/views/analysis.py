"""Chronology pages: analysis. Mounted under /reviews/<reference>/chronology/.

The analysis page shows what the combined chronology shows: who knew what (the agency-by-theme
matrix and the gaps between agencies), engagement (contacts per agency per month, the silence
before the death, contact that fell away, missed appointments), the risk steps (DASH, MARAC,
sharing) and referrals between agencies. It needs `Cap.VIEW_CHRONOLOGY` and covers only the
entries the reader may see; the analysis service records the read.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from lantern.chronology.analysis import Analysis, circle_layout
from lantern.chronology.analysis.flags import (
    CONTACT_FELL_AWAY,
    DISCLOSURE_NOT_SHARED,
    KINDS,
    MISSED_APPOINTMENTS,
    NO_DASH_AFTER_DISCLOSURE,
    NO_MARAC_AFTER_REPEAT_INCIDENTS,
    Flag,
)
from lantern.chronology.analysis.text import place_prefix, short_label
from lantern.chronology.analysis_service import (
    chronology_analysis,
    review_for_analysis,
)
from lantern.chronology.models import Subject
from lantern.reviews.access import Cap

FLAG_KINDS: dict[str, tuple[Any, str]] = {
    NO_DASH_AFTER_DISCLOSURE: (gettext_lazy("No DASH after a disclosure"), "red"),
    NO_MARAC_AFTER_REPEAT_INCIDENTS: (gettext_lazy("No MARAC after repeat incidents"), "red"),
    DISCLOSURE_NOT_SHARED: (gettext_lazy("Disclosure not shared"), "orange"),
    CONTACT_FELL_AWAY: (gettext_lazy("Contact fell away"), "yellow"),
    MISSED_APPOINTMENTS: (gettext_lazy("Missed appointments"), "grey"),
}
MONTH_PARAMS = {"run_start", "run_end"}
# Long lists on the page stop here (a review of 100,000 entries has thousands of some); the
# API and `lantern chronology analyse --json` give every one.
PAGE_ROWS = 100
DASH_LEVELS = {
    "standard": gettext_lazy("standard"),
    "medium": gettext_lazy("medium"),
    "high": gettext_lazy("high"),
}
HEAT_LEVELS = 5


class AnalysisFilterForm(forms.Form):
    subject = forms.ChoiceField(
        label=gettext_lazy("Entries about"),
        required=False,
        choices=[
            ("", gettext_lazy("Everyone")),
            (Subject.VICTIM, Subject.VICTIM.label),
            (Subject.PERPETRATOR, Subject.PERPETRATOR.label),
            (Subject.CHILD, Subject.CHILD.label),
            (Subject.OTHER, Subject.OTHER.label),
        ],
    )


def _day(value: date | None) -> str:
    return date_format(value, "j F Y") if value else ""


def _month(key: str) -> str:
    year, month = key.split("-")
    return date_format(date(int(year), int(month), 1), "F Y")


def _param(key: str, value: Any) -> Any:
    if isinstance(value, date):
        return _day(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if key in MONTH_PARAMS and isinstance(value, str):
        return _month(value)
    return value


def flag_detail(flag: Flag) -> str:
    """The flag's sentence, translated, with dates written out."""
    return _(flag.message) % {k: _param(k, v) for k, v in flag.params.items()}


def _flag_rows(flags: list[Flag]) -> list[dict[str, Any]]:
    return [
        {
            "date": _day(f.date),
            "iso": f.date.isoformat(),
            "kind": f.kind,
            "label": FLAG_KINDS[f.kind][0],
            "colour": FLAG_KINDS[f.kind][1],
            "agency": f.agency,
            "detail": flag_detail(f),
        }
        for f in flags
    ]


def _matrix(analysis: Analysis, labels: dict[str, str]) -> dict[str, Any]:
    # The vocabulary's order (labels are in it), not the codes' alphabetical order.
    order = {code: i for i, code in enumerate(labels)}
    themes = sorted(analysis.themes, key=lambda t: (order.get(t, len(order)), t))
    columns = [{"code": t, "label": labels.get(t, t.replace("_", " "))} for t in themes]
    rows = []
    for agency in analysis.agencies:
        known = set(agency.themes)
        rows.append(
            {
                "agency": agency.agency,
                "entries": agency.entries,
                "known": len(known),
                "coverage": agency.theme_coverage,
                "percent": round(agency.theme_coverage * 100),
                "cells": [
                    {
                        "known": t["code"] in known,
                        "count": agency.theme_entries.get(t["code"], 0),
                        "label": t["label"],
                    }
                    for t in columns
                ],
            }
        )
    return {"columns": columns, "rows": rows, "total": len(columns)}


def _heat_level(count: int, top: int) -> int:
    if count <= 0 or top <= 0:
        return 0
    return max(1, min(HEAT_LEVELS, math.ceil(HEAT_LEVELS * count / top)))


def _heatmap(analysis: Analysis) -> dict[str, Any]:
    """Contacts per agency per month, from the first month with contacts to the month of the
    death (the months after the last contact are the silence before it)."""
    months = list(analysis.months)
    silent_from = len(months)
    if months and analysis.date_of_death is not None:
        year, month = (int(p) for p in months[-1].split("-"))
        index, death = year * 12 + month - 1, analysis.date_of_death
        while index < death.year * 12 + death.month - 1:
            index += 1
            months.append(f"{index // 12:04d}-{index % 12 + 1:02d}")
    padding = [0] * (len(months) - silent_from)
    top = max((n for row in analysis.agency_monthly.values() for n in row), default=0)
    years: list[dict[str, Any]] = []
    headers = []
    for i, key in enumerate(months):
        year, month = key.split("-")
        day = date(int(year), int(month), 1)
        if not years or years[-1]["year"] != year:
            years.append({"year": year, "span": 0})
        years[-1]["span"] += 1
        headers.append(
            {
                "key": key,
                "short": date_format(day, "M")[:1],
                "full": date_format(day, "F Y"),
                "new_year": month == "01" or i == 0,
                "silent": i >= silent_from,
            }
        )

    def cells(counts: list[int], most: int) -> list[dict[str, Any]]:
        return [
            {
                "count": n,
                "level": _heat_level(n, most),
                "new_year": h["new_year"],
                "silent": h["silent"],
            }
            for n, h in zip(counts + padding, headers, strict=True)
        ]

    rows = [
        {"agency": agency, "total": sum(counts), "cells": cells(counts, top)}
        for agency, counts in analysis.agency_monthly.items()
    ]
    monthly = list(analysis.monthly_contacts.values())
    return {
        "years": years,
        "months": headers,
        "rows": rows,
        "total": cells(monthly, max(monthly, default=0)),
        "silent_months": len(padding),
    }


def _gaps(analysis: Analysis, labels: dict[str, str]) -> list[dict[str, Any]]:
    by_agency: dict[str, list[dict[str, Any]]] = {}
    for gap in analysis.gaps:
        by_agency.setdefault(gap.agency, []).append(
            {"theme": labels.get(gap.theme, gap.theme), "known_by": ", ".join(gap.known_by)}
        )
    return [{"agency": agency, "themes": items} for agency, items in by_agency.items()]


def _network(analysis: Analysis) -> dict[str, Any] | None:
    if not analysis.referrals:
        return None
    layout = circle_layout(analysis.referrals)
    prefix = place_prefix(a.agency for a in analysis.agencies)
    titles = {
        (edge.source, edge.target): ngettext(
            "%(source)s to %(target)s: %(count)s referral",
            "%(source)s to %(target)s: %(count)s referrals",
            edge.count,
        )
        % {
            "source": short_label(edge.source, prefix),
            "target": short_label(edge.target, prefix),
            "count": edge.count,
        }
        for edge in analysis.referrals
    }
    return {
        "layout": layout,
        "arrows": [
            {"arrow": arrow, "title": titles[(arrow.source, arrow.target)]}
            for arrow in layout.arrows
        ],
        "rows": [
            {
                "source": edge.source,
                "target": edge.target,
                "count": edge.count,
                "first": _day(edge.first),
                "last": _day(edge.last),
            }
            for edge in analysis.referrals
        ],
    }


def _missed_by_agency(analysis: Analysis) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for item in analysis.missed:  # sorted by date
        row = rows.setdefault(item.agency, {"agency": item.agency, "count": 0, "first": item.date})
        row["count"] += 1
        row["last"] = item.date
    return [
        {**row, "first": _day(row["first"]), "last": _day(row["last"])}
        for _agency, row in sorted(rows.items())
    ]


def _headline(analysis: Analysis, pseudonym: str) -> str:
    agencies = len(analysis.agencies)
    if not agencies:
        return ""
    total = len(analysis.themes)
    most = analysis.most_known
    whose = _("%(name)s's life") % {"name": pseudonym} if pseudonym else _("this person's life")
    values = {"agencies": agencies, "most": most, "total": total, "whose": whose}
    if agencies == 1:
        return (
            ngettext(
                "The entries here are one agency's: it knew of %(total)s theme in %(whose)s.",
                "The entries here are one agency's: it knew of %(total)s themes in %(whose)s.",
                total,
            )
            % values
        )
    if total and most == total:
        return (
            _(
                "%(agencies)s agencies knew part of %(whose)s; at least one knew of every theme "
                "(%(total)s)."
            )
            % values
        )
    return (
        _(
            "%(agencies)s agencies knew part of %(whose)s; none saw the whole: the most any one "
            "agency knew was %(most)s of %(total)s themes."
        )
        % values
    )


def _silence(analysis: Analysis) -> str:
    """ "The last contact with any agency was on 30 November 2024: 123 days (about 4 months)
    before the death." """
    days = analysis.days_without_contact
    if days is None or analysis.last_contact is None:
        return ""
    months = analysis.months_without_contact or 0
    span = ngettext("%(days)s day", "%(days)s days", days) % {"days": days}
    if months:
        span = _("%(days)s (about %(months)s)") % {
            "days": span,
            "months": ngettext("%(n)s month", "%(n)s months", months) % {"n": months},
        }
    return _("The last contact with any agency was on %(date)s: %(span)s before the death.") % {
        "date": _day(analysis.last_contact),
        "span": span,
    }


def _counts(analysis: Analysis) -> str:
    entries = ngettext("%(n)s entry", "%(n)s entries", analysis.contacts) % {"n": analysis.contacts}
    agencies = len(analysis.agencies)
    return ngettext(
        "%(entries)s from %(n)s agency", "%(entries)s from %(n)s agencies", agencies
    ) % {"entries": entries, "n": agencies}


def _scope(caps: frozenset[str]) -> str:
    """What part of the chronology a reader who may not see every agency's material sees."""
    if Cap.VIEW_ALL_AGENCY_MATERIAL in caps:
        return ""
    if Cap.VIEW_SHARED_AGENCY_MATERIAL in caps:
        return _(
            "This analysis covers only the entries shared with the panel, and your own "
            "agency's: what other agencies knew is not in it."
        )
    return _(
        "This analysis covers only your own agency's entries: what other agencies knew is not "
        "in it."
    )


@login_required
def analysis_page(request: HttpRequest, reference: str) -> HttpResponse:
    review = review_for_analysis(user=request.user, reference=reference)
    form = AnalysisFilterForm(request.GET or None)
    subject = None
    if form.is_valid():
        subject = form.cleaned_data["subject"] or None
    analysis = chronology_analysis(user=request.user, review=review, subject=subject)
    labels: dict[str, str] = analysis.extra.get("theme_labels", {})
    flags = _flag_rows(analysis.flags)
    counts = dict.fromkeys(KINDS, 0)
    for flag in analysis.flags:
        counts[flag.kind] += 1
    context = {
        "review": review,
        "caps": review.viewer_caps,  # type: ignore[attr-defined]
        "form": form,
        "subject": subject,
        "analysis": analysis,
        "headline": _headline(analysis, review.pseudonym),
        "silence": _silence(analysis),
        "counts": _counts(analysis),
        "scope": _scope(review.viewer_caps),  # type: ignore[attr-defined]
        "last_contact": _day(analysis.last_contact),
        "date_of_death": _day(analysis.date_of_death),
        "flags": flags,
        "flag_counts": [
            {"kind": kind, "label": FLAG_KINDS[kind][0], "count": counts[kind]} for kind in KINDS
        ],
        "flag_groups": [
            {
                "kind": kind,
                "label": FLAG_KINDS[kind][0],
                "colour": FLAG_KINDS[kind][1],
                "flags": [f for f in flags if f["kind"] == kind][:PAGE_ROWS],
                "count": counts[kind],
                "more": max(counts[kind] - PAGE_ROWS, 0),
            }
            for kind in KINDS
            if counts[kind]
        ],
        "page_rows": PAGE_ROWS,
        "fell_away": [f for f in flags if f["kind"] == CONTACT_FELL_AWAY],
        "missed": [
            {"date": _day(m.date), "agency": m.agency, "text": m.text, "entry_id": m.entry_id}
            for m in analysis.missed[:PAGE_ROWS]
        ],
        "missed_more": max(len(analysis.missed) - PAGE_ROWS, 0),
        "missed_by_agency": _missed_by_agency(analysis),
        "risk_notes": [
            {
                "date": _day(n.date),
                "agency": n.agency,
                "score": n.score,
                "level": DASH_LEVELS.get(n.level, n.level),
            }
            for n in analysis.risk_notes
        ],
        "matrix": _matrix(analysis, labels),
        "single_issue": analysis.single_issue_agencies,
        "gaps": _gaps(analysis, labels),
        "heatmap": _heatmap(analysis),
        "network": _network(analysis),
        "rules": analysis.rules,
    }
    return render(request, "chronology/analysis.html", context)


urlpatterns: list = [
    path("analysis/", analysis_page, name="analysis"),
]
