"""Agencies' chronology submissions.

The foundation keeps each submitted file whole (bytes and checksum, in the database so that an
import is all-or-nothing); parsing files into entries is the chronology capability's job.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from lantern.accounts.models import Organisation


class ChronologyFile(models.Model):
    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="chronology_files"
    )
    agency = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=300, help_text="Path inside a review bundle")
    content = models.BinaryField()
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
