"""Pages for the review's life: dashboard, notification, overview, people, agencies, criteria,
decision, stage changes, Home Office QA and the audit record.

Each view fetches the review through `review_get_for_user` (404 for non-members, 403 for members
without the capability, the read audited), parses a form, calls one service, and renders or
redirects. What a viewer may see beyond the page's own capability is decided here from the
capabilities `review_get_for_user` returns, never from the user's role names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from lantern.core.models import AuditEvent
from lantern.core.selectors import audit_events_for_review
from lantern.core.services import audit_record
from lantern.reviews import forms as review_forms
from lantern.reviews import services
from lantern.reviews.access import Cap, capabilities, review_get_for_user, reviews_visible_to
from lantern.reviews.criteria.rules import CHARNWOOD_ABUSE_NO_NOTE, NOT_MET_NOTE
from lantern.reviews.lifecycle import available_transitions, review_transition
from lantern.reviews.models import Alert, Decision, Person, Review, ReviewEvent, Stage
from lantern.reviews.selectors import ReviewClock, dashboard_rows, review_clock

# --- presentation tables -----------------------------------------------------------------------

DEADLINE_STATUS = {
    "overdue": (gettext_lazy("Overdue"), "red"),
    "due_soon": (gettext_lazy("Due soon"), "yellow"),
    "paused": (gettext_lazy("Paused"), "grey"),
    "on_track": (gettext_lazy("On track"), "green"),
    "met": (gettext_lazy("Met"), "green"),
    "met_late": (gettext_lazy("Met late"), "orange"),
}

DEADLINE_LABELS = {
    "Decision": gettext_lazy("Decision due"),
    "Completion": gettext_lazy("Completion due"),
}

STAGE_COLOURS = {
    Stage.NOTIFIED: "blue",
    Stage.SCOPING: "blue",
    Stage.DECIDED: "turquoise",
    Stage.NOT_HELD: "orange",
    Stage.COMMISSIONED: "turquoise",
    Stage.GATHERING: "turquoise",
    Stage.DRAFTING: "turquoise",
    Stage.CSP_SIGNOFF: "purple",
    Stage.QA_SUBMITTED: "purple",
    Stage.QA_APPROVED: "purple",
    Stage.PUBLISHED: "green",
    Stage.CLOSED: "grey",
}

CRITERIA_OUTCOMES = {
    # outcome: (short tag, colour, the sentence the chair reads)
    "met": (
        gettext_lazy("Criteria met"),
        "green",
        gettext_lazy("The criteria for a review appear to be met"),
    ),
    "not_met": (
        gettext_lazy("Criteria not met"),
        "red",
        gettext_lazy("The criteria for a review do not appear to be met"),
    ),
    "unclear": (
        gettext_lazy("Unclear"),
        "yellow",
        gettext_lazy("More information is needed"),
    ),
}

CHECK_OUTCOMES = {
    "yes": (gettext_lazy("Yes"), "green"),
    "no": (gettext_lazy("No"), "red"),
    "unknown": (gettext_lazy("Not known"), "yellow"),
}


def _lower_first(text: str) -> str:
    """'Criminal trial' -> 'criminal trial', but 'IOPC investigation' stays as it is."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def deadline_tag(status: str, clock: ReviewClock | None = None) -> dict[str, str] | None:
    """The GOV.UK tag (text and colour) for a deadline status; paused names its causes."""
    if status not in DEADLINE_STATUS:
        return None
    text, colour = DEADLINE_STATUS[status]
    if status == "paused" and clock is not None and clock.open_pauses:
        causes = ", ".join(_lower_first(str(p.get_cause_display())) for p in clock.open_pauses)
        return {"text": _("Paused: %(causes)s") % {"causes": causes}, "colour": colour}
    return {"text": str(text), "colour": colour}


def _stage_tag(review: Review) -> dict[str, str]:
    return {"text": review.get_stage_display(), "colour": STAGE_COLOURS.get(review.stage, "")}


def _day(value: date | None) -> str:
    return date_format(value, "j F Y") if value else ""


# --- shared helpers ----------------------------------------------------------------------------


