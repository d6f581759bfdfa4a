"""Forms for running a commissioned review: terms, panel, clock, family and meetings.

They only parse what a person typed; the rules live in `reviews.services`, whose
ValidationErrors `add_service_errors` maps back onto the fields so the page can show them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from lantern.accounts.models import Organisation, ReviewRole, User
from lantern.reviews.models import (
    FamilyContact,
    LiaisonEntry,
    PauseCause,
    Person,
    ReviewAgency,
)

MEETING_ACTION_SLOTS = 3


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form has
    that field, otherwise as an error about the whole form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item.messages)
    else:
        form.add_error(None, error.messages)


def _date(label: Any, missing: Any = "", *, help_text: Any = "", **kwargs: Any) -> Any:
    """A date field; `missing` is the error shown when it is left empty (none: optional)."""
    return forms.DateField(
        label=label,
        required=bool(missing),
        help_text=help_text,
        widget=forms.DateInput,
        error_messages={
            "required": missing,
            "invalid": format_lazy(_("{} must be a real date"), label),
        },
        **kwargs,
    )


def _text(label: Any, missing: Any = "", *, help_text: Any = "", **kwargs: Any) -> Any:
    """A text field; `missing` is the error shown when it is left empty (none: optional)."""
    return forms.CharField(
        label=label,
        required=bool(missing),
        help_text=help_text,
        error_messages={"required": missing},
        **kwargs,
    )


def _long_text(label: Any, missing: Any = "", *, help_text: Any = "", rows: int = 5) -> Any:
    return _text(label, missing, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows}))


def _flag(label: str) -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False)


def _today() -> Any:
    return timezone.localdate()


# Terms of reference ---------------------------------------------------------------------------


class TermsForm(forms.Form):
    period_start = _date(
        _("Review period from"),
        help_text=_("The first date the review looks at, for example when the relationship began"),
    )
    period_end = _date(_("Review period to"), help_text=_("Usually the date of death"))
    agencies_in_scope = forms.TypedMultipleChoiceField(
        label=_("Agencies in scope"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Untick an agency the review will not look at. The overview report must explain "
            "why any agency is left out."
        ),
    )
    reasons_not_in_scope = forms.CharField(
        label=_("Why agencies are left out of scope"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One line for each agency left out, as “Agency name: reason”, for example "
            "“Northbridge Homes: no contact during the review period”"
        ),
    )
    key_lines_of_enquiry = _long_text(
        _("Key lines of enquiry"),
        rows=8,
        help_text=_("Write each line of enquiry on a line of its own"),
    )
    family_involvement = _long_text(
        _("Family involvement"),
        help_text=_(
            "How the family, friends, colleagues and neighbours will be involved, and the "
            "advocacy offered to them"
        ),
    )
    parallel_processes = _long_text(
        _("Parallel processes"),
        help_text=_(
            "For example a criminal trial, inquest, IOPC investigation or Safeguarding Adults "
            "Review, and how the review will work alongside it"
        ),
    )
    agreed_on = _date(
        _("Date agreed by the panel"),
        help_text=_("Leave this blank while the terms of reference are still a draft"),
    )

    def __init__(self, *args: Any, agencies: Iterable[ReviewAgency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agencies_in_scope"].choices = [
            (link.organisation_id, link.organisation.name) for link in agencies
        ]

    def clean_reasons_not_in_scope(self) -> dict[int, str]:
        by_name = {name.casefold(): pk for pk, name in self.fields["agencies_in_scope"].choices}
        reasons: dict[int, str] = {}
        for number, line in enumerate(self.cleaned_data["reasons_not_in_scope"].splitlines(), 1):
            if not line.strip():
                continue
            name, sep, reason = line.partition(":")
            pk = by_name.get(name.strip().casefold())
            if not sep or pk is None or not reason.strip():
                raise forms.ValidationError(
                    _("Line %(n)s: write “Agency name: reason” using an agency on this review")
                    % {"n": number}
                )
            reasons[pk] = reason.strip()
        return reasons

    def clean_key_lines_of_enquiry(self) -> list[str]:
        text = self.cleaned_data["key_lines_of_enquiry"]
        return [line.strip() for line in text.splitlines() if line.strip()]


# Panel ----------------------------------------------------------------------------------------


class _UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        if obj.organisation_id:
            return f"{obj.display_name} ({obj.organisation.name})"
        return obj.display_name


class MemberAddForm(forms.Form):
    user = _UserChoiceField(
        label=_("Person"),
        queryset=User.objects.none(),
        empty_label=_("Choose a person"),
        help_text=_("Only people with an active Lantern account are listed"),
        error_messages={"required": _("Choose the person to add")},
    )
    role = forms.ChoiceField(
        label=_("Role on this review"),
        choices=ReviewRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the person's role on this review")},
    )
    agency = forms.ModelChoiceField(
        label=_("Agency they represent"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("None chosen"),
        help_text=_(
            "For a panel member or agency author. An agency author with no agency chosen "
            "represents their own organisation."
        ),
    )

    def __init__(self, *args: Any, review: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from lantern.accounts.selectors import users_known_to_review

        self.fields["user"].queryset = (
            users_known_to_review(review=review)
            .select_related("organisation")
            .order_by("first_name", "last_name", "username")
        )
        self.fields["agency"].queryset = Organisation.objects.exclude(
            type=Organisation.Type.CSP
        ).order_by("name")


class IndependenceForm(forms.Form):
    statement = _long_text(
        _("Statement of independence"),
        _("Enter the statement of independence"),
        rows=6,
        help_text=_(
            "Say whether you have had any involvement with the people in this review or the "
            "services that worked with them, and whether you manage anyone whose practice the "
            "review looks at"
        ),
    )
    declared_on = _date(
        _("Date of the statement"), _("Enter the date of the statement"), initial=_today
    )


# Clock: pauses, extensions, liaison ----------------------------------------------------------


class PauseForm(forms.Form):
    cause = forms.ChoiceField(
        label=_("Cause"),
        choices=[("", _("Choose a cause"))] + list(PauseCause.choices),
        error_messages={"required": _("Choose what the review is paused for")},
    )
    start = _date(_("Date the pause started"), _("Enter the date the pause started"))
    end = _date(
        _("Date the pause ended"),
        help_text=_("Leave this blank if the pause has not ended"),
    )
    agreed_by = _text(
        _("Agreed by"),
        _("Enter who agreed the pause"),
        max_length=200,
        help_text=_("Who agreed the pause, for example the CSP chair"),
    )
    home_office_told_on = _date(_("Date the Home Office was told"))
    notes = _long_text(_("Notes"), rows=3)


class PauseEndForm(forms.Form):
    end = _date(_("Date the pause ended"), _("Enter the date the pause ended"), initial=_today)


class ExtensionForm(forms.Form):
    months = forms.IntegerField(
        label=_("Months"),
        min_value=0,
        max_value=60,
        initial=0,
        error_messages={"required": _("Enter the number of months, or 0")},
    )
    days = forms.IntegerField(
        label=_("Days"),
        min_value=0,
        max_value=366,
        initial=0,
        error_messages={"required": _("Enter the number of days, or 0")},
    )
    reason = _long_text(_("Reason"), _("Enter why the review needs longer"), rows=3)
    agreed_by = _text(
        _("Agreed by"),
        _("Enter who agreed the extension"),
        max_length=200,
        help_text=_("For example the CSP chair"),
    )
    agreed_on = _date(_("Date agreed"), _("Enter the date the extension was agreed"))
    home_office_told_on = _date(_("Date the Home Office was told"))


class LiaisonForm(forms.Form):
    date = _date(_("Date"), _("Enter the date of the liaison"))
    with_whom = forms.ChoiceField(
        label=_("Liaison with"),
        choices=LiaisonEntry.With.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who the liaison was with")},
    )
    contact_name = _text(_("Contact's name"), max_length=200)
    summary = _long_text(_("What was discussed"), _("Enter what was discussed"), rows=4)
    next_steps = _long_text(_("Next steps"), rows=3)


# Family ---------------------------------------------------------------------------------------


class _PersonChoiceField(forms.ModelChoiceField):
    def __init__(self, *args: Any, show_real_names: bool = False, **kwargs: Any) -> None:
        self.show_real_names = show_real_names
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Person) -> str:
        return person_label(obj, show_real_names=self.show_real_names)


def person_label(person: Person, *, show_real_names: bool) -> str:
    """How a person in the people register is named to someone who may or may not see real
    names: pseudonym first, then role and relationship."""
    name = person.pseudonym or _("no pseudonym yet")
    if show_real_names and person.real_name:
        name = f"{name} ({person.real_name})"
    detail = person.get_role_display()
    if person.relationship_to_victim:
        relationship = dict(Person.Relationship.choices).get(
            person.relationship_to_victim, person.relationship_to_victim
        )
        detail = f"{detail}, {relationship}".lower().capitalize()
    return f"{name}: {detail}"


FAMILY_ROLES = (Person.Role.FAMILY, Person.Role.CHILD, Person.Role.OTHER)


class FamilyContactForm(forms.Form):
    date = _date(_("Date of the contact"), _("Enter the date of the contact"))
    person = _PersonChoiceField(
        label=_("Person in the people register"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("Someone not in the people register"),
    )
    contact_with = _text(
        _("Or their name"),
        max_length=200,
        help_text=_("For example a neighbour, a friend or the family's advocate"),
    )
    kind = forms.ChoiceField(
        label=_("How"),
        choices=FamilyContact.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the contact was made")},
    )
    summary = _long_text(
        _("Summary"),
        _("Enter a summary of the contact"),
        rows=5,
        help_text=_("What was said or agreed"),
    )
    advocacy_offered = _flag(_("Specialist advocacy was offered"))
    advocacy_provider = _text(
        _("Advocacy provider"),
        max_length=200,
        help_text=_("For example AAFDA or the National Homicide Service"),
    )
    pseudonym_agreed = _flag(_("The family agreed the pseudonym"))
    draft_shared = _flag(_("The draft report was shared with the family"))

    def __init__(
        self, *args: Any, people: QuerySet[Person], show_real_names: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        field.queryset = people.filter(role__in=FAMILY_ROLES)
        field.show_real_names = show_real_names

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("person") and not (data.get("contact_with") or "").strip():
            self.add_error("person", _("Choose who the contact was with, or type their name below"))
        return data


# Meetings -------------------------------------------------------------------------------------


class MeetingForm(forms.Form):
    date = _date(_("Date of the meeting"), _("Enter the date of the meeting"))
    title = _text(
        _("Title"), _("Enter a title for the meeting"), max_length=200, initial=_("Panel meeting")
    )
    attendees = _long_text(_("Attendees"), rows=4, help_text=_("One per line, with their agency"))
    minutes = _long_text(_("Minutes"), rows=8)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, MEETING_ACTION_SLOTS + 1):
            self.fields[f"action_{n}_description"] = _long_text(_("What is to be done"), rows=2)
            self.fields[f"action_{n}_owner"] = _text(_("Who will do it"), max_length=200)
            self.fields[f"action_{n}_due_on"] = _date(_("Due by"))

    def action_slots(self) -> list[dict[str, Any]]:
        """The bound fields of each action, for the template to render as a fieldset."""
        return [
            {
                "number": n,
                "description": self[f"action_{n}_description"],
                "owner": self[f"action_{n}_owner"],
                "due_on": self[f"action_{n}_due_on"],
            }
            for n in range(1, MEETING_ACTION_SLOTS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for n in range(1, MEETING_ACTION_SLOTS + 1):
            description = (data.get(f"action_{n}_description") or "").strip()
            if not description and (
                data.get(f"action_{n}_owner") or data.get(f"action_{n}_due_on")
            ):
                self.add_error(
                    f"action_{n}_description",
                    _("Say what action %(n)s is, or leave its owner and due date blank") % {"n": n},
                )
        return data

    def actions(self) -> list[dict[str, Any]]:
        actions = []
        for n in range(1, MEETING_ACTION_SLOTS + 1):
            description = self.cleaned_data.get(f"action_{n}_description", "").strip()
            if description:
                actions.append(
                    {
                        "description": description,
                        "owner": self.cleaned_data.get(f"action_{n}_owner", "").strip(),
                        "due_on": self.cleaned_data.get(f"action_{n}_due_on"),
                    }
                )
        return actions

    def meeting_fields(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in ("date", "title", "attendees", "minutes")}


class ActionDoneForm(forms.Form):
    done_on = _date(_("Date done"), _("Enter the date the action was done"), initial=_today)
