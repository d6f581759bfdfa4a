"""Forms of the anonymisation check: the shape of input only; the rules are in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.anonymisation.models import KnownPlace
from lantern.reviews.forms import add_service_errors

__all__ = ["CheckForm", "KnownPlaceForm", "ResolveForm", "add_service_errors"]

MAX_UPLOAD = 50 * 1024 * 1024


class CheckForm(forms.Form):
    file = forms.FileField(
        label=_("Upload a document"),
        required=False,
        help_text=_("A Word document (.docx), PDF, web page or text file, up to 50 MB."),
    )
    text = forms.CharField(
        label=_("Or paste the text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=2_000_000,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("file")
        if not upload and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Upload a document or paste the text to check."))
        if upload and upload.size > MAX_UPLOAD:
            self.add_error("file", _("The file must be smaller than 50 MB."))
        return data


class ResolveForm(forms.Form):
    action = forms.ChoiceField(
        label=_("What to do"),
        choices=[("replace", _("Replace it")), ("accept", _("Keep it as it is"))],
        widget=forms.RadioSelect,
    )
    replacement = forms.CharField(label=_("Replace with"), required=False, max_length=300)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        help_text=_("Needed when you keep it: why it does not identify anyone."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("action") == "accept" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why this can stay as it is."))
        if data.get("action") == "replace" and not (data.get("replacement") or "").strip():
            self.add_error("replacement", _("Enter the words to put in its place."))
        return data


class KnownPlaceForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is it?"), choices=KnownPlace.Kind.choices)
    text = forms.CharField(
        label=_("As it is written"),
        max_length=300,
        help_text=_("For example 14 Mill Lane, Eastfield; St Anne's Primary School; CR/21/0045"),
    )
    suggestion = forms.CharField(
        label=_("Replace with"),
        required=False,
        max_length=300,
        help_text=_("Leave empty for “[address removed]” and the like."),
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=500)
