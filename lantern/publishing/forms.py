"""Forms of the publication area. They check the shape of input only; the rules are in the
services, whose errors go back onto the form (`add_service_errors`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.accounts.models import Organisation, ReviewRole, User
from lantern.publishing.models import DraftKind, QaOutcome, Response
from lantern.reviews.forms import add_service_errors
from lantern.reviews.models import Membership, Person, Review

__all__ = [
    "AcknowledgeForm",
    "BriefingSendForm",
    "ChangeForm",
    "CirculateForm",
    "CommentForm",
    "FamilyReadingForm",
    "FamilyUpdateForm",
    "FeedbackForm",
    "LearningForm",
    "PackForm",
    "PublicationForm",
    "ResolveForm",
    "RespondForm",
    "SignOffForm",
    "SubmitForm",
    "UploadForm",
    "add_service_errors",
]

_DATE_ERRORS = {"invalid": _("Enter a real date, for example 31 3 2025.")}


def _date(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(),
        error_messages={**_DATE_ERRORS, "required": _("Enter the date")},
    )


def _textarea(label: Any, *, required: bool = False, rows: int = 4, help_text: Any = "") -> Any:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def review_agencies(review: Review) -> list[Organisation]:
    return [
        link.organisation
        for link in review.agencies.select_related("organisation").order_by("organisation__name")
    ]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Which document is this?"),
        choices=DraftKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the document")},
    )
    file = forms.FileField(
        label=_("The file (DOCX or PDF)"),
        error_messages={"required": _("Choose a file"), "empty": _("The selected file is empty")},
    )
    note = forms.CharField(label=_("Note on this version"), required=False, max_length=500)
    final = forms.BooleanField(label=_("Mark this version final"), required=False)


class CirculateForm(forms.Form):
    version = forms.TypedChoiceField(label=_("Version to circulate"), coerce=int)
    agencies = forms.MultipleChoiceField(
        label=_("Agencies"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their agency authors are emailed"),
    )
    panel_members = forms.MultipleChoiceField(
        label=_("Panel members"), required=False, widget=forms.CheckboxSelectMultiple
    )
    circulated_on = _date(_("Date circulated"))
    due_on = _date(_("Comments due by"))
    note = _textarea(_("Note to readers"), rows=3)

    def __init__(self, *args: Any, review: Review, versions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.review = review
        self.fields["version"].choices = [
            (v.pk, f"{v.get_kind_display()} v{v.version} ({v.filename})") for v in versions
        ]
        self._agencies = {str(a.pk): a for a in review_agencies(review)}
        self.fields["agencies"].choices = [(k, a.name) for k, a in self._agencies.items()]
        members = Membership.objects.filter(
            review=review, role=ReviewRole.PANEL_MEMBER, ended_at__isnull=True
        ).select_related("user", "agency")
        self._members = {str(m.user_id): m.user for m in members}
        self.fields["panel_members"].choices = [
            (str(m.user_id), f"{m.user.display_name}" + (f" ({m.agency.name})" if m.agency else ""))
            for m in members
        ]

    def chosen(self) -> tuple[list[Organisation], list[User]]:
        return (
            [self._agencies[k] for k in self.cleaned_data["agencies"]],
            [self._members[k] for k in self.cleaned_data["panel_members"]],
        )


class CommentForm(forms.Form):
    circulation = forms.TypedChoiceField(label=_("Draft"), coerce=int)
    agency = forms.TypedChoiceField(
        label=_("Comment from"), coerce=int, required=False, empty_value=None
    )
    section = forms.CharField(
        label=_("Section or paragraph"),
        required=False,
        max_length=200,
        help_text=_("For example 4.2 or “Chronology, March 2022”"),
    )
    text = _textarea(_("Comment"), required=True, rows=4)
    received_on = _date(_("Date received"), required=False)

    def __init__(
        self, *args: Any, circulations: list[Any], agencies: list[Organisation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["circulation"].choices = [
            (c.pk, f"{c.version.get_kind_display()} v{c.version.version}, {c.circulated_on}")
            for c in circulations
        ]
        self.fields["agency"].choices = [("", _("My agency"))] + [(a.pk, a.name) for a in agencies]


class RespondForm(forms.Form):
    comment = forms.IntegerField(widget=forms.HiddenInput)
    response = forms.ChoiceField(
        label=_("Response"),
        choices=Response.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose accepted or not accepted")},
    )
    reason = _textarea(_("Reason (if not accepted)"), rows=2)


class FamilyReadingForm(forms.Form):
    version = forms.TypedChoiceField(
        label=_("Draft offered"), coerce=int, required=False, empty_value=None
    )
    person = forms.TypedChoiceField(
        label=_("Family member"), coerce=int, required=False, empty_value=None
    )
    offered_on = _date(_("Date offered"))
    read_on = _date(_("Date read"), required=False)
    declined = forms.BooleanField(label=_("The family chose not to read it"), required=False)
    comments = _textarea(_("The family's comments"))
    how_addressed = _textarea(_("How the comments were addressed"))

    def __init__(self, *args: Any, review: Review, versions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = [("", _("Not recorded"))] + [
            (v.pk, f"{v.get_kind_display()} v{v.version}") for v in versions
        ]
        people = review.people.filter(role=Person.Role.FAMILY)
        self.fields["person"].choices = [("", _("The family"))] + [
            (p.pk, p.pseudonym or p.get_relationship_to_victim_display() or p.get_role_display())
            for p in people
        ]


class FamilyUpdateForm(forms.Form):
    read_on = _date(_("Date read"), required=False)
    declined = forms.BooleanField(label=_("The family chose not to read it"), required=False)
    comments = _textarea(_("The family's comments"), rows=3)
    how_addressed = _textarea(_("How the comments were addressed"), rows=3)


class SignOffForm(forms.Form):
    signed_off_on = _date(_("Date signed off"))
    signed_off_by = forms.CharField(
        label=_("Signed off by"),
        max_length=200,
        help_text=_("A role title, for example “Chair of the Northbridge CSP”"),
        error_messages={"required": _("Enter who signed it off")},
    )
    note = _textarea(_("Note"), rows=2)


class PackForm(forms.Form):
    include_briefing = forms.BooleanField(label=_("Include the 7-minute briefing"), required=False)


class SubmitForm(PackForm):
    submitted_on = _date(_("Date submitted"))
    note = _textarea(_("Note"), rows=2)


class FeedbackForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What did the Home Office Quality Assurance panel decide?"),
        choices=QaOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the panel's outcome")},
    )
    letter_received_on = _date(_("Date of the panel's letter"))
    letter = forms.FileField(label=_("The feedback letter (DOCX or PDF)"), required=False)
    strengths = _textarea(_("Strengths the panel noted"), rows=3)
    changes = _textarea(
        _("Changes required"),
        rows=5,
        help_text=_("One change a line, as the letter lists them"),
    )
    notes = _textarea(_("Notes"), rows=2)

    def change_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["changes"].splitlines() if line.strip()]


class ChangeForm(forms.Form):
    section = forms.CharField(label=_("Section or paragraph"), required=False, max_length=200)
    text = _textarea(_("Change required"), required=True, rows=2)


class ResolveForm(forms.Form):
    change = forms.IntegerField(widget=forms.HiddenInput)
    resolution = _textarea(_("How it was resolved"), required=True, rows=2)
    resolved_on = _date(_("Date resolved"))


class PublicationForm(forms.Form):
    published_on = _date(_("Date published"))
    location = forms.CharField(
        label=_("Where it is published"),
        max_length=500,
        help_text=_("The web address on the CSP's website"),
        error_messages={"required": _("Say where the review is published")},
    )
    commissioner_sent_on = _date(_("Copy sent to the Domestic Abuse Commissioner"), required=False)
    home_office_sent_on = _date(_("Copy sent to the Home Office"), required=False)
    family_told_on = _date(_("Family told of the publication"), required=False)


class CopiesForm(forms.Form):
    location = forms.CharField(label=_("Where it is published"), max_length=500)
    commissioner_sent_on = _date(_("Copy sent to the Domestic Abuse Commissioner"), required=False)
    home_office_sent_on = _date(_("Copy sent to the Home Office"), required=False)
    family_told_on = _date(_("Family told of the publication"), required=False)


class BriefingSendForm(forms.Form):
    agencies = forms.MultipleChoiceField(
        label=_("Send to these agencies"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the agencies to send the briefing to")},
    )
    sent_on = _date(_("Date sent"))
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("pdf", "PDF"), ("docx", _("Word (DOCX)"))],
        widget=forms.RadioSelect,
        initial="pdf",
    )
    accept_findings = forms.BooleanField(
        label=_("Send even if the anonymisation check finds possible identifying details"),
        required=False,
    )
    note = _textarea(_("Note"), rows=2)

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._agencies = {str(a.pk): a for a in review_agencies(review)}
        self.fields["agencies"].choices = [(k, a.name) for k, a in self._agencies.items()]

    def chosen(self) -> list[Organisation]:
        return [self._agencies[k] for k in self.cleaned_data["agencies"]]


class AcknowledgeForm(forms.Form):
    acknowledged_on = _date(_("Date acknowledged"), required=False)


class LearningForm(forms.Form):
    learning_use = _textarea(
        _("How your agency used the learning"),
        required=True,
        rows=4,
        help_text=_("For example the teams it was briefed to and what changed"),
    )
    used_on = _date(_("Date"))
