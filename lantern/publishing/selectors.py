"""Reads for the publication area: who sees which comments and acknowledgements, where each
step stands, what still blocks publication, and the QA panel's checklist."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from lantern.publishing.models import (
    REQUIRED_KINDS,
    BriefingRecipient,
    BriefingSend,
    Circulation,
    CspSignOff,
    DraftComment,
    DraftKind,
    DraftVersion,
    FamilyReading,
    Publication,
    QaOutcome,
    QaSubmission,
    RequiredChange,
)
from lantern.reviews.access import Cap, user_agencies_on_review
from lantern.reviews.models import Review, Stage

ANONYMISATION_WORDS = {
    "clear": _lazy("clear"),
    "unresolved": _lazy("findings not resolved"),
    "not_checked": _lazy("not checked"),
}


def day(value: Any) -> str:
    """A date the GOV.UK way, "3 March 2024"."""
    from django.utils.formats import date_format

    return date_format(value, "j F Y") if value else ""


def anonymisation_words(statuses: dict[str, str]) -> str:
    return "; ".join(
        f"{DraftKind(k).label}: {ANONYMISATION_WORDS.get(s, s)}"
        for k, s in sorted(statuses.items())
    )


# --- who sees what -----------------------------------------------------------------------------


def sees_every_agency(caps: frozenset[str]) -> bool:
    """Those who run the report (author, chair, coordinator) see every agency's comments and
    acknowledgements; agency authors and panel members their own agency's."""
    return Cap.EDIT_DRAFTS in caps or Cap.MANAGE_PUBLICATION in caps


def circulations_visible(*, review: Review, user: Any, caps: frozenset[str]) -> QuerySet:
    qs = Circulation.objects.filter(review=review).select_related("version")
    if sees_every_agency(caps):
        return qs
    own = user_agencies_on_review(user=user, review=review)
    from django.db.models import Q

    return qs.filter(Q(agencies__in=own) | Q(panel_members=user)).distinct()


def comments_visible(*, review: Review, user: Any, caps: frozenset[str]) -> QuerySet:
    qs = DraftComment.objects.filter(circulation__review=review).select_related(
        "agency", "circulation", "circulation__version", "responded_by"
    )
    if sees_every_agency(caps):
        return qs
    return qs.filter(agency_id__in=user_agencies_on_review(user=user, review=review))


def recipients_visible(
    *, review: Review, user: Any, caps: frozenset[str], own_only: bool = False
) -> QuerySet:
    """Acknowledgements: every agency's for the publication's readers (VIEW_PUBLICATION) and
    managers; an agency author's own agency's only."""
    qs = BriefingRecipient.objects.filter(send__review=review).select_related(
        "agency", "send", "acknowledged_by"
    )
    if Cap.MANAGE_PUBLICATION in caps or (Cap.VIEW_PUBLICATION in caps and not own_only):
        return qs
    return qs.filter(agency_id__in=user_agencies_on_review(user=user, review=review))


def may_act_for_agency(*, user: Any, review: Review, caps: frozenset[str], agency_id: int) -> bool:
    """May acknowledge a briefing or record its use for this agency: the agency's own people
    (ACKNOWLEDGE_BRIEFING), or the coordinator or chair on its behalf (MANAGE_PUBLICATION)."""
    if Cap.MANAGE_PUBLICATION in caps:
        return True
    return Cap.ACKNOWLEDGE_BRIEFING in caps and agency_id in user_agencies_on_review(
        user=user, review=review
    )


# --- the state of things -----------------------------------------------------------------------


def versions(review: Review) -> QuerySet:
    return (
        DraftVersion.objects.filter(review=review)
        .defer("content")
        .select_related("uploaded_by")
        .order_by("kind", "-version")
    )


def finals(review: Review) -> dict[str, DraftVersion]:
    from lantern.publishing.services import finals as _finals

    return _finals(review)


def latest_signoff(review: Review) -> CspSignOff | None:
    return CspSignOff.objects.filter(review=review).select_related("overview", "summary").first()


def signoff_current(review: Review) -> bool:
    """Signed off, and the finals are still the versions the CSP signed."""
    signoff = latest_signoff(review)
    if signoff is None:
        return False
    have = finals(review)
    return (
        have.get(DraftKind.OVERVIEW_REPORT) == signoff.overview
        and have.get(DraftKind.EXECUTIVE_SUMMARY) == signoff.summary
    )


