"""Pages for running a commissioned review: terms, panel, pauses, liaison, family, meetings.

Each view fetches the review through `review_get_for_user` with the capability the request needs
(reading with GET, writing with POST), parses a form, calls one service, and redirects after a
successful write. The services check the capability again and hold the domain rules; a
ValidationError they raise is shown against the form field it names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from lantern.accounts.models import ReviewRole
from lantern.reviews import services
from lantern.reviews.access import Cap, review_get_for_user
from lantern.reviews.forms_process import (
    ActionDoneForm,
    ExtensionForm,
    FamilyContactForm,
    IndependenceForm,
    LiaisonForm,
    MeetingForm,
    MemberAddForm,
    PauseEndForm,
    PauseForm,
    TermsForm,
    add_service_errors,
    person_label,
)
from lantern.reviews.models import (
    Decision,
    FamilyContact,
    Meeting,
    MeetingAction,
    Membership,
    Pause,
    Review,
    TermsOfReference,
)
from lantern.reviews.selectors import review_clock

# How each status of the statutory clock is shown: the words, and the GOV.UK tag colour.
CLOCK_STATUS: dict[str, tuple[Any, str]] = {
    "on_track": (gettext_lazy("On track"), "green"),
    "due_soon": (gettext_lazy("Due soon"), "yellow"),
    "overdue": (gettext_lazy("Overdue"), "red"),
    "paused": (gettext_lazy("Paused"), "grey"),
    "met": (gettext_lazy("Met"), ""),
    "met_late": (gettext_lazy("Met late"), "orange"),
    "none": (gettext_lazy("No deadline running"), "grey"),
}

# The order the panel page lists roles in: the heading, and what to say when nobody holds it.
PANEL_GROUPS: tuple[tuple[str, Any, Any], ...] = (
    (
        ReviewRole.CHAIR,
        gettext_lazy("Independent chair"),
        gettext_lazy("No independent chair has been appointed yet."),
    ),
    (
        ReviewRole.AUTHOR,
        gettext_lazy("Report author"),
        gettext_lazy("No separate report author has been appointed."),
    ),
    (
        ReviewRole.PANEL_MEMBER,
        gettext_lazy("Panel members"),
        gettext_lazy("No panel members have been added yet."),
    ),
    (
        ReviewRole.AGENCY_AUTHOR,
        gettext_lazy("Agency authors"),
        gettext_lazy("No agency authors have been added yet."),
    ),
)


def _fetch(request: HttpRequest, reference: str, *, read: str, write: str, what: str) -> Review:
    """The review, checked for `write` on a POST and `read` otherwise."""
    need = write if request.method == "POST" else read
    return review_get_for_user(user=request.user, reference=reference, need=need, what=what)


def _can(review: Review, cap: str) -> bool:
    return cap in review.viewer_caps  # type: ignore[attr-defined]


def _call(form: forms.Form, service: Any, **kwargs: Any) -> bool:
    """Call a service; on a ValidationError put its messages on `form` and return False."""
    try:
        service(**kwargs)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


def _process_links(review: Review, current: str) -> list[dict[str, str]]:
    """Links to the other pages for running this review that the viewer may open."""
    pages = [
        ("terms", _("Terms of reference"), Cap.VIEW_PROCESS),
        ("panel", _("Panel and statements of independence"), Cap.VIEW_PROCESS),
        ("clock", _("Statutory clock, pauses and extensions"), Cap.VIEW_PROCESS),
        ("family", _("Family involvement"), Cap.VIEW_FAMILY),
        ("meetings", _("Meetings and actions"), Cap.VIEW_PROCESS),
    ]
    return [
        {"href": reverse(f"reviews:{name}", args=[review.reference]), "text": text}
        for name, text, cap in pages
        if name != current and _can(review, cap)
    ]


def _page(
    request: HttpRequest, template: str, review: Review, current: str, **context: Any
) -> HttpResponse:
    # Pages below the five main ones (a meeting, a statement) have breadcrumbs instead.
    context.update(review=review, related_links=_process_links(review, current) if current else [])
    return render(request, f"reviews/{template}", context)


# Terms of reference ---------------------------------------------------------------------------


@login_required
def terms(request: HttpRequest, reference: str) -> HttpResponse:
    review = _fetch(
        request,
        reference,
        read=Cap.VIEW_PROCESS,
        write=Cap.EDIT_PROCESS,
        what="terms of reference",
    )
    current = TermsOfReference.objects.filter(review=review).first()
    agencies = list(review.agencies.select_related("organisation"))
    form = None
    if _can(review, Cap.EDIT_PROCESS):
        if request.method == "POST":
            form = TermsForm(request.POST, agencies=agencies)
            if form.is_valid() and _call(
                form, services.terms_save, review=review, by=request.user, **form.cleaned_data
            ):
                messages.success(request, _("Terms of reference saved"))
                return redirect("reviews:terms", reference=review.reference)
        else:
            initial: dict[str, Any] = {
                "agencies_in_scope": [a.organisation_id for a in agencies if a.in_scope],
                "reasons_not_in_scope": "\n".join(
                    f"{a.organisation.name}: {a.reason_not_in_scope}"
                    for a in agencies
                    if not a.in_scope and a.reason_not_in_scope
                ),
            }
            if current:
                initial.update(
                    period_start=current.period_start,
                    period_end=current.period_end,
                    key_lines_of_enquiry="\n".join(current.key_lines_of_enquiry),
                    family_involvement=current.family_involvement,
                    parallel_processes=current.parallel_processes,
                    agreed_on=current.agreed_on,
                )
            form = TermsForm(initial=initial, agencies=agencies)
    return _page(
        request,
        "process_terms.html",
        review,
        "terms",
        terms=current,
        agencies=agencies,
        form=form,
    )


# Panel ----------------------------------------------------------------------------------------


def _invite_url(review: Review) -> str:
    # The invitation pages belong to the accounts app; until they exist there is no link.
    try:
        return reverse("accounts:invite") + "?" + urlencode({"review": review.reference})
    except NoReverseMatch:
        return ""


@login_required
def panel(request: HttpRequest, reference: str) -> HttpResponse:
    review = _fetch(
        request, reference, read=Cap.VIEW_PROCESS, write=Cap.MANAGE_MEMBERS, what="panel"
    )
    can_manage = _can(review, Cap.MANAGE_MEMBERS)
    form = None
    if can_manage:
        form = MemberAddForm(request.POST if request.method == "POST" else None, review=review)
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            if _call(
                form,
                services.member_add,
                review=review,
                by=request.user,
                user=data["user"],
                role=data["role"],
                agency=data["agency"],
            ):
                messages.success(
                    request,
                    _("%(name)s added as %(role)s")
                    % {
                        "name": data["user"].display_name,
                        "role": ReviewRole(data["role"]).label.lower(),
                    },
                )
                return redirect("reviews:panel", reference=review.reference)
    memberships = list(
        review.memberships.select_related("user", "user__organisation", "agency").order_by(
            "user__first_name", "user__last_name", "user__username"
        )
    )
    current = [m for m in memberships if m.ended_at is None]
    groups = [
        {
            "role": role,
            "heading": heading,
            "empty": empty,
            "members": [m for m in current if m.role == role],
        }
        for role, heading, empty in PANEL_GROUPS
    ]
    return _page(
        request,
        "process_panel.html",
        review,
        "panel",
        groups=groups,
        former=sorted(
            (m for m in memberships if m.ended_at is not None),
            key=lambda m: m.ended_at,
            reverse=True,
        ),
        can_manage=can_manage,
        form=form,
        invite_url=_invite_url(review) if can_manage else "",
    )


def _own_or_managed_membership(
    request: HttpRequest, reference: str, membership_id: int
) -> tuple[Review, Membership]:
    """A current membership the viewer may act on: their own, or anyone's for a coordinator."""
    review = review_get_for_user(
        user=request.user, reference=reference, need=Cap.VIEW, what="membership"
    )
    membership = get_object_or_404(
        Membership.objects.select_related("user", "agency"),
        pk=membership_id,
        review=review,
        ended_at__isnull=True,
    )
    if membership.user_id != request.user.pk and not _can(review, Cap.MANAGE_MEMBERS):
        raise PermissionDenied
    return review, membership


