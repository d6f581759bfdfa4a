"""Reads about agencies' returns and IMRs: where each return stands, what is overdue, and which
agencies' returns and IMRs a viewer may see (the rule lives in `chronology.selectors`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from lantern.accounts.models import Organisation
from lantern.chronology.models import IMR, AgencyReturn
from lantern.chronology.selectors import agency_ids_visible
from lantern.reviews import clock
from lantern.reviews.access import Cap, cached_capabilities, capabilities, reviews_visible_to
from lantern.reviews.models import STAGES_BEFORE_DECISION, STAGES_IN_PROGRESS, Review

# The three things an agency returns, in the order the review asks for them.
ITEMS = ("answer", "chronology", "imr")

# Status of one item: what the page's tags and the API say.
NOT_ASKED = "not_asked"
ON_TRACK = "on_track"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
RECEIVED = "received"
RECEIVED_LATE = "received_late"

STATUS_ORDER = {OVERDUE: 0, DUE_SOON: 1, ON_TRACK: 2, RECEIVED_LATE: 3, RECEIVED: 4, NOT_ASKED: 5}


def return_due_soon_days() -> int:
    """How many days before a return's due date it counts as "due soon" (*configurable*).

    Shorter than the review's own warning window: a return is due 15 working days after the
    request, so a two-week warning would mark every return due soon the day it is asked for.
    """
    return int(settings.LANTERN.get("RETURN_DUE_SOON_DAYS", 5))


def return_working_days() -> int:
    return int(settings.LANTERN["TIMESCALES"]["agency_return_working_days"])


def return_due_date(start: date) -> date:
    """The default due date of a request sent on `start`: N working days later, skipping
    weekends and England and Wales bank holidays."""
    return clock.add_working_days(
        start, return_working_days(), clock.england_and_wales_bank_holidays()
    )


@dataclass(frozen=True)
class ItemStatus:
    item: str  # answer | chronology | imr
    status: str
    asked_on: date | None
    due_on: date | None
    done_on: date | None

    @property
    def is_overdue(self) -> bool:
        return self.status == OVERDUE


@dataclass(frozen=True)
class ReturnStatus:
    answer: ItemStatus
    chronology: ItemStatus
    imr: ItemStatus

    @property
    def items(self) -> tuple[ItemStatus, ...]:
        return (self.answer, self.chronology, self.imr)

    @property
    def overall(self) -> str:
        """The most pressing status among the items that were asked for."""
        asked = [i.status for i in self.items if i.status != NOT_ASKED]
        if not asked:
            return NOT_ASKED
        return min(asked, key=lambda s: STATUS_ORDER[s])

    @property
    def overdue(self) -> tuple[ItemStatus, ...]:
        return tuple(i for i in self.items if i.status == OVERDUE)


def _item(
    item: str, *, asked: date | None, due: date | None, done: date | None, today: date
) -> ItemStatus:
    if done is not None:
        status = RECEIVED_LATE if due is not None and done > due else RECEIVED
    elif asked is None and due is None:
        status = NOT_ASKED
    elif due is None:
        status = ON_TRACK
    else:
        status = clock.deadline_status(due=due, today=today, due_soon_days=return_due_soon_days())
    return ItemStatus(item=item, status=status, asked_on=asked, due_on=due, done_on=done)


def return_status(agency_return: AgencyReturn, today: date) -> ReturnStatus:
    """Where one agency's return stands on `today`: the contact question, the chronology and
    the IMR (or summary), each not asked, on track, due soon, overdue, or received."""
    r = agency_return
    answer = _item(
        "answer",
        asked=r.asked_on,
        due=r.answer_due_on,
        done=r.answered_on if r.answer else None,
        today=today,
    )
    chronology = _item(
        "chronology",
        asked=r.chronology_requested_on,
        due=r.chronology_due_on,
        done=r.chronology_received_on,
        today=today,
    )
    imr = _item(
        "imr", asked=r.imr_requested_on, due=r.imr_due_on, done=r.imr_received_on, today=today
    )
    return ReturnStatus(answer=answer, chronology=chronology, imr=imr)


# --- one review --------------------------------------------------------------------------------


@dataclass
class ReturnRow:
    """One agency's line on the returns page: its return (None before it is asked anything)."""

    agency: Organisation
    agency_return: AgencyReturn | None
    status: ReturnStatus | None
    chasers: list[Any]
    can_answer: bool = False


def _visible(qs: QuerySet, *, user: Any, review: Review, field: str = "agency_id") -> QuerySet:
    ids = agency_ids_visible(user=user, review=review)
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


def returns_for_review(*, user: Any, review: Review) -> QuerySet[AgencyReturn]:
    """The agency returns `user` may see on `review` (every agency for coordinator, chair and
    author; their own agency for an agency author; shared and their own for a panel member)."""
    qs = AgencyReturn.objects.filter(review=review).select_related("agency")
    return _visible(qs, user=user, review=review).prefetch_related("chasers")


