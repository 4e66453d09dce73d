"""Encryption of stored secrets (API client secrets) with Fernet keys that can be rotated.

Keys come from ``settings.ENCRYPTION_KEYS`` (``SPOTIZERR_ENCRYPTION_KEYS``, comma separated) or,
when that is empty, from ``settings.DATA_DIR / "encryption_key"`` (one key a line), which is
generated once with mode 0600. The first key encrypts; every key decrypts, so old ciphertext
stays readable after a new key is put first.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_FILE_NAME = "encryption_key"
MASK_PREFIX = "****"


class DecryptionError(Exception):
    """Ciphertext that none of the configured keys can open (wrong or lost key)."""


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


def key_file() -> Path:
    return Path(settings.DATA_DIR) / KEY_FILE_NAME


def keys_from_environment() -> bool:
    """True when the operator manages keys through ``SPOTIZERR_ENCRYPTION_KEYS``."""
    return bool(settings.ENCRYPTION_KEYS)


def _write_new_file(path: Path, text: str) -> None:
    """Create ``path`` with ``text`` (0600) unless it exists; atomic against a racing process."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(text)
    try:
        os.link(temp, path)
    except FileExistsError:
        pass
    finally:
        temp.unlink(missing_ok=True)


def _replace_file(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(text)
    os.replace(temp, path)


def _file_keys() -> list[str]:
    path = key_file()
    if not path.exists():
        _write_new_file(path, generate_key() + "\n")
    return [line.strip() for line in path.read_text(encoding="ascii").splitlines() if line.strip()]


def current_keys() -> list[str]:
    """The configured keys, newest (encrypting) first."""
    return list(settings.ENCRYPTION_KEYS) if keys_from_environment() else _file_keys()


@lru_cache(maxsize=8)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode("ascii")) for key in keys])
    except (ValueError, UnicodeEncodeError):
        raise ImproperlyConfigured(
            "SPOTIZERR_ENCRYPTION_KEYS (or the encryption_key file) holds a value that is not a Fernet key"
        ) from None


def _fernet() -> MultiFernet:
    keys = tuple(current_keys())
    if not keys:
        raise ImproperlyConfigured("No encryption key is configured")
    return _fernet_for(keys)


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(ciphertext: str) -> str:
    """The plaintext of ``ciphertext``; raises ``DecryptionError`` when no key opens it."""
    try:
        return _fernet().decrypt(ciphertext.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError):
        raise DecryptionError("stored secret cannot be decrypted with the configured keys") from None


def reencrypt(ciphertext: str) -> str:
    """``ciphertext`` re-encrypted under the first key (readable by any configured key)."""
    try:
        return _fernet().rotate(ciphertext.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeEncodeError):
        raise DecryptionError("stored secret cannot be decrypted with the configured keys") from None


def add_file_key() -> str:
    """Generate a key, put it first in the key file (old keys stay for reading), return it."""
    if keys_from_environment():
        raise ImproperlyConfigured("Keys come from SPOTIZERR_ENCRYPTION_KEYS; change that variable instead")
    new_key = generate_key()
    _replace_file(key_file(), "\n".join([new_key, *_file_keys()]) + "\n")
    return new_key


def mask(secret: str | None) -> str:
    """``"****"`` plus the last 4 characters (just ``"****"`` for short secrets)."""
    if not secret:
        return ""
    return MASK_PREFIX + (secret[-4:] if len(secret) > 8 else "")