def submissions(review: Review) -> QuerySet:
    return (
        QaSubmission.objects.filter(review=review)
        .defer("pack", "letter")
        .prefetch_related("changes")
        .order_by("-round")
    )


def latest_submission(review: Review) -> QaSubmission | None:
    return submissions(review).first()


def open_changes(review: Review) -> QuerySet:
    """Required changes of the latest round with an outcome, not yet resolved."""
    latest = latest_submission(review)
    if latest is None:
        return RequiredChange.objects.none()
    return latest.changes.filter(resolved_on__isnull=True)


def anonymisation_statuses(review: Review) -> dict[str, str]:
    """Each final's anonymisation status: "clear", "unresolved" or "not_checked"."""
    try:
        from lantern.anonymisation.services import check_status
    except ImportError:  # the anonymisation check is not installed: nothing has been checked
        return dict.fromkeys(finals(review), "not_checked")
    return {
        kind: check_status(review=review, sha256=v.sha256) for kind, v in finals(review).items()
    }


def publication_of(review: Review) -> Publication | None:
    return Publication.objects.filter(review=review).first()


def publication_blockers(review: Review) -> list[str]:
    """Why the review cannot be published yet (empty when it can)."""
    blockers: list[str] = []
    if publication_of(review) is not None:
        return [_("The review has already been published.")]
    if review.stage != Stage.QA_APPROVED or review.qa_outcome not in (
        QaOutcome.PUBLISH,
        QaOutcome.PUBLISH_AFTER_CHANGES,
    ):
        blockers.append(_("The Home Office QA panel has not approved the report for publication."))
    unresolved = open_changes(review).count()
    if unresolved:
        blockers.append(
            _("%(n)d change(s) the QA panel required are not resolved.") % {"n": unresolved}
        )
    if latest_signoff(review) is None:
        blockers.append(_("The CSP has not signed the report off."))
    have = finals(review)
    for kind in REQUIRED_KINDS:
        if kind not in have:
            blockers.append(
                _("There is no final %(doc)s.") % {"doc": str(DraftKind(kind).label).lower()}
            )
    words = {
        "unresolved": _("has anonymisation findings not resolved"),
        "not_checked": _("has not been checked for identifying details"),
    }
    for kind, status in anonymisation_statuses(review).items():
        if status != "clear":
            blockers.append(
                _("The final %(doc)s %(why)s.")
                % {
                    "doc": str(DraftKind(kind).label).lower(),
                    "why": words.get(status, status),
                }
            )
    return blockers


def briefing_sends(review: Review) -> QuerySet:
    return BriefingSend.objects.filter(review=review).defer("content")


def family_readings(review: Review) -> QuerySet:
    return FamilyReading.objects.filter(review=review).select_related("version", "person")


# --- the step list -----------------------------------------------------------------------------


@dataclass
class Step:
    key: str
    title: str
    status: str  # "done" | "in_progress" | "not_started" | "blocked"
    detail: str = ""
    url_name: str = ""
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "problems": list(self.problems),
        }


