"""The GOV.UK template tags render the real GOV.UK markup for Django forms."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.template import Context, Template, TemplateSyntaxError
from django.template.loader import get_template
from django.test import RequestFactory
from django.urls import include, path
from django.utils import timezone, translation

# A stand-in URLconf for rendering core/base.html on its own (see the base layout tests).
urlpatterns = [
    path(
        "accounts/",
        include(([path("logout/", lambda r: HttpResponse(), name="logout")], "accounts")),
    ),
    path("", include("lantern.core.urls")),  # the footer links to the accessibility statement
]


class ExampleForm(forms.Form):
    name = forms.CharField(label="Full name", help_text="As it appears on records", max_length=50)
    email = forms.EmailField(required=False)
    notified_on = forms.DateField(label="Date notified", widget=forms.DateInput)
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("yes", "Hold a review"), ("no", "Do not hold a review")],
        widget=forms.RadioSelect,
        help_text="The board's decision",
    )
    agencies = forms.MultipleChoiceField(
        choices=[("police", "Police"), ("health", "Health"), ("housing", "Housing")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    confirm = forms.BooleanField(label="I confirm", help_text="Tick to confirm")
    area = forms.ChoiceField(choices=[("", "Choose an area"), ("north", "North")])
    summary = forms.CharField(widget=forms.Textarea)
    report = forms.FileField(required=False)
    count = forms.IntegerField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput, required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)


def render(source: str, **context) -> str:
    return Template("{% load govuk %}" + source).render(Context(context))


def squash(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


def group_for(html: str, field_id: str) -> str:
    """The form-group markup that holds the element with this id."""
    groups = re.split(r'(?=<div class="govuk-form-group)', html)
    matches = [g for g in groups if f'id="{field_id}"' in g]
    assert matches, f"no form group for {field_id}"
    return matches[0]


def input_tag(html: str, field_id: str) -> str:
    match = re.search(rf'<(input|select|textarea)\b[^>]*\bid="{field_id}"[^>]*>', html)
    assert match, f"no control with id {field_id}"
    return match.group(0)


@pytest.fixture
def invalid_form() -> ExampleForm:
    form = ExampleForm(data={"name": "", "decision": "", "notified_on": "2024-03-03"})
    assert not form.is_valid()
    return form


# govuk_error_summary


def test_error_summary_renders_nothing_for_an_unbound_form():
    assert render("{% govuk_error_summary form %}", form=ExampleForm()).strip() == ""


def test_error_summary_renders_nothing_for_a_valid_form():
    form = ExampleForm(
        data={
            "name": "Sam",
            "notified_on": "2024-03-03",
            "decision": "yes",
            "confirm": "on",
            "area": "north",
            "summary": "Text",
        }
    )
    assert form.is_valid(), form.errors
    assert render("{% govuk_error_summary form %}", form=form).strip() == ""


def test_error_summary_links_every_field_error(invalid_form):
    html = render("{% govuk_error_summary form %}", form=invalid_form)
    assert 'class="govuk-error-summary"' in html
    assert 'data-module="govuk-error-summary"' in html
    assert 'role="alert"' in html
    assert "There is a problem" in html
    links = re.findall(r'<a href="(#[^"]+)">([^<]+)</a>', html)
    assert [href for href, _ in links] == [
        "#id_name",
        "#id_decision",
        "#id_confirm",
        "#id_area",
        "#id_summary",
    ]
    assert all(text == "This field is required." for _, text in links)


def test_error_summary_lists_non_field_errors_first():
    class DatesForm(forms.Form):
        start = forms.DateField()
        end = forms.DateField()

        def clean(self):
            raise forms.ValidationError("The end must be after the start")

    form = DatesForm(data={"start": "2024-03-03", "end": ""})
    assert not form.is_valid()
    html = squash(render("{% govuk_error_summary form %}", form=form))
    items = re.findall(r"<li>(.*?)</li>", html)
    assert items[0] == '<a href="#id_start">The end must be after the start</a>'
    assert items[1] == '<a href="#id_end">This field is required.</a>'


def test_error_summary_uses_the_form_prefix_in_links():
    form = ExampleForm(prefix="review", data={})
    assert not form.is_valid()
    html = render("{% govuk_error_summary form %}", form=form)
    assert 'href="#id_review-name"' in html
    assert 'href="#id_name"' not in html


def test_error_summary_escapes_error_text():
    class EvilForm(forms.Form):
        name = forms.CharField()

        def clean_name(self):
            raise forms.ValidationError("<script>alert(1)</script>")

    form = EvilForm(data={"name": "x"})
    assert not form.is_valid()
    html = render("{% govuk_error_summary form %}", form=form)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


# govuk_field: text inputs, hints and errors


def test_text_input_with_hint_is_described_by_the_hint():
    html = render("{% govuk_field form.name %}", form=ExampleForm())
    assert '<div class="govuk-form-group">' in html
    assert '<label class="govuk-label" for="id_name">Full name</label>' in html
    assert '<div id="id_name-hint" class="govuk-hint">As it appears on records</div>' in html
    tag = input_tag(html, "id_name")
    assert 'type="text"' in tag
    assert 'class="govuk-input"' in tag
    assert 'aria-describedby="id_name-hint"' in tag
    assert 'name="name"' in tag
    assert 'maxlength="50"' in tag
    assert "govuk-error-message" not in html
    assert "govuk-form-group--error" not in html


def test_invalid_text_input_gets_error_classes_and_message(invalid_form):
    html = render("{% govuk_field form.name %}", form=invalid_form)
    assert '<div class="govuk-form-group govuk-form-group--error">' in html
    assert (
        '<p id="id_name-error" class="govuk-error-message">'
        '<span class="govuk-visually-hidden">Error:</span> This field is required.</p>'
    ) in html
    tag = input_tag(html, "id_name")
    assert 'class="govuk-input govuk-input--error"' in tag
    assert 'aria-describedby="id_name-hint id_name-error"' in tag
    assert 'aria-invalid="true"' in tag
    # Hint comes before the error message, which comes before the input.
    assert html.index("id_name-hint") < html.index("id_name-error") < html.index("<input")


def test_valid_field_of_an_invalid_form_has_no_error_markup(invalid_form):
    html = render("{% govuk_field form.notified_on %}", form=invalid_form)
    assert "govuk-form-group--error" not in html
    assert "govuk-input--error" not in html
    assert "aria-describedby" not in html


def test_label_and_input_classes_are_added():
    html = render(
        '{% govuk_field form.name label_class="govuk-label--m" '
        'input_class="govuk-input--width-10" %}',
        form=ExampleForm(),
    )
    assert '<label class="govuk-label govuk-label--m" for="id_name">' in html
    assert 'class="govuk-input govuk-input--width-10"' in input_tag(html, "id_name")


def test_label_as_page_heading():
    html = render("{% govuk_field form.name heading=True %}", form=ExampleForm())
    assert re.search(r'<h1 class="govuk-label-wrapper"><label class="govuk-label"', html)


def test_optional_fields_say_so():
    html = render("{% govuk_field form.email %}", form=ExampleForm())
    assert ">Email (optional)</label>" in html
    assert 'type="email"' in input_tag(html, "id_email")


@pytest.mark.parametrize(
    ("field", "input_type"),
    [("count", "number"), ("secret", "password"), ("email", "email")],
)
def test_text_like_inputs_are_govuk_inputs(field, input_type):
    html = render("{% govuk_field field %}", field=ExampleForm()[field])
    tag = input_tag(html, f"id_{field}")
    assert f'type="{input_type}"' in tag
    assert "govuk-input" in tag


def test_value_is_kept_and_escaped():
    form = ExampleForm(data={"name": '"><b>x'})
    html = render("{% govuk_field form.name %}", form=form)
    assert 'value="&quot;&gt;&lt;b&gt;x"' in input_tag(html, "id_name")


def test_label_is_escaped():
    class LabelForm(forms.Form):
        name = forms.CharField(label="<i>Name</i>")

    html = render("{% govuk_field form.name %}", form=LabelForm())
    assert "&lt;i&gt;Name&lt;/i&gt;" in html


def test_existing_widget_classes_are_kept():
    class StyledForm(forms.Form):
        code = forms.CharField(widget=forms.TextInput(attrs={"class": "lantern-code"}))

    html = render("{% govuk_field form.code %}", form=StyledForm())
    assert 'class="lantern-code govuk-input"' in input_tag(html, "id_code")


# govuk_field: the other components


def test_date_input_is_a_native_date_input_with_an_iso_value():
    with translation.override("en-gb"):
        form = ExampleForm(initial={"notified_on": datetime.date(2024, 3, 3)})
        html = render("{% govuk_field form.notified_on %}", form=form)
    tag = input_tag(html, "id_notified_on")
    assert 'type="date"' in tag
    assert 'value="2024-03-03"' in tag
    assert "govuk-input" in tag
    # The form's own widget is left as it was.
    assert form.fields["notified_on"].widget.input_type == "text"


def test_date_input_round_trips_iso_input():
    form = ExampleForm(data={"notified_on": "2024-03-03"})
    form.is_valid()
    assert form.cleaned_data["notified_on"] == datetime.date(2024, 3, 3)


def test_textarea(invalid_form):
    html = render("{% govuk_field form.summary %}", form=invalid_form)
    tag = input_tag(html, "id_summary")
    assert tag.startswith("<textarea")
    assert 'class="govuk-textarea govuk-textarea--error"' in tag
    assert 'aria-describedby="id_summary-error"' in tag
    assert "govuk-form-group--error" in html


def test_select_keeps_its_options_and_selection():
    form = ExampleForm(data={"area": "north"})
    html = render("{% govuk_field form.area %}", form=form)
    tag = input_tag(html, "id_area")
    assert tag.startswith("<select")
    assert 'class="govuk-select"' in tag
    assert '<option value="north" selected>North</option>' in html


def test_select_with_error(invalid_form):
    html = render("{% govuk_field form.area %}", form=invalid_form)
    assert 'class="govuk-select govuk-select--error"' in input_tag(html, "id_area")


def test_radios_are_a_fieldset_with_govuk_radios():
    form = ExampleForm(data={"decision": "no"})
    html = render('{% govuk_field form.decision label_class="govuk-label--l" %}', form=form)
    assert '<fieldset class="govuk-fieldset" aria-describedby="id_decision-hint">' in html
    assert (
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--l">Decision</legend>' in html
    )
    assert '<div class="govuk-radios" data-module="govuk-radios">' in html
    items = re.findall(r'<div class="govuk-radios__item">(.*?)</div>', html, re.S)
    assert len(items) == 2
    first, second = (squash(i) for i in items)
    assert re.search(r'<input type="radio" name="decision" value="yes" id="id_decision"', first)
    assert 'class="govuk-radios__input"' in first
    assert '<label class="govuk-label govuk-radios__label" for="id_decision">' in first
    assert "Hold a review</label>" in first
    assert 'id="id_decision-2"' in second
    assert "checked" in second
    assert "checked" not in first


def test_radios_with_error_and_inline_modifier(invalid_form):
    html = render(
        '{% govuk_field form.decision input_class="govuk-radios--inline" %}', form=invalid_form
    )
    assert "govuk-form-group--error" in html
    assert 'aria-describedby="id_decision-hint id_decision-error"' in html
    assert '<div class="govuk-radios govuk-radios--inline" data-module="govuk-radios">' in html
    assert '<p id="id_decision-error" class="govuk-error-message">' in html


def test_checkboxes_for_multiple_choice():
    form = ExampleForm(data={"agencies": ["police", "housing"]})
    html = render("{% govuk_field form.agencies %}", form=form)
    assert '<div class="govuk-checkboxes" data-module="govuk-checkboxes">' in html
    assert ">Agencies (optional)</legend>" in html
    inputs = re.findall(r'<input type="checkbox"[^>]*>', html)
    assert len(inputs) == 3
    assert [bool(re.search(r"\bchecked\b", i)) for i in inputs] == [True, False, True]
    assert all("govuk-checkboxes__input" in i for i in inputs)
    assert ['id="id_agencies"' in inputs[0], 'id="id_agencies-3"' in inputs[2]] == [True, True]
    assert 'for="id_agencies-2"' in html


def test_single_checkbox(invalid_form):
    html = render("{% govuk_field form.confirm %}", form=invalid_form)
    assert '<div class="govuk-checkboxes" data-module="govuk-checkboxes">' in html
    assert '<div class="govuk-checkboxes__item">' in html
    tag = input_tag(html, "id_confirm")
    assert 'type="checkbox"' in tag
    assert "govuk-checkboxes__input" in tag
    assert 'aria-describedby="id_confirm-hint id_confirm-error"' in tag
    assert '<label class="govuk-label govuk-checkboxes__label" for="id_confirm">I confirm' in html
    assert 'class="govuk-hint govuk-checkboxes__hint"' in html
    assert "govuk-form-group--error" in html
    assert "(optional)" not in html


def test_file_upload():
    class UploadForm(forms.Form):
        report = forms.FileField()

    form = UploadForm(data={}, files={"report": SimpleUploadedFile("a.txt", b"")})
    assert not form.is_valid()  # empty file
    html = render("{% govuk_field form.report %}", form=form)
    tag = input_tag(html, "id_report")
    assert 'type="file"' in tag
    assert 'class="govuk-file-upload govuk-file-upload--error"' in tag
    html = render("{% govuk_field form.report %}", form=ExampleForm())
    assert 'class="govuk-file-upload"' in input_tag(html, "id_report")


def test_hidden_field_is_only_the_input():
    html = render("{% govuk_field form.token %}", form=ExampleForm())
    assert html.strip() == '<input type="hidden" name="token" id="id_token">'


def test_govuk_field_rejects_a_form():
    with pytest.raises(TemplateSyntaxError):
        render("{% govuk_field form %}", form=ExampleForm())


def test_error_summary_links_reach_the_rendered_controls(invalid_form):
    html = render(
        "{% govuk_error_summary form %}{% for field in form %}{% govuk_field field %}{% endfor %}",
        form=invalid_form,
    )
    for href in re.findall(r'<a href="#([^"]+)">', html):
        assert f'id="{href}"' in html


# govuk_tag and govuk_date


def test_govuk_tag_with_colour():
    assert render('{% govuk_tag "Overdue" "red" %}') == (
        '<strong class="govuk-tag govuk-tag--red">Overdue</strong>'
    )


def test_govuk_tag_without_colour_and_escaping():
    assert render("{% govuk_tag text %}", text="<b>New</b>") == (
        '<strong class="govuk-tag">&lt;b&gt;New&lt;/b&gt;</strong>'
    )


def test_govuk_tag_rejects_a_class_injection():
    with pytest.raises(TemplateSyntaxError):
        render('{% govuk_tag "x" colour %}', colour='red" onclick="x')


def test_govuk_date():
    with translation.override("en-gb"):
        assert render("{{ d|govuk_date }}", d=datetime.date(2024, 3, 3)) == "3 March 2024"
        assert render("{{ d|govuk_date }}", d=None) == ""
        assert render("{{ d|govuk_date }}", d="") == ""


def test_govuk_date_uses_local_time_for_datetimes():
    # 23:30 UTC on 31 March 2024 is already 1 April in London (BST).
    moment = datetime.datetime(2024, 3, 31, 23, 30, tzinfo=datetime.UTC)
    with translation.override("en-gb"), timezone.override(ZoneInfo("Europe/London")):
        assert render("{{ d|govuk_date }}", d=moment) == "1 April 2024"


# core/base.html


class FakeUser:
    is_authenticated = True
    display_name = "Alex Coordinator"

    def get_username(self):
        return "alex"


class FakeMessage:
    def __init__(self, text, level_tag):
        self.text, self.level_tag = text, level_tag

    def __str__(self):
        return self.text


def render_base(**extra) -> str:
    request = RequestFactory().get("/reviews/")
    request.csp_nonce = "n0nce"
    context = {"request": request, "csrf_token": "tok123", "LANGUAGE_CODE": "en-gb", **extra}
    return get_template("core/base.html").render(context)


def test_base_layout_for_a_signed_out_visitor():
    html = render_base()
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en-gb" class="govuk-template">' in html
    assert "<title> - Lantern</title>" in html
    assert '<body class="govuk-template__body" hx-headers=\'{"X-CSRFToken": "tok123"}\'>' in html
    assert '<script nonce="n0nce">document.body.className' in html
    assert 'href="#main-content" class="govuk-skip-link"' in html
    assert '<span class="govuk-header__product-name">Lantern</span>' in html
    assert '<main class="govuk-main-wrapper" id="main-content">' in html
    assert "Alpha" in html
    assert "Lantern is open source software (MIT)" in html
    assert ">Accessibility</a>" in html and ">Privacy</a>" in html
    assert 'src="/static/govuk/govuk-frontend.min.js"' in html
    assert '<script type="module" src="/static/js/init.js">' in html
    assert '<script src="/static/js/htmx.min.js" defer>' in html
    assert 'href="/static/govuk/govuk-frontend.min.css"' in html
    # Not GOV.UK: no crown, no sign-out, no navigation, no demo notice.
    assert "crown" not in html.lower()
    assert "Sign out" not in html
    assert "govuk-service-navigation" not in html
    assert "Demo data" not in html
    # The only inline script is the nonce'd one.
    assert len(re.findall(r"<script(?![^>]*\bsrc=)", html)) == 1


def test_base_layout_without_a_nonce_has_no_inline_script():
    request = RequestFactory().get("/")
    html = get_template("core/base.html").render({"request": request})
    assert len(re.findall(r"<script(?![^>]*\bsrc=)", html)) == 0


@pytest.mark.urls(__name__)
def test_base_layout_for_a_signed_in_user():
    nav = [
        {"text": "Reviews", "href": "/reviews/", "active": True},
        {"text": "Your account", "href": "/accounts/profile/", "active": False},
    ]
    html = render_base(user=FakeUser(), service_nav=nav, demo_mode=True)
    assert "Alex Coordinator" in html
    form = squash(
        re.search(r'<form method="post" action="/accounts/logout/".*?</form>', html, re.S)[0]
    )
    assert 'name="csrfmiddlewaretoken" value="tok123"' in form
    assert 'type="submit"' in form and "Sign out</button>" in form
    assert 'data-module="govuk-service-navigation"' in html
    active, other = re.findall(
        r'<li class="govuk-service-navigation__item[^"]*">.*?</li>', html, re.S
    )
    assert "govuk-service-navigation__item--active" in active
    assert 'aria-current="true"' in active and 'href="/reviews/"' in active
    assert "govuk-service-navigation__item--active" not in other
    assert 'href="/accounts/profile/"' in other
    assert "Demo data: every person in this service is fictional" in html


def test_base_layout_messages_are_notification_banners():
    html = render_base(
        messages=[FakeMessage("Review saved", "success"), FakeMessage("Check the dates", "info")]
    )
    success, important = re.findall(
        r'<div class="govuk-notification-banner[^"]*".*?</p>', html, re.S
    )
    assert "govuk-notification-banner--success" in success
    assert 'role="alert"' in success and "Success" in success and "Review saved" in success
    assert "--success" not in important
    assert 'role="region"' in important and "Important" in important
    assert "Check the dates" in important


def test_base_layout_blocks():
    html = Template(
        '{% extends "core/base.html" %}'
        "{% block title %}Reviews{% endblock %}"
        '{% block head_extra %}<meta name="x-head">{% endblock %}'
        "{% block breadcrumbs %}<nav>crumbs</nav>{% endblock %}"
        "{% block before_content %}<p>before</p>{% endblock %}"
        "{% block content %}<h1>Body</h1>{% endblock %}"
        '{% block body_end %}<script type="module" src="/x.js"></script>{% endblock %}'
    ).render(Context({}))
    assert "<title>Reviews - Lantern</title>" in html
    assert html.index('<meta name="x-head">') < html.index("</head>")
    assert html.index("crumbs") < html.index("before") < html.index('id="main-content"')
    assert html.index('id="main-content"') < html.index("<h1>Body</h1>") < html.index("</main>")
    assert html.index('src="/x.js"') > html.index("</footer>")
