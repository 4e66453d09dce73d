"""Each user's Liked Songs have an M3U of their own (``playlists/Liked Songs (<username>).m3u``; the system
user's, with auth off, keeps ``Liked Songs.m3u``), and every later rewrite finds that same file: a watch
check, an inbox fulfilment of a wanted track, an upgrade. Two real users, the fake Spotify's per-user
liked tracks, real files and the real worker code (run inline)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from accounts.models import User
from downloads.fulfilment import inbox_scan
from downloads.models import TaskStatus
from tests.downloads.queueing import download
from tests.fakes.spotify_api import IDS, FakeSpotify
from tests.fakes.spotify_fixtures import link_spotify_account

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("engine", "inline_queue")]

ALICE_M3U, BOB_M3U, SHARED_M3U = "Liked Songs (alice).m3u", "Liked Songs (bob).m3u", "Liked Songs.m3u"
FOUR_FORTY = "The Test Pattern/Sine Waves/01. Four Forty"


def _small(engine: FakeSpotify, index: int) -> str:
    return engine.catalog.albums[IDS.small_album].track_ids[index]


def _two_sides(engine: FakeSpotify, index: int) -> str:
    return engine.catalog.albums[IDS.two_disc_album].track_ids[index]


def _lines(root: Path, name: str) -> list[str]:
    return (root / "playlists" / name).read_text(encoding="utf-8").splitlines()


def titles(root: Path, name: str) -> list[str]:
    return [line.rsplit(" - ", 1)[-1] for line in _lines(root, name) if line.startswith("#EXTINF")]


def paths(root: Path, name: str) -> list[str]:
    return [line for line in _lines(root, name) if not line.startswith("#")]


@pytest.fixture
def likers(
    auth_on: None, engine: FakeSpotify, alice: User, bob: User, album_in_inbox: Callable
) -> FakeSpotify:
    """alice likes the three Sine Waves tracks, bob "Two Sides 1" and "Four Forty"; all in the inbox."""
    album_in_inbox(IDS.small_album)
    album_in_inbox(IDS.two_disc_album)
    engine.accounts.add_user(
        "alice-sp", "Alice", liked=[_small(engine, 2), _small(engine, 0), _small(engine, 1)]
    )
    engine.accounts.add_user("bob-sp", "Bob", liked=[_two_sides(engine, 0), _small(engine, 0)])
    link_spotify_account(engine, alice, "alice-sp")
    link_spotify_account(engine, bob, "bob-sp")
    return engine


ALICE_TITLES = ["Either/Or: Live?", "Four Forty", "Eight Eighty"]
BOB_TITLES = ["Two Sides 1", "Four Forty"]


@pytest.mark.usefixtures("likers")
def test_two_users_downloading_their_liked_songs_get_an_m3u_each_with_only_their_tracks(
    alice_client, bob_client, library_root: Path
) -> None:
    alice_task = download(alice_client, "playlist", "liked")
    bob_task = download(bob_client, "playlist", "liked")

    assert alice_task.status == bob_task.status == TaskStatus.COMPLETE
    assert titles(library_root, ALICE_M3U) == ALICE_TITLES
    assert titles(library_root, BOB_M3U) == BOB_TITLES
    assert not (library_root / "playlists" / SHARED_M3U).exists()
    assert alice_task.summary["m3u_file"] == f"playlists/{ALICE_M3U}"
    assert bob_task.summary["m3u_file"] == f"playlists/{BOB_M3U}"


@pytest.mark.usefixtures("auth_off")
def test_with_auth_off_the_system_user_keeps_the_plain_liked_songs_m3u(
    engine: FakeSpotify, anon_client, album_in_inbox: Callable, library_root: Path
) -> None:
    from accounts.authentication import get_system_user

    album_in_inbox(IDS.small_album)
    engine.accounts.add_user("owner-sp", "Owner", liked=[_small(engine, 1), _small(engine, 0)])
    link_spotify_account(engine, get_system_user(), "owner-sp")

    task = download(anon_client, "playlist", "liked")

    assert task.summary["m3u_file"] == f"playlists/{SHARED_M3U}"
    assert titles(library_root, SHARED_M3U) == ["Eight Eighty", "Four Forty"]


@pytest.mark.usefixtures("likers")
def test_a_shared_liked_songs_m3u_from_before_is_left_as_it_was(alice_client, library_root: Path) -> None:
    old = library_root / "playlists" / SHARED_M3U
    old.parent.mkdir()
    old.write_text("#EXTM3U\n#EXTINF:1,Someone - Old Song\n../Old/Song.mp3\n", encoding="utf-8")
    before = old.read_bytes()

    download(alice_client, "playlist", "liked")

    assert old.read_bytes() == before
    assert titles(library_root, ALICE_M3U) == ALICE_TITLES


def test_watches_of_two_users_liked_songs_keep_each_m3u_their_own_as_new_likes_land(
    likers: FakeSpotify, alice: User, bob: User, alice_client, bob_client, library_root: Path
) -> None:
    from watching.models import WatchTarget
    from watching.services import target_check

    def check(user: User) -> None:
        target_check(target=WatchTarget.objects.get(spotify_id=f"liked:{user.pk}"))

    for client in (alice_client, bob_client):
        answer = client.put("/api/playlist/watch/liked", {"download_existing": True}, format="json")
        assert answer.status_code == 201, answer.json()
    check(alice)
    check(bob)
    likers.accounts.like("alice-sp", _two_sides(likers, 1))  # in the inbox already
    check(alice)  # sees the new like, queues it (downloaded inline) and rewrites alice's M3U
    check(alice)

    assert titles(library_root, ALICE_M3U) == ["Two Sides 2", *ALICE_TITLES]
    assert titles(library_root, BOB_M3U) == BOB_TITLES
    assert not (library_root / "playlists" / SHARED_M3U).exists()


def test_a_wanted_check_fills_the_users_own_liked_songs_m3u(
    likers: FakeSpotify, alice_client, configure, inbox_file: Callable, inbox_root: Path, library_root: Path
) -> None:
    configure(sourceOrder=["inbox"], fallback=False)
    missing = _two_sides(likers, 7)
    (inbox_root / f"{IDS.two_disc_album}-8.mp3").unlink()
    likers.accounts.like("alice-sp", missing)
    download(alice_client, "playlist", "liked")
    assert titles(library_root, ALICE_M3U) == ALICE_TITLES  # the missing track is wanted

    inbox_file(missing)
    assert alice_client.post("/api/library/wanted/check").status_code == 202

    assert titles(library_root, ALICE_M3U) == ["Two Sides 8", *ALICE_TITLES]
    assert not (library_root / "playlists" / SHARED_M3U).exists()


def test_an_upgrade_repoints_each_users_liked_songs_m3u(
    likers: FakeSpotify,
    alice_client,
    bob_client,
    configure,
    inbox_file: Callable,
    inbox_root: Path,
    library_root: Path,
) -> None:
    download(alice_client, "playlist", "liked")
    download(bob_client, "playlist", "liked")  # "Four Forty" is alice's file already
    (inbox_root / f"{IDS.small_album}-1.mp3").unlink()
    inbox_file(_small(likers, 0), ".flac")
    configure(upgradeToLossless=True)

    assert inbox_scan().upgraded == 1

    assert paths(library_root, ALICE_M3U)[1] == f"../{FOUR_FORTY}.flac"
    assert paths(library_root, BOB_M3U)[1] == f"../{FOUR_FORTY}.flac"
    assert titles(library_root, ALICE_M3U) == ALICE_TITLES
    assert titles(library_root, BOB_M3U) == BOB_TITLES
    assert not (library_root / "playlists" / SHARED_M3U).exists()


def test_with_separate_tracks_by_user_each_liked_songs_m3u_lists_its_owners_files(
    likers: FakeSpotify, alice: User, bob: User, alice_client, bob_client, configure, library_root: Path
) -> None:
    """GIVEN separateTracksByUser, alice and bob both liking "Four Forty", bob's copy the newer
    WHEN a check of alice's watch rewrites her M3U
    THEN it lists her own files (in the playlists folder, as every M3U), never bob's."""
    from watching.models import WatchTarget
    from watching.services import target_check

    configure(separateTracksByUser=True)
    for client in (alice_client, bob_client):
        client.put("/api/playlist/watch/liked", {"download_existing": True}, format="json")
    for user in (alice, bob):
        target_check(target=WatchTarget.objects.get(spotify_id=f"liked:{user.pk}"))
    likers.accounts.like("alice-sp", _two_sides(likers, 1))
    target_check(target=WatchTarget.objects.get(spotify_id=f"liked:{alice.pk}"))

    assert titles(library_root, ALICE_M3U) == ["Two Sides 2", *ALICE_TITLES]
    assert all(path.startswith("../alice/") for path in paths(library_root, ALICE_M3U))
    assert titles(library_root, BOB_M3U) == BOB_TITLES
    assert all(path.startswith("../bob/") for path in paths(library_root, BOB_M3U))
