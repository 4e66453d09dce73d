"""The MusicBrainz transport (musicbrainzngs) against a local fake."""

from __future__ import annotations

import time

import pytest

from spotizerr.integrations.genres import transport as mb
from spotizerr.integrations.genres.transport import MusicBrainzTransport
from spotizerr.integrations.transport import TransportError
from tests.fakes.http_service import down_url
from tests.fakes.musicbrainz import FakeMusicBrainz

pytestmark = pytest.mark.django_db  # the shared rate limiter lives in the cache


@pytest.fixture
def fake() -> FakeMusicBrainz:
    mb._resting_until = 0.0
    with FakeMusicBrainz() as server:
        server.add(
            "QZABC1234567",
            release="rel-1",
            artist="art-1",
            group_tags={"jazz": 5, "bebop": 2},
            artist_tags={"electronic": 3, "jazz": 1},
        )
        yield server
    mb._resting_until = 0.0


def test_genres_come_from_the_release_group_and_artist_most_votes_first(fake) -> None:
    found = MusicBrainzTransport(fake.base_url, per_second=0).genres_by_isrc("QZABC1234567", limit=5)

    assert found == ["jazz", "electronic", "bebop"]
    assert [seen.path for seen in fake.seen()] == [
        "/ws/2/isrc/QZABC1234567",
        "/ws/2/release-group/",
        "/ws/2/artist/art-1",
    ]


def test_the_limit_keeps_the_most_voted(fake) -> None:
    assert MusicBrainzTransport(fake.base_url, per_second=0).genres_by_isrc("QZABC1234567", limit=1) == [
        "jazz"
    ]


def test_an_unknown_isrc_has_no_genres(fake) -> None:
    assert MusicBrainzTransport(fake.base_url, per_second=0).genres_by_isrc("QZNOPE000000", limit=5) == []


def test_requests_are_one_a_second(fake) -> None:
    began = time.monotonic()

    MusicBrainzTransport(fake.base_url, per_second=1.0).genres_by_isrc("QZABC1234567", limit=5)

    assert (
        time.monotonic() - began >= 1.5
    )  # three requests: at least two full seconds apart... minus slot edges


def test_a_dead_server_is_a_transient_error(fake) -> None:
    with pytest.raises(TransportError) as caught:
        MusicBrainzTransport(down_url(), per_second=0).genres_by_isrc("QZABC1234567", limit=5)

    assert caught.value.permanent is False


def test_a_slow_server_costs_one_timeout_then_is_left_alone(fake) -> None:
    fake.fault, fake.delay = "slow", 3.0
    transport = MusicBrainzTransport(fake.base_url, per_second=0, timeout=0.5)
    with pytest.raises(TransportError, match=r"within 0\.5 s"):
        transport.genres_by_isrc("QZABC1234567", limit=5)

    began = time.monotonic()
    with pytest.raises(TransportError, match="left alone"):
        transport.genres_by_isrc("QZABC1234567", limit=5)
    assert time.monotonic() - began < 0.1


def test_a_401_is_permanent(fake) -> None:
    fake.fault = "401"

    with pytest.raises(TransportError) as caught:
        MusicBrainzTransport(fake.base_url, per_second=0).genres_by_isrc("QZABC1234567", limit=5)

    assert caught.value.permanent is True
