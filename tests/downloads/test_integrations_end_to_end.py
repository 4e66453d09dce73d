"""The issue's done-when: a 40-track album with lyrics, genres, media-server refresh and notifications
on, through the real pipeline (worker inline) and local fakes of every outside service."""

from __future__ import annotations

import time

import pytest

from downloads.models import DownloadTask, TaskStatus
from downloads.tag_reading import read_tags
from settings_app.media_servers import media_servers_refresh_due
from settings_app.notifications import notification_target_create
from tests.fakes.lrclib import record
from tests.fakes.spotify_api import IDS

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("auth_on", "engine", "inline_queue"),
]
TRACKS = 40


@pytest.fixture
def forty(spotify_api, lrclib, musicbrainz) -> str:
    """A 40-track album whose tracks LRCLIB and MusicBrainz know and Spotify has no genres for."""
    catalog = spotify_api.catalog
    album_id = catalog.add_album("Forty Tones", artist_ids=[IDS.artist], tracks=TRACKS, release_date="2024")
    catalog.albums[album_id].genres = []
    catalog.artists[IDS.artist].genres = []
    for track_id in catalog.albums[album_id].track_ids:
        track = catalog.tracks[track_id]
        lrclib.add(record(track.name, "The Test Pattern", track.duration_ms / 1000))
        musicbrainz.add(
            track.isrc,
            release="rel-forty",
            artist="art-pattern",
            group_tags={"ambient": 4},
            artist_tags={"electronic": 2},
        )
    return album_id


def test_a_forty_track_album_gets_lyrics_genres_one_refresh_per_server_and_one_message(
    alice, alice_client, album_in_inbox, library_root, forty, media_servers, webhook
) -> None:
    notification_target_create(owner=alice, name="phone", url=webhook.url(), events=["download_complete"])
    album_in_inbox(forty)

    response = alice_client.get(f"/api/album/download/{forty}")
    task = DownloadTask.objects.get(pk=response.json()["task_id"])
    assert media_servers_refresh_due() == 0  # the quiet period has not passed yet
    time.sleep(1.1)
    media_servers_refresh_due()

    assert task.status == TaskStatus.COMPLETE and task.summary["total_successful"] == TRACKS
    files = sorted((library_root / "The Test Pattern" / "Forty Tones").glob("*.mp3"))
    assert len(files) == TRACKS
    for path in files:
        tags = read_tags(path)
        assert tags["lyrics"].startswith(f"{tags['title']} line 1")
        assert tags["genres"] == ["ambient", "electronic"]
        assert path.with_suffix(".lrc").read_text(encoding="utf-8").startswith("[00:01.00]")
    assert {kind: fake.refreshes for kind, fake in media_servers.items()} == {
        "subsonic": 1,
        "jellyfin": 1,
        "plex": 1,
    }
    (message,) = webhook.messages
    assert message["title"] == "Download complete: Forty Tones"
    assert message["message"] == "40 downloaded, 0 already in the library, 0 failed, of 40 tracks."
