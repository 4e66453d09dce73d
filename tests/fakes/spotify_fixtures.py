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

``spotify_server`` -- the same server and settings but no stored credentials (for "not configured" tests).
It speaks the 2026 development-mode rules: playlist items only through the linked account of their owner
(``fixture-user`` owns the fixture playlists) or a collaborator.

``spotify_link(user, spotify_user_id="fixture-user")`` -- links ``user``'s Spotify account through the real
PKCE flow against the fake Accounts service (adding that Spotify user to the fake when missing).
``spotify_api_extended`` -- ``spotify_api`` with ``extended_quota=True`` (the pre-2026 rules), for tests about
something else than who may read a playlist; a test (or module, with ``pytestmark``) marked
``@pytest.mark.spotify_extended_quota`` gets the same from ``spotify_server``/``spotify_api``.
``spotify_uncleared`` -- changes to the fake catalog no longer clear the response cache (tests of fresh reads).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from spotizerr.integrations.spotify import spotify_cache_clear, spotify_clients_close
from tests.fakes.spotify_api import FakeSpotify


def _serve(settings, fake: FakeSpotify) -> Iterator[FakeSpotify]:
    fake.start()
    settings.SPOTIFY_API_URL = fake.api_url
    settings.SPOTIFY_TOKEN_URL = fake.token_url
    settings.SPOTIFY_ACCOUNTS_URL = fake.accounts_url
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
def spotify_server(db, settings, request: pytest.FixtureRequest) -> Iterator[FakeSpotify]:
    extended = request.node.get_closest_marker("spotify_extended_quota") is not None
    yield from _serve(settings, FakeSpotify(extended_quota=extended))


@pytest.fixture
def spotify_uncleared(spotify_server: FakeSpotify) -> FakeSpotify:
    """Changes to the fake catalog no longer clear Spotizerr's response cache, as with the real
    Spotify, which tells nobody when a playlist or an artist changes: for tests of what reads fresh."""
    spotify_server.catalog.listeners.remove(spotify_cache_clear)
    return spotify_server


def _with_credentials(fake: FakeSpotify) -> FakeSpotify:
    from settings_app.services import credential_create

    credential_create(
        service="spotify", name="test", client_id=fake.client_id, client_secret=fake.client_secret
    )
    return fake


@pytest.fixture
def spotify_api(spotify_server: FakeSpotify) -> FakeSpotify:
    return _with_credentials(spotify_server)


@pytest.fixture
def spotify_api_extended(db, settings) -> Iterator[FakeSpotify]:
    for fake in _serve(settings, FakeSpotify(extended_quota=True)):
        yield _with_credentials(fake)


def link_spotify_account(fake: FakeSpotify, user: object, spotify_user_id: str = "fixture-user") -> object:
    """Link ``user`` to ``spotify_user_id`` through the real flow: start, the fake's /authorize, finish."""
    from accounts.spotify.services import spotify_link_finish, spotify_link_start

    if spotify_user_id not in fake.accounts.users:
        fake.accounts.add_user(spotify_user_id, "Fixture User" if spotify_user_id == "fixture-user" else None)
    fake.accounts.login_as(spotify_user_id)
    answer = requests.get(spotify_link_start(user=user), allow_redirects=False, timeout=5)
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    return spotify_link_finish(user=user, code=query["code"][0], state=query["state"][0])


@pytest.fixture
def spotify_owner_linked(request: pytest.FixtureRequest, spotify_api: FakeSpotify) -> FakeSpotify:
    """The acting users own the fixture playlists on Spotify: the system user (auth off) and whichever of
    ``admin_user``, ``alice`` and ``bob`` the test uses are linked to ``fixture-user``. For tests about
    downloading and watching playlists, not about who may read them (2026 rules)."""
    from accounts.authentication import get_system_user

    users = [get_system_user()]
    users += [
        request.getfixturevalue(name)
        for name in ("admin_user", "alice", "bob")
        if name in request.fixturenames
    ]
    for user in users:
        link_spotify_account(spotify_api, user)
    return spotify_api


@pytest.fixture
def spotify_link(spotify_api: FakeSpotify) -> Callable[..., object]:
    def link(user: object, spotify_user_id: str = "fixture-user") -> object:
        return link_spotify_account(spotify_api, user, spotify_user_id)

    return link
