"""``manage.py rotate_encryption_key`` end to end: run as a separate process next to a running service,
it re-encrypts the stored Spotify secret under a new key, the service keeps using the secret, and the
old key is no longer needed. (tests/settings_app/test_rotation.py covers the command in process.)"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.contract.live import LiveService
from tests.fakes.spotify_api import FakeSpotify
from tests.fakes.spotify_records import IDS

SECRET = "rotation-test-secret-4d1e8b"


@pytest.fixture
def service(tmp_path: Path) -> Iterator[LiveService]:
    fake = FakeSpotify().start()
    fake.client_secret = SECRET
    live = LiveService(tmp_path, spotify=fake)  # the environment's credentials are stored at start-up
    try:
        yield live.start()
    finally:
        live.stop()
        fake.stop()


def _stored_ciphertext(service: LiveService) -> str:
    with sqlite3.connect(service.root / "data" / "spotizerr.sqlite3") as db:
        return db.execute("SELECT client_secret_encrypted FROM settings_app_credential").fetchone()[0]


def _catalog_works(service: LiveService) -> bool:
    response = requests.get(
        f"{service.url}/api/track/info",
        params={"id": IDS.track},
        timeout=30,
        headers={"Authorization": f"Bearer {service.token()}"},
    )
    return response.status_code == 200


def test_rotating_the_key_re_encrypts_the_secret_and_the_service_keeps_working(service) -> None:
    key_file = service.root / "data" / "encryption_key"
    before, old_keys = _stored_ciphertext(service), key_file.read_text().split()
    assert SECRET not in before and _catalog_works(service)

    output = service.manage("rotate_encryption_key").stdout

    assert "Re-encrypted 1 secret(s)" in output
    after, keys = _stored_ciphertext(service), key_file.read_text().split()
    assert after != before and SECRET not in after
    assert len(keys) == len(old_keys) + 1 and keys[1:] == old_keys
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    key_file.write_text(keys[0] + "\n")  # the old key is gone: only the new one can decrypt now
    service.spotify.expire_tokens()  # the next catalog call fetches a token with the decrypted secret
    assert _catalog_works(service)
    shown = requests.get(
        f"{service.url}/api/credentials/spotify_api_config",
        timeout=30,
        headers={"Authorization": f"Bearer {service.token()}"},
    ).json()["client_secret"]
    assert shown == "****" + SECRET[-4:]  # decrypted (then masked) with the new key alone
