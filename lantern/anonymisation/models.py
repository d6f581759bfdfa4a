"""The anonymisation check: each run over a file (its text and findings), how each finding was
resolved, the corrected file, and the places the review knows of.

A check is kept whole: the file's bytes (to write the corrected file), the text the check read,
and every finding with its span in that text. A finding is resolved by replacing it (the
replacement is recorded and applied to the corrected file) or accepting it with a reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.anonymisation.check.findings import CATEGORIES, CATEGORY_LABELS
from lantern.core.fields import EncryptedBinaryField
from lantern.reviews.models import Review

CATEGORY_CHOICES = [(c, _(CATEGORY_LABELS[c])) for c in CATEGORIES]  # noqa: INT001


class Check(models.Model):
    class Format(models.TextChoices):
        TXT = "txt", _("Text")
        DOCX = "docx", _("Word document")
        PDF = "pdf", _("PDF")
        HTML = "html", _("Web page")

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="anonymisation_checks"
    )
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    format = models.CharField(max_length=10, choices=Format.choices)
    content = EncryptedBinaryField()
    text = models.TextField(blank=True)
    title = models.CharField(max_length=300, blank=True)
    channel = models.CharField(max_length=20, default="web")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_label = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The corrected file, once every finding is resolved (txt and docx only).
    corrected_content = EncryptedBinaryField(null=True, blank=True)
    corrected_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    corrected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def can_correct(self) -> bool:
        """Lantern writes a corrected copy of text and Word files; other formats must be
        corrected at source and checked again."""
        return self.format in (self.Format.TXT, self.Format.DOCX)

    @property
    def corrected_filename(self) -> str:
        stem, dot, ext = self.filename.rpartition(".")
        if not dot:
            stem, ext = self.filename, "txt"
        return f"{stem}-anonymised.{ext}"


class Finding(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        REPLACED = "replaced", _("Replaced")
        ACCEPTED = "accepted", _("Accepted")

    check_run = models.ForeignKey(Check, on_delete=models.CASCADE, related_name="findings")
    position = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    category = models.CharField(max_length=40, choices=CATEGORY_CHOICES)
    suggestion = models.CharField(max_length=300, blank=True)
    rule = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    replacement = models.CharField(max_length=300, blank=True)
    reason = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["check_run", "position"], name="finding_position"),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.text}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def as_contract(self) -> dict:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "category": self.category,
            "suggestion": self.suggestion,
        }


class KnownPlace(models.Model):
    """An address, school, workplace or other identifier known to the review: the check looks
    for it in every document."""

    class Kind(models.TextChoices):
        ADDRESS = "address", _("Address")
        PLACE = "place", _("Street, estate or other place")
        SCHOOL = "school", _("School or college")
        WORKPLACE = "workplace", _("Workplace")
        IDENTIFIER = "identifier", _("Reference number or other identifier")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="known_places")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.CharField(_("as written"), max_length=300)
    suggestion = models.CharField(_("replace with"), max_length=300, blank=True)
    notes = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "text", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "kind", "text"], name="known_place_once"),
        ]

    def __str__(self) -> str:
        return self.text