def _back_to_panel(review: Review) -> str:
    if _can(review, Cap.VIEW_PROCESS):
        return reverse("reviews:panel", args=[review.reference])
    return reverse("reviews:detail", args=[review.reference])


@login_required
def panel_independence(request: HttpRequest, reference: str, membership_id: int) -> HttpResponse:
    review, membership = _own_or_managed_membership(request, reference, membership_id)
    if request.method == "POST":
        form = IndependenceForm(request.POST)
        if form.is_valid() and _call(
            form,
            services.member_declare_independence,
            membership=membership,
            by=request.user,
            statement=form.cleaned_data["statement"],
            declared_on=form.cleaned_data["declared_on"],
        ):
            messages.success(
                request,
                _("Statement of independence recorded for %(name)s")
                % {"name": membership.user.display_name},
            )
            return redirect(_back_to_panel(review))
    else:
        initial = {}
        if membership.independence_statement:
            initial = {
                "statement": membership.independence_statement,
                "declared_on": membership.independence_declared_on,
            }
        form = IndependenceForm(initial=initial)
    return _page(
        request,
        "process_independence.html",
        review,
        "",
        membership=membership,
        own=membership.user_id == request.user.pk,
        form=form,
        back_url=_back_to_panel(review),
    )


@login_required
def panel_member_end(request: HttpRequest, reference: str, membership_id: int) -> HttpResponse:
    review = review_get_for_user(
        user=request.user, reference=reference, need=Cap.MANAGE_MEMBERS, what="membership"
    )
    membership = get_object_or_404(
        Membership.objects.select_related("user"),
        pk=membership_id,
        review=review,
        ended_at__isnull=True,
    )
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        services.member_end(membership=membership, by=request.user)
        messages.success(
            request,
            _("%(name)s is no longer %(role)s on this review")
            % {
                "name": membership.user.display_name,
                "role": membership.get_role_display().lower(),
            },
        )
        return redirect("reviews:panel", reference=review.reference)
    return _page(request, "process_member_end.html", review, "", membership=membership)


