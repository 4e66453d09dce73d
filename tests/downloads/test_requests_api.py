"""Download requests: ``GET /api/{type}/download/{id}`` and ``GET /api/artist/download/{id}``.

The queue only stores tasks here (nothing runs them); the pipeline has its own tests.
"""

from __future__ import annotations

import pytest

from downloads.models import DownloadTask, TaskStatus
from tests.fakes.spotify_api import IDS

pytestmark = pytest.mark.usefixtures("auth_on", "queued_only", "library_root")


def test_a_track_request_is_accepted_with_the_new_task_id(alice_client, alice, spotify_api) -> None:
    response = alice_client.get(f"/api/track/download/{IDS.track}")

    assert response.status_code == 202
    task = DownloadTask.objects.get(pk=response.json()["task_id"])
    assert (task.owner, task.download_type, task.item_id, task.status) == (
        alice,
        "track",
        IDS.track,
        "queued",
    )
    assert task.name == "Four Forty" and task.artist == "The Test Pattern"


@pytest.mark.parametrize(
    "given",
    [
        f"https://open.spotify.com/album/{IDS.small_album}?si=abc",
        f"spotify:album:{IDS.small_album}",
    ],
)
def test_an_album_may_be_named_by_link_or_uri(alice_client, spotify_api, given) -> None:
    response = alice_client.get(f"/api/album/download/{given}")

    assert response.status_code == 202
    assert DownloadTask.objects.get(pk=response.json()["task_id"]).item_id == IDS.small_album


def test_a_playlist_request_takes_the_playlist_name(alice_client, spotify_owner_linked) -> None:
    response = alice_client.get(f"/api/playlist/download/{IDS.small_playlist}")

    assert response.status_code == 202
    assert DownloadTask.objects.get(pk=response.json()["task_id"]).name == "Fixture Mix"


def test_an_id_spotify_does_not_know_is_404(alice_client, spotify_api) -> None:
    response = alice_client.get("/api/track/download/0000000000000000000000")

    assert response.status_code == 404
    assert set(response.json()) >= {"error", "details", "code"}
    assert not DownloadTask.objects.exists()


def test_a_malformed_id_is_400(alice_client, spotify_api) -> None:
    response = alice_client.get("/api/track/download/not-an-id")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_spotify_id"


def test_the_same_item_twice_is_409_naming_the_existing_task(alice_client, spotify_api) -> None:
    first = alice_client.get(f"/api/album/download/{IDS.small_album}").json()["task_id"]

    response = alice_client.get(f"/api/album/download/{IDS.small_album}")

    assert response.status_code == 409
    assert response.json()["existing_task"] == first
    assert response.json()["code"] == "duplicate_download"


def test_another_user_may_queue_the_same_item(alice_client, bob_client, spotify_api) -> None:
    alice_client.get(f"/api/album/download/{IDS.small_album}")

    assert bob_client.get(f"/api/album/download/{IDS.small_album}").status_code == 202


def test_a_finished_item_may_be_requested_again(alice_client, spotify_api) -> None:
    first = alice_client.get(f"/api/track/download/{IDS.track}").json()["task_id"]
    DownloadTask.objects.filter(pk=first).update(status=TaskStatus.COMPLETE)

    assert alice_client.get(f"/api/track/download/{IDS.track}").status_code == 202


def test_valid_overrides_are_kept_on_the_task(alice_client, spotify_api) -> None:
    response = alice_client.get(
        f"/api/track/download/{IDS.track}?convertTo=mp3&bitrate=192&tracknumPadding=false"
        "&customTrackFormat=%25music%25&unrelated=1"
    )

    task = DownloadTask.objects.get(pk=response.json()["task_id"])
    assert task.overrides == {
        "convertTo": "MP3",
        "bitrate": "192k",
        "tracknumPadding": False,
        "customTrackFormat": "%music%",
    }
    assert task.settings_snapshot["convertTo"] == "MP3"


@pytest.mark.parametrize(
    "query",
    [
        "convertTo=WMA",
        "convertTo=FLAC&bitrate=320k",
        "bitrate=999k",
        "customDirFormat=../%25album%25",
        "customTrackFormat=%25nope%25",
        "padNumberWidth=99",
        "saveCover=maybe",
    ],
)
def test_invalid_overrides_are_400_and_queue_nothing(alice_client, spotify_api, query) -> None:
    response = alice_client.get(f"/api/track/download/{IDS.track}?{query}")

    assert response.status_code == 400
    assert response.json()["details"]
    assert not DownloadTask.objects.exists()


def test_requests_without_login_are_401_when_auth_is_on(anon_client, spotify_api) -> None:
    assert anon_client.get(f"/api/track/download/{IDS.track}").status_code == 401


def test_an_artist_request_queues_one_album_task_per_release_of_the_default_groups(
    alice_client, spotify_api
) -> None:
    response = alice_client.get(f"/api/artist/download/{IDS.artist}")

    assert response.status_code == 202
    body = response.json()
    names = set(DownloadTask.objects.filter(pk__in=body["queued_albums"]).values_list("name", flat=True))
    assert names == {"Sine Waves", "Two Sides", "The Long Player", "Square Wave"}  # albums and singles
    assert body["duplicate_albums"] == [] and body["status"] == "complete"
    assert "4 albums queued" in body["message"]


def test_an_artist_request_honours_album_type(alice_client, spotify_api) -> None:
    response = alice_client.get(f"/api/artist/download/{IDS.artist}?album_type=single")

    tasks = DownloadTask.objects.filter(pk__in=response.json()["queued_albums"])
    assert list(tasks.values_list("name", flat=True)) == ["Square Wave"]


def test_an_artist_request_for_compilations_never_takes_releases_it_only_appears_on(
    alice_client, spotify_api
) -> None:
    """GIVEN a 2026 app (no album_group; appears-on releases are other artists' compilations)
    THEN only the artist's own compilations are queued, read from the compilation listing alone."""
    body = alice_client.get(f"/api/artist/download/{IDS.big_artist}?album_type=compilation").json()

    names = list(DownloadTask.objects.filter(pk__in=body["queued_albums"]).values_list("name", flat=True))
    assert len(names) == 5 and all("Compilation" in name for name in names)
    listings = [r for r in spotify_api.requests if r.path.endswith("/albums")]
    assert {r.query["include_groups"] for r in listings} == {"compilation"}


def test_an_artist_request_reads_a_long_discography_in_pages_of_ten(alice_client, spotify_api) -> None:
    body = alice_client.get(
        f"/api/artist/download/{IDS.big_artist}?album_type=album,single,appears_on"
    ).json()

    assert len(body["queued_albums"]) == 30 + 15 + 10
    listings = [r for r in spotify_api.requests if r.path.endswith("/albums")]
    assert all(r.status == 200 and int(r.query["limit"]) <= 10 for r in listings)


def test_an_artist_request_reports_albums_already_queued_as_duplicates(alice_client, spotify_api) -> None:
    existing = alice_client.get(f"/api/album/download/{IDS.small_album}").json()["task_id"]

    body = alice_client.get(f"/api/artist/download/{IDS.artist}?album_type=album").json()

    assert body["duplicate_albums"] == [existing]
    assert len(body["queued_albums"]) == 2


def test_an_unknown_album_type_is_400(alice_client, spotify_api) -> None:
    response = alice_client.get(f"/api/artist/download/{IDS.artist}?album_type=bootleg")

    assert response.status_code == 400
    assert not DownloadTask.objects.exists()


def test_an_unknown_artist_is_404(alice_client, spotify_api) -> None:
    assert alice_client.get("/api/artist/download/0000000000000000000000").status_code == 404
