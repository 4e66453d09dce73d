"""The watch API: adding, status, lists, removal, item marking, triggering, errors and isolation."""

from __future__ import annotations

import pytest

from downloads.models import DownloadTask
from tests.fakes.spotify_api import IDS, fake_id
from tests.watching.conftest import downloads_of, run_queued_watch_tasks
from watching.models import ItemStatus, Watch, WatchItemState, WatchTarget

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("auth_on", "spotify")]

PLAYLIST = IDS.small_playlist
URL = f"/api/playlist/watch/{PLAYLIST}"


def _error_shape(response) -> dict:
    body = response.json()
    assert set(body) >= {"error", "details", "code"}
    return body


# ---------------------------------------------------------------------------------------------- adding
def test_watching_a_playlist_without_a_body_answers_201_with_its_state(alice_client) -> None:
    response = alice_client.put(URL)

    assert response.status_code == 201
    body = response.json()
    assert body["message"] == "Playlist added to watch list"
    assert (body["is_watched"], body["spotify_id"], body["name"], body["owner"]) == (
        True,
        PLAYLIST,
        "Fixture Mix",
        "alice",
    )
    assert body["options"] == {"watch_new_additions": True, "download_existing": False}
    assert body["counts"]["items"] == body["counts"]["known"] == 5


def test_watching_a_playlist_again_answers_200_with_the_current_state_and_no_duplicate(alice_client) -> None:
    alice_client.put(URL, {"watch_new_additions": False}, format="json")

    response = alice_client.put(URL, {}, format="json")

    assert response.status_code == 200
    assert response.json()["message"] == "Playlist is already on your watch list"
    assert response.json()["options"]["watch_new_additions"] is False
    assert Watch.objects.count() == 1


def test_watching_a_playlist_spotify_does_not_know_is_a_404(alice_client) -> None:
    response = alice_client.put(f"/api/playlist/watch/{fake_id('no such playlist')}")

    assert response.status_code == 404
    assert _error_shape(response)["code"] == "spotify_not_found"
    assert WatchTarget.objects.count() == 0


def test_a_malformed_playlist_id_is_a_400(alice_client) -> None:
    response = alice_client.put("/api/playlist/watch/not-an-id!")

    assert response.status_code == 400
    _error_shape(response)


@pytest.mark.parametrize(
    "body",
    [{"watch_new_additions": "perhaps"}, {"download_everything": True}, ["a", "b"]],
    ids=["bad value", "unknown field", "a list"],
)
def test_a_bad_body_is_a_400_in_the_error_shape(alice_client, body) -> None:
    response = alice_client.put(URL, body, format="json")

    assert response.status_code == 400
    _error_shape(response)
    assert Watch.objects.count() == 0


