"""Reminders to action owners before and after target dates, and to coordinators about
overdue actions. Run daily by the `send_action_reminders` task or `lantern actions remind`.

Who is an owner: the lead officer, if their email is recorded; otherwise the agency authors of
the lead agency on that review. An email names the review by its reference, the recommendation
by its number, and the action (with the names of the people in the review taken out); never the
review's title, which may carry a pseudonym, and never a person's name. Each reminder is kept
in `ReminderSent`, so none is sent twice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lantern.accounts.models import ReviewRole
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.recommendations.models import OPEN_STATUSES, Action, ReminderSent
from lantern.recommendations.rules import reminders as stages_rules
from lantern.recommendations.selectors import plan_actions, scrub_names
from lantern.reviews.models import Membership, Person, Review, Stage
from lantern.reviews.services import coordinators_of


def _config() -> dict[str, Any]:
    return settings.LANTERN["REMINDERS"]


@dataclass
class Reminder:
    """One email: to one recipient, about one or more actions (a coordinator's digest)."""

    audience: str
    recipient: str
    stage: str
    actions: list[Action]
    subject: str
    body: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "audience": self.audience,
            "recipient": self.recipient,
            "stage": self.stage,
            "actions": [
                {
                    "review": a.recommendation.review.reference,
                    "recommendation": a.recommendation.number,
                    "action": a.label,
                    "target_date": a.target_date.isoformat() if a.target_date else None,
                }
                for a in self.actions
            ],
            "subject": self.subject,
        }


@dataclass
class ReminderReport:
    as_of: date
    dry_run: bool
    reminders: list[Reminder] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "dry_run": self.dry_run,
            "sent": 0 if self.dry_run else len(self.reminders),
            "reminders": [r.as_dict() for r in self.reminders],
            "failed": self.failed,
        }


