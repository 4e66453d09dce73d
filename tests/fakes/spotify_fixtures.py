"""pytest fixtures for the fake Spotify Web API (registered in tests/conftest.py).

``spotify_api`` -- the usual one. Starts ``FakeSpotify`` (tests.fakes.spotify_api) on 127.0.0.1, points
``settings.SPOTIFY_API_URL``/``SPOTIFY_TOKEN_URL`` at it, stores active Spotify credentials through
``settings_app.services.credential_create`` and clears the client's response cache (also after every change
to ``spotify_api.catalog``, so tests that mutate the catalog see the change). Retry back-off is shortened to
10 ms so 5xx tests stay fast. Yields the fake:

    spotify_api.catalog        FakeCatalog: tracks/albums/artists/playlists dicts plus playlist_add,
                               playlist_remove, playlist_move, artist_add_release, set_preview, remove,
                               add_album, generate_playlist, generate_artist
    IDS (import from tests.fakes.spotify_api)  well-known ids: IDS.track, IDS.small_album (3 tracks),
                               IDS.two_disc_album, IDS.big_album (60), IDS.small_playlist (5),
                               IDS.big_playlist (120, local/unavailable/episode entries), IDS.artist,
                               IDS.big_artist (60 releases), ...
    spotify_api.fail_next(status, count=1, retry_after=None, path_prefix=None)
    spotify_api.delay(seconds, count=None)
    spotify_api.requests / api_calls(prefix="/v1/") / clear_requests()
    spotify_api.base_url, api_url, token_url, client_id, client_secret

The fake follows Spotify's 2026 development-mode rules (``tests.fakes.spotify_rules``); a test (or module,
with ``pytestmark``) marked ``@pytest.mark.spotify_extended_quota`` gets the old extended-quota behaviour.

``spotify_server`` -- the same server and settings but no stored credentials (for "not configured" tests).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from spotizerr.integrations.spotify import spotify_cache_clear, spotify_clients_close
from tests.fakes.spotify_api import FakeSpotify


@pytest.fixture
def spotify_server(db, settings, request: pytest.FixtureRequest) -> Iterator[FakeSpotify]:
    extended = request.node.get_closest_marker("spotify_extended_quota") is not None
    fake = FakeSpotify(extended_quota=extended).start()
    settings.SPOTIFY_API_URL = fake.api_url
    settings.SPOTIFY_TOKEN_URL = fake.token_url
    settings.SPOTIFY_CLIENT_ID = None
    settings.SPOTIFY_CLIENT_SECRET = None
    settings.SPOTIFY_RETRY_BACKOFF_MS = 10
    spotify_cache_clear()
    fake.catalog.listeners.append(spotify_cache_clear)
    try:
        yield fake
    finally:
        fake.stop()
        spotify_clients_close()


@pytest.fixture
def spotify_uncleared(spotify_server: FakeSpotify) -> FakeSpotify:
    """Changes to the fake catalog no longer clear Spotizerr's response cache, as with the real
    Spotify, which tells nobody when a playlist or an artist changes: for tests of what reads fresh."""
    spotify_server.catalog.listeners.remove(spotify_cache_clear)
    return spotify_server


@pytest.fixture
def spotify_api(spotify_server: FakeSpotify) -> FakeSpotify:
    from settings_app.services import credential_create

    credential_create(
        service="spotify",
        name="test",
        client_id=spotify_server.client_id,
        client_secret=spotify_server.client_secret,
    )
    return spotify_server