def agencies_on_review(*, user: Any, review: Review) -> list[Organisation]:
    """Agencies on the review (in scope, or already asked something) that `user` may see."""
    ids = set(
        review.agencies.filter(in_scope=True).values_list("organisation_id", flat=True)
    ) | set(AgencyReturn.objects.filter(review=review).values_list("agency_id", flat=True))
    visible = agency_ids_visible(user=user, review=review)
    if visible is not None:
        ids &= visible
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def return_rows(*, user: Any, review: Review, today: date) -> list[ReturnRow]:
    """One row per agency `user` may see, the most pressing first (then by name)."""
    from lantern.chronology.selectors import can_edit_agency

    caps = cached_capabilities(user=user, review=review)
    returns = {r.agency_id: r for r in returns_for_review(user=user, review=review)}
    rows = []
    for agency in agencies_on_review(user=user, review=review):
        agency_return = returns.get(agency.pk)
        rows.append(
            ReturnRow(
                agency=agency,
                agency_return=agency_return,
                status=return_status(agency_return, today) if agency_return else None,
                chasers=list(agency_return.chasers.all()) if agency_return else [],
                can_answer=Cap.EDIT_OWN_AGENCY_MATERIAL in caps
                and can_edit_agency(user=user, review=review, agency_id=agency.pk),
            )
        )
    # Most pressing first: overdue, due soon, awaited, received, then agencies not yet asked.
    rows.sort(key=lambda row: STATUS_ORDER[row.status.overall if row.status else NOT_ASKED])
    return rows


def agency_visible(*, user: Any, review: Review, agency_id: int) -> bool:
    """Whether `agency_id` is on the review and its material is visible to `user`."""
    ids = agency_ids_visible(user=user, review=review)
    if ids is not None and agency_id not in ids:
        return False
    return (
        review.agencies.filter(organisation_id=agency_id).exists()
        or AgencyReturn.objects.filter(review=review, agency_id=agency_id).exists()
    )


def imrs_for_review(*, user: Any, review: Review) -> QuerySet[IMR]:
    qs = IMR.objects.filter(review=review).select_related("agency")
    return _visible(qs, user=user, review=review)


# --- across reviews: the dashboard -------------------------------------------------------------


@dataclass(frozen=True)
class OverdueReturn:
    review: Review
    agency: Organisation
    item: str  # answer | chronology | imr
    kind: str  # for an IMR: imr | summary
    due_on: date
    last_chased_on: date | None
    as_of: date

    @property
    def days_overdue(self) -> int:
        return (self.as_of - self.due_on).days


_OVERDUE_FILTER = {
    "answer": lambda today: Q(answer="", answer_due_on__lt=today),
    "chronology": lambda today: Q(chronology_received_on__isnull=True, chronology_due_on__lt=today),
    "imr": lambda today: Q(imr_received_on__isnull=True, imr_due_on__lt=today),
}


def returns_overdue(*, user: Any, today: date) -> list[OverdueReturn]:
    """Every overdue item of every agency return on the open reviews `user` can see, oldest
    due date first, limited to the agencies whose material the user may see on each review."""
    condition = Q()
    for make in _OVERDUE_FILTER.values():
        condition |= make(today)
    reviews = reviews_visible_to(user=user).filter(
        stage__in=STAGES_BEFORE_DECISION | STAGES_IN_PROGRESS
    )
    candidates = (
        AgencyReturn.objects.filter(review__in=reviews)
        .filter(condition)
        .select_related("review", "agency")
        .prefetch_related("chasers")
    )
    visible_by_review: dict[int, set[int] | None | bool] = {}
    rows: list[OverdueReturn] = []
    for r in candidates:
        if r.review_id not in visible_by_review:
            caps = capabilities(user=user, review=r.review)
            if Cap.VIEW_CHRONOLOGY not in caps:
                visible_by_review[r.review_id] = False
            else:
                r.review.viewer_caps = caps  # type: ignore[attr-defined]
                r.review.viewer_caps_for = user.pk  # type: ignore[attr-defined]
                visible_by_review[r.review_id] = agency_ids_visible(user=user, review=r.review)
        visible = visible_by_review[r.review_id]
        if visible is False or (visible is not None and r.agency_id not in visible):
            continue
        status = return_status(r, today)
        for item in status.overdue:
            chased = [c.sent_on for c in r.chasers.all() if c.about == item.item]
            rows.append(
                OverdueReturn(
                    review=r.review,
                    agency=r.agency,
                    item=item.item,
                    kind=r.imr_kind or "imr",
                    due_on=item.due_on,  # type: ignore[arg-type]
                    last_chased_on=max(chased) if chased else None,
                    as_of=today,
                )
            )
    rows.sort(key=lambda row: (row.due_on, row.review.reference, row.agency.name))
    return rows