def owner_emails(action: Action) -> list[str]:
    """The lead officer's email if recorded, else the lead agency's agency authors'."""
    if action.lead_officer_email:
        return [action.lead_officer_email.lower()]
    if not action.lead_agency_id:
        return []
    emails = (
        Membership.objects.filter(
            review_id=action.recommendation.review_id,
            role=ReviewRole.AGENCY_AUTHOR,
            agency_id=action.lead_agency_id,
            ended_at__isnull=True,
            user__is_active=True,
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted({e.lower() for e in emails})


def _names(review_ids: set[int]) -> dict[int, list[str]]:
    """Every name of every person in these reviews (real names, pseudonyms, aliases, and their
    parts), longest first, to be taken out of anything emailed."""
    found: dict[int, set[str]] = defaultdict(set)
    for person in Person.objects.filter(review_id__in=review_ids):
        for value in [person.real_name, person.pseudonym, *(person.aliases or [])]:
            value = (value or "").strip()
            if value:
                found[person.review_id].add(value)
                found[person.review_id].update(p for p in value.split() if len(p) >= 3)
    for review in Review.objects.filter(pk__in=review_ids).exclude(pseudonym=""):
        found[review.pk].add(review.pseudonym)
    return {k: sorted(v, key=len, reverse=True) for k, v in found.items()}


def _link(action: Action) -> str:
    path = reverse(
        "recommendations:action_detail",
        kwargs={"reference": action.recommendation.review.reference, "action_id": action.pk},
    )
    return f"{_config()['base_url']}{path}"


def _day(value: date | None) -> str:
    return date_format(value, "j F Y") if value else ""


def _action_lines(action: Action, names: list[str], as_of: date) -> list[str]:
    review = action.recommendation.review
    due = _day(action.target_date)
    if action.is_overdue(as_of):
        due = _("%(date)s (overdue by %(days)d days)") % {
            "date": due,
            "days": action.days_overdue(as_of),
        }
    return [
        _("Review: %(reference)s") % {"reference": review.reference},
        _("Recommendation: %(number)s") % {"number": action.recommendation.number},
        _("Action %(label)s: %(text)s")
        % {"label": action.label, "text": scrub_names(action.description, names)},
        _("Lead agency: %(lead)s") % {"lead": action.lead or _("not recorded")},
        _("Target date: %(date)s") % {"date": due},
        _("Status: %(status)s") % {"status": action.get_status_display()},
        _("Record progress: %(link)s") % {"link": _link(action)},
    ]


def _owner_reminder(
    action: Action, recipient: str, stage: str, names: list[str], as_of: date
) -> Reminder:
    review = action.recommendation.review
    words = {"label": action.label, "reference": review.reference}
    if stages_rules.is_overdue_stage(stage):
        subject = _("Lantern: action %(label)s on %(reference)s is overdue") % words
        opening = _("An action in a review's action plan has passed its target date.")
    else:
        subject = _("Lantern: action %(label)s on %(reference)s is due on %(date)s") % {
            **words,
            "date": _day(action.target_date),
        }
        opening = _("An action in a review's action plan is coming up to its target date.")
    body = "\n".join(
        [
            _("Hello,"),
            "",
            opening,
            "",
            *_action_lines(action, names, as_of),
            "",
            _(
                "You receive this as the action's lead officer, or as an agency author for the "
                "lead agency on this review. Sign in to Lantern to record progress or evidence."
            ),
        ]
    )
    return Reminder("owner", recipient, stage, [action], subject, body + "\n")


def _coordinator_reminder(
    recipient: str, actions: list[Action], names: dict[int, list[str]], as_of: date
) -> Reminder:
    references = sorted({a.recommendation.review.reference for a in actions})
    subject = _("Lantern: %(count)d action(s) newly overdue on %(references)s") % {
        "count": len(actions),
        "references": ", ".join(references),
    }
    lines = [_("Hello,"), "", _("These actions have passed their target dates:"), ""]
    for action in actions:
        lines += _action_lines(action, names.get(action.recommendation.review_id, []), as_of)
        lines.append("")
    lines.append(_("You receive this as a review coordinator for the partnership."))
    return Reminder("coordinator", recipient, "overdue", actions, subject, "\n".join(lines) + "\n")


def _already(
    sent: dict[tuple[int, str, str], list[tuple[str, date]]],
    action: Action,
    audience: str,
    recipient: str,
    stage: str,
) -> bool:
    """Sent already: this stage, or a later one, for the same target date."""
    config = _config()
    rank = stages_rules.stage_rank(
        stage, before_days=config["before_days"], after_days=config["after_days"]
    )
    for sent_stage, target in sent.get((action.pk, audience, recipient), []):
        if target != action.target_date:
            continue
        if audience == ReminderSent.Audience.COORDINATOR or sent_stage == stage:
            return True
        sent_rank = stages_rules.stage_rank(
            sent_stage, before_days=config["before_days"], after_days=config["after_days"]
        )
        if sent_rank >= rank:
            return True
    return False


def reminders_due(*, as_of: date, reviews: Any = None) -> list[Reminder]:
    """The reminders due on `as_of` that have not been sent, for reviews being monitored."""
    config = _config()
    if reviews is None:
        reviews = Review.objects.all()
    monitored = reviews.filter(monitoring_started_on__isnull=False).exclude(stage=Stage.CLOSED)
    actions = list(
        plan_actions(reviews=monitored)
        .filter(status__in=OPEN_STATUSES, target_date__isnull=False)
        .select_related("recommendation__review__csp")
    )
    if not actions:
        return []
    sent: dict[tuple[int, str, str], list[tuple[str, date]]] = defaultdict(list)
    for row in ReminderSent.objects.filter(action__in=actions).values_list(
        "action_id", "audience", "recipient", "stage", "target_date"
    ):
        sent[(row[0], row[1], row[2])].append((row[3], row[4]))
    names = _names({a.recommendation.review_id for a in actions})
    reminders: list[Reminder] = []
    digests: dict[str, list[Action]] = defaultdict(list)
    for action in actions:
        stage = stages_rules.stage_reached(
            target=action.target_date,
            as_of=as_of,
            before_days=config["before_days"],
            after_days=config["after_days"],
        )
        if stage is None:
            continue
        review = action.recommendation.review
        for recipient in owner_emails(action):
            if not _already(sent, action, "owner", recipient, stage):
                reminders.append(
                    _owner_reminder(action, recipient, stage, names.get(review.pk, []), as_of)
                )
        if stages_rules.is_overdue_stage(stage):
            for coordinator in coordinators_of(review.csp):
                email = (coordinator.email or "").lower()
                if email and not _already(sent, action, "coordinator", email, "overdue"):
                    digests[email].append(action)
    for email in sorted(digests):
        reminders.append(_coordinator_reminder(email, digests[email], names, as_of))
    return reminders


def reminders_send(
    *, as_of: date, by: Any, dry_run: bool = False, reviews: Any = None
) -> ReminderReport:
    """Send the reminders due on `as_of` (or, with `dry_run`, only list them)."""
    report = ReminderReport(as_of=as_of, dry_run=dry_run)
    report.reminders = reminders_due(as_of=as_of, reviews=reviews)
    if dry_run or not report.reminders:
        return report
    connection = get_connection()
    delivered = []
    for reminder in report.reminders:
        message = EmailMessage(
            subject=reminder.subject,
            body=reminder.body,
            to=[reminder.recipient],
            connection=connection,
        )
        try:
            message.send()
        except Exception as error:  # noqa: BLE001 - one address failing must not stop the rest
            report.failed.append(f"{reminder.recipient}: {error}")
            continue
        delivered.append(reminder)
        for action in reminder.actions:
            ReminderSent.objects.get_or_create(
                action=action,
                audience=reminder.audience,
                stage=reminder.stage,
                target_date=action.target_date,
                recipient=reminder.recipient,
            )
            audit_record(
                action=AuditEvent.Action.CREATE,
                by=by,
                review=action.recommendation.review,
                object_type="action reminder",
                object_id=str(action.pk),
                summary=f"Reminder ({reminder.stage}) about action {action.label} "
                f"emailed to {reminder.recipient}",
            )
    report.reminders = delivered
    return report