def _review(request: HttpRequest, reference: str, need: str, what: str) -> Review:
    """Fetch and check; a GET is recorded as a read (a POST records its own write)."""
    return review_get_for_user(
        user=request.user,
        reference=reference,
        need=need,
        what=what,
        audit=request.method == "GET",
    )


def _render(
    request: HttpRequest, template: str, review: Review, what: str, context: dict[str, Any]
) -> HttpResponse:
    """Render a review page. A POST that re-renders (invalid input) shows review data too, so it
    is recorded as a read like the GET was."""
    if request.method != "GET":
        audit_record(
            action=AuditEvent.Action.READ,
            by=request.user,
            review=review,
            object_type=what,
            object_id=review.reference,
            summary=f"Viewed {what}",
        )
    context.setdefault("review", review)
    context.setdefault("caps", review.viewer_caps)
    context.setdefault("stage_tag", _stage_tag(review))
    return render(request, template, context)


def _page_title(title: str, *forms: Any) -> str:
    if any(form is not None and form.is_bound and form.errors for form in forms):
        return _("Error: %(title)s") % {"title": title}
    return title


# --- dashboard ---------------------------------------------------------------------------------


def _unread_alerts(user: Any) -> QuerySet[Alert]:
    """The user's unread alerts, for reviews they can still see."""
    return (
        Alert.objects.filter(user=user, read_at__isnull=True)
        .filter(Q(review__isnull=True) | Q(review__in=reviews_visible_to(user=user)))
        .select_related("review")
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    filters = review_forms.DashboardFilterForm(request.GET or None)
    include_closed = urgent_only = False
    if filters.is_bound and filters.is_valid():
        include_closed = filters.cleaned_data["include_closed"]
        urgent_only = filters.cleaned_data["urgent_only"]
    rows = dashboard_rows(user=request.user, include_closed=include_closed)
    open_rows = [r for r in rows if r.review.stage != Stage.CLOSED]
    counts = {
        "open": len(open_rows),
        "overdue": sum(1 for r in open_rows if r.clock.next_status == "overdue"),
        "due_soon": sum(1 for r in open_rows if r.clock.next_status == "due_soon"),
        "paused": sum(1 for r in open_rows if r.clock.open_pauses),
    }
    if urgent_only:
        rows = [r for r in rows if r.clock.next_status in ("overdue", "due_soon")]
    table = [
        {
            "review": r.review,
            "stage_tag": _stage_tag(r.review),
            "deadline_label": DEADLINE_LABELS.get(r.clock.next_deadline_label, ""),
            "deadline": r.clock.next_deadline,
            "tag": deadline_tag(r.clock.next_status, r.clock),
        }
        for r in rows
    ]
    # --- overdue agency returns (chronology app): only agencies the viewer may see -----------
    from lantern.chronology.selectors_returns import returns_overdue

    overdue_returns = returns_overdue(user=request.user, today=timezone.localdate())
    # --- end overdue agency returns ----------------------------------------------------------
    return render(
        request,
        "reviews/dashboard.html",
        {
            "rows": table,
            "counts": counts,
            "filters": filters,
            "filtered": include_closed or urgent_only,
            "alerts": list(_unread_alerts(request.user)[:20]),
            "overdue_returns": overdue_returns,
        },
    )


@login_required
@require_POST
def alert_read(request: HttpRequest) -> HttpResponse:
    # The ids of the alerts the page showed, so one that arrived since is not hidden unseen.
    ids = [int(v) for v in request.POST.getlist("alert") if v.isdigit()]
    count = services.alerts_mark_read(user=request.user, alert_ids=ids)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked as read.",
                "%(count)d notifications marked as read.",
                count,
            )
            % {"count": count},
        )
    return redirect("reviews:dashboard")


# --- notification ------------------------------------------------------------------------------

_NOTIFIED_SESSION_KEY = "lantern_notified_reference"


