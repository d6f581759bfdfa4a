"""Documents generated from a review: their settings and the record of every copy issued.

`DocumentSettings` holds, for one review or as a partnership's default for all its reviews,
which set of briefing headings to use, the text the briefing carries about local services, and
the protective marking of drafts. A blank field means "as the partnership's default", and a
blank partnership default means the built-in default (`selectors.settings_for`).

`DocumentIssue` is the issue log: each time a document is generated, who generated it, which
document and format, whom it was issued to, the marking it carried and its SHA-256, so that a
copy found later can be traced to its issue.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantern.accounts.models import Organisation


class HeadingSet(models.TextChoices):
    """DOMAIN.md section 4: the starting case's seven headings, or the set others use."""

    STANDARD = (
        "standard",
        _(
            "Context, why it matters, criteria, background, safeguarding, recommendations and "
            "learning, what's next"
        ),
    )
    ALTERNATIVE = (
        "alternative",
        _(
            "Case summary, why it matters, key findings, what we learned, what you should do, "
            "questions for reflection, resources"
        ),
    )


class Kind(models.TextChoices):
    OVERVIEW_REPORT = "overview_report", _("Overview report")
    EXECUTIVE_SUMMARY = "executive_summary", _("Executive summary")
    ACTION_PLAN = "action_plan", _("Action plan")
    BRIEFING = "briefing", _("7-minute briefing")


class DocumentSettings(models.Model):
    """Settings of one review's documents (`review` set) or a partnership's default (`csp`)."""

    review = models.OneToOneField(
        "reviews.Review",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="document_settings",
    )
    csp = models.OneToOneField(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="document_settings",
        help_text=_("The partnership whose default these are"),
    )
    heading_set = models.CharField(
        _("briefing headings"), max_length=20, choices=HeadingSet.choices, blank=True
    )
    marking = models.CharField(
        _("protective marking of drafts"),
        max_length=100,
        blank=True,
        help_text=_("For example OFFICIAL-SENSITIVE. Leave blank for the partnership's default."),
    )
    local_services = models.TextField(
        _("local services"),
        blank=True,
        help_text=_(
            "What the briefing's last section says about local domestic abuse services: one "
            "service a line, with its telephone number or web address."
        ),
    )
    why_it_matters = models.TextField(
        _("why it matters"),
        blank=True,
        help_text=_("The briefing's “Why it matters” section. Leave blank for Lantern's text."),
    )
    practice_points = models.TextField(
        _("what practitioners should do"),
        blank=True,
        help_text=_(
            "One point a line, for the “What you should do” section of the alternative "
            "headings. Leave blank to draw them from the recommendations' themes."
        ),
    )
    reflection_questions = models.TextField(
        _("questions for reflection"),
        blank=True,
        help_text=_(
            "One question a line. Leave blank to draw them from the themes the review found."
        ),
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name_plural = "document settings"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(review__isnull=False, csp__isnull=True)
                    | models.Q(review__isnull=True, csp__isnull=False)
                ),
                name="document_settings_for_review_or_partnership",
            )
        ]

    def __str__(self) -> str:
        if self.review_id:
            return f"Document settings of {self.review.reference}"
        return f"Document settings of {self.csp}"


class DocumentIssue(models.Model):
    """One generated copy of a document: the issue log shown on the documents page."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="document_issues"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    fmt = models.CharField(_("format"), max_length=10)
    issued_to = models.CharField(_("issued to"), max_length=300, blank=True)
    marking = models.CharField(max_length=100, blank=True)
    filename = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    generated_at = models.DateTimeField(default=timezone.now)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    generated_by_label = models.CharField(max_length=200)
    channel = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-generated_at", "-id"]

    def __str__(self) -> str:
        return f"{self.review.reference} {self.kind}.{self.fmt} ({self.sha256[:12]})"
