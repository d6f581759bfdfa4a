"""Settings shared by every environment, driven by environment variables.

Why environment variables: the same code runs as an embedded demo (SQLite under ./var) and as a
multi-partnership production service (PostgreSQL from DATABASE_URL); nothing secret lives here.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent  # the lantern package
DATA_DIR = Path(os.environ.get("LANTERN_DATA_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("LANTERN_DEBUG", False)
DEMO_MODE = env_bool("LANTERN_DEMO", False)
SECRET_KEY = os.environ.get("LANTERN_SECRET_KEY", "")
ALLOWED_HOSTS = [h for h in os.environ.get("LANTERN_ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "lantern.core",
    "lantern.accounts",
    "lantern.reviews",
    "lantern.chronology",
    "lantern.themes",
    "lantern.recommendations",
    "lantern.documents",
    "lantern.anonymisation",
    "lantern.publishing",
    "lantern.library",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "lantern.core.middleware.RefuseUnstorableTextMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "lantern.core.middleware.RequestContextMiddleware",
    "lantern.reviews.middleware.HideReviewRoutesMiddleware",
    "lantern.accounts.middleware.IdleTimeoutMiddleware",
    "lantern.accounts.middleware.RequireTwoFactorMiddleware",
    "lantern.accounts.middleware.RequirePasswordChangeMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lantern.config.urls"
WSGI_APPLICATION = "lantern.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lantern.core.context_processors.lantern",
            ],
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'lantern.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker share the embedded database.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
if os.environ.get("LANTERN_OIDC_CLIENT_ID"):
    AUTHENTICATION_BACKENDS.append("lantern.accounts.oidc.LanternOIDCBackend")
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "reviews:dashboard"

# The library of published reviews (lantern.library, docs/library.md): who may read it
# ("signed_in" or "public"), whether the MiniLM embedding model is used when installed ("auto",
# "on", "off"), and how many processes read files during an ingest (default: one per core).
LANTERN_LIBRARY_ACCESS = os.environ.get("LANTERN_LIBRARY_ACCESS", "signed_in")
LANTERN_LIBRARY_EMBEDDINGS = os.environ.get("LANTERN_LIBRARY_EMBEDDINGS", "auto")
if os.environ.get("LANTERN_LIBRARY_INGEST_WORKERS"):
    LANTERN_LIBRARY_INGEST_WORKERS = int(os.environ["LANTERN_LIBRARY_INGEST_WORKERS"])

# Single sign-on with the council's identity provider over OpenID Connect
# (lantern.accounts.oidc, docs/security.md). Off unless LANTERN_OIDC_CLIENT_ID is set; local
# accounts with TOTP stay available either way. `lantern sso discover ISSUER` prints the
# endpoint variables from the provider's discovery document.
LANTERN_OIDC = {
    "ENABLED": bool(os.environ.get("LANTERN_OIDC_CLIENT_ID")),
    "ISSUER": os.environ.get("LANTERN_OIDC_ISSUER", ""),
    "TENANT_CLAIM": os.environ.get("LANTERN_OIDC_TENANT_CLAIM", "tid"),
    "CREATE_USERS": os.environ.get("LANTERN_OIDC_CREATE_USERS", "0") == "1",
    "TRUST_PROVIDER_MFA": os.environ.get("LANTERN_OIDC_TRUST_PROVIDER_MFA", "1") == "1",
    # {"app role or group id": "coordinator" | "board_member" | "admin"}; empty: roles are
    # managed in Lantern.
    "ROLE_MAP": json.loads(os.environ.get("LANTERN_OIDC_ROLE_MAP", "{}")),
    "PROVIDER_NAME": os.environ.get("LANTERN_OIDC_PROVIDER_NAME", "your organisation's account"),
}
OIDC_RP_CLIENT_ID = os.environ.get("LANTERN_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("LANTERN_OIDC_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("LANTERN_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("LANTERN_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("LANTERN_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("LANTERN_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("LANTERN_OIDC_JWKS_ENDPOINT", "")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_authentication_callback"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock-out after repeated failures (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("LANTERN_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LANTERN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Idle timeout: a session expires after this many minutes without a request.
SESSION_IDLE_MINUTES = int(os.environ.get("LANTERN_SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
# Two-factor authentication is required outside demo mode.
LANTERN_REQUIRE_2FA = env_bool("LANTERN_REQUIRE_2FA", not DEMO_MODE)
OTP_TOTP_ISSUER = "Lantern"

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English")), ("cy", _("Welsh"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

EMAIL_BACKEND = os.environ.get(
    "LANTERN_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = DATA_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("LANTERN_FROM_EMAIL", "lantern@localhost")

# Content security policy: everything is served from this origin; no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LANTERN_LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50

# Lantern's own configurable rules (DOMAIN.md marks these configurable).
LANTERN = {
    "TIMESCALES": {
        "decision_months": int(os.environ.get("LANTERN_DECISION_MONTHS", "1")),
        "completion_months": int(os.environ.get("LANTERN_COMPLETION_MONTHS", "6")),
        "due_soon_days": int(os.environ.get("LANTERN_DUE_SOON_DAYS", "14")),
        "agency_return_working_days": int(os.environ.get("LANTERN_RETURN_WORKING_DAYS", "15")),
    },
    "DEFAULT_LEGAL_TEST": os.environ.get("LANTERN_LEGAL_TEST", "dvcva_2004_s9"),
    "INVITATION_DAYS": int(os.environ.get("LANTERN_INVITATION_DAYS", "7")),
    # Who runs this instance and where accessibility requests go, for the accessibility
    # statement at /accessibility/ (docs/accessibility.md); the contact is shown only if set.
    "OPERATOR_NAME": os.environ.get("LANTERN_OPERATOR_NAME", ""),
    "ACCESSIBILITY_CONTACT": os.environ.get("LANTERN_ACCESSIBILITY_CONTACT", ""),
    # How to reach the partnership's data protection officer (an email address, shown as a link,
    # or other text), for the privacy notice at /privacy/ (docs/security.md); shown only if set.
    "DPO_CONTACT": os.environ.get("LANTERN_DPO_CONTACT", ""),
    # Years a closed review keeps its personal data and files before `lantern retention purge`
    # may remove them (each review may set its own; a legal hold stops the purge).
    "RETENTION_YEARS": int(os.environ.get("LANTERN_RETENTION_YEARS", "10")),
    # The protective marking generated documents carry until they are published
    # (lantern.documents); each review may set its own.
    "DOCUMENTS": {
        "MARKING": os.environ.get("LANTERN_PROTECTIVE_MARKING", "OFFICIAL-SENSITIVE"),
    },
    # Action-plan reminders (lantern.recommendations): days before and after a target date on
    # which the action's owners are emailed, the hour the daily run starts, and the address
    # links in the emails point to.
    "REMINDERS": {
        "before_days": [
            int(d) for d in os.environ.get("LANTERN_REMINDER_BEFORE_DAYS", "28,7").split(",") if d
        ],
        "after_days": [
            int(d) for d in os.environ.get("LANTERN_REMINDER_AFTER_DAYS", "1,28").split(",") if d
        ],
        "hour": int(os.environ.get("LANTERN_REMINDER_HOUR", "7")),
        "due_soon_days": int(os.environ.get("LANTERN_ACTIONS_DUE_SOON_DAYS", "30")),
        "base_url": os.environ.get("LANTERN_BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
    },
    # The chronology analysis's risk-step and engagement thresholds (DOMAIN.md: configurable).
    # Keys are the fields of lantern.chronology.analysis.Rules; an unknown key is refused.
    "ANALYSIS": {
        "dash_window_days": int(os.environ.get("LANTERN_ANALYSIS_DASH_WINDOW_DAYS", "28")),
        "dash_high_score": int(os.environ.get("LANTERN_ANALYSIS_DASH_HIGH_SCORE", "14")),
        "marac_incidents": int(os.environ.get("LANTERN_ANALYSIS_MARAC_INCIDENTS", "3")),
        "marac_window_months": int(os.environ.get("LANTERN_ANALYSIS_MARAC_MONTHS", "12")),
        "share_window_days": int(os.environ.get("LANTERN_ANALYSIS_SHARE_WINDOW_DAYS", "28")),
    },
}

# Lock-out is by account (the requirement: repeated failures lock the account). Locking by IP
# address as well would lock out a whole council behind one NAT address after one person's typos.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
