"""The Home Office submission pack: the final documents, the action plan, the 7-minute briefing
if wanted, and a checklist of what the QA panel looks for, each item computed from the review's
data with gaps flagged.

The checklist follows DOMAIN.md and the themes of the 2016 statutory guidance: terms of
reference, the family's involvement and its reading of the draft, pseudonyms agreed with the
family, the independence of the panel, chair and author, a decision taken in consultation,
timescales explained, chronology, equality and diversity, SMART recommendations with an action
plan, factual accuracy, the anonymisation check and the CSP's sign-off.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.accounts.models import Organisation, ReviewRole
from lantern.core.errors import Problem, ProblemsError
from lantern.publishing import selectors
from lantern.publishing.models import (
    REQUIRED_KINDS,
    Circulation,
    DraftComment,
    DraftKind,
    DraftVersion,
    FamilyReading,
)
from lantern.reviews.models import Membership, Review

MET, GAP, NOT_APPLICABLE = "met", "gap", "n/a"

# Words that show a section of the standard overview report is there (DOMAIN.md section 4).
SECTION_WORDS = {
    "terms": ("terms of reference",),
    "family": ("family",),
    "timescales": ("timescale",),
    "independence": ("independen",),
    "chronology": ("chronology",),
    "equality": ("equality", "diversity", "protected characteristic"),
    "recommendations": ("recommendation",),
    "dissemination": ("dissemination",),
}


@dataclass(frozen=True)
class Item:
    key: str
    title: str
    status: str  # met | gap | n/a
    detail: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def _text_of(version: DraftVersion | None) -> str | None:
    """The plain text of a final (None if there is none or it cannot be read)."""
    if version is None:
        return None
    from lantern.core.textextract import TextExtractionError, extract_text

    data = DraftVersion.objects.values_list("content", flat=True).get(pk=version.pk)
    try:
        return extract_text(bytes(data), filename=version.filename).text
    except TextExtractionError:
        return None


def _mentions(text: str | None, section: str) -> bool | None:
    if text is None:
        return None
    lowered = text.lower()
    return any(word in lowered for word in SECTION_WORDS[section])


def _item(key: str, title: str, ok: bool, met: str, gap: str) -> Item:
    return Item(key, title, MET if ok else GAP, met if ok else gap)


def checklist(review: Review) -> list[Item]:
    """What the Home Office QA panel looks for, from the review's data."""
    have = selectors.finals(review)
    overview = have.get(DraftKind.OVERVIEW_REPORT)
    text = _text_of(overview)
    unread = _("the final overview report could not be read") if overview else ""

    def in_report(section: str, what: str) -> tuple[bool, str]:
        found = _mentions(text, section)
        if found is None:
            return False, unread or _("there is no final overview report")
        if not found:
            return False, _("the final overview report has no section on %(what)s") % {"what": what}
        return True, ""

    items: list[Item] = []
    # Documents
    for kind in REQUIRED_KINDS:
        v = have.get(kind)
        label = str(DraftKind(kind).label)
        items.append(
            _item(
                f"final_{kind}",
                _("Final %(doc)s") % {"doc": label.lower()},
                v is not None,
                _("Version %(n)d, %(file)s") % {"n": v.version, "file": v.filename} if v else "",
                _("No version is marked final."),
            )
        )
    # Terms of reference
    terms = getattr(review, "terms", None)
    agreed = bool(terms and terms.agreed_on)
    ok, why = in_report("terms", _("the terms of reference"))
    items.append(
        Item(
            "terms_of_reference",
            _("Terms of reference agreed and in the report"),
            MET if agreed and ok else GAP,
            "; ".join(
                p
                for p in (
                    _("agreed on %(d)s") % {"d": terms.agreed_on}
                    if agreed
                    else _("the terms of reference are not recorded as agreed"),
                    why,
                )
                if p
            ),
        )
    )
    # Decision
    decision = review.decision
    consulted = bool(decision and decision.consulted)
    items.append(
        _item(
            "decision",
            _("Decision by the CSP chair in consultation with partners, Home Office told"),
            consulted and bool(decision and decision.home_office_informed_on),
            _("Consulted: %(who)s") % {"who": ", ".join(decision.consulted)} if consulted else "",
            _("No decision recorded")
            if decision is None
            else _("The people consulted are not recorded")
            if not consulted
            else _("The date the Home Office was told of the decision is not recorded"),
        )
    )
    # Family
    contacts = review.family_contacts.all()
    advocacy = contacts.filter(advocacy_offered=True).exists()
    ok, why = in_report("family", _("the family's involvement"))
    items.append(
        Item(
            "family_involvement",
            _("Family involved, specialist advocacy offered"),
            MET if contacts.exists() and advocacy and ok else GAP,
            "; ".join(
                p
                for p in (
                    _("%(n)d contact(s) with the family recorded") % {"n": contacts.count()},
                    "" if advocacy else _("no record that advocacy was offered"),
                    why,
                )
                if p
            ),
        )
    )
    readings = FamilyReading.objects.filter(review=review)
    read = readings.filter(read_on__isnull=False).order_by("-read_on").first()
    declined = readings.filter(declined=True).exists()
    unaddressed = readings.exclude(comments="").filter(how_addressed="").count()
    if unaddressed:
        reading_detail = _("%(n)d comment(s) from the family not yet addressed") % {
            "n": unaddressed
        }
    elif read is not None:
        reading_detail = _("Read on %(d)s") % {"d": read.read_on}
    elif declined:
        reading_detail = _("The family chose not to read it")
    else:
        reading_detail = _("No record of the family reading the draft.")
    items.append(
        Item(
            "family_reading",
            _("The family saw the draft; their comments addressed"),
            MET if (read is not None or declined) and not unaddressed else GAP,
            reading_detail,
        )
    )
    items.append(
        _item(
            "pseudonyms_agreed",
            _("Pseudonyms agreed with the family"),
            contacts.filter(pseudonym_agreed=True).exists(),
            _("Recorded in the family contact log"),
            _("No family contact records the pseudonyms as agreed."),
        )
    )
    # Independence
    active = Membership.objects.filter(review=review, ended_at__isnull=True).select_related("user")
    panel = [m for m in active if m.role == ReviewRole.PANEL_MEMBER]
    undeclared = [m.user.display_name for m in panel if not m.independence_declared_on]
    items.append(
        _item(
            "panel_independence",
            _("Panel members' statements of independence"),
            bool(panel) and not undeclared,
            _("%(n)d panel member(s), all declared") % {"n": len(panel)},
            _("No panel members")
            if not panel
            else _("No statement from: %(names)s") % {"names": ", ".join(undeclared)},
        )
    )
    leads = [m for m in active if m.role in (ReviewRole.CHAIR, ReviewRole.AUTHOR)]
    lead_gaps = [m.user.display_name for m in leads if not m.independence_declared_on]
    has_chair = any(m.role == ReviewRole.CHAIR for m in leads)
    ok, why = in_report("independence", _("the chair's and author's independence"))
    items.append(
        Item(
            "chair_author_independence",
            _("Independent chair and author, with statements of independence"),
            MET if has_chair and not lead_gaps and ok else GAP,
            "; ".join(
                p
                for p in (
                    "" if has_chair else _("no chair appointed"),
                    _("no statement from: %(names)s") % {"names": ", ".join(lead_gaps)}
                    if lead_gaps
                    else "",
                    why,
                )
                if p
            )
            or _("Declared"),
        )
    )
    da_service = any(
        m.agency and m.agency.type == Organisation.Type.DOMESTIC_ABUSE_SERVICE for m in panel
    ) or any(
        m.user.organisation and m.user.organisation.type == Organisation.Type.DOMESTIC_ABUSE_SERVICE
        for m in panel
    )
    items.append(
        _item(
            "panel_specialist",
            _("A specialist domestic abuse service on the panel"),
            da_service,
            _("Yes"),
            _("No panel member represents a domestic abuse service: explain why in the report."),
        )
    )
    # Timescales
    from lantern.reviews.selectors import review_clock

    clock = review_clock(review=review)
    late = clock.completion_status in ("overdue", "met_late")
    explained = review.pauses.exists() or review.extensions.exists()
    ok, why = in_report("timescales", _("timescales"))
    items.append(
        Item(
            "timescales",
            _("Timescales explained (pauses, extensions, delays)"),
            MET if (not late or explained) and ok else GAP,
            "; ".join(
                p
                for p in (
                    _("past the completion date with no pause or extension recorded")
                    if late and not explained
                    else _("%(p)d pause(s), %(e)d extension(s) recorded")
                    % {"p": review.pauses.count(), "e": review.extensions.count()},
                    why,
                )
                if p
            ),
        )
    )
    # Chronology
    entries = review.chronology_entries.count()
    ok, why = in_report("chronology", _("the chronology"))
    items.append(
        Item(
            "chronology",
            _("Combined chronology"),
            MET if entries and ok else GAP,
            "; ".join(
                p
                for p in (
                    _("%(n)d entries in the combined chronology") % {"n": entries}
                    if entries
                    else _("no combined chronology in Lantern"),
                    why,
                )
                if p
            ),
        )
    )
    ok, why = in_report("equality", _("equality and diversity"))
    items.append(
        _item(
            "equality_diversity",
            _("Equality and diversity considered"),
            ok,
            _("The overview report has a section on equality and diversity"),
            why,
        )
    )
    # Recommendations and the action plan
    from lantern.recommendations.selectors import plan_recommendations

    recs = list(plan_recommendations(review=review))
    without_actions = [r.number for r in recs if not list(r.actions.all())]
    not_smart = [a.label for r in recs for a in r.actions.all() if a.smart_flags]
    items.append(
        Item(
            "recommendations_smart",
            _("Recommendations SMART, with an action plan"),
            MET if recs and not without_actions and not not_smart else GAP,
            _("No recommendations in the action plan")
            if not recs
            else "; ".join(
                p
                for p in (
                    _("%(n)d recommendation(s)") % {"n": len(recs)},
                    _("without actions: %(l)s") % {"l": ", ".join(without_actions)}
                    if without_actions
                    else "",
                    _("actions not SMART: %(l)s") % {"l": ", ".join(not_smart)}
                    if not_smart
                    else "",
                )
                if p
            ),
        )
    )
    # Factual accuracy
    circulated = Circulation.objects.filter(review=review).exists()
    unanswered = DraftComment.objects.filter(circulation__review=review, response="").count()
    items.append(
        _item(
            "factual_accuracy",
            _("Draft circulated for factual accuracy; every comment answered"),
            circulated and not unanswered,
            _("Every comment has the author's response"),
            _("Not circulated to the agencies")
            if not circulated
            else _("%(n)d comment(s) without a response") % {"n": unanswered},
        )
    )
    # Anonymisation
    statuses = selectors.anonymisation_statuses(review)
    not_clear = [
        f"{DraftKind(k).label}: {selectors.ANONYMISATION_WORDS.get(s, s)}"
        for k, s in sorted(statuses.items())
        if s != "clear"
    ]
    items.append(
        _item(
            "anonymisation",
            _("Anonymisation check clear for the finals"),
            bool(statuses) and not not_clear and all(k in statuses for k in REQUIRED_KINDS),
            _("Clear"),
            "; ".join(not_clear) or _("No finals to check."),
        )
    )
    # Sign-off
    signoff = selectors.latest_signoff(review)
    current = selectors.signoff_current(review)
    items.append(
        _item(
            "csp_signoff",
            _("Signed off by the CSP"),
            signoff is not None and current,
            _("By %(who)s on %(d)s") % {"who": signoff.signed_off_by, "d": signoff.signed_off_on}
            if signoff
            else "",
            _("The finals have changed since the CSP signed off.")
            if signoff
            else _("No CSP sign-off recorded."),
        )
    )
    ok, why = in_report("dissemination", _("dissemination"))
    items.append(
        _item(
            "dissemination_plan",
            _("How the learning will be disseminated"),
            ok,
            _("The overview report has a section on dissemination"),
            why,
        )
    )
    return [Item(i.key, i.title, i.status, i.detail[:1].upper() + i.detail[1:]) for i in items]


