"""Playlists under Spotify's 2026 development-mode rules: read through the linked account of the user who
asks; another user's playlist answers 403 ``spotify_playlist_forbidden`` with guidance on every surface
(never 502), and its metadata still shows."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from accounts.models import User
from accounts.spotify.services import spotify_user_token
from spotizerr.integrations.spotify import SpotifyPlaylistForbidden, get_spotify_client
from tests.fakes.spotify_api import IDS, FakeSpotify

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("auth_on")]

PLAYLIST = IDS.small_playlist  # owned by Spotify user "fixture-user"


@pytest.fixture
def stranger(alice: User, spotify_link: Callable) -> User:
    """alice, linked to a Spotify account that neither owns nor collaborates on the fixture playlists."""
    spotify_link(alice, "stranger")
    return alice


@pytest.fixture
def queued_only(monkeypatch, library_root) -> None:
    """django-q2 only stores enqueued tasks; nothing runs them."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", False)


@pytest.fixture
def page_for_alice(alice: User):
    """A dashboard session of alice."""
    from django.test import Client

    client = Client()
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _forbidden(response) -> dict:
    assert response.status_code == 403, response.content
    body = response.json()
    assert body["code"] == "spotify_playlist_forbidden"
    assert "link" in body["error"].lower() and "import" in body["error"].lower()
    return body


def test_the_client_reads_entries_with_the_owners_linked_account(alice: User, spotify_link: Callable) -> None:
    spotify_link(alice)
    playlist = get_spotify_client(user=spotify_user_token(user=alice)).playlist(
        PLAYLIST, include_entries=True
    )
    assert len(playlist.entries) == 5


def test_the_client_refuses_entries_to_the_app_token_with_a_clear_error(spotify_api: FakeSpotify) -> None:
    with pytest.raises(SpotifyPlaylistForbidden) as refused:
        get_spotify_client().playlist(PLAYLIST, include_entries=True)
    assert refused.value.status_code == 403 and refused.value.permanent


def test_a_collaborators_linked_account_reads_the_entries(
    alice: User, spotify_link: Callable, spotify_api
) -> None:
    shared = spotify_api.catalog.add_playlist(
        "Shared", track_ids=[IDS.track], owner_id="someone", collaborators=["friend"]
    )
    spotify_link(alice, "friend")
    page = get_spotify_client(user=spotify_user_token(user=alice)).playlist_entries_page(shared, limit=10)
    assert page.total == 1


@pytest.mark.parametrize(
    "path",
    [
        f"/api/playlist/info?id={PLAYLIST}&include_tracks=true",
        f"/api/playlist/metadata?id={PLAYLIST}",
        f"/api/playlist/tracks?id={PLAYLIST}",
    ],
)
def test_another_users_playlist_is_403_with_guidance_on_the_catalog_endpoints(
    stranger: User, alice_client, path: str
) -> None:
    body = _forbidden(alice_client.get(path))
    assert body["details"]["account_linked"] is True
    assert body["details"]["playlist"]["name"] == "Fixture Mix"  # the metadata still shows


def test_without_a_linked_account_the_endpoints_say_so_too(alice_client, spotify_api: FakeSpotify) -> None:
    body = _forbidden(alice_client.get(f"/api/playlist/metadata?id={PLAYLIST}"))
    assert body["details"]["account_linked"] is False


def test_playlist_info_without_tracks_still_shows_the_metadata(stranger: User, alice_client) -> None:
    answer = alice_client.get(f"/api/playlist/info?id={PLAYLIST}")
    assert answer.status_code == 200
    assert answer.json()["name"] == "Fixture Mix"


def test_downloading_another_users_playlist_is_403_and_queues_nothing(stranger: User, alice_client) -> None:
    from downloads.models import DownloadTask

    _forbidden(alice_client.get(f"/api/playlist/download/{PLAYLIST}"))
    assert not DownloadTask.objects.exists()


def test_watching_another_users_playlist_is_403(stranger: User, alice_client, queued_only) -> None:
    from watching.models import WatchTarget

    _forbidden(alice_client.put(f"/api/playlist/watch/{PLAYLIST}", {}, format="json"))
    assert not WatchTarget.objects.exists()


def test_watching_a_playlist_someone_else_watches_still_checks_your_access(
    stranger: User, bob: User, spotify_link: Callable, alice_client, queued_only
) -> None:
    from watching.services import watch_playlist_add

    spotify_link(bob)  # bob owns it and watches it
    watch_playlist_add(user=bob, playlist_id=PLAYLIST)
    _forbidden(alice_client.put(f"/api/playlist/watch/{PLAYLIST}", {}, format="json"))


def test_the_dashboard_page_shows_the_name_and_what_works(stranger: User, page_for_alice) -> None:
    answer = page_for_alice.get(f"/playlist/{PLAYLIST}/")
    assert answer.status_code == 403
    body = answer.content.decode()
    assert "Fixture Mix" in body and 'id="playlist-forbidden"' in body
    assert "Connect Spotify" in body and "import" in body
    assert "Download playlist" not in body


def test_with_extended_quota_the_app_token_still_reads_playlists(spotify_api_extended, alice_client) -> None:
    answer = alice_client.get(f"/api/playlist/info?id={PLAYLIST}&include_tracks=true")
    assert answer.status_code == 200 and answer.json()["tracks"]["total"] == 5


def test_a_watch_check_reads_through_a_watcher_who_may_read_it(
    alice: User, bob: User, spotify_link: Callable, spotify_api: FakeSpotify, queued_only
) -> None:
    """GIVEN alice and bob both watch the playlist WHEN alice's link changes to a stranger's account THEN
    the check reads it through bob's and finds the new track; with no reader left it records why."""
    from accounts.spotify.services import spotify_unlink
    from watching.models import WatchTarget
    from watching.services import target_check, watch_playlist_add

    spotify_link(alice)
    spotify_link(bob)
    watch_playlist_add(user=alice, playlist_id=PLAYLIST)
    watch_playlist_add(user=bob, playlist_id=PLAYLIST)
    spotify_link(alice, "stranger")
    spotify_api.catalog.playlist_add(PLAYLIST, spotify_api.catalog.albums[IDS.single].track_ids)
    assert "1 added" in target_check(target=WatchTarget.objects.get())

    spotify_unlink(user=bob)
    spotify_api.catalog.playlist_add(PLAYLIST, spotify_api.catalog.albums[IDS.big_album].track_ids[:1])
    result = target_check(target=WatchTarget.objects.get())
    assert "link" in result.lower() and WatchTarget.objects.get().last_error == result
