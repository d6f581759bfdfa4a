"""Forms for agency returns and IMRs. They only parse what a person typed; the rules live in
`chronology.services_returns`, whose ValidationErrors are put back on these fields."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lantern.accounts.models import Organisation
from lantern.chronology import imr_template
from lantern.chronology.models import IMR, AgencyReturn
from lantern.chronology.selectors_returns import return_working_days
from lantern.chronology.services_returns import MAX_DOCUMENT_BYTES


def _date(label: Any, missing: Any = "", *, help_text: Any = "", initial: Any = None) -> Any:
    return forms.DateField(
        label=label,
        required=bool(missing),
        help_text=help_text,
        initial=initial,
        widget=forms.DateInput,
        error_messages={
            "required": missing,
            "invalid": format_lazy(_("{} must be a real date"), label),
        },
    )


def _today() -> Any:
    return timezone.localdate()


class AgenciesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class _BulkForm(forms.Form):
    """A form that acts on several agencies of the review at once."""

    agencies = AgenciesField(
        queryset=Organisation.objects.none(),
        label=_("Agencies"),
        error_messages={"required": _("Choose at least one agency")},
    )

    def __init__(self, *args: Any, agencies: Iterable[Organisation], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.prefix_name)
        super().__init__(*args, **kwargs)
        ids = [a.pk for a in agencies]
        self.fields["agencies"].queryset = Organisation.objects.filter(pk__in=ids).order_by("name")

    prefix_name = ""


class AskForm(_BulkForm):
    prefix_name = "ask"
    asked_on = _date(_("Date asked"), _("Enter the date the agencies were asked"), initial=_today)
    secure_records = forms.BooleanField(
        label=_("Tell them to secure their records"), required=False, initial=True
    )


class RequestForm(_BulkForm):
    prefix_name = "request"
    what = forms.ChoiceField(
        label=_("What to request"),
        widget=forms.RadioSelect,
        choices=[
            ("chronology", _("Chronology")),
            ("imr", _("Individual Management Review (IMR)")),
            ("summary", _("Summary of involvement")),
        ],
        error_messages={"required": _("Choose what to request")},
    )
    requested_on = _date(_("Date requested"), _("Enter the date of the request"), initial=_today)
    due_on = _date(_("Due date"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        days = return_working_days()
        self.fields["due_on"].help_text = ngettext(
            "Leave empty for the standard time: %(days)d working day after the request.",
            "Leave empty for the standard time: %(days)d working days after the request.",
            days,
        ) % {"days": days}


class ReceivedForm(_BulkForm):
    prefix_name = "received"
    what = forms.ChoiceField(
        label=_("What arrived"),
        widget=forms.RadioSelect,
        choices=[("chronology", _("Chronology")), ("imr", _("IMR or summary of involvement"))],
        error_messages={"required": _("Choose what arrived")},
    )
    received_on = _date(_("Date received"), _("Enter the date it arrived"), initial=_today)


class ChaserForm(_BulkForm):
    prefix_name = "chase"
    about = forms.ChoiceField(
        label=_("What is the chaser about?"),
        widget=forms.RadioSelect,
        choices=[
            ("answer", _("The contact question")),
            ("chronology", _("The chronology")),
            ("imr", _("The IMR or summary of involvement")),
        ],
        error_messages={"required": _("Choose what the chaser is about")},
    )
    sent_on = _date(_("Date sent"), _("Enter the date of the chaser"), initial=_today)
    note = forms.CharField(
        label=_("Note for the record"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Kept in the review's record only. The email to the agency's authors names just "
            "the review reference and what is due."
        ),
    )


class ShareForm(_BulkForm):
    prefix_name = "share"
    action = forms.ChoiceField(
        label=_("Share or withdraw"),
        widget=forms.RadioSelect,
        choices=[
            ("share", _("Share their material with the panel")),
            ("unshare", _("Withdraw it from the panel")),
        ],
        initial="share",
        error_messages={"required": _("Choose whether to share or withdraw")},
    )
    shared_on = _date(_("Date shared"), initial=_today)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("action") == "share" and not data.get("shared_on") and not self.errors:
            self.add_error("shared_on", _("Enter the date the material was shared"))
        return data


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Did the agency have contact with the people in this review?"),
        widget=forms.RadioSelect,
        choices=[
            (AgencyReturn.Answer.CONTACT, _("Yes, it had contact")),
            (AgencyReturn.Answer.NO_CONTACT, _("No contact")),
        ],
        error_messages={"required": _("Say whether the agency had contact")},
    )
    answered_on = _date(_("Date of the answer"), _("Enter the date of the answer"))
    contact_from = _date(_("First contact"), help_text=_("The earliest contact on record."))
    contact_to = _date(_("Last contact"), help_text=_("The latest contact on record."))


class ImrForm(forms.Form):
    """The IMR's text: one textarea per part of the template, the guidance as its hint."""

    author_name = forms.CharField(
        label=_("Author's name"),
        required=False,
        max_length=200,
        help_text=_("The IMR author: not involved with the people, not their line manager."),
    )
    independence_statement = forms.CharField(
        label=imr_template.SECTION_BY_CODE["independence"].heading,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    recommendations = forms.CharField(
        label=_("Single-agency recommendations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One recommendation per line."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The field template marks hints safe; the guidance is plain text, so escape it here.
        self.fields["independence_statement"].help_text = escape(
            imr_template.SECTION_BY_CODE["independence"].guidance
        )
        for _section, code, label, hint in imr_template.text_parts():
            self.fields[f"section_{code}"] = forms.CharField(
                label=label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text=escape(hint) if hint else "",
            )

    @classmethod
    def initial_for(cls, imr: IMR | None) -> dict[str, Any]:
        if imr is None:
            return {}
        initial: dict[str, Any] = {
            "author_name": imr.author_name,
            "independence_statement": imr.independence_statement,
            "recommendations": "\n".join(imr.recommendations or []),
        }
        for code, text in (imr.sections or {}).items():
            initial[f"section_{code}"] = text
        return initial

    def section_field(self, code: str) -> forms.BoundField:
        return self[f"section_{code}"]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "sections": {
                code: data.get(f"section_{code}", "") for code in imr_template.text_codes()
            },
            "author_name": data["author_name"],
            "independence_statement": data["independence_statement"],
            "recommendations": data["recommendations"].splitlines(),
        }


class SignOffForm(forms.Form):
    senior_manager_name = forms.CharField(
        label=_("Senior manager's name"),
        max_length=200,
        error_messages={"required": _("Enter the senior manager's name")},
    )
    signed_off_on = _date(
        _("Date signed off"), _("Enter the date the senior manager signed the IMR off")
    )


class UploadForm(forms.Form):
    document = forms.FileField(
        label=_("Upload the IMR document"),
        help_text=_("A Word document (.docx) or a PDF, smaller than 20 MB."),
        error_messages={"required": _("Select a DOCX or PDF file")},
    )

    def clean_document(self) -> Any:
        upload = self.cleaned_data["document"]
        if upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(_("The selected file must be smaller than 20 MB."))
        return upload
