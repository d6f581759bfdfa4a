"""Forms for recommendations and action plans. They check the shape of input only; the rules
are in `recommendations.services`, whose errors go back onto the form (`add_service_errors`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.accounts.models import Organisation
from lantern.recommendations.models import (
    Action,
    Addressee,
    Kind,
    Recommendation,
    Scope,
    Source,
    Status,
    Theme,
)
from lantern.recommendations.services import action_version
from lantern.reviews.forms import add_service_errors
from lantern.reviews.models import Review

__all__ = [
    "ActionForm",
    "EvidenceForm",
    "ImportForm",
    "ImrForm",
    "OversightFilterForm",
    "PlanFilterForm",
    "ProgressForm",
    "RecommendationForm",
    "SignOffForm",
    "add_service_errors",
]

_DATE_ERRORS = {"invalid": _("Enter a real date, for example 31 3 2025.")}


def _date(label: Any, *, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.DateInput(),
        error_messages=_DATE_ERRORS,
    )


def _textarea(label: Any, *, required: bool = False, help_text: Any = "", rows: int = 4) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _review_agencies(review: Review) -> list[Organisation]:
    return [link.organisation for link in review.agencies.select_related("organisation")]


class RecommendationForm(forms.Form):
    number = forms.CharField(
        label=_("Number"),
        max_length=20,
        help_text=_(
            "As the report numbers it: 1, 2, 3 for overarching; SA1, SA2 for single agency"
        ),
        error_messages={"required": _("Enter the recommendation's number")},
    )
    kind = forms.ChoiceField(
        label=_("Kind of recommendation"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose overarching or single agency")},
    )
    text = _textarea(_("Recommendation"), required=True, rows=5)
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=Scope.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the scope of the recommendation")},
    )
    addressee = forms.ChoiceField(
        label=_("Addressed to (kind of body)"),
        choices=[("", _("Choose"))] + list(Addressee.choices),
        required=False,
    )
    addressed_to = forms.CharField(
        label=_("Addressed to (name)"),
        max_length=200,
        required=False,
        help_text=_("The agency or body, for example Northbridge Police or the Home Office"),
    )
    finding = _textarea(
        _("The finding it answers"),
        help_text=_("The lesson or finding in the report that this recommendation responds to"),
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"),
        choices=Theme.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    source = forms.ChoiceField(
        label=_("Source"), choices=Source.choices, widget=forms.RadioSelect, initial=Source.PANEL
    )
    source_agency = forms.ModelChoiceField(
        label=_("Agency whose IMR made it"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Not from an IMR"),
    )

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source_agency"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in _review_agencies(review)]
        )

    @staticmethod
    def initial_for(rec: Recommendation) -> dict[str, Any]:
        return {
            "number": rec.number,
            "kind": rec.kind,
            "text": rec.text,
            "scope": rec.scope,
            "addressee": rec.addressee,
            "addressed_to": rec.addressed_to,
            "finding": rec.finding,
            "themes": rec.themes,
            "source": rec.source,
            "source_agency": rec.source_agency,
        }


class ActionForm(forms.Form):
    description = _textarea(
        _("Action to take"),
        required=True,
        help_text=_("What will be done: specific enough that anyone can tell when it is done"),
    )
    lead_agency = forms.ModelChoiceField(
        label=_("Lead agency"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Choose an agency on this review"),
    )
    lead_agency_name = forms.CharField(
        label=_("Or another lead"),
        max_length=200,
        required=False,
        help_text=_("For example “All agencies” or an agency not on this review"),
    )
    lead_officer = forms.CharField(
        label=_("Lead officer"),
        max_length=200,
        required=False,
        help_text=_("A role is enough, for example “Head of Safeguarding”"),
    )
    lead_officer_email = forms.EmailField(
        label=_("Lead officer's email"),
        required=False,
        help_text=_(
            "Reminders go here. Without it they go to the lead agency's authors on this review."
        ),
    )
    milestones = _textarea(_("Key milestones"))
    outcome_measure = _textarea(
        _("Measurable outcome"), help_text=_("How the board will know the action has worked")
    )
    target_date = _date(_("Target date"))
    target_date_note = forms.CharField(
        label=_("If there is no date yet"),
        max_length=100,
        required=False,
        help_text=_("For example “Ongoing” (the action is then flagged as not time-bound)"),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=Status.choices, initial=Status.NOT_STARTED
    )
    completed_on = _date(_("Date of completion"))
    outcome = _textarea(_("Outcome"))
    # What the person saw (services.action_version): a change to an action someone else has
    # changed since is refused rather than silently undoing theirs.
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in _review_agencies(review)]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("lead_agency") and data.get("lead_agency_name"):
            self.add_error(
                "lead_agency_name", _("Choose an agency on this review or type another, not both")
            )
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["lead_agency_name"] = data.get("lead_agency_name") or ""
        data["expected_version"] = data.pop("version", "") or None
        return data

    @staticmethod
    def initial_for(action: Action) -> dict[str, Any]:
        on_review = (
            action.lead_agency is not None
            and action.recommendation.review.agencies.filter(
                organisation=action.lead_agency
            ).exists()
        )
        return {
            "description": action.description,
            "lead_agency": action.lead_agency if on_review else None,
            "lead_agency_name": "" if on_review else action.lead_agency_name,
            "lead_officer": action.lead_officer,
            "lead_officer_email": action.lead_officer_email,
            "milestones": action.milestones,
            "outcome_measure": action.outcome_measure,
            "target_date": action.target_date,
            "target_date_note": action.target_date_note,
            "status": action.status,
            "completed_on": action.completed_on,
            "outcome": action.outcome,
            "version": action_version(action),
        }


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices, widget=forms.RadioSelect)
    completed_on = _date(
        _("Date of completion"), help_text=_("For a complete action: the day it was completed")
    )
    outcome = _textarea(
        _("Outcome"),
        help_text=_("What was achieved; or why it was not achieved, or what superseded it"),
    )
    note = _textarea(_("Progress note"), help_text=_("What has happened since the last update"))
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    @staticmethod
    def initial_for(action: Action) -> dict[str, Any]:
        return {
            "status": action.status,
            "completed_on": action.completed_on,
            "outcome": action.outcome,
            "version": action_version(action),
        }

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["expected_version"] = data.pop("version", "") or None
        return data


class EvidenceForm(forms.Form):
    note = _textarea(
        _("Describe the evidence"),
        help_text=_("For example: training attendance figures, the new policy, an audit"),
        rows=3,
    )
    file = forms.FileField(
        label=_("Upload a file"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint, text or image, up to 10 MB"),
    )


class SignOffForm(forms.Form):
    note = forms.CharField(label=_("Note for the record"), max_length=500, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Action plan workbook (.xlsx)"),
        error_messages={"required": _("Choose the action plan workbook to import")},
    )
    replace = forms.BooleanField(
        label=_("Replace the action plan already in Lantern"),
        required=False,
        help_text=_("Only possible while no progress has been recorded on it"),
    )


class ImrForm(forms.Form):
    chosen = forms.MultipleChoiceField(
        label=_("Recommendations to bring into the action plan"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one recommendation")},
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chosen"].choices = choices


class PlanFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status"))] + list(Status.choices)
    )
    agency = forms.ChoiceField(label=_("Lead agency"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue actions"), required=False)
    not_smart = forms.BooleanField(label=_("Only actions that are not SMART"), required=False)

    def __init__(self, *args: Any, agencies: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("Any agency"))] + [(a, a) for a in agencies]


class OversightFilterForm(forms.Form):
    review = forms.ChoiceField(label=_("Review"), required=False)
    as_of = forms.DateField(
        label=_("As of"), required=False, widget=forms.DateInput(), error_messages=_DATE_ERRORS
    )

    def __init__(self, *args: Any, references: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["review"].choices = [("", _("Every review"))] + [(r, r) for r in references]

    def as_of_or(self, default: date) -> date:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("as_of"):
            return self.cleaned_data["as_of"]
        return default
