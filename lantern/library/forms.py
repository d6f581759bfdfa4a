"""Forms of the library pages: search with filters, the upload, a fact's correction."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.library import facts as factlib
from lantern.library import vocab


def _choices(table: dict[str, str], empty: str) -> list[tuple[str, str]]:
    return [("", empty), *((code, str(label)) for code, label in table.items())]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the published reviews"), required=False, max_length=500)
    semantic = forms.BooleanField(
        label=_("Search by meaning (reviews about this, even in other words)"), required=False
    )
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    relationship = forms.ChoiceField(label=_("Relationship"), required=False)
    age_band = forms.ChoiceField(label=_("Victim's age"), required=False)
    death_type = forms.ChoiceField(label=_("Type of death"), required=False)
    sex = forms.ChoiceField(label=_("Victim's sex"), required=False)
    year_from = forms.IntegerField(
        label=_("Died from (year)"), required=False, min_value=1950, max_value=2100
    )
    year_to = forms.IntegerField(
        label=_("to (year)"), required=False, min_value=1950, max_value=2100
    )
    csp = forms.CharField(label=_("Partnership"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anything = str(_("Any"))
        self.fields["theme"].choices = _choices(vocab.THEMES, anything)
        self.fields["relationship"].choices = _choices(vocab.RELATIONSHIPS, anything)
        self.fields["age_band"].choices = _choices(vocab.AGE_BANDS, anything)
        self.fields["death_type"].choices = _choices(vocab.DEATH_TYPES, anything)
        self.fields["sex"].choices = _choices(vocab.SEXES, anything)

    def filters(self) -> dict[str, str]:
        data = self.cleaned_data
        out = {
            key: data.get(key) or ""
            for key in ("theme", "relationship", "age_band", "death_type", "sex", "csp")
        }
        start, end = data.get("year_from"), data.get("year_to")
        if start or end:
            out["year"] = f"{start or ''}-{end or ''}"
        return {k: v for k, v in out.items() if v}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.docx,.html,.htm,.txt"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class IngestForm(forms.Form):
    files = MultipleFileField(
        label=_("Published review documents"),
        help_text=_("PDF, Word (DOCX), web page (HTML) or plain text. You can choose several."),
    )
    source_note = forms.CharField(
        label=_("Where they come from"),
        help_text=_("For example, the partnership's website, and the date you downloaded them."),
        required=False,
        max_length=500,
    )


class CorrectionForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        help_text=_("Why, or where in the document it says so."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def __init__(self, *args: Any, field: str, current: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fact = field
        label = _(factlib.FACT_LABELS.get(field, field))
        if field in factlib.CODED_FACTS:
            value_field: forms.Field = forms.ChoiceField(
                label=label,
                required=False,
                choices=_choices(factlib.CODED_FACTS[field], str(_("Not stated"))),
            )
            initial = current or ""
        elif field in factlib.INT_FACTS:
            value_field = forms.IntegerField(
                label=label, required=False, min_value=0, max_value=10000
            )
            initial = current
        elif field == "themes":
            value_field = forms.MultipleChoiceField(
                label=label,
                required=False,
                choices=[(c, str(v)) for c, v in vocab.THEMES.items()],
                widget=forms.CheckboxSelectMultiple,
            )
            initial = current or []
        elif field == "recommendations":
            value_field = forms.CharField(
                label=label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 12}),
                help_text=_(
                    "One a line. To say whom it is addressed to and its theme, write "
                    "“addressee | theme | text”, with codes such as police | training."
                ),
            )
            initial = "\n".join(
                f"{r.get('addressee', '')} | {r.get('theme', '')} | {r.get('text', '')}"
                if r.get("addressee") or r.get("theme")
                else r.get("text", "")
                for r in current or []
            )
        else:
            value_field = forms.CharField(label=label, required=False, max_length=300)
            initial = current or ""
        self.fields = {"value": value_field, **self.fields}
        self.fields["value"].initial = initial

    def clean(self) -> dict[str, Any]:
        from django.core.exceptions import ValidationError

        data = super().clean()
        if "value" in data:
            try:
                data["value"] = factlib.clean_fact(self.fact, data.get("value"))
            except ValidationError as error:
                for messages in error.message_dict.values():
                    for message in messages:
                        self.add_error("value", message)
        return data