def test_download_existing_on_add_queues_the_playlist_at_a_check_started_after_the_request(
    alice, alice_client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.put(URL, {"download_existing": True}, format="json")

    assert response.status_code == 201
    assert downloads_of(alice) == []
    assert run_queued_watch_tasks() == ["watching.tasks.watch_lane_task"]
    assert len(downloads_of(alice)) == 5


def test_watching_an_artist_defaults_to_the_configured_album_types(alice_client, watch_config) -> None:
    watch_config(watchedArtistAlbumGroup=["album"])

    response = alice_client.put(f"/api/artist/watch/{IDS.artist}")

    assert response.status_code == 201
    assert response.json()["options"] == {
        "watch_new_releases": True,
        "album_types": ["album"],
        "download_existing": False,
    }


def test_an_unknown_album_type_is_a_400(alice_client) -> None:
    response = alice_client.put(
        f"/api/artist/watch/{IDS.artist}", {"album_types": ["bootleg"]}, format="json"
    )

    assert response.status_code == 400
    assert "album_types" in _error_shape(response)["details"]


# ---------------------------------------------------------------------------------------------- disabled
def test_with_watching_disabled_adding_is_refused_with_how_to_enable_it(alice_client, watch_config) -> None:
    watch_config(enabled=False)

    response = alice_client.put(URL)

    assert response.status_code == 403
    body = _error_shape(response)
    assert body["code"] == "watching_disabled"
    assert 'PUT /api/config/watch {"enabled": true}' in body["error"]


def test_with_watching_disabled_triggering_is_refused(alice_client, watch_config) -> None:
    alice_client.put(URL)
    watch_config(enabled=False)

    assert alice_client.post("/api/playlist/watch/trigger_check").status_code == 403
    assert alice_client.post(f"/api/playlist/watch/trigger_check/{PLAYLIST}").status_code == 403


def test_with_watching_disabled_list_and_status_still_answer(alice_client, watch_config) -> None:
    alice_client.put(URL)
    watch_config(enabled=False)

    assert alice_client.get("/api/playlist/watch/list").status_code == 200
    assert alice_client.get(f"{URL}/status").json()["is_watched"] is True


# ---------------------------------------------------------------------------------------------- reading
def test_the_status_of_a_playlist_nobody_watches_says_so(alice_client) -> None:
    response = alice_client.get(f"{URL}/status")

    assert response.status_code == 200
    assert response.json() == {"is_watched": False, "spotify_id": PLAYLIST}


def test_the_list_shows_each_watch_with_options_counts_schedule_and_last_result(alice_client) -> None:
    alice_client.put(URL)
    alice_client.put(f"/api/playlist/watch/{IDS.big_playlist}")

    watches = alice_client.get("/api/playlist/watch/list").json()

    assert [watch["spotify_id"] for watch in watches] == [PLAYLIST, IDS.big_playlist]
    assert set(watches[0]) >= {
        "spotify_id",
        "name",
        "owner",
        "options",
        "counts",
        "last_checked",
        "next_check",
        "last_result",
        "last_error",
    }
    assert watches[1]["counts"]["items"] == 117


def test_users_see_only_their_own_watches_and_admins_see_everyones(
    alice_client, bob_client, admin_client
) -> None:
    alice_client.put(URL)
    bob_client.put(f"/api/artist/watch/{IDS.artist}")
    bob_client.put(f"/api/playlist/watch/{IDS.big_playlist}")

    mine = [watch["spotify_id"] for watch in alice_client.get("/api/playlist/watch/list").json()]
    everyone = [
        (watch["spotify_id"], watch["owner"]) for watch in admin_client.get("/api/playlist/watch/list").json()
    ]

    assert mine == [PLAYLIST]
    assert everyone == [(PLAYLIST, "alice"), (IDS.big_playlist, "bob")]


def test_another_users_watch_is_not_watched_for_you_and_cannot_be_removed(alice_client, bob_client) -> None:
    alice_client.put(URL)

    assert bob_client.get(f"{URL}/status").json()["is_watched"] is False
    response = bob_client.delete(URL)
    assert response.status_code == 404
    assert _error_shape(response)["code"] == "watch_not_found"
    assert Watch.objects.count() == 1


def test_anonymous_requests_are_refused_when_auth_is_on(anon_client) -> None:
    assert anon_client.get("/api/playlist/watch/list").status_code == 401


# ---------------------------------------------------------------------------------------------- removing
def test_removing_the_last_watch_forgets_the_playlist(alice_client) -> None:
    alice_client.put(URL)

    response = alice_client.delete(URL)

    assert response.status_code == 200
    assert response.json() == {"message": "Playlist removed from watch list"}
    assert WatchTarget.objects.count() == 0


def test_removing_ones_watch_keeps_the_playlist_for_the_other_watcher(alice_client, bob_client) -> None:
    alice_client.put(URL)
    bob_client.put(URL)

    alice_client.delete(URL)

    assert list(Watch.objects.values_list("user__username", flat=True)) == ["bob"]


# ---------------------------------------------------------------------------------------------- items
def test_tracks_given_as_a_bare_list_are_marked_known(spotify, alice_client) -> None:
    alice_client.put(URL)
    track = spotify.catalog.albums[IDS.big_album].track_ids[0]

    response = alice_client.post(f"{URL}/tracks", [track], format="json")

    assert response.status_code == 200
    assert response.json()["item_ids"] == [track]
    assert WatchItemState.objects.get(item_id=track).status == ItemStatus.KNOWN


def test_a_track_marked_known_before_it_is_added_is_not_downloaded(
    spotify, alice, alice_client, check
) -> None:
    alice_client.put(URL)
    track = spotify.catalog.albums[IDS.big_album].track_ids[0]
    alice_client.post(f"{URL}/tracks", {"track_ids": [track]}, format="json")
    spotify.catalog.playlist_add(PLAYLIST, [track])

    check(PLAYLIST)

    assert DownloadTask.objects.count() == 0


def test_forgotten_tracks_are_queued_at_the_next_check(spotify, alice, alice_client, check) -> None:
    alice_client.put(URL)
    first = spotify.catalog.playlists[PLAYLIST].entries[0].item_id

    response = alice_client.delete(f"{URL}/tracks", {"track_ids": [first]}, format="json")
    check(PLAYLIST)

    assert response.status_code == 200
    assert downloads_of(alice) == [first]


@pytest.mark.parametrize(
    "body",
    [{"track_ids": []}, {"track_ids": ["nope!"]}, {"tracks": ["x"]}, "text"],
    ids=["empty", "bad id", "wrong key", "not json object"],
)
def test_bad_track_lists_are_a_400(alice_client, body) -> None:
    alice_client.put(URL)

    response = alice_client.post(f"{URL}/tracks", body, format="json")

    assert response.status_code == 400
    _error_shape(response)


def test_marking_tracks_of_a_playlist_you_do_not_watch_is_a_404(alice_client) -> None:
    response = alice_client.post(f"{URL}/tracks", {"track_ids": [IDS.track]}, format="json")

    assert response.status_code == 404


def test_albums_of_a_watched_artist_can_be_marked_known(alice_client) -> None:
    alice_client.put(f"/api/artist/watch/{IDS.artist}", {"album_types": ["compilation"]}, format="json")

    response = alice_client.post(
        f"/api/artist/watch/{IDS.artist}/albums", {"album_ids": [IDS.single]}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["message"] == "1 albums marked as known; they will not be downloaded"


# ---------------------------------------------------------------------------------------------- triggering
def test_triggering_a_check_starts_it_once_the_request_commits(
    spotify, alice, alice_client, django_capture_on_commit_callbacks
) -> None:
    alice_client.put(URL)
    track = spotify.catalog.albums[IDS.big_album].track_ids[0]
    spotify.catalog.playlist_add(PLAYLIST, [track])

    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(f"/api/playlist/watch/trigger_check/{PLAYLIST}")

    assert response.status_code == 200
    assert response.json() == {"message": "Playlist check started", "checks": 1}
    assert run_queued_watch_tasks() == ["watching.tasks.watch_lane_task"]
    assert downloads_of(alice) == [track]


def test_triggering_all_checks_only_your_own_watches(alice_client, bob_client) -> None:
    alice_client.put(URL)
    bob_client.put(f"/api/playlist/watch/{IDS.big_playlist}")

    response = alice_client.post("/api/playlist/watch/trigger_check")

    assert response.json() == {"message": "Checking 1 watched playlists now", "checks": 1}


def test_triggering_a_playlist_you_do_not_watch_is_a_404(alice_client, bob_client) -> None:
    bob_client.put(URL)

    assert alice_client.post(f"/api/playlist/watch/trigger_check/{PLAYLIST}").status_code == 404