def steps(review: Review) -> list[Step]:
    """Where each step of the authored report's life stands."""
    have = finals(review)
    all_versions = DraftVersion.objects.filter(review=review)
    missing = [k for k in REQUIRED_KINDS if k not in have]
    drafts = Step(
        "drafts",
        _("Drafts and final versions"),
        "done" if not missing else "in_progress" if all_versions.exists() else "not_started",
        _("%(n)d version(s) uploaded; final: %(finals)s")
        % {
            "n": all_versions.count(),
            "finals": ", ".join(
                f"{DraftKind(k).label} v{v.version}" for k, v in sorted(have.items())
            )
            or _("none yet"),
        },
        "drafts",
        [_("No final %(doc)s.") % {"doc": str(DraftKind(k).label).lower()} for k in missing],
    )
    circulations = Circulation.objects.filter(review=review)
    comments = DraftComment.objects.filter(circulation__review=review)
    unanswered = comments.filter(response="").count()
    circulation = Step(
        "circulation",
        _("Circulation and factual-accuracy comments"),
        "not_started" if not circulations.exists() else "in_progress" if unanswered else "done",
        _("%(c)d circulation(s), %(n)d comment(s), %(u)d awaiting a response")
        % {"c": circulations.count(), "n": comments.count(), "u": unanswered},
        "comments",
    )
    readings = FamilyReading.objects.filter(review=review)
    read = (
        readings.filter(read_on__isnull=False).exists() or readings.filter(declined=True).exists()
    )
    family = Step(
        "family",
        _("The family's reading of the draft"),
        "done" if read else "in_progress" if readings.exists() else "not_started",
        _("Offered %(n)d time(s)") % {"n": readings.count()} if readings.exists() else "",
        "family",
    )
    signoff = latest_signoff(review)
    current = signoff_current(review)
    sign = Step(
        "signoff",
        _("CSP sign-off"),
        "done" if signoff else "blocked" if missing else "not_started",
        (
            _("Signed off by %(who)s on %(date)s")
            % {"who": signoff.signed_off_by, "date": day(signoff.signed_off_on)}
            if signoff
            else ""
        ),
        "signoff",
        [] if current or not signoff else [_("The finals have changed since the sign-off.")],
    )
    statuses = anonymisation_statuses(review)
    anon_problems = [
        f"{DraftKind(k).label}: {ANONYMISATION_WORDS.get(s, s)}"
        for k, s in sorted(statuses.items())
        if s != "clear"
    ]
    anonymisation = Step(
        "anonymisation",
        _("Anonymisation check of the finals"),
        "blocked"
        if not have
        else "done"
        if statuses and not anon_problems and not missing
        else "in_progress",
        "" if anon_problems else anonymisation_words(statuses),
        "drafts",
        anon_problems,
    )
    subs = list(submissions(review))
    latest = subs[0] if subs else None
    pack = Step(
        "pack",
        _("Home Office submission pack"),
        "done" if subs else "blocked" if missing else "not_started",
        _("Submitted pack sha256 %(sha)s") % {"sha": latest.pack_sha256[:12]} if latest else "",
        "pack",
    )
    if latest is None:
        qa_status, qa_detail = "not_started", ""
    elif not latest.outcome:
        qa_status = "in_progress"
        qa_detail = _("Round %(r)d submitted on %(d)s, awaiting the panel's letter") % {
            "r": latest.round,
            "d": day(latest.submitted_on),
        }
    else:
        waiting = latest.changes.filter(resolved_on__isnull=True).count()
        qa_status = "in_progress" if latest.outcome == QaOutcome.RESUBMIT or waiting else "done"
        qa_detail = _("Round %(r)d: %(o)s; %(w)d required change(s) open") % {
            "r": latest.round,
            "o": latest.get_outcome_display(),
            "w": waiting,
        }
    qa = Step("qa", _("Home Office QA panel"), qa_status, qa_detail, "qa")
    publication = publication_of(review)
    blockers = [] if publication else publication_blockers(review)
    publish = Step(
        "publication",
        _("Publication"),
        "done" if publication else "blocked" if blockers else "not_started",
        (
            _("Published on %(d)s at %(where)s")
            % {"d": day(publication.published_on), "where": publication.location}
            if publication
            else ""
        ),
        "publish",
        blockers,
    )
    sends = briefing_sends(review)
    recipients = BriefingRecipient.objects.filter(send__review=review)
    waiting_ack = recipients.filter(acknowledged_on__isnull=True).count()
    dissemination = Step(
        "dissemination",
        _("Dissemination of the 7-minute briefing"),
        "not_started"
        if not sends.exists()
        else "in_progress"
        if waiting_ack or recipients.filter(learning_use="").exists()
        else "done",
        _("%(a)d agencies sent the briefing, %(w)d not yet acknowledged")
        % {"a": recipients.values("agency").distinct().count(), "w": waiting_ack}
        if sends.exists()
        else "",
        "dissemination",
    )
    return [
        drafts,
        circulation,
        family,
        sign,
        anonymisation,
        pack,
        qa,
        publish,
        dissemination,
    ]


def next_step(all_steps: list[Step]) -> Step | None:
    for step in all_steps:
        if step.status != "done":
            return step
    return None


def status(review: Review) -> dict[str, Any]:
    """The publication area as data (`lantern publication status --json`, the API)."""
    all_steps = steps(review)
    upcoming = next_step(all_steps)
    have = finals(review)
    statuses = anonymisation_statuses(review)
    blockers = publication_blockers(review)
    return {
        "review": review.reference,
        "stage": review.stage,
        "qa_outcome": review.qa_outcome,
        "finals": {
            kind: {
                "id": v.pk,
                "version": v.version,
                "filename": v.filename,
                "sha256": v.sha256,
                "anonymisation": statuses.get(kind, "not_checked"),
            }
            for kind, v in have.items()
        },
        "steps": [s.as_dict() for s in all_steps],
        "next": upcoming.key if upcoming else None,
        "can_publish": not blockers,
        "publication_blockers": blockers,
    }
