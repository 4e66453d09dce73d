"""The Spotify client against the local fake Web API: typed data, every page followed, caching."""

from __future__ import annotations

import pytest

from spotizerr.integrations.spotify import (
    RELEASE_GROUPS,
    SpotifyCredentialsRejected,
    SpotifyNotConfigured,
    SpotifyNotFound,
    get_spotify_client,
)
from tests.fakes.spotify_api import IDS, FakeSpotify, fake_id


def _calls(fake: FakeSpotify, path: str) -> list:
    return [record for record in fake.requests if record.path == path]


def test_it_reads_a_track_with_album_and_isrc(spotify_api: FakeSpotify) -> None:
    track = get_spotify_client().track(IDS.track)
    assert track.name == "Four Forty"
    assert track.artist_names == ["The Test Pattern"]
    assert track.album.name == "Sine Waves" and track.album.release_date == "2021-05-14"
    assert track.isrc and len(track.isrc) == 12
    assert track.preview_url is None and track.popularity is None  # development mode: both gone
    assert track.album.images[0].url.startswith(spotify_api.base_url)


@pytest.mark.spotify_extended_quota
def test_an_extended_quota_app_reads_the_preview_and_popularity(spotify_api: FakeSpotify) -> None:
    track = get_spotify_client().track(IDS.track)
    assert track.preview_url == f"{spotify_api.base_url}/previews/{IDS.track}.mp3"
    assert track.popularity == 30


def test_it_reads_every_track_of_an_album_longer_than_one_page(spotify_api: FakeSpotify) -> None:
    album = get_spotify_client().album(IDS.big_album)
    assert len(album.tracks) == 60
    assert [t.track_number for t in album.tracks] == list(range(1, 61))
    assert all(t.album.id == IDS.big_album for t in album.tracks)
    assert [r.query.get("offset") for r in _calls(spotify_api, f"/v1/albums/{IDS.big_album}/tracks")] == [
        "50"
    ]


def test_it_reads_album_label_upc_copyrights_and_discs(spotify_api: FakeSpotify) -> None:
    album = get_spotify_client().album(IDS.two_disc_album)
    assert album.label is None and album.upc and album.copyrights  # development mode: no label
    assert album.release_date == "2019-11"
    assert [(t.disc_number, t.track_number) for t in album.tracks][3:5] == [(1, 4), (2, 1)]


def test_it_uses_single_object_endpoints_only(spotify_api_extended: FakeSpotify) -> None:
    """(pre-2026 rules: about paging and caching, not about who may read; see test_playlists_2026)"""
    spotify_api = spotify_api_extended
    client = get_spotify_client()
    client.album(IDS.small_album)
    client.playlist(IDS.big_playlist, include_entries=True)
    assert not [
        r
        for r in spotify_api.requests
        if "ids" in r.query or (r.path.endswith("/tracks") and r.path.startswith("/v1/playlists/"))
    ]


def test_it_reads_every_playlist_entry_and_says_why_some_cannot_be_downloaded(
    spotify_api_extended: FakeSpotify,
) -> None:
    """(pre-2026 rules: about paging and caching, not about who may read; see test_playlists_2026)"""
    playlist = get_spotify_client().playlist(IDS.big_playlist, include_entries=True)
    assert playlist.total_tracks == 120 and len(playlist.entries) == 120
    skipped = {entry.position: entry.skip_reason for entry in playlist.entries if entry.track is None}
    assert skipped == {7: "local_file", 42: "unavailable", 100: "episode"}
    assert [entry.position for entry in playlist.entries] == list(range(120))


def test_it_pages_playlist_entries_from_the_items_endpoint(spotify_api_extended: FakeSpotify) -> None:
    """(pre-2026 rules: about paging and caching, not about who may read; see test_playlists_2026)"""
    spotify_api = spotify_api_extended
    page = get_spotify_client().playlist_entries_page(IDS.big_playlist, limit=30, offset=95)
    assert page.total == 120 and len(page.items) == 25 and page.next_offset is None
    assert page.items[5].position == 100 and page.items[5].skip_reason == "episode"
    assert all(r.path.endswith("/items") for r in spotify_api.requests if "playlists" in r.path)


