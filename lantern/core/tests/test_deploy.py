"""Production settings: `lantern check --deploy` is clean and every response carries the
security headers. Run in a subprocess, since production settings are a separate module."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

PROBE = r"""
import json
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
from django.core.management import call_command
call_command("migrate", verbosity=0)
client = Client(HTTP_HOST="lantern.example")
plain = client.get("/accounts/login/")
secure = client.get("/accounts/login/", secure=True)
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
    "status": secure.status_code,
    "headers": {k.lower(): v for k, v in secure.headers.items()},
    "cookies": {k: {"secure": bool(m["secure"]), "httponly": bool(m["httponly"]),
                    "samesite": m["samesite"]} for k, m in secure.cookies.items()},
}))
"""


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LANTERN_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="lantern.config.settings.production",
        LANTERN_SECRET_KEY="a-long-random-production-secret-key-for-this-test-only-0123456789",
        LANTERN_ALLOWED_HOSTS="lantern.example",
        LANTERN_DATA_DIR=str(tmp_path),
        LANTERN_FILES_KEY="q2rNq7s8YxV0c3Y0a0l6b1dJc2x5b3Z2c0pQZ3c2dWU=",
    )
    env.pop("DATABASE_URL", None)
    return env


def test_check_deploy_is_clean(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "lantern.cli", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("prod")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + PROBE],
        cwd=ROOT,
        env=_env(tmp),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_plain_http_is_sent_to_https(probe: dict) -> None:
    assert probe["plain_status"] == 301
    assert probe["plain_location"].startswith("https://lantern.example/")


def test_security_headers(probe: dict) -> None:
    headers = probe["headers"]
    assert probe["status"] == 200
    assert headers["strict-transport-security"].startswith("max-age=31536000")
    assert "includeSubDomains" in headers["strict-transport-security"]
    csp = headers["content-security-policy"]
    for directive in ("default-src 'self'", "frame-ancestors 'none'", "form-action 'self'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "http:" not in csp
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"


def test_cookies_are_secure(probe: dict) -> None:
    assert probe["cookies"], "the sign-in page sets the CSRF cookie"
    for name, cookie in probe["cookies"].items():
        assert cookie["secure"], name


def test_no_secrets_in_the_repository() -> None:
    """Nothing that looks like a private key or a live credential is committed."""
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.split()
    if not tracked:
        pytest.skip("not a git checkout")
    patterns = ("-----BEGIN RSA PRIVATE KEY", "-----BEGIN PRIVATE KEY", "AKIA", "xoxb-")
    found = []
    for name in tracked:
        path = ROOT / name
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        try:
            text = path.read_text(errors="ignore")
        except OSError:
            continue
        found += [f"{name}: {p}" for p in patterns if p in text and name != __file__]
    found = [f for f in found if not f.startswith("lantern/core/tests/test_deploy.py")]
    assert not found, found
