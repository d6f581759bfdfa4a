"""The library of published reviews: documents kept with their text by page, the facts read from
them (as extracted, with evidence) and people's corrections, which win over re-extraction.

The effective facts (extracted, overlaid by the latest correction of each field) are copied into
columns and rows (`DocumentTheme`, `DocumentRecommendation`) so that filters and counts are plain
indexed queries. The full-text index is not a model field: a vendor-specific table or column made
by the initial migration (SQLite FTS5, PostgreSQL tsvector + GIN), kept in step by triggers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantern.core.fields import EncryptedBinaryField


class Document(models.Model):
    """One published review document. The same bytes (or the same text) are stored once."""

    sha256 = models.CharField(max_length=64, unique=True)
    text_sha256 = models.CharField(max_length=64, db_index=True)
    filename = models.CharField(_("file name"), max_length=300)
    title = models.CharField(_("title"), max_length=500, blank=True)
    format = models.CharField(_("format"), max_length=10)
    words = models.PositiveIntegerField(default=0)
    pages_count = models.PositiveIntegerField(default=0)
    source_note = models.CharField(_("source"), max_length=500, blank=True)
    original = EncryptedBinaryField(null=True, blank=True, editable=False)
    ingested_at = models.DateTimeField(default=timezone.now, db_index=True)
    ingested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # As extracted: {"values": {key: value}, "evidence": {key: {page, start, end, passage}}}.
    extracted = models.JSONField(default=dict)
    extracted_at = models.DateTimeField(default=timezone.now)
    # The effective facts (extracted, then corrections), denormalised for filters and counts.
    csp = models.CharField(_("partnership"), max_length=300, blank=True, db_index=True)
    year = models.PositiveSmallIntegerField(_("year of death"), null=True, blank=True)
    report_year = models.PositiveSmallIntegerField(_("year of report"), null=True, blank=True)
    pseudonym = models.CharField(_("pseudonym"), max_length=100, blank=True)
    victim_sex = models.CharField(_("victim's sex"), max_length=20, blank=True)
    victim_age_band = models.CharField(_("victim's age band"), max_length=10, blank=True)
    relationship_category = models.CharField(_("relationship"), max_length=40, blank=True)
    death_type = models.CharField(_("death type"), max_length=20, blank=True)
    agencies_count = models.PositiveSmallIntegerField(null=True, blank=True)
    overarching_recommendations = models.PositiveSmallIntegerField(null=True, blank=True)
    single_agency_recommendations = models.PositiveSmallIntegerField(null=True, blank=True)
    facts = models.JSONField(default=dict)  # every effective fact, as one object

    class Meta:
        ordering = ["-ingested_at", "-id"]
        permissions = [("edit_library", "Can add to the library and correct its facts")]
        indexes = [
            models.Index(fields=["year"]),
            models.Index(fields=["death_type"]),
            models.Index(fields=["relationship_category"]),
            models.Index(fields=["victim_age_band"]),
        ]

    def __str__(self) -> str:
        return self.title or self.filename

    @property
    def display_title(self) -> str:
        return self.title or self.filename


class Page(models.Model):
    """The text of one page (a PDF page; the whole text for formats without pages)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="library_page_unique")
        ]


class DocumentTheme(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="theme_rows")
    theme = models.CharField(max_length=60, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "theme"], name="library_theme_unique")
        ]


class DocumentRecommendation(models.Model):
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="recommendation_rows"
    )
    position = models.PositiveIntegerField(default=0)
    text = models.TextField()
    addressee = models.CharField(max_length=60, blank=True, db_index=True)
    theme = models.CharField(max_length=60, blank=True, db_index=True)
    kind = models.CharField(max_length=30, blank=True)  # overarching | single_agency | ""

    class Meta:
        ordering = ["document", "position"]


class FactCorrection(models.Model):
    """A person's confirmation or correction of one fact. The latest for a field wins, over the
    extraction and over any later re-extraction."""

    class Kind(models.TextChoices):
        CONFIRM = "confirm", _("Confirmed")
        CORRECT = "correct", _("Corrected")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="corrections")
    field = models.CharField(max_length=60)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CORRECT)
    value = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["document", "field", "-at", "-id"]


class Chunk(models.Model):
    """A passage of about 200 words: the unit of meaning-based search. `vector` is float32
    bytes from the current semantic index; null until the index has encoded it."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="chunks")
    page = models.PositiveIntegerField()
    position = models.PositiveIntegerField()
    text = models.TextField()
    vector = models.BinaryField(null=True, blank=True)
    index_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["document", "position"]


class SemanticIndex(models.Model):
    """The fitted meaning model (no pickle: vocabulary as JSON, arrays as .npy bytes)."""

    kind = models.CharField(max_length=20)  # lsa | minilm
    version = models.PositiveIntegerField(default=1)
    fitted_at = models.DateTimeField(default=timezone.now)
    chunks_fitted = models.PositiveIntegerField(default=0)
    encoded = models.PositiveIntegerField(default=0)  # passages encoded: the search cache's key
    vocabulary = models.JSONField(default=list)
    idf = models.BinaryField(null=True)
    components = models.BinaryField(null=True)
    config = models.JSONField(default=dict)

    class Meta:
        ordering = ["-version"]


class IngestJob(models.Model):
    """Files uploaded on the ingest page, read by a background task."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        RUNNING = "running", _("Reading")
        DONE = "done", _("Done")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    source_note = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    results = models.JSONField(default=list)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class IngestUpload(models.Model):
    job = models.ForeignKey(IngestJob, on_delete=models.CASCADE, related_name="uploads")
    filename = models.CharField(max_length=300)
    data = EncryptedBinaryField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["job", "position"]