def test_it_reads_every_release_of_a_prolific_artist_in_pages_of_ten(spotify_api: FakeSpotify) -> None:
    releases = get_spotify_client().artist_releases(IDS.big_artist)
    assert len(releases) == 60
    calls = _calls(spotify_api, f"/v1/artists/{IDS.big_artist}/albums")
    assert {r.query["limit"] for r in calls} == {"10"} and all(r.status == 200 for r in calls)
    assert len(calls) == 3 + 2 + 1 + 1  # 30 albums, 15 singles, 5 compilations, 10 appears-on


def test_it_files_each_release_under_the_group_it_was_asked_for(spotify_api: FakeSpotify) -> None:
    """GIVEN items without album_group (appears-on releases are compilations by other artists)
    THEN each release keeps the include_groups value of the listing it came from."""
    releases = get_spotify_client().artist_releases(IDS.big_artist)
    counts = {group: sum(r.album_group == group for r in releases) for group in RELEASE_GROUPS}
    assert counts == {"album": 30, "single": 15, "compilation": 5, "appears_on": 10}
    appears_on = [r for r in releases if r.album_group == "appears_on"]
    assert all(r.album_type == "compilation" and "Appears_On" in r.name for r in appears_on)
    calls = _calls(spotify_api, f"/v1/artists/{IDS.big_artist}/albums")
    assert all("," not in r.query["include_groups"] for r in calls)


def test_it_filters_artist_releases_by_group(spotify_api: FakeSpotify) -> None:
    releases = get_spotify_client().artist_releases(IDS.big_artist, ["single", "appears_on"])
    assert len(releases) == 25
    assert {r.album_group for r in releases} == {"single", "appears_on"}
    calls = _calls(spotify_api, f"/v1/artists/{IDS.big_artist}/albums")
    assert {r.query["include_groups"] for r in calls} == {"single", "appears_on"}


@pytest.mark.parametrize(
    ("offset", "limit", "first", "last"),
    [(0, 10, "album", "album"), (25, 10, "album", "single"), (44, 3, "single", "compilation")],
)
def test_a_releases_page_spans_the_groups_in_order(
    spotify_api: FakeSpotify, offset: int, limit: int, first: str, last: str
) -> None:
    everything = get_spotify_client().artist_releases(IDS.big_artist)
    page = get_spotify_client().artist_releases_page(IDS.big_artist, limit=limit, offset=offset)
    assert (
        page.total == 60 and [r.id for r in page.items] == [r.id for r in everything][offset : offset + limit]
    )
    assert (page.items[0].album_group, page.items[-1].album_group) == (first, last)


def test_the_last_releases_page_has_no_next_offset(spotify_api: FakeSpotify) -> None:
    page = get_spotify_client().artist_releases_page(IDS.big_artist, limit=50, offset=55)
    assert len(page.items) == 5 and page.next_offset is None
    assert {r.album_group for r in page.items} == {"appears_on"}


def test_it_pages_search_ten_at_a_time_to_reach_the_limit(spotify_api: FakeSpotify) -> None:
    hits = get_spotify_client().search("long player", "track", limit=25)
    assert len(hits) == 25 and all(hit.type == "track" for hit in hits)
    assert [r.query["limit"] for r in _calls(spotify_api, "/v1/search")] == ["10", "10", "5"]


def test_it_returns_fewer_search_hits_when_spotify_has_fewer(spotify_api: FakeSpotify) -> None:
    hits = get_spotify_client().search("Sine Waves", "album", limit=20)
    assert [hit.name for hit in hits] == ["Sine Waves"]
    assert len(_calls(spotify_api, "/v1/search")) == 1


def test_the_check_is_one_small_uncached_search(spotify_api: FakeSpotify) -> None:
    get_spotify_client().check()
    get_spotify_client().check()
    assert [r.query["limit"] for r in _calls(spotify_api, "/v1/search")] == ["1", "1"]


def test_it_raises_not_found_for_an_unknown_id(spotify_api: FakeSpotify) -> None:
    with pytest.raises(SpotifyNotFound) as caught:
        get_spotify_client().track(fake_id("no such track"))
    assert caught.value.permanent is True


def test_it_raises_not_configured_without_credentials(spotify_server: FakeSpotify) -> None:
    with pytest.raises(SpotifyNotConfigured):
        get_spotify_client()


