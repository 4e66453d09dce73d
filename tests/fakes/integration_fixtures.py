"""Fixtures that start the integration fakes and point the settings at them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.http_service import HttpService
from tests.fakes.library_servers import FakeJellyfin, FakePlex, FakeSubsonic
from tests.fakes.lrclib import FakeLrclib, record
from tests.fakes.musicbrainz import FakeMusicBrainz
from tests.fakes.webhook import FakeWebhook


@pytest.fixture
def lrclib(settings, spotify_api) -> Iterator[FakeLrclib]:
    """A local LRCLIB with lyrics for every track of the fake Spotify catalog (synced and plain),
    the settings pointed at it and no rate limit."""
    with FakeLrclib() as fake:
        for track in spotify_api.catalog.tracks.values():
            artist = spotify_api.catalog.artists[track.artist_ids[0]].name
            fake.add(record(track.name, artist, track.duration_ms / 1000))
        settings.LRCLIB_URL = fake.base_url
        settings.LRCLIB_REQUESTS_PER_SECOND = 0
        yield fake


@pytest.fixture
def webhook(settings) -> Iterator[FakeWebhook]:
    """A local JSON webhook for Apprise; notification retries wait 0.1 s. It listens on 127.0.0.1, so
    users may add it only with the operator's permission for private hosts."""
    settings.NOTIFY_ALLOW_PRIVATE = True
    settings.NOTIFY_RETRY_DELAYS = [0.1, 0.1]
    settings.INTEGRATION_TIMEOUT_SECONDS = 2
    with FakeWebhook() as fake:
        yield fake


@pytest.fixture
def media_servers(settings) -> Iterator[dict[str, HttpService]]:
    """A local Subsonic, Jellyfin and Plex, each configured as a media server; rescans wait 1 s after
    the last landing and retries 1 s (doubling)."""
    from settings_app.media_servers import media_server_create

    settings.MEDIA_SERVER_DEBOUNCE_SECONDS = 1
    settings.MEDIA_SERVER_RETRY_SECONDS = 1
    settings.INTEGRATION_TIMEOUT_SECONDS = 1
    with FakeSubsonic() as subsonic, FakeJellyfin() as jellyfin, FakePlex() as plex:
        configured = [
            ("subsonic", subsonic, {"username": "admin", "secret": "sesame"}),
            ("jellyfin", jellyfin, {"secret": "jf-key"}),
            ("plex", plex, {"secret": "plex-token"}),
        ]
        for kind, fake, credentials in configured:
            media_server_create(data={"kind": kind, "name": kind, "url": fake.base_url, **credentials})
        yield {"subsonic": subsonic, "jellyfin": jellyfin, "plex": plex}


@pytest.fixture
def subsonic(settings) -> Iterator[FakeSubsonic]:
    """A local Subsonic server configured to keep playlists in step (``sync_playlists``); syncs wait
    1 s after the last M3U write, retries 1 s (doubling)."""
    from settings_app.media_servers import media_server_create

    settings.MEDIA_SERVER_DEBOUNCE_SECONDS = 1
    settings.MEDIA_SERVER_RETRY_SECONDS = 1
    settings.INTEGRATION_TIMEOUT_SECONDS = 1
    with FakeSubsonic() as fake:
        credentials = {"username": "admin", "secret": "sesame", "sync_playlists": True}
        media_server_create(
            data={"kind": "subsonic", "name": "navidrome", "url": fake.base_url, **credentials}
        )
        yield fake


@pytest.fixture
def musicbrainz(settings, spotify_api) -> Iterator[FakeMusicBrainz]:
    """A local MusicBrainz knowing every fake catalog track by ISRC: each album one release (tags
    jazz 5, bebop 2), its artist tagged electronic 3; no rate limit, a 1 s timeout."""
    import spotizerr.integrations.genres.transport as transport

    transport._resting_until = 0.0
    with FakeMusicBrainz() as fake:
        catalog = spotify_api.catalog
        for album_id, album in catalog.albums.items():
            for track_id in album.track_ids:
                track = catalog.tracks[track_id]
                if track.isrc:
                    fake.add(
                        track.isrc,
                        release=f"rel-{album_id}",
                        artist=f"art-{track.artist_ids[0]}",
                        group_tags={"jazz": 5, "bebop": 2},
                        artist_tags={"electronic": 3},
                    )
        settings.MUSICBRAINZ_URL = fake.base_url
        settings.INTEGRATION_TIMEOUT_SECONDS = 1
        yield fake
    transport._resting_until = 0.0
