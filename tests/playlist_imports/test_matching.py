"""Matching runs in a django-q2 task for long lists, records each entry as it goes, resumes where a
stopped matcher left off without asking Spotify again, and reuses earlier matches (0 calls on a repeat)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.response import Response
from rest_framework.test import APIClient

from playlist_imports import services
from playlist_imports.models import EntryState, ImportEntry, ImportStatus, PlaylistImport
from spotizerr.integrations.spotify import SpotifyUnavailable, spotify_cache_clear

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("auth_on")]


def _csv(track_ids: list[str]) -> bytes:
    return ("Track URI\n" + "\n".join(f"spotify:track:{t}" for t in track_ids) + "\n").encode()


def _post(client: APIClient, track_ids: list[str], name: str = "Long") -> Response:
    upload = SimpleUploadedFile("list.csv", _csv(track_ids))
    return client.post(
        "/api/playlist/import", {"kind": "csv", "name": name, "file": upload}, format="multipart"
    )


def _track_calls(spotify_api) -> list[str]:
    return [r.path.rsplit("/", 1)[-1] for r in spotify_api.requests if r.path.startswith("/v1/tracks/")]


@pytest.fixture
def album_tracks(spotify_api) -> list[str]:
    from tests.fakes.spotify_api import IDS

    return list(spotify_api.catalog.albums[IDS.big_album].track_ids[:12])


@pytest.mark.usefixtures("inline_queue")
def test_a_long_list_is_answered_at_once_and_matched_by_the_task(
    alice_client, spotify_api, settings, album_tracks
) -> None:
    settings.IMPORT_INLINE_MAX = 5

    response = _post(alice_client, album_tracks)

    assert response.status_code == 201
    review = alice_client.get(f"/api/playlist/import/{response.json()['playlist_id']}").json()
    assert review["status"] == "ready" and review["matched"] == 12
    assert [e["track"]["id"] for e in review["entries"]] == album_tracks


@pytest.mark.usefixtures("queued_only")
def test_an_import_too_long_to_match_inline_answers_with_its_progress(
    alice_client, spotify_api, settings, album_tracks
) -> None:
    settings.IMPORT_INLINE_MAX = 5

    body = _post(alice_client, album_tracks).json()

    assert (body["status"], body["total"], body["matched"], body["pending"]) == ("matching", 12, 0, 12)


@pytest.mark.usefixtures("queued_only")
def test_a_stopped_matcher_is_resumed_without_asking_spotify_again_for_matched_entries(
    alice_client, spotify_api, settings, album_tracks
) -> None:
    """GIVEN a 12-entry import whose matcher stopped at entry 6 (Spotify unavailable) WHEN the reaper
    queues it again after the lease period THEN entries 6-12 are asked of Spotify, 1-5 never again."""
    settings.IMPORT_INLINE_MAX = 0
    settings.SPOTIFY_RETRIES = 0
    playlist_id = _post(alice_client, album_tracks).json()["playlist_id"]
    playlist = PlaylistImport.objects.get()
    spotify_api.fail_next(503, count=1, path_prefix=f"/v1/tracks/{album_tracks[5]}")
    with pytest.raises(SpotifyUnavailable):
        services.import_match_run(import_id=playlist.pk)
    assert ImportEntry.objects.filter(state=EntryState.MATCHED).count() == 5
    assert services.import_match_run(import_id=playlist.pk) == 0  # its lease is still held
    spotify_cache_clear()
    spotify_api.clear_requests()
    settings.LEASE_STALE_SECONDS = 0

    assert services.imports_reap() == 1
    services.import_match_run(import_id=playlist.pk)

    assert _track_calls(spotify_api) == album_tracks[5:]
    review = alice_client.get(f"/api/playlist/import/{playlist_id}").json()
    assert review["status"] == ImportStatus.READY and review["matched"] == 12


@pytest.mark.usefixtures("inline_queue")
def test_importing_the_same_list_again_asks_spotify_nothing(alice_client, spotify_api, album_tracks) -> None:
    assert _post(alice_client, album_tracks[:4], "First").json()["matched"] == 4
    spotify_cache_clear()
    spotify_api.clear_requests()

    again = _post(alice_client, album_tracks[:4], "Again").json()

    assert again["matched"] == 4 and spotify_api.api_calls() == 0


@pytest.mark.usefixtures("queued_only")
def test_the_reaper_leaves_a_live_matcher_alone(alice_client, spotify_api, settings, album_tracks) -> None:
    settings.IMPORT_INLINE_MAX = 0
    _post(alice_client, album_tracks)
    PlaylistImport.objects.update(heartbeat_at=timezone.now())

    assert services.imports_reap() == 0


@pytest.fixture
def backoff_cleared() -> Iterator[None]:
    """A transactional test's cache rows are not rolled back: leave no 30 s back-off to later tests."""
    yield
    from django.core.cache import cache

    from spotizerr.integrations.spotify.transport import BLOCKED_UNTIL_KEY

    cache.delete(BLOCKED_UNTIL_KEY)


@pytest.mark.usefixtures("queued_only", "backoff_cleared")
def test_a_long_rate_limit_during_inline_matching_leaves_the_rest_to_a_worker(
    alice_client, spotify_api, album_tracks
) -> None:
    from django_q.brokers import get_broker

    broker = get_broker()  # the ORM broker, or Redis in the PostgreSQL + Redis run
    queued_before = broker.queue_size()
    spotify_api.fail_next(429, count=1, retry_after=30, path_prefix=f"/v1/tracks/{album_tracks[2]}")

    response = _post(alice_client, album_tracks[:4], "Limited")

    assert response.status_code == 201
    assert (response.json()["status"], response.json()["matched"], response.json()["pending"]) == (
        "matching",
        2,
        2,
    )
    assert broker.queue_size() == queued_before + 1  # the rest is left to a worker


def test_a_json_body_past_django_s_limit_is_too_large(alice_client, spotify_api) -> None:
    text = f"# {'x' * 3_000_000}\n4uLU6hMCjMI75M1A2tKUQC\n"  # one entry and 3 MB of comment

    response = alice_client.post(
        "/api/playlist/import", {"kind": "links", "name": "Big", "text": text}, format="json"
    )

    assert response.status_code == 413 and response.json()["code"] == "too_large"  # docs: upload as a file
    assert PlaylistImport.objects.count() == 0
