"""Forms of the documents pages: issuing a copy, and the review's document settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.documents.models import HeadingSet
from lantern.documents.services import FORMATS, MAX_ISSUED_TO, MAX_MARKING


class IssueForm(forms.Form):
    """One copy of one document: the button pressed names it as "kind.format"."""

    issued_to = forms.CharField(
        label=_("Issued to"),
        max_length=MAX_ISSUED_TO,
        required=False,
        help_text=_(
            "Who this copy is for, printed in the footer of every page: for example "
            "“Review panel, meeting of 3 March”. Use pseudonyms, never a family member's name."
        ),
    )
    document = forms.CharField(widget=forms.HiddenInput)

    def clean_document(self) -> tuple[str, str]:
        value = self.cleaned_data["document"]
        kind, _dot, fmt = value.partition(".")
        if fmt not in FORMATS.get(kind, ()):
            raise forms.ValidationError(_("Choose a document and a format."))
        return kind, fmt


class SettingsForm(forms.Form):
    heading_set = forms.ChoiceField(
        label=_("Headings of the 7-minute briefing"),
        choices=[("", _("As the partnership's default")), *HeadingSet.choices],
        required=False,
    )
    marking = forms.CharField(
        label=_("Protective marking of drafts"),
        max_length=MAX_MARKING,
        required=False,
        help_text=_(
            "Printed at the top and bottom of every page. Leave blank for the partnership's "
            "default (OFFICIAL-SENSITIVE unless it sets another)."
        ),
    )
    local_services = forms.CharField(
        label=_("Local domestic abuse services"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For the briefing's last section: one service a line, with its telephone number "
            "or web address. Leave blank for the national helpline."
        ),
    )
    why_it_matters = forms.CharField(
        label=_("Why it matters"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The briefing's second section. Leave blank for Lantern's text."),
    )
    practice_points = forms.CharField(
        label=_("What practitioners should do"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Alternative headings only: one point a line. Leave blank to draw them from the "
            "recommendations' themes."
        ),
    )
    reflection_questions = forms.CharField(
        label=_("Questions for reflection"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Alternative headings only: one question a line. Leave blank to draw them from the "
            "themes of the agencies' records."
        ),
    )
    partnership_default = forms.BooleanField(
        label=_("Also make these the default for every review of the partnership"),
        required=False,
    )

    def __init__(self, *args: Any, may_set_default: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_set_default:
            del self.fields["partnership_default"]

    def values(self) -> dict[str, str]:
        data = dict(self.cleaned_data)
        data.pop("partnership_default", None)
        return data