def test_it_falls_back_to_credentials_from_the_environment(spotify_server: FakeSpotify, settings) -> None:
    settings.SPOTIFY_CLIENT_ID = spotify_server.client_id
    settings.SPOTIFY_CLIENT_SECRET = spotify_server.client_secret
    assert get_spotify_client().track(IDS.track).id == IDS.track


def test_it_says_when_spotify_rejects_the_credentials(spotify_server: FakeSpotify) -> None:
    from settings_app.services import credential_create

    credential_create(service="spotify", name="wrong", client_id="nope", client_secret="wrong")
    with pytest.raises(SpotifyCredentialsRejected) as caught:
        get_spotify_client().track(IDS.track)
    assert caught.value.permanent is True


def test_it_fetches_a_new_token_when_spotify_expires_it(spotify_api: FakeSpotify) -> None:
    client = get_spotify_client()
    client.track(IDS.track)
    spotify_api.expire_tokens()
    assert client.track(IDS.track_no_preview).id == IDS.track_no_preview
    assert spotify_api.api_calls("/api/token") == 2


def test_it_shares_one_token_between_client_instances(spotify_api: FakeSpotify) -> None:
    get_spotify_client().track(IDS.track)
    get_spotify_client().album(IDS.small_album)
    assert spotify_api.api_calls("/api/token") == 1


def test_it_answers_a_second_read_of_the_same_object_from_the_cache(spotify_api: FakeSpotify) -> None:
    get_spotify_client().album(IDS.big_album)
    before = spotify_api.api_calls()
    again = get_spotify_client().album(IDS.big_album)
    assert len(again.tracks) == 60 and spotify_api.api_calls() == before


def test_it_fetches_again_when_caching_is_off(spotify_api: FakeSpotify, settings) -> None:
    settings.SPOTIFY_CACHE_SECONDS = 0
    get_spotify_client().track(IDS.track)
    get_spotify_client().track(IDS.track)
    assert len(_calls(spotify_api, f"/v1/tracks/{IDS.track}")) == 2


def test_it_always_asks_spotify_for_the_current_snapshot(spotify_api: FakeSpotify) -> None:
    client = get_spotify_client()
    first = client.playlist_snapshot(IDS.small_playlist)
    # the fixture clears the client cache on catalog changes; the snapshot call must not need that
    spotify_api.catalog.listeners.clear()
    changed = spotify_api.catalog.playlist_add(IDS.small_playlist, [IDS.explicit_track])
    assert first != changed and client.playlist_snapshot(IDS.small_playlist) == changed


def test_it_keys_cached_entries_on_the_snapshot(spotify_api_extended: FakeSpotify) -> None:
    """(pre-2026 rules: about paging and caching, not about who may read; see test_playlists_2026)"""
    spotify_api = spotify_api_extended
    client = get_spotify_client()
    spotify_api.catalog.listeners.clear()
    before = client.playlist_entries(
        IDS.small_playlist, snapshot_id=client.playlist_snapshot(IDS.small_playlist)
    )
    spotify_api.catalog.playlist_remove(IDS.small_playlist, IDS.track)
    after = client.playlist_entries(
        IDS.small_playlist, snapshot_id=client.playlist_snapshot(IDS.small_playlist)
    )
    assert len(before) == 5 and len(after) == 4


def test_the_cache_keeps_of_playlist_entries_only_what_they_are_read_from(
    spotify_api_extended: FakeSpotify,
) -> None:
    """(pre-2026 rules: the app's token reads the entries, so the raw answers can be compared)"""
    import pickle

    from spotizerr.integrations.spotify import parse

    transport = get_spotify_client().transport
    for offset in (0, 50, 100):  # local file at 7, null at 42, episode at 100
        full = transport.get(
            f"playlists/{IDS.big_playlist}/items", {"limit": 50, "offset": offset}, max_wait=5, cached=False
        )
        slim = parse.slim_playlist_items(full)
        assert [parse.playlist_entry(item, n) for n, item in enumerate(slim["items"])] == [
            parse.playlist_entry(item, n) for n, item in enumerate(full["items"])
        ]
        assert {key: value for key, value in slim.items() if key != "items"} == {
            key: value for key, value in full.items() if key != "items"
        }
        assert len(pickle.dumps(slim)) < len(pickle.dumps(full)) / 3
    entries = get_spotify_client().playlist_entries_page(IDS.big_playlist, limit=50, offset=0).items
    assert entries[0].track is not None and entries[0].track.popularity is not None