@dataclass
class Pack:
    filename: str
    content: bytes
    sha256: str
    checklist: list[Item]
    files: list[dict[str, Any]]


def _zip_entry(archive: zipfile.ZipFile, name: str, data: bytes, when: datetime) -> None:
    info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def pack_build(review: Review, *, include_briefing: bool = False) -> Pack:
    """Build the zip. Refused, saying why, without a final overview report and summary."""
    have = selectors.finals(review)
    missing = [k for k in REQUIRED_KINDS if k not in have]
    if missing:
        raise ProblemsError(
            [
                Problem(
                    file="submission pack",
                    field="final",
                    message=_(
                        "There is no final version of the %(doc)s: upload it and mark it final "
                        "before building the submission pack."
                    )
                    % {"doc": str(DraftKind(k).label).lower()},
                )
                for k in missing
            ]
        )
    from lantern.documents.services import render_briefing, render_document

    ref = review.reference
    files: list[tuple[str, bytes, str]] = []
    for kind in (DraftKind.OVERVIEW_REPORT, DraftKind.EXECUTIVE_SUMMARY, DraftKind.APPENDIX):
        v = have.get(kind)
        if v is None:
            continue
        data = bytes(DraftVersion.objects.values_list("content", flat=True).get(pk=v.pk))
        name = f"{ref}-{kind.replace('_', '-')}-v{v.version}.{v.format}"
        files.append((name, data, str(DraftKind(kind).label)))
    files.append(
        (
            f"{ref}-action-plan.xlsx",
            render_document(review, "action_plan", fmt="xlsx", issued_to="Home Office QA panel"),
            _("Action plan"),
        )
    )
    if include_briefing:
        files.append(
            (
                f"{ref}-7-minute-briefing.pdf",
                render_briefing(review, fmt="pdf", issued_to="Home Office QA panel"),
                _("7-minute briefing"),
            )
        )
    items = checklist(review)
    now = timezone.localtime()
    listed = [
        {
            "name": name,
            "what": what,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
        for name, data, what in files
    ]
    document = {
        "review": ref,
        "built_at": now.isoformat(timespec="seconds"),
        "files": listed,
        "checklist": [i.as_dict() for i in items],
        "gaps": [i.key for i in items if i.status == GAP],
    }
    html = render_to_string(
        "publishing/checklist_document.html",
        {"review": review, "items": items, "files": listed, "built_at": now},
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, _what in files:
            _zip_entry(archive, name, data, now)
        _zip_entry(
            archive,
            "checklist.json",
            json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8"),
            now,
        )
        _zip_entry(archive, "checklist.html", html.encode("utf-8"), now)
    content = buffer.getvalue()
    return Pack(
        filename=f"{ref}-home-office-submission.zip",
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        checklist=items,
        files=listed,
    )
