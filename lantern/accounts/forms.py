"""Forms for the account pages. They parse and check input; the services apply the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lantern.accounts.models import Organisation, OrgRole, ReviewRole, User


def apply_service_errors(form: forms.Form, error: ValidationError, default_field: str = "") -> None:
    """Show a service's ValidationError on the form: on the named field, else `default_field`."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            target = name if name in form.fields else (default_field or None)
            form.add_error(target, messages)
    else:
        form.add_error(default_field or None, error.messages)


class SignInForm(AuthenticationForm):
    """Django's sign-in form (it passes the request to `authenticate`, which django-axes needs).

    One message for every failure, so the page never says whether a username exists.
    """

    error_messages = {
        "invalid_login": _(
            "Enter a correct username and password. If you have forgotten your password, "
            "ask your coordinator."
        ),
        "inactive": _(
            "Enter a correct username and password. If you have forgotten your password, "
            "ask your coordinator."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.label = _("Username")
        username.widget.attrs.pop("autofocus", None)
        username.widget.attrs.update({"spellcheck": "false", "autocomplete": "username"})
        username.error_messages["required"] = _("Enter your username")
        password = self.fields["password"]
        password.label = _("Password")
        password.error_messages["required"] = _("Enter your password")


class ConfirmAppForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code"),
        max_length=10,
        error_messages={"required": _("Enter the 6-digit code from the app")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if not (code.isdigit() and len(code) == 6):
            raise ValidationError(_("The code must be 6 digits, like 123456"))
        return code


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Enter your security code"),
        help_text=_(
            "The 6-digit code your authenticator app shows now, or one of your backup codes."
        ),
        max_length=20,
        error_messages={"required": _("Enter the code from your authenticator app")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )


class CurrentPasswordForm(forms.Form):
    """Asks for the current password before a sensitive change (resetting two-factor)."""

    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your current password")},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("The password is not correct"))
        return password


class ChangePasswordForm(PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": _("Your current password is not correct"),
        "password_mismatch": _("The two new passwords do not match"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
        self.fields["old_password"].error_messages["required"] = _("Enter your current password")
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].help_text = _("At least 12 characters; not a common password")
        self.fields["new_password1"].error_messages["required"] = _("Enter a new password")
        self.fields["new_password2"].label = _("Confirm new password")
        self.fields["new_password2"].help_text = ""
        self.fields["new_password2"].error_messages["required"] = _("Enter the new password again")


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the token"),
        help_text=_("What the token is for, for example “case-management export”."),
        max_length=100,
        error_messages={"required": _("Enter a name for the token")},
    )
    scopes = forms.ChoiceField(
        label=_("What may the token do?"),
        help_text=_("Whatever you choose, it can never do more than you can."),
        choices=[
            ("read write", _("Read and change: anything you can see and change")),
            ("read", _("Read only: it can look, but any change is refused")),
        ],
        initial="read write",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the token may do")},
    )

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        # A post without the choice (made before scopes existed) keeps the old meaning.
        if data is not None and "scopes" not in data:
            data = data.copy()
            data["scopes"] = "read write"
        super().__init__(data, *args, **kwargs)


class NewUserForm(forms.Form):
    """A coordinator or board-member account for a Community Safety Partnership."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        error_messages={"required": _("Enter their first name")},
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        error_messages={"required": _("Enter their last name")},
    )
    email = forms.EmailField(
        label=_("Email address"),
        error_messages={
            "required": _("Enter their email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    username = forms.RegexField(
        label=_("Username"),
        help_text=_("Letters, digits and @ . + - _ only; they use it to sign in."),
        regex=r"^[\w.@+-]+\Z",
        max_length=150,
        error_messages={
            "required": _("Enter a username"),
            "invalid": _("A username can only have letters, digits and @ . + - _"),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    org_role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (OrgRole.COORDINATOR.value, OrgRole.COORDINATOR.label),
            (OrgRole.BOARD_MEMBER.value, OrgRole.BOARD_MEMBER.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose their role")},
    )
    organisation = forms.ModelChoiceField(
        label=_("Community Safety Partnership"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        error_messages={"required": _("Choose the partnership")},
    )

    def __init__(self, *args: Any, partnerships: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partnerships
        self.fields["org_role"].help_text = _(
            "A review coordinator runs reviews and manages accounts. A CSP board member sees the "
            "progress of reviews, never their case material."
        )


class DeactivateForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("For example “Left the council” or “Account no longer needed”."),
        max_length=300,
        error_messages={"required": _("Enter the reason for deactivating the account")},
    )


class LeaverForm(forms.Form):
    handover_to = forms.ModelChoiceField(
        label=_("Hand their review roles to"),
        help_text=_(
            "The person you choose takes each role they hold on a review. Leave it as it is to "
            "end the roles without a replacement."
        ),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody – end the roles"),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        initial=_("Left the organisation"),
        error_messages={"required": _("Enter the reason")},
    )
    confirm = forms.BooleanField(
        label=_("I understand the account will be deactivated and cannot be used to sign in"),
        error_messages={"required": _("Confirm that the account will be deactivated")},
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["handover_to"]
        field.queryset = candidates
        field.label_from_instance = _person_label


def _person_label(user: User) -> str:
    organisation = f" ({user.organisation.name})" if user.organisation_id else ""
    return f"{user.display_name}{organisation}"


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        error_messages={
            "required": _("Enter their email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Choose from the organisations in Lantern"),
        help_text=_("If theirs is not in the list, choose “Not in the list” and give its name."),
        queryset=Organisation.objects.all(),
        required=False,
        empty_label=_("Not in the list"),
    )
    new_organisation_name = forms.CharField(
        label=_("Or give the name of a new organisation"), max_length=200, required=False
    )
    new_organisation_type = forms.ChoiceField(
        label=_("Type of the new organisation"),
        choices=[("", _("Choose a type"))] + list(Organisation.Type.choices),
        required=False,
    )
    review_role = forms.ChoiceField(
        label=_("Their role on the review"),
        choices=ReviewRole.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    agency = forms.ModelChoiceField(
        label=_("Agency they represent on the review"),
        help_text=_("For panel members and agency authors. Blank means their own organisation."),
        queryset=Organisation.objects.all(),
        required=False,
        empty_label=_("Their own organisation"),
    )

    def __init__(self, *args: Any, review: Any = None, **kwargs: Any) -> None:
        self.review = review
        super().__init__(*args, **kwargs)
        if review is None:
            del self.fields["review_role"]
            del self.fields["agency"]
        else:
            self.fields["review_role"].required = True
            self.fields["review_role"].error_messages["required"] = _(
                "Choose their role on the review"
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        organisation = data.get("organisation")
        name = (data.get("new_organisation_name") or "").strip()
        if organisation is None and not name:
            self.add_error(
                "organisation", _("Choose their organisation, or give the name of a new one")
            )
        elif organisation is not None and name:
            self.add_error(
                "new_organisation_name",
                _("Either choose an organisation from the list or give a new one, not both"),
            )
        elif organisation is None and not data.get("new_organisation_type"):
            self.add_error("new_organisation_type", _("Choose the type of the new organisation"))
        return data


class AcceptInvitationForm(forms.Form):
    username = forms.RegexField(
        label=_("Choose a username"),
        help_text=_("Letters, digits and @ . + - _ only. You will use it to sign in."),
        regex=r"^[\w.@+-]+\Z",
        max_length=150,
        error_messages={
            "required": _("Enter a username"),
            "invalid": _("A username can only have letters, digits and @ . + - _"),
        },
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password1 = forms.CharField(
        label=_("Choose a password"),
        help_text=_("At least 12 characters; not a common password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Enter a password")},
    )
    password2 = forms.CharField(
        label=_("Confirm password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Enter the password again")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("The two passwords do not match"))
        return data
