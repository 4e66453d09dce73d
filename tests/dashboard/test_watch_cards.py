"""The Watch dialog's choices and the watchlist cards: cover, counts (items, downloaded, failed, wanted)
and a result sentence that fits the kind."""

from __future__ import annotations

import pytest
from django.utils import timezone

from downloads.models import WantedTrack
from spotizerr.dashboard.watch_cards import result_sentence
from tests.dashboard.conftest import messages_of, post
from tests.fakes.spotify_api import IDS
from watching.models import ItemStatus, Watch, WatchItemState, WatchTarget

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("spotify_owner_linked", "queued_only")]


@pytest.mark.parametrize(
    ("kind", "stored", "sentence"),
    [
        ("artist", "2 added, 0 removed, 0 moved; 2 queued", "2 new releases queued"),
        ("artist", "1 added, 0 removed, 0 moved; 1 queued", "1 new release queued"),
        ("artist", "unchanged; 0 queued", "No new releases"),
        ("artist", "1 added, 0 removed, 0 moved; 0 queued", "1 new release found, none queued"),
        ("playlist", "3 added, 1 removed, 0 moved; 3 queued", "3 tracks added, 1 removed"),
        ("playlist", "0 added, 2 removed, 1 moved; 0 queued", "2 removed, 1 moved"),
        ("playlist", "unchanged; 2 queued (2 retried)", "No changes; 2 queued (2 retried)"),
        (
            "playlist",
            "1 added, 0 removed, 0 moved; 0 queued, 1 could not be queued",
            "1 track added; 1 could not be queued",
        ),
        ("playlist", "first read", "Watching started"),
        ("playlist", "", "Not checked yet"),
        (
            "playlist",
            "Paused by a Spotify rate limit; continues in 30 s",
            "Paused by a Spotify rate limit; continues in 30 s",
        ),
    ],
)
def test_the_last_result_reads_as_a_sentence_for_its_kind(kind: str, stored: str, sentence: str) -> None:
    assert result_sentence(kind, stored) == sentence


def test_new_additions_only_marks_the_current_tracks_known(page_for, alice) -> None:
    response = post(
        page_for(alice),
        f"/watch/playlist/{IDS.small_playlist}/",
        {"action": "add", "mode": "new"},
        follow=True,
    )
    watch = Watch.objects.get(user=alice)
    assert watch.download_existing is False
    assert any("new tracks will be downloaded on their own" in text for text in messages_of(response))


def test_everything_now_asks_for_the_current_tracks_too(page_for, alice) -> None:
    response = post(
        page_for(alice),
        f"/watch/playlist/{IDS.small_playlist}/",
        {"action": "add", "mode": "all"},
        follow=True,
    )
    assert Watch.objects.get(user=alice).download_existing is True
    assert any("every current and new track will be downloaded" in text for text in messages_of(response))


def test_an_artist_is_watched_with_the_chosen_release_groups(page_for, alice) -> None:
    post(
        page_for(alice),
        f"/watch/artist/{IDS.artist}/",
        {"action": "add", "mode": "new", "album_types": ["single", "compilation"]},
    )
    assert Watch.objects.get(user=alice).album_types == ["single", "compilation"]


def test_an_artist_watch_without_any_group_is_refused(page_for, alice) -> None:
    response = post(
        page_for(alice), f"/watch/artist/{IDS.artist}/", {"action": "add", "mode": "new"}, follow=True
    )
    assert not Watch.objects.exists()
    assert any("album types" in text for text in messages_of(response))


def test_the_artist_dialog_ticks_the_watch_settings_groups(page_for, alice) -> None:
    body = page_for(alice).get(f"/artist/{IDS.artist}/").content.decode()
    assert 'id="watch-dialog"' in body and "Everything now and new releases" in body
    assert 'name="album_types" value="album" checked' in body
    assert 'name="album_types" value="appears_on">' in body


def test_a_card_shows_counts_wanted_and_the_result_sentence(page_for, alice, bob) -> None:
    page = page_for(alice)
    post(page, f"/watch/artist/{IDS.artist}/", {"action": "add", "mode": "new", "album_types": ["album"]})
    watch = Watch.objects.get(user=alice)
    WatchTarget.objects.filter(pk=watch.target_id).update(last_result="2 added, 0 removed, 0 moved; 2 queued")
    now = timezone.now()
    WatchItemState.objects.filter(watch=watch).delete()
    for item_id, status in (
        ("a", ItemStatus.DOWNLOADED),
        ("b", ItemStatus.DOWNLOADED),
        ("c", ItemStatus.FAILED),
    ):
        WatchItemState.objects.create(watch=watch, item_id=item_id, status=status, updated_at=now)
    for owner, track in ((alice, "t1"), (alice, "t2"), (bob, "t3")):  # bob's row is not alice's
        WantedTrack.objects.create(owner=owner, track_id=track, context_type="watch", context_id=IDS.artist)
    body = page.get("/watchlist/").content.decode()
    assert '<p class="watch-result">2 new releases queued</p>' in body
    assert "<strong>2</strong> downloaded" in body and "<strong>1</strong> failed" in body
    assert "<strong>2</strong> wanted" in body
    assert f'src="/watch/artist/{IDS.artist}/cover/"' in body


def test_the_cover_redirects_to_spotifys_image_for_a_watcher_only(page_for, alice, bob) -> None:
    post(
        page_for(alice),
        f"/watch/artist/{IDS.artist}/",
        {"action": "add", "mode": "new", "album_types": ["album"]},
    )
    response = page_for(alice).get(f"/watch/artist/{IDS.artist}/cover/")
    assert response.status_code == 302 and "/images/" in response["Location"]
    assert page_for(bob).get(f"/watch/artist/{IDS.artist}/cover/").status_code == 404


def test_liked_songs_get_a_placeholder_cover(page_for, alice) -> None:
    response = page_for(alice).get("/watch/playlist/liked/cover/")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
