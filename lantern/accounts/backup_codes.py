"""Backup codes for two-factor sign-in: making them, and the keyed hash that is all we store.

A backup code is 10 characters from an alphabet without look-alikes (no 0/o, 1/l/i), about 49
bits of randomness, shown grouped as "abcde-fghjk". People may type it with or without the
hyphen, with spaces, in upper or lower case: `normalise()` removes the difference.

Only an HMAC-SHA256 of the normalised code is stored (`BackupCode.digest`). Its key is derived
from `SECRET_KEY` for this purpose alone (`salted_hmac` with `KEY_SALT`), and the user's id is
part of the message, so a copy of the database neither reveals a code nor lets a digest copied
from one account work for another. Codes made while an older key was in use still work as long
as that key is listed in `SECRET_KEY_FALLBACKS`.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

KEY_SALT = "lantern.accounts.backup-code"
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
LENGTH = 10
GROUP = 5
# Hyphens and the dashes a word processor or phone keyboard may turn them into.
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"


def new_code() -> str:
    """A new random code, grouped for reading ("abcde-fghjk")."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def new_codes(count: int) -> list[str]:
    """`count` different new codes."""
    codes: list[str] = []
    while len(codes) < count:
        code = new_code()
        if code not in codes:
            codes.append(code)
    return codes


def normalise(code: str) -> str:
    """The code as it is hashed: no spaces or hyphens, lower case."""
    return "".join(ch for ch in "".join(code.split()) if ch not in _DASHES).lower()


def digest(code: str, *, user_id: int, secret: str | None = None) -> str:
    """The stored form of `code` for the user with `user_id` (hex HMAC-SHA256).

    `secret` defaults to `SECRET_KEY`; it is given only to check against an older key."""
    return salted_hmac(
        KEY_SALT, f"{user_id}:{normalise(code)}", secret=secret, algorithm="sha256"
    ).hexdigest()


def candidate_digests(code: str, *, user_id: int) -> list[str]:
    """The digests `code` may be stored under: with `SECRET_KEY`, then each fallback key."""
    secrets_in_use = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [digest(code, user_id=user_id, secret=secret) for secret in secrets_in_use]


def matches(stored: str, candidates: list[str]) -> bool:
    """Whether a stored digest is one of the candidates, comparing in constant time."""
    found = False
    for candidate in candidates:
        # No early exit: every candidate is compared whatever the result.
        found = constant_time_compare(stored, candidate) | found
    return found