# Statutory clock, pauses, extensions and liaison ----------------------------------------------


@dataclass
class _ClockForms:
    pause: PauseForm
    extension: ExtensionForm
    liaison: LiaisonForm | None
    end: dict[int, PauseEndForm]

    def failed(self) -> forms.Form | None:
        candidates = [self.pause, self.extension, self.liaison, *self.end.values()]
        return next((f for f in candidates if f is not None and f.is_bound and f.errors), None)


def _clock_forms(review: Review, open_pauses: list[Pause], data: Any = None) -> _ClockForms:
    """The forms on the clock page; only the one the POST was for is bound to `data`."""
    action = data.get("action") if data is not None else None
    pause_id = data.get("pause") if data is not None else None

    def bind(name: str) -> Any:
        return data if action == name else None

    return _ClockForms(
        pause=PauseForm(bind("pause_add"), prefix="pause"),
        extension=ExtensionForm(bind("extension_add"), prefix="extension"),
        liaison=LiaisonForm(bind("liaison_add"), prefix="liaison")
        if _can(review, Cap.VIEW_LIAISON)
        else None,
        end={
            p.pk: PauseEndForm(
                data if action == "pause_end" and pause_id == str(p.pk) else None,
                prefix=f"end-{p.pk}",
            )
            for p in open_pauses
        },
    )


def _clock_post(request: HttpRequest, review: Review, f: _ClockForms) -> str | None:
    """Handle one form from the clock page: the success message ("" if there is nothing to
    say), or None when the form has errors to show."""
    action = request.POST.get("action")
    by = request.user
    if action == "pause_add" and f.pause.is_valid():
        if _call(f.pause, services.pause_add, review=review, by=by, **f.pause.cleaned_data):
            return _("Pause recorded")
    elif action == "pause_end":
        pause_id = request.POST.get("pause", "")
        pause = get_object_or_404(
            Pause, pk=int(pause_id) if pause_id.isdigit() else 0, review=review
        )
        form = f.end.get(pause.pk)
        if form is None:  # already ended: someone else got there first
            messages.info(request, _("That pause had already ended"))
            return ""
        if form.is_valid() and _call(
            form, services.pause_end, pause=pause, by=by, end=form.cleaned_data["end"]
        ):
            return _("Pause ended")
    elif action == "extension_add" and f.extension.is_valid():
        if _call(
            f.extension, services.extension_add, review=review, by=by, **f.extension.cleaned_data
        ):
            return _("Extension recorded")
    elif action == "liaison_add":
        if f.liaison is None:  # liaison is hidden from those without Cap.VIEW_LIAISON
            raise PermissionDenied
        if f.liaison.is_valid() and _call(
            f.liaison, services.liaison_add, review=review, by=by, **f.liaison.cleaned_data
        ):
            return _("Liaison recorded")
    return None


