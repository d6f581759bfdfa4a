"""Forms for the review's life: notification, people, agencies, criteria, decision, stages, QA.

Forms parse and check the shape of input only; the domain rules are in `reviews.services`, whose
ValidationErrors are put back onto these forms with `add_service_errors`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.boundfield import BoundField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantern.accounts.models import Organisation
from lantern.core.models import AuditEvent
from lantern.reviews.criteria import CriteriaInput
from lantern.reviews.models import (
    DeathType,
    Decision,
    LegalTest,
    Person,
    Review,
    ReviewType,
    Stage,
)

# --- helpers -----------------------------------------------------------------------------------


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError onto `form`: keys naming a field go to that field."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            if field in form.fields:
                form.add_error(field, messages)
            elif field == NON_FIELD_ERRORS:
                form.add_error(None, messages)
            else:
                # A rule about something the form does not ask for: name it, or the message
                # ("This field cannot be blank.") would not say what to fix.
                name = field.replace("_", " ").capitalize()
                form.add_error(None, [f"{name}: {m}" for m in messages])
    else:
        form.add_error(None, error.messages)


def conditional_radio_items(
    bound_field: BoundField, conditionals: dict[str, list[BoundField]]
) -> list[dict[str, Any]]:
    """The options of a RadioSelect field, GOV.UK style, with conditionally revealed fields.

    Ids follow GOV.UK Frontend (and `{% govuk_field %}`): the first option takes the field's own
    id so that the error summary can link to it, later ones "<id>-2", "<id>-3"...
    """
    field_id = bound_field.auto_id or bound_field.html_name
    items = []
    for index, subwidget in enumerate(bound_field.subwidgets):
        option_id = field_id if index == 0 else f"{field_id}-{index + 1}"
        data = dict(subwidget.data)
        attrs = dict(data.get("attrs") or {})
        attrs["id"] = option_id
        attrs["class"] = "govuk-radios__input"
        revealed = conditionals.get(str(data["value"]), [])
        conditional_id = f"conditional-{option_id}" if revealed else ""
        if conditional_id:
            attrs["data-aria-controls"] = conditional_id
        data["attrs"] = attrs
        option = type(subwidget)(subwidget.parent_widget, data, subwidget.renderer)
        items.append(
            {
                "id": option_id,
                "label": data["label"],
                "tag": option.tag(),
                "conditional_id": conditional_id,
                "conditional_fields": revealed,
            }
        )
    return items


def _not_in_future(value: date | None) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(_("The date must be today or in the past."))


def _date(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(),
        validators=[_not_in_future],
        error_messages={
            "required": _("Enter the %(label)s") % {"label": str(label).lower()},
            "invalid": _("Enter a real date, for example 27 3 2024."),
        },
    )


def _text(label: Any, *, required: bool = False, max_length: int = 200, **kw: Any) -> Any:
    return forms.CharField(label=label, required=required, max_length=max_length, **kw)


def _textarea(label: Any, *, required: bool = False, help_text: Any = "", rows: int = 5) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


TRI_STATE = [("yes", _("Yes")), ("no", _("No")), ("unknown", _("Not known yet"))]
_TRI_VALUE = {"yes": True, "no": False, "unknown": None}


def tri_state(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "unknown"}[value]


NOTIFICATION_SOURCES = Review._meta.get_field("notification_source").choices

# --- notification and review details ----------------------------------------------------------


class NotifyForm(forms.Form):
    csp = forms.ModelChoiceField(
        label=_("Community Safety Partnership"),
        queryset=Organisation.objects.filter(type=Organisation.Type.CSP),
        empty_label=_("Choose the partnership"),
        help_text=_("The partnership for the area where the person lived"),
        error_messages={"required": _("Choose the Community Safety Partnership")},
    )
    review_type = forms.ModelChoiceField(
        label=_("Type of review"),
        queryset=ReviewType.objects.filter(active=True),
        empty_label=None,
        error_messages={"required": _("Choose the type of review")},
    )
    notification_date = _date(_("Date notified"))
    notification_source = forms.ChoiceField(
        label=_("Who is notifying the partnership?"),
        choices=NOTIFICATION_SOURCES,
        widget=forms.RadioSelect,
        initial="police",
        error_messages={"required": _("Say who is notifying the partnership")},
    )
    notifying_agency = forms.ModelChoiceField(
        label=_("Notifying agency"),
        queryset=Organisation.objects.exclude(type=Organisation.Type.CSP),
        required=False,
        empty_label=_("Not listed or not an agency"),
    )
    notifier_name = _text(
        _("Name of the person notifying"),
        required=True,
        help_text=_("The person the coordinator should contact about this notification"),
        error_messages={"required": _("Enter the name of the person notifying")},
    )
    notifier_contact = _text(
        _("Their contact details"),
        required=True,
        max_length=300,
        help_text=_("A telephone number or email address"),
        error_messages={"required": _("Enter the contact details of the person notifying")},
    )
    date_of_death = _date(_("Date of death"), required=False)
    death_type = forms.ChoiceField(
        label=_("Type of death"), choices=DeathType.choices, initial=DeathType.UNKNOWN
    )
    place_of_death = _text(_("Place of death"), max_length=300)
    circumstances = _textarea(
        _("What is known of the death and the people involved"),
        help_text=_(
            "Who died, who is suspected, how they were connected, and which agencies knew them. "
            "Facts known now; it is fine to say what is not yet known."
        ),
        rows=8,
    )
    pseudonym = _text(
        _("Pseudonym for the person who died"),
        max_length=100,
        help_text=_("If one has been agreed with the family. It can be added later."),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["notification_date"].initial = timezone.localdate()
        dhr = self.fields["review_type"].queryset.filter(slug="dhr").first()
        if dhr is not None:
            self.fields["review_type"].initial = dhr.pk
        # Most often the person filling in the form is the notifier.
        if user is not None and getattr(user, "pk", None):
            self.fields["notifier_name"].initial = user.display_name
            self.fields["notifier_contact"].initial = user.email
            if user.organisation_id and not user.organisation.is_csp:
                self.fields["notifying_agency"].initial = user.organisation_id


class ReviewEditForm(forms.Form):
    title = _text(_("Title"), required=True, max_length=300)
    pseudonym = _text(_("Pseudonym of the person who died"), max_length=100)
    notification_date = _date(_("Date notified"))
    notification_source = forms.ChoiceField(
        label=_("Notified by"), choices=NOTIFICATION_SOURCES, widget=forms.RadioSelect
    )
    notifier_name = _text(_("Name of notifier"))
    notifier_contact = _text(_("Notifier's contact details"), max_length=300)
    date_of_death = _date(_("Date of death"), required=False)
    death_type = forms.ChoiceField(label=_("Type of death"), choices=DeathType.choices)
    place_of_death = _text(_("Place of death"), max_length=300)
    circumstances = _textarea(_("What is known of the death"), rows=8)
    legal_test = forms.ChoiceField(
        label=_("Legal test"), choices=LegalTest.choices, widget=forms.RadioSelect
    )
    joint_with = _text(
        _("Joint review with"),
        max_length=100,
        help_text=_(
            "For example a Safeguarding Adults Review or Child Safeguarding Practice Review"
        ),
    )
    publication_url = forms.URLField(
        label=_("Address of the published report"), required=False, assume_scheme="https"
    )
    retention_years = forms.IntegerField(
        label=_("Years to keep the review's records after it closes"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_(
            "Leave blank for the partnership's standard period. After it, personal data and "
            "files are purged unless a legal hold is placed (lantern retention)."
        ),
    )
    co_commissioners = forms.ModelMultipleChoiceField(
        label=_("Commissioned jointly with"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Other partnerships or a Safeguarding Adults Board commissioning this review with "
            "you. Their coordinators and board members will see it as yours do."
        ),
    )

    def __init__(self, *args: Any, review: Review | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from lantern.reviews.services import COMMISSIONER_TYPES

        qs = Organisation.objects.filter(type__in=COMMISSIONER_TYPES).order_by("name")
        if review is not None:
            qs = qs.exclude(pk=review.csp_id)
        self.fields["co_commissioners"].queryset = qs

    @classmethod
    def initial_for(cls, review: Review) -> dict[str, Any]:
        initial = {
            name: getattr(review, name) for name in cls.base_fields if name != "co_commissioners"
        }
        initial["co_commissioners"] = list(review.co_commissioners.all())
        return initial


# --- people and agencies -----------------------------------------------------------------------


class PersonForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role in the review"),
        choices=Person.Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the person's role in the review")},
    )
    pseudonym = _text(
        _("Pseudonym"),
        max_length=100,
        help_text=_("The name used for this person in the review's documents"),
    )
    real_name = _text(_("Real name"))
    aliases = _text(
        _("Other names"),
        max_length=500,
        help_text=_("Names they were also known by, separated by commas"),
    )
    date_of_birth = _date(_("Date of birth"), required=False)
    perpetrator_relationship = forms.ChoiceField(
        label=_("Relationship to the person who died"),
        choices=[("", _("Choose a relationship"))] + list(Person.Relationship.choices),
        required=False,
        help_text=_("The perpetrator's relationship to the person who died"),
    )
    relationship_child = _text(
        _("Relationship to the person who died"),
        max_length=100,
        help_text=_("For example, daughter, stepson"),
    )
    relationship_family = _text(
        _("Relationship to the person who died"),
        max_length=100,
        help_text=_("For example, sister, mother-in-law"),
    )
    relationship_other = _text(
        _("Relationship to the person who died"),
        max_length=100,
        help_text=_("For example, neighbour, friend, carer"),
    )
    sex = _text(_("Sex"), max_length=30)
    ethnicity = _text(_("Ethnicity"), max_length=100)
    notes = _textarea(_("Notes"), rows=4)

    REAL_NAME_FIELDS = ("real_name", "aliases", "date_of_birth", "sex", "ethnicity", "notes")

    def __init__(self, *args: Any, show_real_names: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.show_real_names = show_real_names
        if not show_real_names:
            for name in self.REAL_NAME_FIELDS:
                del self.fields[name]

    @staticmethod
    def initial_for(person: Person) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "role": person.role,
            "pseudonym": person.pseudonym,
            "real_name": person.real_name,
            "aliases": ", ".join(person.aliases or []),
            "date_of_birth": person.date_of_birth,
            "sex": person.sex,
            "ethnicity": person.ethnicity,
            "notes": person.notes,
        }
        field = PersonForm.RELATIONSHIP_FIELDS.get(person.role)
        if field is not None:
            initial[field] = person.relationship_to_victim
        return initial

    # Where each role's relationship is asked: a list for a perpetrator (the criteria need a
    # code), free text for anyone else; the person who died has none.
    RELATIONSHIP_FIELDS = {
        Person.Role.PERPETRATOR: "perpetrator_relationship",
        Person.Role.CHILD: "relationship_child",
        Person.Role.FAMILY: "relationship_family",
        Person.Role.OTHER: "relationship_other",
    }

    @property
    def role_items(self) -> list[dict[str, Any]]:
        return conditional_radio_items(
            self["role"],
            {role: [self[field]] for role, field in self.RELATIONSHIP_FIELDS.items()},
        )

    def service_kwargs(self) -> dict[str, Any]:
        """The cleaned data in the shape `person_add` and `person_update` take."""
        data = dict(self.cleaned_data)
        answers = {field: data.pop(field, "") for field in self.RELATIONSHIP_FIELDS.values()}
        field = self.RELATIONSHIP_FIELDS.get(data["role"])
        data["relationship_to_victim"] = answers[field] if field else ""
        if "aliases" in data:
            data["aliases"] = [a.strip() for a in data["aliases"].split(",") if a.strip()]
        return data


class AgencyForm(forms.Form):
    name = _text(
        _("Agency name"),
        required=True,
        error_messages={"required": _("Enter the agency's name")},
    )
    type = forms.ChoiceField(
        label=_("Type of agency"),
        choices=[c for c in Organisation.Type.choices if c[0] != Organisation.Type.CSP],
        initial=Organisation.Type.OTHER,
    )


# --- criteria and decision ---------------------------------------------------------------------

# Translatable labels for the criteria codes (the criteria package is Django-free and leaves
# translation to the layer that shows its codes). Test: keys match `criteria.RELATIONSHIPS`.
RELATIONSHIP_LABELS: dict[str, Any] = {
    "current_partner": _("Current partner (including spouse, civil partner or fiancé(e))"),
    "former_partner": _("Former partner (including former spouse or civil partner)"),
    "son_or_daughter": _("Son or daughter"),
    "grandchild": _("Grandchild"),
    "parent": _("Parent"),
    "sibling": _("Brother or sister"),
    "other_relative": _("Other relative (including step-relatives and in-laws)"),
    "household_member": _("Member of the same household (not a relative or partner)"),
    "shared_parent": _("Parent of the same child (not a partner)"),
    "none": _("No connection (stranger or acquaintance)"),
    "unknown": _("Not known yet"),
}

DEATH_TYPE_LABELS: dict[str, Any] = {
    "homicide": _("Homicide (killed by another person)"),
    "suicide": _("Suicide (took their own life)"),
    "homicide_suicide": _("Homicide followed by the perpetrator's suicide"),
    "unexplained": _("Unexplained or not yet explained"),
    "other": _("Other (for example, death following neglect)"),
    "unknown": _("Not known yet"),
}


class CriteriaForm(forms.Form):
    legal_test = forms.ChoiceField(
        label=_("Legal test"), choices=LegalTest.choices, widget=forms.RadioSelect
    )
    victim_age = forms.IntegerField(
        label=_("Age of the person who died"),
        required=False,
        min_value=0,
        max_value=130,
        help_text=_("Leave blank if not known yet"),
    )
    relationship = forms.ChoiceField(
        label=_("How was the (suspected) perpetrator connected to the person who died?"),
        choices=list(RELATIONSHIP_LABELS.items()),
        initial="unknown",
        help_text=_("The perpetrator's relationship to the person who died"),
    )
    death_type = forms.ChoiceField(
        label=_("Type of death"), choices=list(DEATH_TYPE_LABELS.items()), initial="unknown"
    )
    abuse_indicated = forms.ChoiceField(
        label=_("Has the death resulted, or does it appear to have resulted, from abuse?"),
        help_text=_("“Appears to have” is a low bar (High Court, Charnwood, 2025)"),
        choices=TRI_STATE,
        widget=forms.RadioSelect,
        initial="unknown",
    )
    perpetrator_age = forms.IntegerField(
        label=_("Age of the (suspected) perpetrator at the time of the abuse"),
        required=False,
        min_value=0,
        max_value=130,
        help_text=_("Needed for the Domestic Abuse Act 2021 test. Leave blank if not known yet"),
    )
    police_nfa = forms.BooleanField(
        label=_("Police found no third-party involvement, or took no further action"),
        required=False,
    )
    accidental_or_open_verdict = forms.BooleanField(
        label=_("The inquest returned an accidental death or open verdict"), required=False
    )
    concerns_of_coercive_control = forms.ChoiceField(
        label=_("Are there concerns of coercive control?"),
        choices=TRI_STATE,
        widget=forms.RadioSelect,
        initial="unknown",
    )

    @staticmethod
    def initial_for(review: Review, previous: dict[str, Any] | None) -> dict[str, Any]:
        """Start from the last assessment's answers, else from what the review records."""
        if previous:
            initial = dict(previous)
            for name in ("abuse_indicated", "concerns_of_coercive_control"):
                initial[name] = tri_state(initial.get(name))
            initial["legal_test"] = review.legal_test
            return initial
        perpetrator = review.people.filter(role=Person.Role.PERPETRATOR).first()
        relationship = "unknown"
        if perpetrator and perpetrator.relationship_to_victim in RELATIONSHIP_LABELS:
            relationship = perpetrator.relationship_to_victim
        return {
            "legal_test": review.legal_test,
            "death_type": review.death_type,
            "relationship": relationship,
        }

    def to_input(self) -> CriteriaInput:
        data = self.cleaned_data
        return CriteriaInput(
            legal_test=data["legal_test"],
            victim_age=data["victim_age"],
            relationship=data["relationship"],
            death_type=data["death_type"],
            abuse_indicated=_TRI_VALUE[data["abuse_indicated"]],
            perpetrator_age=data["perpetrator_age"],
            police_nfa=data["police_nfa"],
            accidental_or_open_verdict=data["accidental_or_open_verdict"],
            concerns_of_coercive_control=_TRI_VALUE[data["concerns_of_coercive_control"]],
        )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What did the partnership decide?"),
        choices=Decision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the decision")},
    )
    joint_with = _text(
        _("Joint with which review?"),
        max_length=100,
        help_text=_("For example a Safeguarding Adults Review"),
    )
    decided_on = _date(_("Date of the decision"))
    decided_by = _text(
        _("Decided by"),
        required=True,
        help_text=_("The Community Safety Partnership chair, who decides with partners"),
        error_messages={"required": _("Enter who made the decision")},
    )
    consulted = _textarea(
        _("People and agencies consulted"),
        required=True,
        help_text=_("One on each line"),
        rows=5,
    )
    rationale = _textarea(_("Rationale"), required=True, rows=6)
    home_office_informed_on = _date(_("Date the Home Office was told"), required=False)
    family_informed_on = _date(_("Date the family was told"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consulted"].error_messages["required"] = _(
            "Name the partners consulted: a chair deciding alone is rated inadequate"
        )
        self.fields["rationale"].error_messages["required"] = _("Give the rationale")
        # Asked only (and then required) when the decision is a joint review.
        joint = self.fields["joint_with"]
        joint.required = not self.is_bound or self.data.get("outcome") == Decision.Outcome.JOINT
        joint.error_messages["required"] = _("Say which review this is held jointly with")

    @property
    def outcome_items(self) -> list[dict[str, Any]]:
        return conditional_radio_items(
            self["outcome"], {Decision.Outcome.JOINT: [self["joint_with"]]}
        )

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["consulted"] = [line.strip() for line in data["consulted"].splitlines()]
        if data["outcome"] != Decision.Outcome.JOINT:
            data["joint_with"] = ""
        return data


class DecisionDatesForm(forms.Form):
    home_office_informed_on = _date(_("Date the Home Office was told"), required=False)
    family_informed_on = _date(_("Date the family was told"), required=False)
    home_secretary_direction_on = _date(
        _("Date the Home Secretary directed a review"),
        required=False,
        help_text=_("Only if the Home Secretary directed that a review is held"),
    )


# --- stages, QA and audit ----------------------------------------------------------------------


class TransitionForm(forms.Form):
    target = forms.ChoiceField(choices=Stage.choices)
    note = _text(_("Note (optional)"), max_length=300)


QA_OUTCOMES = Review._meta.get_field("qa_outcome").choices


class QaOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What did the Home Office Quality Assurance panel decide?"),
        choices=QA_OUTCOMES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the panel's outcome")},
    )
    letter_received_on = _date(_("Date of the panel's letter"))
    notes = _textarea(_("Notes"), rows=4)


class MonitoringCompleteForm(forms.Form):
    on = _date(_("Date the last action was closed"))
    note = _text(_("Note"), max_length=300)


class AuditFilterForm(forms.Form):
    user = forms.ChoiceField(label=_("User"), required=False)
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("Any action"))] + list(AuditEvent.Action.choices),
    )

    def __init__(self, *args: Any, users: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", _("Anyone"))] + [(u, u) for u in users]


class DashboardFilterForm(forms.Form):
    include_closed = forms.BooleanField(label=_("Include closed reviews"), required=False)
    urgent_only = forms.BooleanField(label=_("Only overdue or due soon"), required=False)
