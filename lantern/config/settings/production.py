"""Production: secrets from the environment, HTTPS only, PostgreSQL expected."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, SECRET_KEY

if not SECRET_KEY:
    raise ImproperlyConfigured("LANTERN_SECRET_KEY must be set in production.")
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("LANTERN_ALLOWED_HOSTS must list the service's host names.")
if not os.environ.get("LANTERN_FILES_KEY"):
    raise ImproperlyConfigured(
        "LANTERN_FILES_KEY must be set in production: 32 random bytes, URL-safe base64 "
        '(python -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())")'
    )
DEBUG = False
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Sends "preload" in the HSTS header; listing the domain in browsers' preload list is a
# separate, deliberate step (https://hstspreload.org). Set LANTERN_HSTS_PRELOAD=0 where the
# council's parent domain must not be committed to HTTPS-only.
SECURE_HSTS_PRELOAD = os.environ.get("LANTERN_HSTS_PRELOAD", "1") == "1"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
