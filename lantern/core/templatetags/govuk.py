"""GOV.UK Design System rendering for Django forms, tags and dates.

    {% load govuk %}
    {% govuk_error_summary form %}
    {% govuk_field form.email label_class="govuk-label--m" input_class="govuk-input--width-20" %}
    {% govuk_field form.decision heading=True %}
    {% govuk_tag "Overdue" "red" %}
    {{ review.notified_on|govuk_date }}

The widget decides the component: text-like inputs become govuk-input, Textarea govuk-textarea,
Select govuk-select, RadioSelect govuk-radios, CheckboxSelectMultiple govuk-checkboxes, a
CheckboxInput a single govuk-checkboxes item, DateInput a native date input and FileInput
govuk-file-upload. Django still renders the <input>/<select>/<textarea> itself, so values,
`required`, `aria-invalid` and widget attributes behave as in any Django form; this module only
adds the GOV.UK wrapper, classes, hint, error message and aria-describedby.

The ids follow Django's (auto_id, normally "id_<name>"). For radios and checkboxes the first
option gets the field's own id and later ones "<id>-2", "<id>-3", ... as in GOV.UK Frontend,
so the error summary can always link to "#<auto_id>".
"""

from __future__ import annotations

import copy
import re

from django import forms, template
from django.forms.boundfield import BoundField
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html

register = template.Library()

_TEXT_INPUTS = (
    forms.TextInput,
    forms.EmailInput,
    forms.NumberInput,
    forms.PasswordInput,
    forms.URLInput,
    forms.DateTimeInput,
    forms.TimeInput,
)
_SIZE_MODIFIER = re.compile(r"govuk-label--(s|m|l|xl)\b")
_COLOUR = re.compile(r"^[a-z-]*$")


def _join(*classes: str | None) -> str:
    return " ".join(c for c in classes if c)


def _field_id(bound_field: BoundField) -> str:
    """The id the error summary links to: the input itself, or the first option."""
    return bound_field.auto_id or bound_field.html_name


def _kind(widget: forms.Widget) -> str:
    # Order matters: CheckboxSelectMultiple subclasses RadioSelect, FileInput and
    # HiddenInput subclass Input, DateInput subclasses the text-like base input.
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.DateInput):
        return "date"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, _TEXT_INPUTS):
        return "input"
    return "other"


# The component class, and its error modifier, for widgets Django renders whole.
_COMPONENT_CLASSES = {
    "input": ("govuk-input", "govuk-input--error"),
    "date": ("govuk-input", "govuk-input--error"),
    "textarea": ("govuk-textarea", "govuk-textarea--error"),
    "select": ("govuk-select", "govuk-select--error"),
    "file": ("govuk-file-upload", "govuk-file-upload--error"),
    "other": ("", ""),
}


@register.inclusion_tag("core/govuk/error_summary.html")
def govuk_error_summary(form: forms.BaseForm) -> dict:
    """A GOV.UK error summary listing every error of a bound form; nothing when it is valid.

    Field errors link to the field ("#id_<name>"); errors that belong to no field link to
    the form's first visible field.
    """
    items: list[dict] = []
    if form is not None and form.is_bound and form.errors:
        visible = form.visible_fields()
        first_href = f"#{_field_id(visible[0])}" if visible else ""
        for error in form.non_field_errors():
            items.append({"text": error, "href": first_href})
        for bound_field in form:
            for error in bound_field.errors:
                href = "" if bound_field.is_hidden else f"#{_field_id(bound_field)}"
                items.append({"text": error, "href": href})
        # Errors for hidden fields have nowhere to link; show them all the same.
    return {"errors": items}


