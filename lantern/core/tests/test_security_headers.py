"""Pages carry a strict Content-Security-Policy, and the one inline script has its nonce."""

from __future__ import annotations

import re

import pytest


@pytest.mark.django_db
def test_inline_script_nonce_matches_the_policy(client) -> None:
    response = client.get("/accounts/login/")
    policy = response.headers["Content-Security-Policy"]
    header_nonce = re.search(r"'nonce-([^']+)'", policy)
    assert header_nonce, policy
    page_nonce = re.search(r'<script nonce="([^"]+)"', response.content.decode())
    assert page_nonce and page_nonce.group(1) == header_nonce.group(1)
    assert "style-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
