from __future__ import annotations

import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from spotizerr.lib import crypto


def test_a_secret_survives_encryption_and_decryption(key_dir) -> None:
    assert crypto.decrypt(crypto.encrypt("hunter2-long-secret")) == "hunter2-long-secret"


def test_ciphertext_does_not_contain_the_secret(key_dir) -> None:
    assert "hunter2" not in crypto.encrypt("hunter2-long-secret")


def test_a_key_file_is_generated_once_with_owner_only_permissions(key_dir) -> None:
    crypto.encrypt("x")
    first = (key_dir / "encryption_key").read_text()
    crypto.encrypt("y")
    assert (key_dir / "encryption_key").read_text() == first
    assert stat.S_IMODE((key_dir / "encryption_key").stat().st_mode) == 0o600


def test_keys_from_the_environment_are_used_instead_of_the_file(key_dir, settings) -> None:
    settings.ENCRYPTION_KEYS = [crypto.generate_key()]
    crypto.encrypt("x")
    assert not (key_dir / "encryption_key").exists()


def test_ciphertext_from_an_old_key_stays_readable_after_a_new_key_is_added(key_dir) -> None:
    old = crypto.encrypt("before-rotation")
    crypto.add_file_key()
    assert crypto.decrypt(old) == "before-rotation"


def test_ciphertext_under_an_unknown_key_raises_decryption_error(key_dir, settings) -> None:
    token = crypto.encrypt("x")
    settings.ENCRYPTION_KEYS = [crypto.generate_key()]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)


def test_a_malformed_environment_key_is_a_configuration_error(key_dir, settings) -> None:
    settings.ENCRYPTION_KEYS = ["not-a-fernet-key"]
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x")


@pytest.mark.parametrize(("secret", "masked"), [("abcdefghijkl", "****ijkl"), ("short", "****"), ("", "")])
def test_masking_shows_at_most_the_last_four_characters(secret, masked) -> None:
    assert crypto.mask(secret) == masked