@login_required
def notify(request: HttpRequest) -> HttpResponse:
    """Any signed-in person, from any agency, can notify a partnership of a death."""
    form = review_forms.NotifyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_notify(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            review_forms.add_service_errors(form, error)
        else:
            if capabilities(user=request.user, review=review):
                messages.success(
                    request,
                    _("Notification recorded as %(reference)s.") % {"reference": review.reference},
                )
                return redirect("reviews:detail", reference=review.reference)
            request.session[_NOTIFIED_SESSION_KEY] = review.reference
            return redirect("reviews:notify_sent")
    return render(
        request,
        "reviews/notify.html",
        {"form": form, "title": _page_title(_("Notify a death"), form)},
    )


@login_required
def notify_sent(request: HttpRequest) -> HttpResponse:
    """The confirmation for a notifier who is not a member of the review they created."""
    reference = request.session.pop(_NOTIFIED_SESSION_KEY, None)
    if not reference:
        return redirect("reviews:notify")
    return render(request, "reviews/notify_sent.html", {"reference": reference})


# --- the review overview -----------------------------------------------------------------------

# Pages of a review, in the order the sub-navigation shows them, with the capability each needs.
# Some belong to the process pages (views/process.py) and are linked only once they exist.
REVIEW_PAGES: tuple[tuple[str, Any, str], ...] = (
    ("people", gettext_lazy("People"), Cap.VIEW_PEOPLE),
    ("agencies", gettext_lazy("Agencies"), Cap.VIEW_PROCESS),
    ("criteria", gettext_lazy("Criteria"), Cap.VIEW_PROCESS),
    ("decision", gettext_lazy("Decision"), Cap.VIEW_PROCESS),
    ("terms", gettext_lazy("Terms of reference"), Cap.VIEW_PROCESS),
    ("panel", gettext_lazy("Panel"), Cap.VIEW_PROCESS),
    ("clock", gettext_lazy("Clock, pauses and extensions"), Cap.VIEW_PROCESS),
    ("family", gettext_lazy("Family contact"), Cap.VIEW_FAMILY),
    ("meetings", gettext_lazy("Meetings"), Cap.VIEW_PROCESS),
    ("qa", gettext_lazy("Home Office QA and monitoring"), Cap.VIEW_PROCESS),
    ("audit", gettext_lazy("Audit record"), Cap.VIEW_AUDIT),
)


def _url(name: str, review: Review) -> str | None:
    try:
        return reverse(f"reviews:{name}", kwargs={"reference": review.reference})
    except NoReverseMatch:
        return None


def _review_pages(review: Review, caps: frozenset[str]) -> list[dict[str, Any]]:
    pages = []
    for name, text, need in REVIEW_PAGES:
        url = _url(name, review) if need in caps else None
        if url:
            pages.append({"name": name, "text": text, "url": url})
    return pages


@dataclass(frozen=True)
class Step:
    """One row of the review's task list."""

    name: str
    status: str  # "completed" | "in_progress" | "not_started" | "cannot_start" | "n/a" | "overdue"
    url: str | None = None
    hint: str = ""

    @property
    def status_text(self) -> str:
        return str(
            {
                "completed": _("Completed"),
                "in_progress": _("In progress"),
                "not_started": _("Not started"),
                "cannot_start": _("Cannot start yet"),
                "n/a": _("Not applicable"),
                "overdue": _("Overdue"),
            }[self.status]
        )

    @property
    def colour(self) -> str:
        return {"in_progress": "light-blue", "not_started": "blue", "overdue": "red"}.get(
            self.status, ""
        )


_ORDER = [
    Stage.NOTIFIED,
    Stage.SCOPING,
    Stage.DECIDED,
    Stage.COMMISSIONED,
    Stage.GATHERING,
    Stage.DRAFTING,
    Stage.CSP_SIGNOFF,
    Stage.QA_SUBMITTED,
    Stage.QA_APPROVED,
    Stage.PUBLISHED,
    Stage.CLOSED,
]


def _life_steps(
    review: Review, caps: frozenset[str], clock: ReviewClock, decision: Decision | None
) -> list[Step]:
    """The review's life as a task list, read from its stage and records."""

    def link(name: str, need: str) -> str | None:
        return _url(name, review) if need in caps else None

    def publication(name: str) -> str | None:
        if Cap.VIEW_PUBLICATION not in caps:
            return None
        return reverse(f"publishing:{name}", kwargs={"reference": review.reference})

    not_held = review.stage == Stage.NOT_HELD or (
        review.stage == Stage.CLOSED
        and decision is not None
        and decision.outcome == Decision.Outcome.NOT_HOLD
        and not decision.home_secretary_direction_on
    )
    position = _ORDER.index(review.stage) if review.stage in _ORDER else 2

    def by_stage(stage: str) -> str:
        if not_held:
            return "n/a"
        here = _ORDER.index(stage)
        if position > here:
            return "completed"
        if position == here:
            return "in_progress"
        return "cannot_start"

    decision_status = "completed" if decision else "not_started"
    if not decision and clock.decision_status == "overdue":
        decision_status = "overdue"
    commissioning = by_stage(Stage.DECIDED)
    if not_held:
        published = monitoring = "n/a"
    else:
        published = "completed" if position >= _ORDER.index(Stage.PUBLISHED) else "cannot_start"
        if review.stage == Stage.QA_APPROVED:
            published = "not_started"
        monitoring = (
            "completed"
            if review.monitoring_completed_on
            else "in_progress"
            if review.monitoring_started_on
            else "cannot_start"
        )
    closed = "completed" if review.stage == Stage.CLOSED else "cannot_start"
    process_url = link("terms", Cap.VIEW_PROCESS) or link("panel", Cap.VIEW_PROCESS)
    return [
        Step(_("Notification"), "completed", hint=_day(review.notification_date)),
        Step(
            _("Criteria assessed"),
            "completed" if review.assessments.exists() else "not_started",
            link("criteria", Cap.VIEW_PROCESS),
        ),
        Step(_("Decision recorded"), decision_status, link("decision", Cap.VIEW_PROCESS)),
        Step(
            _("Commissioned: chair, panel and terms of reference"),
            commissioning,
            process_url,
        ),
        Step(_("Information gathering"), by_stage(Stage.GATHERING)),
        Step(_("Analysis and drafting"), by_stage(Stage.DRAFTING)),
        Step(_("CSP sign-off"), by_stage(Stage.CSP_SIGNOFF)),
        Step(
            _("Home Office QA panel"),
            by_stage(Stage.QA_SUBMITTED),
            publication("qa") or link("qa", Cap.VIEW_PROCESS),
        ),
        Step(_("Published"), published, publication("publish"), hint=_day(review.published_on)),
        Step(_("Action-plan monitoring"), monitoring, link("qa", Cap.VIEW_PROCESS)),
        Step(_("Closed"), closed, hint=_day(review.closed_on)),
    ]


def _notification_rows(review: Review, caps: frozenset[str]) -> list[dict[str, Any]]:
    """The notification as a summary list, only the fields this viewer may see.

    Everyone on the review: the facts that place it (type, partnership, dates, source) and the
    pseudonym, which is the name the review is known by (the dashboard shows it too).
    People register (VIEW_PEOPLE): date of death. Process (VIEW_PROCESS): who
    notified and how to reach them. Real names (VIEW_REAL_NAMES): place of death and the free
    text, which in practice names people.
    """
    not_recorded = _("Not recorded")
    rows: list[dict[str, Any]] = [
        {"key": _("Type of review"), "value": review.review_type.name},
        {"key": _("Community Safety Partnership"), "value": review.csp.name},
        {"key": _("Date notified"), "value": _day(review.notification_date)},
        {"key": _("Notified by"), "value": review.get_notification_source_display()},
        {
            "key": _("Notifying agency"),
            "value": review.notifying_agency.name if review.notifying_agency else not_recorded,
        },
        {"key": _("Type of death"), "value": review.get_death_type_display()},
        {"key": _("Legal test"), "value": review.get_legal_test_display()},
    ]
    if review.joint_with:
        rows.append({"key": _("Joint review with"), "value": review.joint_with})
    rows.append({"key": _("Pseudonym"), "value": review.pseudonym or _("Not agreed yet")})
    if Cap.VIEW_PEOPLE in caps:
        rows.append(
            {"key": _("Date of death"), "value": _day(review.date_of_death) or not_recorded}
        )
    if Cap.VIEW_PROCESS in caps:
        rows.append({"key": _("Name of notifier"), "value": review.notifier_name or not_recorded})
        rows.append(
            {"key": _("Notifier's contact details"), "value": review.notifier_contact or "-"}
        )
    if Cap.VIEW_REAL_NAMES in caps:
        rows.append({"key": _("Place of death"), "value": review.place_of_death or not_recorded})
        rows.append(
            {
                "key": _("What is known of the death"),
                "value": review.circumstances or not_recorded,
                "multiline": True,
            }
        )
    if review.publication_url:
        rows.append({"key": _("Published report"), "value": review.publication_url, "url": True})
    return rows


@login_required
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    review = _review(request, reference, Cap.VIEW, "review")
    caps = review.viewer_caps
    clock = review_clock(review=review)
    decision = review.decision
    transitions = []
    if Cap.TRANSITION in caps:
        transitions = [
            {"target": t.target, "label": t.label, "blocked": blocked}
            for t, blocked in available_transitions(review)
        ]
    events = []
    if Cap.VIEW_PROCESS in caps:
        events = list(review.events.select_related("by")[:200])
    return _render(
        request,
        "reviews/detail.html",
        review,
        "review",
        {
            "steps": _life_steps(review, caps, clock, decision),
            "notification": _notification_rows(review, caps),
            "clock": clock,
            "decision_tag": deadline_tag(clock.decision_status),
            "completion_tag": deadline_tag(clock.completion_status or "", clock),
            "transitions": transitions,
            "can_transition": any(not t["blocked"] for t in transitions),
            "events": events,
            "pages": _review_pages(review, caps),
            "clock_url": _url("clock", review) if Cap.VIEW_PROCESS in caps else None,
        },
    )


@login_required
def transition(request: HttpRequest, reference: str) -> HttpResponse:
    review = review_get_for_user(
        user=request.user, reference=reference, need=Cap.TRANSITION, audit=False
    )
    if request.method != "POST":
        return redirect("reviews:detail", reference=review.reference)
    form = review_forms.TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a stage to move the review to."))
        return redirect("reviews:detail", reference=review.reference)
    try:
        review = review_transition(
            review=review,
            by=request.user,
            target=form.cleaned_data["target"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(
            request,
            _("The stage was not changed: %(reason)s") % {"reason": " ".join(error.messages)},
        )
    else:
        messages.success(
            request,
            _("The review is now at the stage “%(stage)s”.")
            % {"stage": review.get_stage_display()},
        )
    return redirect("reviews:detail", reference=review.reference)


@login_required
def edit(request: HttpRequest, reference: str) -> HttpResponse:
    review = _review(request, reference, Cap.EDIT_REVIEW, "review details")
    form = review_forms.ReviewEditForm(
        request.POST or None,
        initial=review_forms.ReviewEditForm.initial_for(review),
        review=review,
    )
    lead = getattr(request.user, "is_system", False) or (
        request.user.organisation_id == review.csp_id
    )
    if not lead:  # only the lead partnership decides who commissions the review with it
        del form.fields["co_commissioners"]
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        partners = data.pop("co_commissioners", None)
        try:
            with transaction.atomic():
                services.review_update(review=review, by=request.user, **data)
                if partners is not None:
                    services.review_set_co_commissioners(
                        review=review, by=request.user, organisations=partners
                    )
        except ValidationError as error:
            review_forms.add_service_errors(form, error)
        else:
            messages.success(request, _("Notification details saved."))
            return redirect("reviews:detail", reference=review.reference)
    title = _page_title(_("Edit notification details: %(ref)s") % {"ref": review.reference}, form)
    return _render(
        request, "reviews/edit.html", review, "review details", {"form": form, "title": title}
    )


# --- people ------------------------------------------------------------------------------------


def _relationship_text(person: Person) -> str:
    value = person.relationship_to_victim
    if value in Person.Relationship.values:
        return str(Person.Relationship(value).label)
    return value


@login_required
def people(request: HttpRequest, reference: str) -> HttpResponse:
    review = _review(request, reference, Cap.VIEW_PEOPLE, "people register")
    caps = review.viewer_caps
    rows = [
        {
            "person": person,
            "relationship": _relationship_text(person),
            "aliases": ", ".join(person.aliases or []),
        }
        for person in review.people.all()
    ]
    return _render(
        request,
        "reviews/people.html",
        review,
        "people register",
        {
            "rows": rows,
            "show_real_names": Cap.VIEW_REAL_NAMES in caps,
            "can_edit": Cap.EDIT_REVIEW in caps,
        },
    )


def _person_or_404(review: Review, person_id: int) -> Person:
    person = review.people.filter(pk=person_id).first()
    if person is None:
        raise Http404
    return person


@login_required
def person_new(request: HttpRequest, reference: str) -> HttpResponse:
    review = _review(request, reference, Cap.EDIT_REVIEW, "people register")
    form = review_forms.PersonForm(
        request.POST or None, show_real_names=Cap.VIEW_REAL_NAMES in review.viewer_caps
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_add(review=review, by=request.user, **form.service_kwargs())
        except ValidationError as error:
            review_forms.add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(role)s added to the people register.") % {"role": person.get_role_display()},
            )
            return redirect("reviews:people", reference=review.reference)
    title = _page_title(_("Add a person: %(ref)s") % {"ref": review.reference}, form)
    return _render(
        request,
        "reviews/person_form.html",
        review,
        "people register",
        {"form": form, "title": title, "heading": _("Add a person")},
    )


@login_required
def person_edit(request: HttpRequest, reference: str, person_id: int) -> HttpResponse:
    review = _review(request, reference, Cap.EDIT_REVIEW, "people register")
    person = _person_or_404(review, person_id)
    form = review_forms.PersonForm(
        request.POST or None,
        initial=review_forms.PersonForm.initial_for(person),
        show_real_names=Cap.VIEW_REAL_NAMES in review.viewer_caps,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(person=person, by=request.user, **form.service_kwargs())
        except ValidationError as error:
            review_forms.add_service_errors(form, error)
        else:
            messages.success(request, _("Changes to %(name)s saved.") % {"name": person})
            return redirect("reviews:people", reference=review.reference)
    title = _page_title(
        _("Change %(name)s: %(ref)s") % {"name": person, "ref": review.reference}, form
    )
    return _render(
        request,
        "reviews/person_form.html",
        review,
        "people register",
        {
            "form": form,
            "title": title,
            "heading": _("Change %(name)s") % {"name": person},
            "person": person,
        },
    )


@login_required
def person_remove(request: HttpRequest, reference: str, person_id: int) -> HttpResponse:
    review = _review(request, reference, Cap.EDIT_REVIEW, "people register")
    person = _person_or_404(review, person_id)
    if request.method == "POST":
        name = str(person)
        services.person_remove(person=person, by=request.user)
        messages.success(request, _("%(name)s removed from the people register.") % {"name": name})
        return redirect("reviews:people", reference=review.reference)
    return _render(
        request,
        "reviews/person_remove.html",
        review,
        "people register",
        {"person": person, "relationship": _relationship_text(person)},
    )


# --- agencies ----------------------------------------------------------------------------------


@login_required
def agencies(request: HttpRequest, reference: str) -> HttpResponse:
    need = Cap.EDIT_REVIEW if request.method == "POST" else Cap.VIEW_PROCESS
    review = _review(request, reference, need, "agencies")
    can_edit = Cap.EDIT_REVIEW in review.viewer_caps
    form = review_forms.AgencyForm(request.POST or None) if can_edit else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            link = services.review_agency_add(review=review, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            review_forms.add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s is on the review.") % {"name": link.organisation.name}
            )
            return redirect("reviews:agencies", reference=review.reference)
    title = _page_title(_("Agencies: %(ref)s") % {"ref": review.reference}, form)
    return _render(
        request,
        "reviews/agencies.html",
        review,
        "agencies",
        {
            "form": form,
            "title": title,
            "links": review.agencies.select_related("organisation"),
        },
    )


# --- criteria and decision ---------------------------------------------------------------------


def _is_warning(note: str) -> bool:
    """Notes that must not be missed: Charnwood's low bar, and a not-met result's scrutiny."""
    return "Charnwood" in note or note in (CHARNWOOD_ABUSE_NO_NOTE, NOT_MET_NOTE)


def _assessment_view(assessment: Any) -> dict[str, Any]:
    result = assessment.result
    outcome = result.get("outcome", "")
    outcome_tag, outcome_colour, outcome_text = CRITERIA_OUTCOMES.get(
        outcome, (outcome, "", outcome)
    )
    checks = []
    for check in result.get("checks", []):
        text, colour = CHECK_OUTCOMES.get(check["outcome"], (check["outcome"], ""))
        checks.append({**check, "tag": {"text": text, "colour": colour}})
    notes = result.get("notes", [])
    return {
        "assessment": assessment,
        "legal_test": result.get("legal_test_label", result.get("legal_test", "")),
        "outcome": {"tag": outcome_tag, "text": outcome_text, "colour": outcome_colour},
        "checks": checks,
        "warnings": [n for n in notes if _is_warning(n)],
        "notes": [n for n in notes if not _is_warning(n)],
        "to_find_out": result.get("to_find_out", []),
    }


@login_required
def criteria(request: HttpRequest, reference: str) -> HttpResponse:
    need = Cap.DECIDE if request.method == "POST" else Cap.VIEW_PROCESS
    review = _review(request, reference, need, "criteria assessment")
    assessments = list(review.assessments.select_related("assessed_by"))
    latest = assessments[0] if assessments else None
    form = None
    if Cap.DECIDE in review.viewer_caps:
        form = review_forms.CriteriaForm(
            request.POST or None,
            initial=review_forms.CriteriaForm.initial_for(
                review, latest.inputs if latest else None
            ),
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.criteria_assess(review=review, by=request.user, data=form.to_input())
            except ValidationError as error:
                review_forms.add_service_errors(form, error)
            else:
                messages.success(request, _("Criteria assessed. The result is below."))
                return redirect(
                    reverse("reviews:criteria", kwargs={"reference": review.reference}) + "#result"
                )
    title = _page_title(_("Criteria for a review: %(ref)s") % {"ref": review.reference}, form)
    return _render(
        request,
        "reviews/criteria.html",
        review,
        "criteria assessment",
        {
            "form": form,
            "title": title,
            "latest": _assessment_view(latest) if latest else None,
            "history": [_assessment_view(a) for a in assessments],
        },
    )


@login_required
def decision(request: HttpRequest, reference: str) -> HttpResponse:
    need = Cap.DECIDE if request.method == "POST" else Cap.VIEW_PROCESS
    review = _review(request, reference, need, "decision")
    current = review.decision
    can_decide = Cap.DECIDE in review.viewer_caps
    which = request.POST.get("form") if request.method == "POST" else None
    record_form = dates_form = None
    if can_decide:
        record_form = review_forms.DecisionForm(request.POST if which == "record" else None)
        if current is not None:
            dates_form = review_forms.DecisionDatesForm(
                request.POST if which == "dates" else None,
                prefix="dates",
                initial={
                    "home_office_informed_on": current.home_office_informed_on,
                    "family_informed_on": current.family_informed_on,
                    "home_secretary_direction_on": current.home_secretary_direction_on,
                },
            )
            if not current.needs_home_office_scrutiny:
                # Only a decision not to hold a review can be overturned by a direction.
                del dates_form.fields["home_secretary_direction_on"]
    if which == "record" and record_form is not None and record_form.is_valid():
        try:
            services.decision_record(review=review, by=request.user, **record_form.service_kwargs())
        except ValidationError as error:
            review_forms.add_service_errors(record_form, error)
        else:
            review.refresh_from_db()
            messages.success(
                request,
                _("Decision recorded. The review is now at the stage “%(stage)s”.")
                % {"stage": review.get_stage_display()},
            )
            return redirect("reviews:decision", reference=review.reference)
    if which == "dates" and dates_form is not None and dates_form.is_valid():
        try:
            dates = {"home_secretary_direction_on": current.home_secretary_direction_on}
            dates.update(dates_form.cleaned_data)
            services.decision_update_dates(decision=current, by=request.user, **dates)
        except ValidationError as error:
            review_forms.add_service_errors(dates_form, error)
        else:
            messages.success(request, _("Decision dates saved."))
            return redirect("reviews:decision", reference=review.reference)
    if request.method == "POST" and which not in ("record", "dates"):
        return redirect("reviews:decision", reference=review.reference)
    title = _page_title(_("Decision: %(ref)s") % {"ref": review.reference}, record_form, dates_form)
    earlier = list(review.decisions.select_related("recorded_by"))[1:]
    return _render(
        request,
        "reviews/decision.html",
        review,
        "decision",
        {
            "title": title,
            "current": current,
            "earlier": earlier,
            "record_form": record_form,
            "dates_form": dates_form,
            "assessment": _assessment_view(current.assessment)
            if current is not None and current.assessment
            else None,
        },
    )


# --- Home Office QA and monitoring -------------------------------------------------------------


def _qa_letters(review: Review) -> list[dict[str, Any]]:
    letters = []
    for event in review.events.filter(kind=ReviewEvent.Kind.QA):
        received = event.data.get("letter_received_on")
        letters.append(
            {
                "received": date.fromisoformat(received) if received else None,
                "outcome": event.data.get("outcome", ""),
                "summary": event.summary,
                "notes": event.data.get("notes", ""),
            }
        )
    return letters


@login_required
def qa(request: HttpRequest, reference: str) -> HttpResponse:
    need = Cap.EDIT_REVIEW if request.method == "POST" else Cap.VIEW_PROCESS
    review = _review(request, reference, need, "quality assurance")
    can_edit = Cap.EDIT_REVIEW in review.viewer_caps
    which = request.POST.get("form") if request.method == "POST" else None
    qa_form = monitoring_form = None
    if can_edit:
        qa_form = review_forms.QaOutcomeForm(request.POST if which == "qa" else None, prefix="qa")
        monitoring_form = review_forms.MonitoringCompleteForm(
            request.POST if which == "monitoring" else None, prefix="monitoring"
        )
    if which == "qa" and qa_form is not None and qa_form.is_valid():
        try:
            review = services.qa_outcome_record(
                review=review, by=request.user, **qa_form.cleaned_data
            )
        except ValidationError as error:
            review_forms.add_service_errors(qa_form, error)
        else:
            messages.success(
                request,
                _("QA outcome recorded. The review is now at the stage “%(stage)s”.")
                % {"stage": review.get_stage_display()},
            )
            return redirect("reviews:qa", reference=review.reference)
    if which == "monitoring" and monitoring_form is not None and monitoring_form.is_valid():
        try:
            services.monitoring_complete(
                review=review, by=request.user, **monitoring_form.cleaned_data
            )
        except ValidationError as error:
            review_forms.add_service_errors(monitoring_form, error)
        else:
            messages.success(request, _("Action-plan monitoring recorded as complete."))
            return redirect("reviews:qa", reference=review.reference)
    if request.method == "POST" and which not in ("qa", "monitoring"):
        return redirect("reviews:qa", reference=review.reference)
    title = _page_title(
        _("Home Office QA and monitoring: %(ref)s") % {"ref": review.reference},
        qa_form,
        monitoring_form,
    )
    return _render(
        request,
        "reviews/qa.html",
        review,
        "quality assurance",
        {
            "title": title,
            "qa_form": qa_form,
            "monitoring_form": monitoring_form,
            "awaiting_qa": review.stage == Stage.QA_SUBMITTED,
            "letters": _qa_letters(review),
        },
    )


# --- audit -------------------------------------------------------------------------------------


@login_required
def audit(request: HttpRequest, reference: str) -> HttpResponse:
    review = _review(request, reference, Cap.VIEW_AUDIT, "audit record")
    events = audit_events_for_review(review=review)
    users = sorted(set(events.values_list("actor_label", flat=True)))
    filters = review_forms.AuditFilterForm(request.GET or None, users=users)
    if filters.is_bound and filters.is_valid():
        if filters.cleaned_data["user"]:
            events = events.filter(actor_label=filters.cleaned_data["user"])
        if filters.cleaned_data["action"]:
            events = events.filter(action=filters.cleaned_data["action"])
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return _render(
        request,
        "reviews/audit.html",
        review,
        "audit record",
        {
            "page": page,
            "filters": filters,
            "page_range": page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            ),
        },
    )
