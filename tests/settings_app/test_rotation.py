from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from settings_app import selectors
from settings_app.models import Credential
from spotizerr.lib import crypto
from tests.settings_app.conftest import SECRET

pytestmark = pytest.mark.django_db


def _raw_ciphertext() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT client_secret_encrypted FROM settings_app_credential")
        return cursor.fetchone()[0]


def test_rotation_changes_the_ciphertext_and_the_secret_still_decrypts(spotify_set) -> None:
    before = _raw_ciphertext()
    call_command("rotate_encryption_key", stdout=StringIO())
    assert _raw_ciphertext() != before
    assert selectors.active_spotify_credentials().client_secret == SECRET


def test_rotation_puts_a_new_key_first_and_keeps_the_old_ones(spotify_set) -> None:
    old_keys = crypto.current_keys()
    call_command("rotate_encryption_key", stdout=StringIO())
    keys = crypto.current_keys()
    assert keys[1:] == old_keys and keys[0] not in old_keys


def test_after_rotation_secrets_are_encrypted_with_the_new_key(spotify_set, settings) -> None:
    call_command("rotate_encryption_key", stdout=StringIO())
    settings.ENCRYPTION_KEYS = crypto.current_keys()[:1]  # only the newest key
    assert Credential.objects.get().client_secret == SECRET


def test_rotation_with_environment_keys_reencrypts_under_the_first_one(spotify_set, settings) -> None:
    old = crypto.current_keys()
    settings.ENCRYPTION_KEYS = [crypto.generate_key(), *old]
    call_command("rotate_encryption_key", stdout=StringIO())
    settings.ENCRYPTION_KEYS = settings.ENCRYPTION_KEYS[:1]
    assert Credential.objects.get().client_secret == SECRET


def test_generate_only_prints_a_key_and_changes_nothing(spotify_set) -> None:
    before, out = _raw_ciphertext(), StringIO()
    call_command("rotate_encryption_key", "--generate", stdout=out)
    assert len(out.getvalue().strip()) == 44 and _raw_ciphertext() == before
