"""The authored report's life, Home Office QA, publication and dissemination.

The author's drafts of the overview report and executive summary are uploaded as versions, one
of each marked final; a version is circulated to agencies and panel members for factual-accuracy
comments (kept per agency, each with the author's response); the family's reading of the draft
and the CSP's sign-off are recorded. The submission pack goes to the Home Office QA panel in
rounds, each with its feedback letter, outcome and required changes. At publication the final
files are frozen (`PublishedFile`: bytes and sha256 that can never be changed or deleted), and the
7-minute briefing goes to partner agencies as a frozen copy (`BriefingSend`), each agency
acknowledging it and recording how the learning was used.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantern.accounts.models import Organisation
from lantern.core.fields import EncryptedBinaryField


class DraftKind(models.TextChoices):
    OVERVIEW_REPORT = "overview_report", _("Overview report")
    EXECUTIVE_SUMMARY = "executive_summary", _("Executive summary")
    APPENDIX = "appendix", _("Appendix")


# The documents a review cannot be submitted or published without.
REQUIRED_KINDS = (DraftKind.OVERVIEW_REPORT, DraftKind.EXECUTIVE_SUMMARY)


class QaOutcome(models.TextChoices):
    """The outcome of the Home Office QA panel's feedback letter (the codes Review.qa_outcome
    keeps, so that recording it here moves the review's stage through `reviews`)."""

    PUBLISH = "publish", _("Publish")
    PUBLISH_AFTER_CHANGES = "publish_after_changes", _("Publish after changes")
    RESUBMIT = "resubmit", _("Resubmit")


class Response(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")


class FrozenError(ValidationError):
    """Raised on any attempt to change or delete a record frozen at publication or sending."""


FROZEN_MESSAGE = _(
    "This is a frozen copy of what was published or sent: it cannot be changed or deleted."
)


class FrozenQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise FrozenError(FROZEN_MESSAGE)

    def delete(self) -> Any:
        raise FrozenError(FROZEN_MESSAGE)

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise FrozenError(FROZEN_MESSAGE)


class FrozenModel(models.Model):
    """Written once, then never changed or deleted, through any path Django offers."""

    objects = FrozenQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and type(self).objects.filter(pk=self.pk).exists():
            raise FrozenError(FROZEN_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise FrozenError(FROZEN_MESSAGE)


def _user_fk(**kwargs: Any) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        **kwargs,
    )


class DraftVersion(models.Model):
    """One uploaded version of one of the author's documents (DOCX or PDF, type read from the
    bytes). One version of each kind may be marked final: that is what is checked, submitted
    and published, never the generated skeleton."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="draft_versions"
    )
    kind = models.CharField(_("document"), max_length=30, choices=DraftKind.choices)
    version = models.PositiveIntegerField()
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    content = EncryptedBinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    note = models.TextField(_("note"), blank=True)
    is_final = models.BooleanField(default=False)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = _user_fk()
    uploaded_by_label = models.CharField(max_length=200)

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "kind", "version"], name="publishing_one_version_number"
            ),
            models.UniqueConstraint(
                fields=["review", "kind"],
                condition=models.Q(is_final=True),
                name="publishing_one_final_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    @property
    def format(self) -> str:
        return "pdf" if self.content_type == "application/pdf" else "docx"


class Circulation(models.Model):
    """A version sent for factual-accuracy comments to chosen agencies and panel members."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="circulations"
    )
    version = models.ForeignKey(DraftVersion, on_delete=models.PROTECT, related_name="+")
    circulated_on = models.DateField(_("date circulated"))
    due_on = models.DateField(_("comments due by"))
    note = models.TextField(_("note"), blank=True)
    agencies = models.ManyToManyField(Organisation, related_name="+", blank=True)
    panel_members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = _user_fk()

    class Meta:
        ordering = ["-circulated_on", "-id"]


class DraftComment(models.Model):
    """One factual-accuracy comment, for one agency, with the author's response."""

    circulation = models.ForeignKey(Circulation, on_delete=models.CASCADE, related_name="comments")
    agency = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    section = models.CharField(_("section or paragraph"), max_length=200, blank=True)
    text = models.TextField(_("comment"))
    received_on = models.DateField(_("date received"))
    made_by = _user_fk()
    made_by_label = models.CharField(max_length=200)
    on_behalf = models.BooleanField(
        default=False, help_text=_("Recorded by the coordinator or chair for the agency")
    )
    response = models.CharField(max_length=20, choices=Response.choices, blank=True)
    response_reason = models.TextField(_("reason"), blank=True)
    responded_by = _user_fk()
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["circulation", "agency__name", "id"]


