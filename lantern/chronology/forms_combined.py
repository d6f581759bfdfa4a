"""Forms of the combined chronology: the filters, an entry's edit, the analyst's comment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.chronology.models import ChronologyEntry, EntryFlag, Subject
from lantern.chronology.selectors_entries import SORTS, SUBJECT_FILTERS, EntryFilters


class EntryFilterForm(forms.Form):
    """The combined page's filters, read from the query string. A filter that does not parse
    is reported and left out; the others still apply."""

    q = forms.CharField(
        label=_("Search the text"),
        required=False,
        max_length=200,
        help_text=_("Words in what happened, action, risk or comment"),
    )
    agency = forms.TypedMultipleChoiceField(
        label=_("Agency"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    subject = forms.MultipleChoiceField(
        label=_("Person"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(s.value, s.label) for s in (Subject(v) for v in SUBJECT_FILTERS)],
    )
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput,
        error_messages={"invalid": _("“From” must be a real date")},
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput,
        error_messages={"invalid": _("“To” must be a real date")},
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        widget=forms.RadioSelect,
        choices=[("date", _("Date")), ("agency", _("Agency, then date"))],
    )

    def __init__(
        self,
        *args: Any,
        agencies: list[tuple[int, str]],
        themes: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = agencies
        self.fields["theme"].choices = [("", _("All themes")), *themes]
        if not themes:
            del self.fields["theme"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("“To” must be the same as or after “From”"))
        return data

    def filters(self) -> EntryFilters:
        """The filters that parsed (an unbound form gives no filters)."""
        if not self.is_bound:
            return EntryFilters()
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        sort = data.get("sort") or "date"
        return EntryFilters(
            agencies=tuple(data.get("agency") or ()),
            subjects=tuple(data.get("subject") or ()),
            theme=data.get("theme") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            text=(data.get("q") or "").strip(),
            sort=sort if sort in SORTS else "date",
        )


def _raw(entry: ChronologyEntry, name: str) -> str:
    """An entry's value as a form input holds it."""
    value = getattr(entry, name)
    if value is None:
        return ""
    if name == "time":
        return value.strftime("%H:%M")
    if name == "date":
        return value.isoformat()
    return str(value)


class _EntryChangeForm(forms.Form):
    """A form changing some fields of an entry that remembers the values it was loaded with
    (hidden "initial-" inputs), so that only the fields the person changed are saved; and after
    someone else saved first, their changes can be laid over the entry as it now is."""

    TRACKED: tuple[str, ...] = ()
    PREFIX = ""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, loaded: dict[str, str] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.PREFIX)
        super().__init__(*args, **kwargs)
        for name in self.TRACKED:
            self.fields[name].show_hidden_initial = True
        if loaded is None:
            if self.is_bound:
                loaded = {n: self.data.get(self[n].html_initial_name, "") for n in self.TRACKED}
            else:
                loaded = {n: str(self.initial.get(n, "") or "") for n in self.TRACKED}
        self.loaded = loaded

    @classmethod
    def for_entry(cls, entry: ChronologyEntry) -> Any:
        values = {name: _raw(entry, name) for name in cls.TRACKED}
        return cls(initial={"version": entry.version, **values}, loaded=values)

    @classmethod
    def over(cls, entry: ChronologyEntry, data: Any) -> Any:
        """The person's changes (from `data`, posted against an older version) on top of the
        entry as it is now: saving this form again applies just those changes."""
        posted = cls(data)
        posted.is_valid()
        changed = set(posted.changed_data)
        now = {name: _raw(entry, name) for name in cls.TRACKED}
        merged = data.copy()
        merged[posted["version"].html_name] = str(entry.version)
        for name in cls.TRACKED:
            if name not in changed:
                merged[posted[name].html_name] = now[name]
            merged[posted[name].html_initial_name] = now[name]
        form = cls(merged, loaded=now)
        form.is_valid()
        return form

    def loaded_inputs(self) -> list[tuple[str, str]]:
        """(name, value) of the hidden inputs holding the values the form was loaded with."""
        return [(self[name].html_initial_name, self.loaded.get(name, "")) for name in self.TRACKED]

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.TRACKED if name in self.changed_data}


class EntryEditForm(_EntryChangeForm):
    """The content of an entry: what the agency recorded."""

    PREFIX = "edit"
    TRACKED = (
        "date",
        "date_precision",
        "time",
        "subject",
        "what_happened",
        "action_taken",
        "risk_assessment",
    )
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput,
        help_text=_("For a date known only to the month, enter any day of it and choose “Month”"),
        error_messages={
            "required": _("Enter the date of the contact"),
            "invalid": _("Date must be a real date"),
        },
    )
    date_precision = forms.ChoiceField(
        label=_("How exact is the date?"),
        widget=forms.RadioSelect,
        choices=[
            (ChronologyEntry.Precision.DAY, _("Day")),
            (ChronologyEntry.Precision.MONTH, _("Month only")),
        ],
    )
    time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=forms.TimeInput(format="%H:%M"),
        help_text=_("24-hour time, for example 14:30"),
        error_messages={"invalid": _("Enter the time as a 24-hour time, for example 14:30")},
    )
    subject = forms.ChoiceField(
        label=_("Subject"),
        required=False,
        choices=[(s.value, s.label) for s in Subject],
    )
    what_happened = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Enter what happened")},
    )
    action_taken = forms.CharField(
        label=_("Action taken / outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    risk_assessment = forms.CharField(
        label=_("Risk assessment and referrals"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EntryCommentForm(_EntryChangeForm):
    """The panel's analysis of an entry."""

    PREFIX = "comment"
    TRACKED = ("flag", "analyst_comment")
    flag = forms.ChoiceField(
        label=_("Flag"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            (EntryFlag.NONE, _("No flag")),
            (EntryFlag.MISSED_OPPORTUNITY, EntryFlag.MISSED_OPPORTUNITY.label),
            (EntryFlag.GOOD_PRACTICE, EntryFlag.GOOD_PRACTICE.label),
        ],
    )
    analyst_comment = forms.CharField(
        label=_("Analyst comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
