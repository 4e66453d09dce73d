"""Fixtures of the contract tests: the fake Spotify API and the live service started against it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.contract.live import LiveService
from tests.fakes.spotify_api import FakeSpotify


@pytest.fixture(scope="module")
def fake_spotify() -> Iterator[FakeSpotify]:
    with FakeSpotify() as fake:
        yield fake


@pytest.fixture(scope="module")
def live_service(tmp_path_factory, fake_spotify) -> Iterator[LiveService]:
    """daphne on 127.0.0.1 with auth on; no workers (downloads stay queued)."""
    service = LiveService(
        tmp_path_factory.mktemp("live"),
        spotify=fake_spotify,
        extra_env={
            # the fuzzer sends wrong passwords for the admin (profile/password): keep it able to log in again
            "SPOTIZERR_LOGIN_FAILURES_PER_USERNAME": "1000000",
            "SPOTIZERR_LOGIN_FAILURES_PER_ADDRESS": "1000000",
        },
    )
    try:
        service.start()
        yield service
    finally:
        service.stop()
