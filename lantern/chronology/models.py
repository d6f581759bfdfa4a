"""Agencies' chronologies, returns and IMRs, and the combined chronology built from them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantern.accounts.models import Organisation
from lantern.core.fields import EncryptedBinaryField


class ChronologyFile(models.Model):
    """A file an agency sent, kept whole (bytes and checksum, in the database so that an import
    is all-or-nothing). Entries point back to it for provenance."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="chronology_files"
    )
    agency = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=300, help_text="Path inside a review bundle, or file name")
    content = EncryptedBinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    shared_with_panel = models.BooleanField(default=False)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]


class Subject(models.TextChoices):
    VICTIM = "victim", _("Victim")
    PERPETRATOR = "perpetrator", _("Perpetrator")
    CHILD = "child", _("Child")
    OTHER = "other", _("Other")
    UNKNOWN = "", _("Not recorded")


class EntryFlag(models.TextChoices):
    NONE = "", _("None")
    MISSED_OPPORTUNITY = "missed_opportunity", _("Missed opportunity")
    GOOD_PRACTICE = "good_practice", _("Good practice")


class ChronologyEntry(models.Model):
    """One row of one agency's chronology, in the standard columns (DOMAIN.md section 4)."""

    class Precision(models.TextChoices):
        DAY = "day", _("Day")
        MONTH = "month", _("Month")

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="chronology_entries"
    )
    agency = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # Provenance: which file, sheet and row the entry came from (null when typed in a page).
    source_file = models.ForeignKey(
        ChronologyFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries"
    )
    sheet = models.CharField(max_length=100, blank=True)
    row = models.PositiveIntegerField(null=True, blank=True)
    # When: a month-precision date is stored as the first of its month.
    date = models.DateField(db_index=True)
    date_precision = models.CharField(
        max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    time = models.TimeField(null=True, blank=True)
    # What
    source_record = models.CharField(_("source record"), max_length=300, blank=True)
    subject = models.CharField(_("subject"), max_length=20, choices=Subject.choices, blank=True)
    subject_text = models.CharField(_("subject as recorded"), max_length=200, blank=True)
    what_happened = models.TextField(_("what happened"))
    action_taken = models.TextField(_("action taken / outcome"), blank=True)
    risk_assessment = models.TextField(_("risk assessment and referrals"), blank=True)
    dash_level = models.CharField(
        _("DASH level"),
        max_length=10,
        blank=True,
        choices=[("standard", _("Standard")), ("medium", _("Medium")), ("high", _("High"))],
    )
    dash_score = models.PositiveSmallIntegerField(_("DASH score"), null=True, blank=True)
    marac_referral = models.BooleanField(_("MARAC referral"), default=False)
    mash_referral = models.BooleanField(_("MASH referral"), default=False)
    # The panel's analysis
    analyst_comment = models.TextField(_("analyst comment"), blank=True)
    flag = models.CharField(max_length=20, choices=EntryFlag.choices, blank=True, default="")
    # Identity of the content, so a re-import is idempotent and a corrected file keeps comments
    fingerprint = models.CharField(max_length=64, db_index=True)
    version = models.PositiveIntegerField(default=1)  # optimistic locking for edits
    # What the analysis reads in the text (lantern.chronology.analysis.notes), worked out once:
    # the encoded notes (null: nothing the analysis looks for) and which code and rules worked
    # them out ("": not yet). Notes under another key are not used.
    text_notes = models.TextField(null=True, blank=True, editable=False)
    text_notes_key = models.CharField(max_length=20, blank=True, default="", editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "time", "agency__name", "id"]
        indexes = [
            models.Index(fields=["review", "date"]),
            models.Index(fields=["review", "agency", "date"]),
        ]


class EntryRevision(models.Model):
    """Every edit of an entry, with who and when: the entry's history."""

    entry = models.ForeignKey(ChronologyEntry, on_delete=models.CASCADE, related_name="revisions")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changes = models.JSONField(help_text="{field: [before, after]}")

    class Meta:
        ordering = ["-at", "-id"]


class ThemeTag(models.Model):
    """A theme on an entry: suggested by the tagger, then confirmed or rejected by a person.

    Confirmed tags are kept apart from suggestions: `status` says which, `source` says who.
    """

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    # No index of its own: the unique (entry, theme) index serves lookups by entry, and one
    # index fewer makes inserting 140,000 suggestions measurably faster.
    entry = models.ForeignKey(
        ChronologyEntry, on_delete=models.CASCADE, related_name="tags", db_index=False
    )
    theme = models.CharField(max_length=60, help_text="Code from themes/vocabulary.yaml")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    source = models.CharField(max_length=20, default="tagger")  # tagger | person
    score = models.FloatField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "theme"], name="one_tag_per_theme_per_entry")
        ]
        indexes = [models.Index(fields=["theme", "status"])]


