from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

from lantern.accounts import backup_codes


class Organisation(models.Model):
    """The CSP, or an agency. Reference data: administrators may edit these."""

    class Type(models.TextChoices):
        CSP = "csp", _("Community Safety Partnership")
        SAFEGUARDING_ADULTS_BOARD = "sab", _("Safeguarding Adults Board")
        POLICE = "police", _("Police")
        GP = "gp", _("GP practice")
        ACUTE_TRUST = "acute_trust", _("Acute hospital trust")
        MENTAL_HEALTH_TRUST = "mental_health_trust", _("Mental health trust")
        AMBULANCE = "ambulance", _("Ambulance service")
        ADULT_SOCIAL_CARE = "adult_social_care", _("Adult social care")
        CHILDRENS_SOCIAL_CARE = "childrens_social_care", _("Children's social care")
        HOUSING = "housing", _("Housing")
        PROBATION = "probation", _("Probation")
        SUBSTANCE_USE = "substance_use", _("Substance use service")
        DOMESTIC_ABUSE_SERVICE = "domestic_abuse_service", _("Domestic abuse service")
        EDUCATION = "education", _("Education")
        DWP = "dwp", _("Department for Work and Pensions")
        VOLUNTARY = "voluntary", _("Voluntary sector")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    type = models.CharField(_("type"), max_length=40, choices=Type.choices, default=Type.OTHER)
    sso_tenant = models.CharField(
        _("single sign-on tenant"),
        max_length=200,
        blank=True,
        help_text=_(
            "The identity provider's tenant id for this organisation (Entra ID: the directory "
            "id, sent as the tid claim). People signing in through it belong here."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_csp(self) -> bool:
        return self.type == self.Type.CSP


class OrgRole(models.TextChoices):
    """Roles a user holds for their own organisation."""

    NONE = "", _("No organisation-wide role")
    ADMIN = "admin", _("System administrator")
    COORDINATOR = "coordinator", _("Review coordinator")
    BOARD_MEMBER = "board_member", _("CSP board member")


class ReviewRole(models.TextChoices):
    """Roles a user holds on one review."""

    CHAIR = "chair", _("Independent chair")
    AUTHOR = "author", _("Report author")
    PANEL_MEMBER = "panel_member", _("Panel member")
    AGENCY_AUTHOR = "agency_author", _("Agency author")


ALL_ROLE_SLUGS = [r.value for r in OrgRole if r.value] + [r.value for r in ReviewRole]


class LanternUserManager(UserManager):
    def system(self) -> User:
        """The local system administrator at the server's console (the CLI with no --as)."""
        user, created = self.get_or_create(
            username="console",
            defaults={
                "is_system": True,
                "is_active": False,
                "first_name": "Local system",
                "last_name": "administrator",
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    org_role = models.CharField(
        _("organisation role"), max_length=20, choices=OrgRole.choices, default="", blank=True
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    is_system = models.BooleanField(default=False, editable=False)
    must_change_password = models.BooleanField(
        default=False, help_text=_("Set while the account still has a generated one-time password")
    )
    deactivated_at = models.DateTimeField(null=True, blank=True)
    deactivated_reason = models.CharField(max_length=300, blank=True)
    # "issuer|subject" of the identity provider account linked to this one (single sign-on).
    oidc_subject = models.CharField(max_length=400, null=True, blank=True, unique=True)

    objects = LanternUserManager()

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_coordinator(self) -> bool:
        return self.org_role == OrgRole.COORDINATOR and self.is_active

    @property
    def is_board_member(self) -> bool:
        return self.org_role == OrgRole.BOARD_MEMBER and self.is_active

    @property
    def is_lantern_admin(self) -> bool:
        return self.org_role == OrgRole.ADMIN or self.is_superuser


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class Invitation(models.Model):
    """A link a coordinator sends to someone from another organisation; expires, used once."""

    email = models.EmailField(_("email address"))
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    review = models.ForeignKey(
        "reviews.Review",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    review_role = models.CharField(max_length=20, choices=ReviewRole.choices, blank=True)
    agency = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @staticmethod
    def new_token() -> tuple[str, str]:
        raw = secrets.token_urlsafe(32)
        return raw, _hash_token(raw)

    @staticmethod
    def hash(raw: str) -> str:
        return _hash_token(raw)

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only a hash is stored; the key is shown once.

    A token's scopes limit what it may do on top of its owner's access: `read` allows only
    the safe methods (GET, HEAD, OPTIONS), `write` allows every method. A token made before
    scopes existed, or without a choice, has both (`read write`).
    """

    class Scope(models.TextChoices):
        READ = "read", _("Read: look at anything you can see (GET only)")
        WRITE = "write", _("Write: change anything you may change")

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
    DEFAULT_SCOPES = "read write"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    # Space-separated, as in OAuth: "read" or "read write".
    scopes = models.CharField(max_length=100, default=DEFAULT_SCOPES)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())

    def allows(self, method: str) -> bool:
        """May this token make a request with `method`?"""
        if self.Scope.WRITE in self.scope_set:
            return True
        return self.Scope.READ in self.scope_set and method.upper() in self.SAFE_METHODS

    @staticmethod
    def new_key() -> tuple[str, str, str]:
        raw = "lnt_" + secrets.token_urlsafe(32)
        return raw, raw[:12], _hash_token(raw)

    @staticmethod
    def hash(raw: str) -> str:
        return _hash_token(raw)


class BackupCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """A person's set of backup codes, as a django-otp device beside their authenticator app.

    Only keyed hashes of the codes are stored (`BackupCode`, see `backup_codes.py`); each code
    works once. Wrong codes count against the device like wrong app codes (django-otp's
    throttling doubles the wait after each failure).
    """

    class Meta:
        verbose_name = _("backup code set")

    def get_throttle_factor(self) -> int:
        # The setting django-otp's static codes used, so a configured factor carries over.
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    def add_codes(self, codes: list[str]) -> None:
        """Store the hashes of `codes` (which are not kept anywhere)."""
        BackupCode.objects.bulk_create(
            [
                BackupCode(device=self, digest=backup_codes.digest(c, user_id=self.user_id))
                for c in codes
            ]
        )

    def verify_token(self, token: str) -> bool:
        """Accept `token` if it is one of the unused codes, and use it up.

        Call through `django_otp.verify_token`, which locks the device row for the check so
        one code cannot be used twice at the same moment."""
        allowed, _data = self.verify_is_allowed()
        if not allowed:
            return False
        candidates = backup_codes.candidate_digests(str(token), user_id=self.user_id)
        match = None
        for code in BackupCode.objects.filter(device=self).order_by("pk"):
            if backup_codes.matches(code.digest, candidates) and match is None:
                match = code
        used = match is not None and BackupCode.objects.filter(pk=match.pk).delete()[0] == 1
        if used:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
        else:
            self.throttle_increment()
        return used


class BackupCode(models.Model):
    """One unused backup code: only its keyed hash. Deleted when it is used."""

    device = models.ForeignKey(BackupCodeDevice, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("backup code")
