"""A linked user downloads and watches their own Liked Songs (id ``liked``), with ``Liked Songs (alice).m3u``
in Spotify's order (newest like first); without a linked account every ``liked`` surface answers 409."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from accounts.models import User
from downloads.models import DownloadTask, TaskStatus
from tests.fakes.spotify_api import IDS, FakeSpotify
from tests.fakes.spotify_fixtures import link_spotify_account

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("auth_on", "engine", "inline_queue"),
]


def _liked(engine: FakeSpotify) -> list[str]:
    small = engine.catalog.albums[IDS.small_album].track_ids
    return [small[2], small[0], small[1]]  # newest like first


@pytest.fixture
def liker(engine: FakeSpotify, alice: User, album_in_inbox: Callable) -> User:
    """alice, linked to Spotify user "liker" who liked three tracks, all in the inbox."""
    album_in_inbox(IDS.small_album)
    engine.accounts.add_user("liker", "Liker", liked=_liked(engine))
    link_spotify_account(engine, alice, "liker")
    return alice


def _m3u(root: Path) -> list[str]:
    return (root / "playlists" / "Liked Songs (alice).m3u").read_text(encoding="utf-8").splitlines()


def test_a_linked_user_downloads_their_liked_songs_with_an_m3u_in_order(
    liker: User, alice_client, library_root: Path
) -> None:
    answer = alice_client.get("/api/playlist/download/liked")
    assert answer.status_code == 202, answer.json()
    task = DownloadTask.objects.get(pk=answer.json()["task_id"])
    assert task.status == TaskStatus.COMPLETE and task.name == "Liked Songs"
    titles = [line.rsplit(" - ", 1)[-1] for line in _m3u(library_root) if line.startswith("#EXTINF")]
    assert titles == ["Either/Or: Live?", "Four Forty", "Eight Eighty"]


def test_playlist_info_of_liked_lists_the_liked_songs(liker: User, alice_client) -> None:
    body = alice_client.get("/api/playlist/info?id=liked&include_tracks=true").json()
    assert body["name"] == "Liked Songs" and body["tracks"]["total"] == 3
    assert body["tracks"]["items"][0]["track"]["name"] == "Either/Or: Live?"


def test_a_watch_of_liked_songs_picks_up_a_newly_liked_song_and_rewrites_the_m3u(
    liker: User, alice_client, engine: FakeSpotify, inbox_file: Callable, library_root: Path
) -> None:
    from watching.models import WatchTarget
    from watching.services import target_check

    answer = alice_client.put("/api/playlist/watch/liked", {"download_existing": True}, format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["spotify_id"] == "liked" and answer.json()["name"] == "Liked Songs"
    target = WatchTarget.objects.get()
    assert target.spotify_id == f"liked:{liker.pk}"
    target_check(target=target)  # queues the three; the inline worker downloads them
    new = engine.catalog.albums[IDS.two_disc_album].track_ids[0]
    inbox_file(new)
    engine.accounts.like("liker", new)
    target_check(target=WatchTarget.objects.get())  # sees the new like and queues it
    target_check(target=WatchTarget.objects.get())  # reads the outcomes, rewrites the M3U
    titles = [line.rsplit(" - ", 1)[-1] for line in _m3u(library_root) if line.startswith("#EXTINF")]
    assert titles == ["Two Sides 1", "Either/Or: Live?", "Four Forty", "Eight Eighty"]


def test_an_unchanged_liked_songs_watch_costs_one_small_call(
    liker: User, alice_client, engine: FakeSpotify
) -> None:
    from watching.models import WatchTarget
    from watching.services import target_check

    alice_client.put("/api/playlist/watch/liked", {}, format="json")
    target_check(target=WatchTarget.objects.get())
    engine.clear_requests()
    target_check(target=WatchTarget.objects.get())
    calls = [(r.path, r.query) for r in engine.requests if r.path.startswith("/v1/")]
    assert calls == [("/v1/me/tracks", {"limit": "1", "offset": "0"})]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/playlist/info?id=liked"),
        ("get", "/api/playlist/download/liked"),
        ("put", "/api/playlist/watch/liked"),
        ("get", "/api/spotify/me/playlists"),
        ("post", "/api/artist/watch/followed"),
    ],
)
def test_without_a_linked_account_liked_surfaces_answer_409(alice_client, method: str, path: str) -> None:
    answer = getattr(alice_client, method)(path, format="json") if method != "get" else alice_client.get(path)
    assert answer.status_code == 409, answer.content
    assert answer.json()["code"] == "spotify_account_not_linked"
    assert "link" in answer.json()["error"].lower()