class TaggingState(models.Model):
    """Whether an agency's entries on a review still await theme suggestions."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    pending = models.BooleanField(default=True)
    tagger_version = models.CharField(max_length=40, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "agency"], name="one_tagging_state")
        ]


class AgencyReturn(models.Model):
    """Scoping and returns for one agency on one review: asked, answered, requested, chased,
    received; and whether the agency's material is shared with the panel."""

    class Answer(models.TextChoices):
        AWAITED = "", _("Awaiting answer")
        CONTACT = "contact", _("Had contact")
        NO_CONTACT = "no_contact", _("No contact")

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="returns")
    agency = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    asked_on = models.DateField(_("date asked about contact"), null=True, blank=True)
    answer_due_on = models.DateField(null=True, blank=True)
    answer = models.CharField(max_length=12, choices=Answer.choices, blank=True, default="")
    answered_on = models.DateField(null=True, blank=True)
    contact_from = models.DateField(null=True, blank=True)
    contact_to = models.DateField(null=True, blank=True)
    records_secured_on = models.DateField(_("told to secure records on"), null=True, blank=True)
    chronology_requested_on = models.DateField(null=True, blank=True)
    chronology_due_on = models.DateField(null=True, blank=True)
    chronology_received_on = models.DateField(null=True, blank=True)
    imr_kind = models.CharField(
        max_length=10,
        blank=True,
        choices=[
            ("imr", _("Individual Management Review")),
            ("summary", _("Summary of involvement")),
        ],
    )
    imr_requested_on = models.DateField(null=True, blank=True)
    imr_due_on = models.DateField(null=True, blank=True)
    imr_received_on = models.DateField(null=True, blank=True)
    shared_with_panel_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "agency"], name="one_return_per_agency")
        ]


class Chaser(models.Model):
    agency_return = models.ForeignKey(
        AgencyReturn, on_delete=models.CASCADE, related_name="chasers"
    )
    sent_on = models.DateField()
    about = models.CharField(
        max_length=20,
        choices=[
            ("answer", _("Contact question")),
            ("chronology", _("Chronology")),
            ("imr", _("IMR")),
        ],
    )
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # How many of the agency's authors on the review were emailed (0: nobody to email, so the
    # coordinator knows to chase another way).
    emailed_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-sent_on", "-id"]


class IMR(models.Model):
    """An agency's Individual Management Review (or summary of involvement)."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="imrs")
    agency = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(
        max_length=10,
        default="imr",
        choices=[
            ("imr", _("Individual Management Review")),
            ("summary", _("Summary of involvement")),
        ],
    )
    sections = models.JSONField(default=dict, blank=True, help_text="section code -> text")
    author_name = models.CharField(max_length=200, blank=True)
    independence_statement = models.TextField(blank=True)
    senior_manager_name = models.CharField(max_length=200, blank=True)
    senior_manager_signed_off_on = models.DateField(null=True, blank=True)
    recommendations = models.JSONField(
        default=list, blank=True, help_text="The agency's single-agency recommendations (text)"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "agency"], name="one_imr_per_agency")
        ]


class IMRDocument(models.Model):
    """An uploaded IMR document (DOCX or PDF); each upload is a new version."""

    imr = models.ForeignKey(IMR, on_delete=models.CASCADE, related_name="documents")
    version = models.PositiveIntegerField()
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    content = EncryptedBinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["imr", "version"], name="imr_version_once")]
