"""Recommendations, their SMART actions, every change to them, their evidence, and reminders.

A review's recommendations (overarching or single-agency) each have one or more actions; an
action is monitored from CSP sign-off until it is closed (complete, not achieved or superseded)
and signed off by the coordinator. Nothing is deleted along the way: each change is a
`PlanChange` with who and when, so a recommendation can be followed to the evidence that
closed it.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantern.accounts.models import Organisation
from lantern.core.fields import EncryptedBinaryField
from lantern.recommendations.rules import status as status_rules
from lantern.recommendations.rules.smart import ActionFacts, SmartFlag, smart_flags


class Kind(models.TextChoices):
    OVERARCHING = "overarching", _("Overarching")
    SINGLE_AGENCY = "single_agency", _("Single agency")


class Scope(models.TextChoices):
    SINGLE_AGENCY = "single_agency", _("Single agency")
    LOCAL = "local", _("Local")
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")


class Theme(models.TextChoices):
    """DOMAIN.md section 6: the recommendation themes of the Home Office DHR Library."""

    TECHNOLOGY_SYSTEMS = "technology_systems", _("Technology/systems")
    IDENTIFICATION_OF_RISK = "identification_of_risk", _("Identification of risk")
    TRAINING = "training", _("Training")
    POLICY = "policy", _("Policy")
    MULTI_AGENCY_WORKING = "multi_agency_working", _("Multi-agency working")
    RECORD_KEEPING = "record_keeping", _("Record keeping")
    AWARENESS_RAISING = "awareness_raising", _("Awareness raising")


class Addressee(models.TextChoices):
    """DOMAIN.md section 6: whom a recommendation is addressed to."""

    POLICE = "police", _("Police")
    SOCIAL_SERVICES = "social_services", _("Social services")
    HEALTH = "health", _("Health")
    IDVA_DA_SERVICE = "idva_da_service", _("IDVA/DA service")
    PROBATION = "probation", _("Probation")
    HOUSING = "housing", _("Housing")
    SCHOOL = "school", _("School")
    EMPLOYER = "employer", _("Employer")
    EDUCATION = "education", _("Education")
    FAITH_BODY = "faith_body", _("Faith body")
    MILITARY = "military", _("Military")
    CSP = "csp", _("CSP")
    NATIONAL_GOVERNMENT = "national_government", _("National government")


class Source(models.TextChoices):
    PANEL = "panel", _("Review panel")
    IMR = "imr", _("IMR")


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETE = "complete", _("Complete")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")
    SUPERSEDED = "superseded", _("Superseded")


OPEN_STATUSES = status_rules.OPEN_STATUSES
CLOSED_STATUSES = status_rules.CLOSED_STATUSES

# The SMART check's findings in words a reader's language has (the rule itself is plain Python).
SMART_MESSAGES = {
    "not_specific": _("Not specific: say what will be done, by whom, in a few words more."),
    "no_owner": _("No owner: name the lead agency or the lead officer."),
    "no_date": _("No target date."),
    "no_measure": _("No measurable outcome: add how success will be measured, or milestones."),
}


class Recommendation(models.Model):
    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.CharField(
        _("number"), max_length=20, help_text=_("As the plan numbers it: 1, 2, SA1, SA2")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("recommendation"))
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    addressee = models.CharField(
        _("addressee"), max_length=30, choices=Addressee.choices, blank=True
    )
    addressed_to = models.CharField(
        _("addressed to"),
        max_length=200,
        blank=True,
        help_text=_("The agency or body, for example the Home Office"),
    )
    addressed_agency = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finding = models.TextField(_("finding it answers"), blank=True)
    themes = models.JSONField(_("themes"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default="panel")
    source_agency = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For a recommendation from an IMR: the agency whose IMR made it"),
    )
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="recommendation_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.review.reference} {self.number}"

    @property
    def theme_labels(self) -> list[str]:
        return [str(Theme(t).label) for t in self.themes if t in Theme.values]

    @property
    def source_label(self) -> str:
        if self.source == Source.IMR and self.source_agency_id:
            return f"{Source.IMR.label} ({self.source_agency.name})"
        return str(self.get_source_display())


class Action(models.Model):
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="actions"
    )
    position = models.PositiveIntegerField(default=0)
    description = models.TextField(_("action to take"))
    lead_agency = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # As the plan names it: kept even when it matches no organisation in Lantern ("All agencies").
    lead_agency_name = models.CharField(_("lead agency"), max_length=200, blank=True)
    lead_officer = models.CharField(_("lead officer"), max_length=200, blank=True)
    lead_officer_email = models.EmailField(_("lead officer's email"), blank=True)
    milestones = models.TextField(_("key milestones"), blank=True)
    outcome_measure = models.TextField(_("measurable outcome"), blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    target_date_note = models.CharField(
        _("target date note"), max_length=100, blank=True, help_text=_("For example “Ongoing”")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    completed_on = models.DateField(_("date of completion"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True, editable=False)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recommendation__position", "recommendation_id", "position", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def review(self):  # noqa: ANN201
        return self.recommendation.review

    @property
    def label(self) -> str:
        """ "SA3.2": the recommendation's number and the action's place under it."""
        return f"{self.recommendation.number}.{self.position}"

    @property
    def lead(self) -> str:
        if self.lead_agency_name:
            return self.lead_agency_name
        return self.lead_agency.name if self.lead_agency_id else ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None

    def is_overdue(self, as_of: date) -> bool:
        return status_rules.is_overdue(
            status=self.status, target_date=self.target_date, as_of=as_of
        )

    def days_overdue(self, as_of: date) -> int:
        return status_rules.days_overdue(target_date=self.target_date, as_of=as_of)

    @property
    def smart_flags(self) -> list[SmartFlag]:
        flags = smart_flags(
            ActionFacts(
                description=self.description,
                lead_agency=self.lead,
                lead_officer=self.lead_officer,
                target_date=self.target_date,
                outcome_measure=self.outcome_measure,
                milestones=self.milestones,
            )
        )
        return [SmartFlag(f.code, str(SMART_MESSAGES.get(f.code, f.message))) for f in flags]


class PlanChange(models.Model):
    """One change to the plan, kept for good: who, when, what changed (old and new)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        IMPORTED = "imported", _("Imported")
        EDITED = "edited", _("Edited")
        PROGRESS = "progress", _("Progress update")
        EVIDENCE = "evidence", _("Evidence added")
        SIGNED_OFF = "signed_off", _("Signed off")
        SIGN_OFF_WITHDRAWN = "sign_off_withdrawn", _("Sign-off withdrawn")
        REMOVED = "removed", _("Removed")

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="+")
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes"
    )
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes"
    )
    subject = models.CharField(max_length=50, help_text=_("“SA3” or “SA3.2”, kept if removed"))
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_label = models.CharField(max_length=200)
    note = models.TextField(blank=True)
    changes = models.JSONField(default=dict, blank=True, help_text="field -> [old, new]")

    class Meta:
        ordering = ["-at", "-id"]


class Evidence(models.Model):
    """Evidence that an action was done: a note, a file, or both. Files are kept in the
    database, behind the same access checks as the plan (never a public media URL)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="evidence")
    note = models.TextField(_("note"), blank=True)
    filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    content = EncryptedBinaryField(null=True, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["added_at", "id"]


class ReminderSent(models.Model):
    """A reminder that went out, so that the same one is never sent twice."""

    class Audience(models.TextChoices):
        OWNER = "owner", _("Action owner")
        COORDINATOR = "coordinator", _("Coordinator")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reminders")
    audience = models.CharField(max_length=20, choices=Audience.choices)
    stage = models.CharField(max_length=20)
    target_date = models.DateField()
    recipient = models.EmailField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "audience", "stage", "target_date", "recipient"],
                name="reminder_once",
            )
        ]