def _duration(months: int, days: int) -> str:
    """A length of time in words: "2 months and 14 days", "1 month", "10 days"."""
    month_text = ngettext("%(n)d month", "%(n)d months", months) % {"n": months}
    day_text = ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    if months and days:
        return _("%(months)s and %(days)s") % {"months": month_text, "days": day_text}
    return month_text if months else day_text


def _extension_total(extensions: list[Any]) -> str:
    if not extensions:
        return ""
    length = _duration(sum(e.months for e in extensions), sum(e.days for e in extensions))
    return ngettext(
        "%(length)s in total (%(count)d extension)",
        "%(length)s in total (%(count)d extensions)",
        len(extensions),
    ) % {"length": length, "count": len(extensions)}


@login_required
def clock(request: HttpRequest, reference: str) -> HttpResponse:
    review = _fetch(request, reference, read=Cap.VIEW_PROCESS, write=Cap.EDIT_PROCESS, what="clock")
    pauses = list(review.pauses.all())
    ongoing = [p for p in pauses if p.end is None]
    can_edit = _can(review, Cap.EDIT_PROCESS)
    form_set = _clock_forms(review, ongoing, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        done = _clock_post(request, review, form_set)
        if done is not None:
            if done:
                messages.success(request, done)
            return redirect("reviews:clock", reference=review.reference)
    the_clock = review_clock(review=review)
    decision = review.decision
    extensions = list(review.extensions.all())
    for extension in extensions:
        extension.length = _duration(extension.months, extension.days)  # type: ignore[attr-defined]
    return _page(
        request,
        "process_clock.html",
        review,
        "clock",
        clock=the_clock,
        decision=decision,
        not_held=decision is not None and decision.outcome == Decision.Outcome.NOT_HOLD,
        decision_status=CLOCK_STATUS.get(the_clock.decision_status),
        completion_status=CLOCK_STATUS.get(the_clock.completion_status or ""),
        next_status=CLOCK_STATUS.get(the_clock.next_status),
        pauses=pauses,
        ongoing=[(p, form_set.end[p.pk]) for p in ongoing],
        extensions=extensions,
        extension_total=_extension_total(extensions),
        liaison=list(review.liaison.all()) if _can(review, Cap.VIEW_LIAISON) else None,
        forms=form_set,
        failed=form_set.failed(),
        can_edit=can_edit,
    )


# Family involvement ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _FamilyMilestone:
    first: FamilyContact | None

    @property
    def done(self) -> bool:
        return self.first is not None


def _family_summary(contacts: list[FamilyContact]) -> dict[str, _FamilyMilestone]:
    """For each milestone, the first contact in the log that recorded it."""
    oldest_first = sorted(contacts, key=lambda c: (c.date, c.pk))

    def first(flag: str) -> _FamilyMilestone:
        return _FamilyMilestone(next((c for c in oldest_first if getattr(c, flag)), None))

    return {
        "advocacy": first("advocacy_offered"),
        "pseudonym": first("pseudonym_agreed"),
        "draft": first("draft_shared"),
    }


@login_required
def family(request: HttpRequest, reference: str) -> HttpResponse:
    review = _fetch(
        request, reference, read=Cap.VIEW_FAMILY, write=Cap.EDIT_FAMILY, what="family involvement"
    )
    real_names = _can(review, Cap.VIEW_REAL_NAMES)
    form = None
    if _can(review, Cap.EDIT_FAMILY):
        form = FamilyContactForm(
            request.POST if request.method == "POST" else None,
            people=review.people.all(),
            show_real_names=real_names,
        )
        if form.is_bound and form.is_valid():
            if _call(
                form,
                services.family_contact_add,
                review=review,
                by=request.user,
                **form.cleaned_data,
            ):
                messages.success(request, _("Family contact recorded"))
                return redirect("reviews:family", reference=review.reference)
    contacts = list(review.family_contacts.select_related("person", "recorded_by"))
    for contact in contacts:
        contact.with_label = (  # type: ignore[attr-defined]
            person_label(contact.person, show_real_names=real_names)
            if contact.person
            else contact.contact_with
        )
    return _page(
        request,
        "process_family.html",
        review,
        "family",
        contacts=contacts,
        summary=_family_summary(contacts),
        form=form,
    )


# Meetings -------------------------------------------------------------------------------------


@login_required
def meetings(request: HttpRequest, reference: str) -> HttpResponse:
    review = _fetch(
        request, reference, read=Cap.VIEW_PROCESS, write=Cap.EDIT_PROCESS, what="meetings"
    )
    form = None
    if _can(review, Cap.EDIT_PROCESS):
        form = MeetingForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            if _call(
                form,
                services.meeting_add,
                review=review,
                by=request.user,
                actions=form.actions(),
                **form.meeting_fields(),
            ):
                messages.success(request, _("Meeting recorded"))
                return redirect("reviews:meetings", reference=review.reference)
    rows = list(review.meetings.prefetch_related("actions"))
    for meeting in rows:
        actions = list(meeting.actions.all())
        meeting.action_count = len(actions)  # type: ignore[attr-defined]
        meeting.open_count = sum(1 for a in actions if a.done_on is None)  # type: ignore[attr-defined]
    return _page(request, "process_meetings.html", review, "meetings", meetings=rows, form=form)


def _meeting_page(
    request: HttpRequest, review: Review, meeting: Meeting, bound: ActionDoneForm | None = None
) -> HttpResponse:
    can_edit = _can(review, Cap.EDIT_PROCESS)
    actions = []
    for action in meeting.actions.order_by(F("due_on").asc(nulls_last=True), "id"):
        form = None
        if can_edit and action.done_on is None:
            if bound is not None and bound.prefix == f"done-{action.pk}":
                form = bound
            else:
                form = ActionDoneForm(prefix=f"done-{action.pk}")
        actions.append((action, form))
    return _page(
        request,
        "process_meeting_detail.html",
        review,
        "",
        meeting=meeting,
        actions=actions,
        failed=bound if bound is not None and bound.errors else None,
        can_edit=can_edit,
    )


@login_required
def meeting_detail(request: HttpRequest, reference: str, meeting_id: int) -> HttpResponse:
    review = review_get_for_user(
        user=request.user, reference=reference, need=Cap.VIEW_PROCESS, what="meeting"
    )
    meeting = get_object_or_404(Meeting, pk=meeting_id, review=review)
    return _meeting_page(request, review, meeting)


@login_required
def meeting_action_done(
    request: HttpRequest, reference: str, meeting_id: int, action_id: int
) -> HttpResponse:
    review = review_get_for_user(
        user=request.user, reference=reference, need=Cap.EDIT_PROCESS, what="meeting"
    )
    meeting = get_object_or_404(Meeting, pk=meeting_id, review=review)
    if request.method != "POST":
        return redirect("reviews:meeting_detail", reference=review.reference, meeting_id=meeting.pk)
    action = get_object_or_404(
        MeetingAction.objects.select_related("meeting__review"), pk=action_id, meeting=meeting
    )
    form = ActionDoneForm(request.POST, prefix=f"done-{action.pk}")
    if form.is_valid() and _call(
        form,
        services.meeting_action_complete,
        action=action,
        by=request.user,
        done_on=form.cleaned_data["done_on"],
    ):
        messages.success(request, _("Action marked as done"))
        return redirect("reviews:meeting_detail", reference=review.reference, meeting_id=meeting.pk)
    return _meeting_page(request, review, meeting, bound=form)


__all__ = [
    "clock",
    "family",
    "meeting_action_done",
    "meeting_detail",
    "meetings",
    "panel",
    "panel_independence",
    "panel_member_end",
    "terms",
]
