"""Each catalog track says what the caller's library holds for it (present, preview, wanted, missing);
albums, playlists and artist releases say how many of their tracks are in each state."""

from __future__ import annotations

import pytest

from tests.fakes.library_files import put_file, want
from tests.fakes.spotify_api import IDS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("spotify_api")]


@pytest.fixture
def small_album(spotify_api) -> list[str]:
    return list(spotify_api.catalog.albums[IDS.small_album].track_ids)


def _states(items: list[dict]) -> dict[str, str]:
    return {item["id"]: item["library"]["state"] for item in items}


def test_an_album_shows_all_four_states_and_their_summary(
    auth_on, alice, alice_client, library_root, small_album
) -> None:
    first, second, third = small_album
    put_file(library_root, first, bitrate=0)
    put_file(library_root, second, extension=".mp3", preview=True, bitrate=128)
    want(alice, third, album_id=IDS.small_album)

    body = alice_client.get(f"/api/album/info?id={IDS.small_album}").json()

    assert _states(body["tracks"]["items"]) == {first: "present", second: "preview", third: "wanted"}
    assert body["library"] == {"present": 1, "preview": 1, "wanted": 1, "missing": 0}
    assert body["tracks"]["items"][0]["library"] == {
        "state": "present",
        "format": "flac",
        "bitrate": 0,
        "file_path": f"Artist/Album/{first}.flac",
    }


def test_a_track_no_one_asked_for_is_missing(auth_on, alice_client, library_root) -> None:
    body = alice_client.get(f"/api/track/info?id={IDS.track}").json()
    assert body["library"] == {"state": "missing", "format": "", "bitrate": 0, "file_path": ""}


def test_a_track_matches_a_file_by_isrc_with_its_format_and_bitrate(
    auth_on, alice_client, library_root, spotify_api
) -> None:
    isrc = spotify_api.catalog.tracks[IDS.track].isrc
    put_file(library_root, "someOtherSpotifyId0000", extension=".mp3", isrc=isrc, bitrate=320)

    body = alice_client.get(f"/api/track/info?id={IDS.track}").json()

    assert body["library"]["state"] == "present"
    assert (body["library"]["format"], body["library"]["bitrate"]) == ("mp3", 320)


def test_a_full_file_wins_over_a_preview_of_the_same_track(auth_on, alice_client, library_root) -> None:
    put_file(library_root, IDS.track, extension=".mp3", preview=True)
    put_file(library_root, IDS.track)
    body = alice_client.get(f"/api/track/info?id={IDS.track}").json()
    assert body["library"]["state"] == "present" and body["library"]["format"] == "flac"


def test_an_indexed_file_gone_from_disk_is_missing(auth_on, alice_client, library_root) -> None:
    put_file(library_root, IDS.track)
    (library_root / f"Artist/Album/{IDS.track}.flac").unlink()
    body = alice_client.get(f"/api/track/info?id={IDS.track}").json()
    assert body["library"]["state"] == "missing"


def test_wanted_is_the_callers_own_and_never_leaks_through_the_cache(
    auth_on, alice, alice_client, bob_client, library_root
) -> None:
    """GIVEN alice wants a track WHEN alice then bob read it (the Spotify answer cached by then)
    THEN only alice sees it wanted."""
    want(alice, IDS.track)
    assert alice_client.get(f"/api/track/info?id={IDS.track}").json()["library"]["state"] == "wanted"
    assert bob_client.get(f"/api/track/info?id={IDS.track}").json()["library"]["state"] == "missing"


def test_separate_libraries_show_each_user_only_their_own_files(
    auth_on, alice, bob, alice_client, bob_client, library_root
) -> None:
    from settings_app.services import config_update

    put_file(library_root, IDS.track, owner=bob)
    assert alice_client.get(f"/api/track/info?id={IDS.track}").json()["library"]["state"] == "present"
    config_update(changes={"separateTracksByUser": True})
    assert alice_client.get(f"/api/track/info?id={IDS.track}").json()["library"]["state"] == "missing"
    assert bob_client.get(f"/api/track/info?id={IDS.track}").json()["library"]["state"] == "present"


@pytest.mark.usefixtures("spotify_owner_linked")
def test_playlist_entries_carry_their_state_and_the_playlist_a_summary(
    auth_on, alice, alice_client, library_root, small_album
) -> None:
    put_file(library_root, small_album[0])
    put_file(library_root, small_album[1], preview=True)

    info = alice_client.get(f"/api/playlist/info?id={IDS.small_playlist}&include_tracks=true").json()
    page = alice_client.get(f"/api/playlist/tracks?id={IDS.small_playlist}").json()
    metadata = alice_client.get(f"/api/playlist/metadata?id={IDS.small_playlist}").json()

    assert info["library"] == {"present": 1, "preview": 1, "wanted": 0, "missing": 3}
    assert metadata["library"] == info["library"]
    for items in (info["tracks"]["items"], page["items"]):
        states = [item["track"]["library"]["state"] for item in items]
        assert states == ["present", "preview", "missing", "missing", "missing"]


@pytest.mark.usefixtures("spotify_owner_linked")
def test_a_playlist_without_its_entries_has_no_summary(auth_on, alice_client, library_root) -> None:
    body = alice_client.get(f"/api/playlist/info?id={IDS.small_playlist}").json()
    assert "library" not in body


def test_artist_releases_count_what_the_library_holds_of_each(
    auth_on, alice, alice_client, library_root, spotify_api
) -> None:
    two_sides = spotify_api.catalog.albums[IDS.two_disc_album].track_ids
    for track_id in two_sides[:3]:
        put_file(library_root, track_id, album_id=IDS.two_disc_album)
    put_file(library_root, IDS.track, preview=True, album_id=IDS.small_album)
    want(alice, two_sides[3], album_id=IDS.two_disc_album)

    body = alice_client.get(f"/api/artist/info?id={IDS.artist}&limit=10").json()

    summaries = {item["id"]: item["library"] for item in body["albums"]["items"]}
    assert summaries[IDS.two_disc_album] == {"present": 3, "preview": 0, "wanted": 1, "missing": 4}
    assert summaries[IDS.small_album] == {"present": 0, "preview": 1, "wanted": 0, "missing": 2}
    assert summaries[IDS.single] == {"present": 0, "preview": 0, "wanted": 0, "missing": 1}