class FamilyReading(models.Model):
    """The family's reading of the draft. Families never sign in: the coordinator or chair
    records it."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="family_readings"
    )
    version = models.ForeignKey(
        DraftVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "reviews.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    offered_on = models.DateField(_("date offered"))
    read_on = models.DateField(_("date read"), null=True, blank=True)
    declined = models.BooleanField(_("the family chose not to read it"), default=False)
    comments = models.TextField(_("the family's comments"), blank=True)
    how_addressed = models.TextField(_("how the comments were addressed"), blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = _user_fk()

    class Meta:
        ordering = ["-offered_on", "-id"]


class CspSignOff(models.Model):
    """The CSP's sign-off of the final versions. The CSP chair is named by role title."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="signoffs")
    signed_off_on = models.DateField(_("date signed off"))
    signed_off_by = models.CharField(_("signed off by"), max_length=200)
    overview = models.ForeignKey(DraftVersion, on_delete=models.PROTECT, related_name="+")
    summary = models.ForeignKey(DraftVersion, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = _user_fk()

    class Meta:
        ordering = ["-signed_off_on", "-id"]


class QaSubmission(models.Model):
    """One round with the Home Office QA panel: the pack as sent, then the feedback letter."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="qa_submissions"
    )
    round = models.PositiveIntegerField()
    submitted_on = models.DateField(_("date submitted"))
    pack = EncryptedBinaryField()
    pack_sha256 = models.CharField(max_length=64)
    pack_filename = models.CharField(max_length=200)
    note = models.TextField(blank=True)
    submitted_by = _user_fk()
    created_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=30, choices=QaOutcome.choices, blank=True)
    letter_received_on = models.DateField(_("date of the letter"), null=True, blank=True)
    strengths = models.TextField(_("strengths the panel noted"), blank=True)
    outcome_notes = models.TextField(_("notes"), blank=True)
    letter_filename = models.CharField(max_length=200, blank=True)
    letter_content_type = models.CharField(max_length=100, blank=True)
    letter = EncryptedBinaryField(null=True, blank=True)
    letter_sha256 = models.CharField(max_length=64, blank=True)
    outcome_recorded_by = _user_fk()

    class Meta:
        ordering = ["-round"]
        constraints = [
            models.UniqueConstraint(fields=["review", "round"], name="publishing_one_round")
        ]


class RequiredChange(models.Model):
    """A change the QA panel's letter requires, and how it was resolved."""

    submission = models.ForeignKey(QaSubmission, on_delete=models.CASCADE, related_name="changes")
    number = models.PositiveIntegerField()
    section = models.CharField(_("section or paragraph"), max_length=200, blank=True)
    text = models.TextField(_("change required"))
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    resolved_by = _user_fk()
    resolved_by_label = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["submission", "number"]

    @property
    def is_resolved(self) -> bool:
        return self.resolved_on is not None


class Publication(models.Model):
    """Where and when the review was published, and the copies sent. The files themselves are
    frozen in `PublishedFile`."""

    review = models.OneToOneField(
        "reviews.Review", on_delete=models.PROTECT, related_name="publication"
    )
    published_on = models.DateField(_("date published"))
    location = models.CharField(_("where it is published"), max_length=500)
    commissioner_sent_on = models.DateField(
        _("copy sent to the Domestic Abuse Commissioner"), null=True, blank=True
    )
    home_office_sent_on = models.DateField(_("copy sent to the Home Office"), null=True, blank=True)
    family_told_on = models.DateField(_("family told"), null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = _user_fk()


class PublishedFile(FrozenModel):
    """A frozen copy of a published file: bytes and sha256, never changed or deleted."""

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="files")
    version = models.ForeignKey(DraftVersion, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=DraftKind.choices)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    content = EncryptedBinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    frozen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "id"]


class BriefingSend(FrozenModel):
    """The 7-minute briefing as sent to partner agencies: a frozen copy."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.PROTECT, related_name="briefing_sends"
    )
    sent_on = models.DateField(_("date sent"))
    format = models.CharField(max_length=10)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    content = EncryptedBinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    findings = models.JSONField(default=list, blank=True)
    findings_accepted = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    sent_by = _user_fk()
    sent_by_label = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_on", "-id"]


class BriefingRecipient(models.Model):
    """One agency the briefing went to: its acknowledgement and how it used the learning."""

    send = models.ForeignKey(BriefingSend, on_delete=models.PROTECT, related_name="recipients")
    agency = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    emailed = models.PositiveIntegerField(default=0)
    acknowledged_on = models.DateField(null=True, blank=True)
    acknowledged_by = _user_fk()
    acknowledged_by_label = models.CharField(max_length=200, blank=True)
    acknowledged_on_behalf = models.BooleanField(default=False)
    learning_use = models.TextField(_("how the learning was used"), blank=True)
    learning_used_on = models.DateField(null=True, blank=True)
    learning_recorded_by = _user_fk()
    learning_recorded_by_label = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["send", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["send", "agency"], name="publishing_once_per_agency")
        ]