@register.simple_tag(takes_context=True)
def govuk_field(
    context: template.Context,
    bound_field: BoundField,
    label_class: str = "",
    input_class: str = "",
    heading: bool = False,
) -> str:
    """Render one form field as the GOV.UK component that fits its widget.

    label_class: extra classes for the label or legend, e.g. "govuk-label--m" (for radios and
        checkboxes the matching "govuk-fieldset__legend--m" is used).
    input_class: extra classes for the control, e.g. "govuk-input--width-10", or for radios and
        checkboxes the container, e.g. "govuk-radios--inline" or "govuk-checkboxes--small".
    heading: wrap the label (or legend) in an <h1>, for one-question pages.
    """
    if not isinstance(bound_field, BoundField):
        raise template.TemplateSyntaxError(
            f"govuk_field expects a bound form field, got {type(bound_field).__name__!r}"
        )
    widget = bound_field.field.widget
    kind = _kind(widget)
    if kind == "hidden":
        return bound_field.as_widget()

    field_id = _field_id(bound_field)
    hint_id = f"{field_id}-hint" if bound_field.help_text else ""
    error_id = f"{field_id}-error" if bound_field.errors else ""
    described_by = _join(hint_id, error_id)

    values = {
        "field": bound_field,
        "field_id": field_id,
        "kind": kind,
        "label": bound_field.label,
        "optional": not bound_field.field.required and kind != "checkbox",
        "label_class": label_class,
        "heading": heading,
        "hint_id": hint_id,
        "error_id": error_id,
        "described_by": described_by,
        "errors": bound_field.errors,
    }

    def render(template_name: str) -> str:
        # Like an inclusion tag: the calling template's engine and autoescaping.
        tpl = context.template.engine.get_template(template_name)
        return tpl.render(template.Context(values, autoescape=context.autoescape))

    if kind in ("radios", "checkboxes"):
        base = "govuk-radios" if kind == "radios" else "govuk-checkboxes"
        values.update(
            base=base,
            container_class=_join(base, input_class),
            legend_class=_SIZE_MODIFIER.sub(r"govuk-fieldset__legend--\1", label_class),
            items=_choice_items(bound_field, field_id, f"{base}__input"),
        )
        return render("core/govuk/choices.html")

    widget_attrs = {"id": field_id}
    if described_by:
        widget_attrs["aria-describedby"] = _join(widget.attrs.get("aria-describedby"), described_by)

    if kind == "checkbox":
        widget_attrs["class"] = _join(widget.attrs.get("class"), "govuk-checkboxes__input")
        values.update(
            container_class=_join("govuk-checkboxes", input_class),
            control=bound_field.as_widget(attrs=widget_attrs),
        )
        return render("core/govuk/checkbox.html")

    component, error_class = _COMPONENT_CLASSES[kind]
    classes = _join(
        widget.attrs.get("class"),
        component,
        error_class if bound_field.errors else "",
        input_class,
    )
    if classes:
        widget_attrs["class"] = classes
    render_with = None
    if kind == "date":
        # A native date picker. The value must be ISO (YYYY-MM-DD) for the browser;
        # Django's DateField always accepts ISO input.
        render_with = copy.copy(widget)
        render_with.attrs = dict(widget.attrs)
        render_with.input_type = "date"
        render_with.format = "%Y-%m-%d"
    values["control"] = bound_field.as_widget(widget=render_with, attrs=widget_attrs)
    return render("core/govuk/field.html")


def _choice_items(bound_field: BoundField, field_id: str, input_class: str) -> list[dict]:
    items = []
    for index, subwidget in enumerate(bound_field.subwidgets):
        option_id = field_id if index == 0 else f"{field_id}-{index + 1}"
        data = dict(subwidget.data)
        attrs = dict(data.get("attrs") or {})
        attrs["id"] = option_id
        attrs["class"] = _join(attrs.get("class"), input_class)
        data["attrs"] = attrs
        option = type(subwidget)(subwidget.parent_widget, data, subwidget.renderer)
        items.append({"id": option_id, "label": data["label"], "tag": option.tag()})
    return items


@register.simple_tag
def govuk_tag(text: object, colour: str = "") -> str:
    """<strong class="govuk-tag govuk-tag--{colour}">text</strong>; no colour gives the default."""
    colour = str(colour or "").strip().lower()
    if not _COLOUR.match(colour):
        raise template.TemplateSyntaxError(f"govuk_tag colour {colour!r} is not a colour name")
    classes = _join("govuk-tag", f"govuk-tag--{colour}" if colour else "")
    return format_html('<strong class="{}">{}</strong>', classes, text)


@register.filter(expects_localtime=True, is_safe=False)
def govuk_date(value: object) -> str:
    """A date the GOV.UK way, "3 March 2024"; an empty string for None or ""."""
    if value in (None, ""):
        return ""
    return date_filter(value, "j F Y")
