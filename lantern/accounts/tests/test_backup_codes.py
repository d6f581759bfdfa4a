"""Backup codes are stored only as keyed hashes, work once, and survive the move from plaintext."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.accounts import backup_codes
from lantern.accounts.models import BackupCode, BackupCodeDevice, User
from lantern.accounts.services import (
    two_factor_confirm,
    two_factor_device_pending,
    two_factor_verify,
)
from lantern.core.models import AuditEvent

CODE = re.compile(r"^[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}$")


def set_up(user: User) -> list[str]:
    device = two_factor_device_pending(user=user)
    return two_factor_confirm(user=user, device=device, token=f"{totp(device.bin_key):06d}")


def backup_device(user: User, *codes: str) -> BackupCodeDevice:
    device = BackupCodeDevice.objects.create(user=user, name="Backup codes")
    device.add_codes(list(codes))
    return device


def database_text() -> list[str]:
    """Every value in every table of the database, as lower-case text."""
    texts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, (bytes, bytearray, memoryview)):
                        texts.append(bytes(value).decode("latin-1").lower())
                    elif value is not None:
                        texts.append(str(value).lower())
    return texts


def test_codes_are_ten_characters_without_look_alikes() -> None:
    assert set(backup_codes.ALPHABET).isdisjoint("0o1li")
    codes = backup_codes.new_codes(200)
    assert len(set(codes)) == 200
    assert all(CODE.match(code) for code in codes)


@pytest.mark.django_db
def test_no_code_is_stored_anywhere_in_the_database(cast: Any) -> None:
    codes = set_up(cast.chair)
    assert len(codes) == 10 and all(CODE.match(code) for code in codes)
    texts = database_text()
    # The search does find what is there (the user's name, the digests)...
    assert any(cast.chair.username in text for text in texts)
    digest = BackupCode.objects.filter(device__user=cast.chair).first().digest
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert any(digest in text for text in texts)
    # ...and no code, in the form shown or the form typed.
    for code in codes:
        for form in (code, backup_codes.normalise(code)):
            assert not [text for text in texts if form in text], form
    assert not StaticToken.objects.exists()


@pytest.mark.django_db
def test_the_digest_is_a_keyed_hash_bound_to_the_user(cast: Any) -> None:
    a = backup_codes.digest("abcde-fghjk", user_id=cast.chair.pk)
    assert a == backup_codes.digest("ABCDEFGHJK", user_id=cast.chair.pk)
    assert a != backup_codes.digest("abcde-fghjk", user_id=cast.author.pk)
    with override_settings(SECRET_KEY="another-secret-key-for-this-test"):
        assert a != backup_codes.digest("abcde-fghjk", user_id=cast.chair.pk)


@pytest.mark.django_db
def test_a_code_works_once_only(cast: Any) -> None:
    codes = set_up(cast.chair)
    device = two_factor_verify(user=cast.chair, token=codes[3])
    assert isinstance(device, BackupCodeDevice)
    device.refresh_from_db()
    assert device.last_used_at is not None
    assert device.codes.count() == 9
    with pytest.raises(ValidationError):
        two_factor_verify(user=cast.chair, token=codes[3])
    assert device.codes.count() == 9
    # The others still work.
    BackupCodeDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    assert two_factor_verify(user=cast.chair, token=codes[4]) == device
    assert device.codes.count() == 8


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    ["abcde-fghjk", "abcdefghjk", "ABCDE-FGHJK", "abcde fghjk", " Abc De-Fgh Jk ", "abcde–fghjk"],
)
def test_a_code_is_accepted_with_or_without_spaces_hyphens_and_capitals(
    cast: Any, typed: str
) -> None:
    device = backup_device(cast.coordinator, "abcde-fghjk")
    assert two_factor_verify(user=cast.coordinator, token=typed) == device
    assert not device.codes.exists()


@pytest.mark.django_db
def test_a_code_of_only_digits_is_still_a_backup_code(cast: Any) -> None:
    TOTPDevice.objects.create(user=cast.coordinator, name="Authenticator app")
    device = backup_device(cast.coordinator, "23456-78923")
    assert two_factor_verify(user=cast.coordinator, token="2345678923") == device


@pytest.mark.django_db
def test_a_wrong_code_fails_and_counts_against_the_codes(cast: Any) -> None:
    app = TOTPDevice.objects.create(user=cast.coordinator, name="Authenticator app")
    device = backup_device(cast.coordinator, "abcde-fghjk")
    with pytest.raises(ValidationError) as refused:
        two_factor_verify(user=cast.coordinator, token="zzzzz-zzzzz")
    assert "The code is not correct" in refused.value.message_dict["code"][0]
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    app.refresh_from_db()
    assert app.throttling_failure_count == 0
    assert AuditEvent.objects.filter(
        actor=cast.coordinator,
        action=AuditEvent.Action.LOGIN_FAILED,
        summary="Wrong two-factor code",
    ).exists()
    # Straight after a failure even the right code is refused, and not used up.
    with pytest.raises(ValidationError) as throttled:
        two_factor_verify(user=cast.coordinator, token="abcde-fghjk")
    assert "Too many wrong codes" in throttled.value.message_dict["code"][0]
    assert device.codes.count() == 1
    # Once the wait is over it works, and the count starts again.
    BackupCodeDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=5)
    )
    assert two_factor_verify(user=cast.coordinator, token="abcde-fghjk") == device
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


@pytest.mark.django_db
def test_a_digest_copied_to_another_account_does_not_work_there(cast: Any) -> None:
    mine = backup_device(cast.chair, "abcde-fghjk")
    theirs = BackupCodeDevice.objects.create(user=cast.coordinator, name="Backup codes")
    BackupCode.objects.create(device=theirs, digest=mine.codes.get().digest)
    with pytest.raises(ValidationError):
        two_factor_verify(user=cast.coordinator, token="abcde-fghjk")
    assert theirs.codes.count() == 1


@pytest.mark.django_db
def test_codes_made_before_the_secret_key_changed_work_through_the_fallbacks(cast: Any) -> None:
    from django.conf import settings

    old_key = settings.SECRET_KEY
    backup_device(cast.chair, "abcde-fghjk", "mnpqr-stuvw")
    new_key_only = override_settings(
        SECRET_KEY="the-new-key-for-this-test", SECRET_KEY_FALLBACKS=[]
    )
    with new_key_only, pytest.raises(ValidationError):
        two_factor_verify(user=cast.chair, token="abcde-fghjk")
    BackupCodeDevice.objects.filter(user=cast.chair).update(throttling_failure_timestamp=None)
    with override_settings(SECRET_KEY="the-new-key-for-this-test", SECRET_KEY_FALLBACKS=[old_key]):
        assert two_factor_verify(user=cast.chair, token="mnpqr-stuvw") is not None


BEFORE = [("accounts", "0007_backup_codes")]
AFTER = [("accounts", "0008_backup_codes_from_static_tokens")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_plaintext_codes_into_hashed_ones() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state([*BEFORE, ("otp_static", "0003_add_timestamps")]).apps
        OldUser = old.get_model("accounts", "User")
        OldStaticDevice = old.get_model("otp_static", "StaticDevice")
        OldStaticToken = old.get_model("otp_static", "StaticToken")
        holder = OldUser.objects.create(username="holder")
        other = OldUser.objects.create(username="other")
        made = timezone.now() - timedelta(days=30)
        kept = OldStaticDevice.objects.create(user=holder, name="Backup codes")
        OldStaticDevice.objects.filter(pk=kept.pk).update(created_at=made)
        for token in ("abcdefgh", "ijklmnop"):
            OldStaticToken.objects.create(device=kept, token=token)
        unconfirmed = OldStaticDevice.objects.create(user=other, name="old", confirmed=False)
        OldStaticToken.objects.create(device=unconfirmed, token="qrstuvwx")

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    # No plaintext is left, in django-otp's tables or anywhere else.
    assert not StaticToken.objects.exists()
    assert not StaticDevice.objects.exists()
    texts = database_text()
    for token in ("abcdefgh", "ijklmnop", "qrstuvwx"):
        assert not [text for text in texts if token in text]

    user = User.objects.get(username="holder")
    device = BackupCodeDevice.objects.get(user=user)
    assert (device.name, device.confirmed, device.codes.count()) == ("Backup codes", True, 2)
    assert device.created_at == made
    other_device = BackupCodeDevice.objects.get(user__username="other")
    assert (other_device.confirmed, other_device.codes.count()) == (False, 1)

    # The codes people saved still work, typed as they were shown or not, once each.
    assert two_factor_verify(user=user, token="ABCD EFGH") == device
    assert two_factor_verify(user=user, token="ijkl-mnop") == device
    assert not device.codes.exists()
    with pytest.raises(ValidationError):
        two_factor_verify(user=user, token="abcdefgh")
