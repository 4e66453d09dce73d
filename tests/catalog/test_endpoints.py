"""The catalog endpoints (track/album/artist/playlist info, search, markets) against the fake Web API."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.fakes.spotify_api import IDS, FakeSpotify, fake_id


@pytest.fixture
def api(spotify_api: FakeSpotify, auth_on, alice_client: APIClient) -> APIClient:
    """A plain user's client with authentication on: any user may read the catalog."""
    return alice_client


def _error_shape(response) -> dict:
    body = response.json()
    assert set(body) >= {"error", "details", "code"}
    return body


# ------------------------------------------------------------------ track
def test_track_info_has_the_seed_fields_plus_isrc_and_images(api: APIClient) -> None:
    body = api.get("/api/track/info", {"id": IDS.track}).json()
    assert body["name"] == "Four Forty" and body["type"] == "track"
    assert body["artists"][0]["name"] == "The Test Pattern"
    assert body["album"]["name"] == "Sine Waves" and body["album"]["release_date"] == "2021-05-14"
    assert body["album"]["images"][0]["url"].endswith(".jpg")
    assert body["external_urls"] == {"spotify": f"https://open.spotify.com/track/{IDS.track}"}
    assert body["external_ids"]["isrc"] == body["isrc"] and len(body["isrc"]) == 12
    assert body["duration_ms"] == 150000 and body["explicit"] is False


def test_track_info_accepts_a_link(api: APIClient) -> None:
    response = api.get("/api/track/info", {"id": f"https://open.spotify.com/intl-fr/track/{IDS.track}?si=x"})
    assert response.status_code == 200 and response.json()["id"] == IDS.track


def test_track_info_rejects_a_malformed_id(api: APIClient) -> None:
    response = api.get("/api/track/info", {"id": "definitely not an id"})
    assert response.status_code == 400 and _error_shape(response)["code"] == "invalid_spotify_id"


def test_track_info_requires_an_id(api: APIClient) -> None:
    response = api.get("/api/track/info")
    assert response.status_code == 400 and "id" in _error_shape(response)["details"]


def test_track_info_is_404_for_an_id_spotify_does_not_know(api: APIClient) -> None:
    response = api.get("/api/track/info", {"id": fake_id("nobody")})
    assert response.status_code == 404 and _error_shape(response)["code"] == "spotify_not_found"


def test_catalog_needs_a_login_when_auth_is_on(spotify_api: FakeSpotify, auth_on, anon_client) -> None:
    assert anon_client.get("/api/track/info", {"id": IDS.track}).status_code == 401


# ------------------------------------------------------------------ album
def test_album_info_returns_every_track_by_default(api: APIClient) -> None:
    body = api.get("/api/album/info", {"id": IDS.big_album}).json()
    assert body["total_tracks"] == 60 and len(body["tracks"]["items"]) == 60
    assert body["tracks"]["next"] is None and body["tracks"]["total"] == 60


def test_album_info_pages_tracks_with_limit_and_offset(api: APIClient) -> None:
    body = api.get("/api/album/info", {"id": IDS.big_album, "limit": 20, "offset": 40}).json()
    tracks = body["tracks"]
    assert [t["track_number"] for t in tracks["items"]] == list(range(41, 61))
    assert (tracks["total"], tracks["limit"], tracks["offset"], tracks["next"]) == (60, 20, 40, None)


def test_album_info_links_the_next_page(api: APIClient) -> None:
    tracks = api.get("/api/album/info", {"id": IDS.big_album, "limit": 25}).json()["tracks"]
    assert (
        tracks["next_offset"] == 25 and "offset=25" in tracks["next"] and "/api/album/info?" in tracks["next"]
    )


def test_album_info_has_upc_genres_and_copyrights_but_no_label(api: APIClient) -> None:
    body = api.get("/api/album/info", {"id": f"spotify:album:{IDS.small_album}"}).json()
    assert body["label"] is None and body["upc"] == body["external_ids"]["upc"]  # label gone in 2026
    assert body["genres"] and body["copyrights"] and body["release_date"] == "2021-05-14"
    assert body["year"] == "2021"


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": "ten"}, {"offset": -1}, {"limit": 100000}])
def test_album_info_rejects_bad_paging(api: APIClient, params: dict) -> None:
    response = api.get("/api/album/info", {"id": IDS.big_album, **params})
    assert response.status_code == 400 and _error_shape(response)["code"] == "invalid"


def test_album_info_rejects_a_track_link(api: APIClient) -> None:
    response = api.get("/api/album/info", {"id": f"https://open.spotify.com/track/{IDS.track}"})
    assert response.status_code == 400


# ------------------------------------------------------------------ artist
def test_artist_info_pages_releases_ten_by_default(api: APIClient) -> None:
    body = api.get("/api/artist/info", {"id": IDS.big_artist}).json()
    assert body["name"] == "Prolific Painter" and body["type"] == "artist"
    assert len(body["albums"]["items"]) == 10 and body["albums"]["total"] == 60
    assert body["albums"]["next_offset"] == 10


def test_artist_info_reaches_releases_past_the_first_fifty(api: APIClient) -> None:
    albums = api.get("/api/artist/info", {"id": IDS.big_artist, "limit": 20, "offset": 50}).json()["albums"]
    assert len(albums["items"]) == 10 and albums["next"] is None
    assert {item["album_group"] for item in albums["items"]} == {"appears_on"}


@pytest.mark.parametrize("limit", [11, 50, 500])
def test_artist_info_answers_any_limit_up_to_ours_in_spotify_pages_of_ten(
    api: APIClient, spotify_api: FakeSpotify, limit: int
) -> None:
    albums = api.get("/api/artist/info", {"id": IDS.big_artist, "limit": limit}).json()["albums"]
    assert len(albums["items"]) == min(limit, 60) and albums["total"] == 60
    calls = [r for r in spotify_api.requests if r.path.endswith("/albums")]
    assert calls and all(int(r.query["limit"]) <= 10 and r.status == 200 for r in calls)


def test_artist_info_gives_each_release_its_own_group(api: APIClient) -> None:
    items = api.get("/api/artist/info", {"id": IDS.big_artist, "limit": 60}).json()["albums"]["items"]
    groups = [item["album_group"] for item in items]
    assert groups == ["album"] * 30 + ["single"] * 15 + ["compilation"] * 5 + ["appears_on"] * 10


@pytest.mark.parametrize("params", [{"limit": 0}, {"offset": -5}, {"limit": "x"}, {"limit": 501}])
def test_artist_info_rejects_bad_paging(api: APIClient, params: dict) -> None:
    assert api.get("/api/artist/info", {"id": IDS.big_artist, **params}).status_code == 400


@pytest.mark.parametrize("path", ["/api/artist/info", "/api/album/info", "/api/playlist/tracks"])
def test_an_offset_past_spotifys_bounds_is_a_400_not_a_502(
    api: APIClient, spotify_api: FakeSpotify, path: str
) -> None:
    ids = {"artist": IDS.big_artist, "album": IDS.big_album}
    target = next((v for k, v in ids.items() if k in path), IDS.big_playlist)
    response = api.get(path, {"id": target, "offset": 200_000})
    body = _error_shape(response)
    assert response.status_code == 400 and body["code"] == "invalid" and "offset" in body["details"]
    assert spotify_api.api_calls() == 0


# ------------------------------------------------------------------ playlists
def test_playlist_info_without_tracks_gives_only_the_count(api: APIClient) -> None:
    body = api.get("/api/playlist/info", {"id": IDS.big_playlist}).json()
    assert body["tracks"]["total"] == 120 and "items" not in body["tracks"] and body["snapshot_id"]
    assert body["owner"]["display_name"] == "Fixture User"


@pytest.mark.usefixtures("spotify_owner_linked")  # alice owns the fixture playlists on Spotify
def test_playlist_info_with_tracks_lists_every_entry(api: APIClient) -> None:
    body = api.get("/api/playlist/info", {"id": IDS.big_playlist, "include_tracks": "true"}).json()
    items = body["tracks"]["items"]
    assert len(items) == 120
    assert items[7]["is_local"] is True and items[7]["track"] is None
    assert items[42]["skip_reason"] == "unavailable" and items[100]["skip_reason"] == "episode"
    assert items[0]["track"]["album"]["id"]


@pytest.mark.usefixtures("spotify_owner_linked")
def test_playlist_metadata_gives_the_first_page_and_a_link_to_the_rest(api: APIClient) -> None:
    body = api.get("/api/playlist/metadata", {"id": IDS.big_playlist}).json()
    assert len(body["tracks"]["items"]) == 50 and body["tracks"]["total"] == 120
    assert "/api/playlist/tracks?" in body["tracks"]["next"]


@pytest.mark.usefixtures("spotify_owner_linked")
def test_playlist_tracks_pages_past_one_hundred(api: APIClient) -> None:
    body = api.get("/api/playlist/tracks", {"id": IDS.big_playlist, "limit": 50, "offset": 100}).json()
    assert [item["position"] for item in body["items"]] == list(range(100, 120))
    assert (body["total"], body["next"]) == (120, None)


@pytest.mark.usefixtures("spotify_owner_linked")
def test_playlist_tracks_follows_its_next_link(api: APIClient) -> None:
    first = api.get("/api/playlist/tracks", {"id": IDS.big_playlist}).json()
    second = api.get(first["next"]).json()
    assert len(first["items"]) == 100 and [i["position"] for i in second["items"]] == list(range(100, 120))


def test_playlist_info_is_404_for_an_unknown_playlist(api: APIClient) -> None:
    assert api.get("/api/playlist/info", {"id": fake_id("gone")}).status_code == 404


# ------------------------------------------------------------------ search
@pytest.mark.parametrize(
    "kind,query,expected",
    [
        ("track", "four forty", "Four Forty"),
        ("album", "two sides", "Two Sides"),
        ("artist", "test pattern", "The Test Pattern"),
        ("playlist", "fixture mix", "Fixture Mix"),
        ("show", "radio hour", "Fixture Radio Hour"),
        ("episode", "radio hour episode 1", "Fixture Radio Hour Episode 1"),
    ],
)
def test_search_finds_each_type(api: APIClient, kind: str, query: str, expected: str) -> None:
    items = api.get("/api/search/", {"q": query, "search_type": kind}).json()["items"]
    assert items[0]["name"] == expected and items[0]["type"] == kind
    assert items[0]["external_urls"]["spotify"].endswith(items[0]["id"])


def test_search_accepts_type_as_an_alias(api: APIClient) -> None:
    items = api.get("/api/search/", {"q": "sine waves", "type": "album"}).json()["items"]
    assert [item["name"] for item in items] == ["Sine Waves"]


def test_search_reaches_a_limit_above_spotifys_ten(api: APIClient, spotify_api: FakeSpotify) -> None:
    items = api.get("/api/search/", {"q": "long player", "limit": 30}).json()["items"]
    assert len(items) == 30 and spotify_api.api_calls("/v1/search") == 3


@pytest.mark.parametrize(
    "params", [{}, {"q": "x", "search_type": "podcast"}, {"q": "x", "limit": 0}, {"q": "x", "limit": 51}]
)
def test_search_rejects_bad_queries(api: APIClient, params: dict) -> None:
    response = api.get("/api/search/", params)
    assert response.status_code == 400 and _error_shape(response)


# ------------------------------------------------------------------ markets
def test_markets_lists_spotify_market_codes_for_admins(
    spotify_api: FakeSpotify, auth_on, admin_client
) -> None:
    assert "DE" in admin_client.get("/api/credentials/markets").json()["markets"]


def test_markets_come_from_the_iso_list_without_asking_spotify(
    spotify_server: FakeSpotify, auth_on, admin_client
) -> None:
    """Spotify removed GET /markets for development-mode apps; no credentials are needed either."""
    markets = admin_client.get("/api/credentials/markets").json()["markets"]
    assert len(markets) >= 249 and {"GB", "US", "ZW", "AQ"} <= set(markets) and markets == sorted(markets)
    assert spotify_server.api_calls() == 0


def test_markets_is_for_admins_only(api: APIClient) -> None:
    assert api.get("/api/credentials/markets").status_code == 403


# ------------------------------------------------------------------ failures
def test_it_tells_the_operator_to_add_credentials(
    spotify_server: FakeSpotify, alice_client: APIClient
) -> None:
    response = alice_client.get("/api/track/info", {"id": IDS.track})
    body = _error_shape(response)
    assert response.status_code == 400 and body["code"] == "spotify_not_configured"
    assert "credentials" in body["error"].lower()


def test_it_answers_503_with_retry_after_when_spotify_rate_limits(
    api: APIClient, spotify_api: FakeSpotify
) -> None:
    spotify_api.fail_next(429, retry_after=120)
    response = api.get("/api/track/info", {"id": IDS.track})
    assert response.status_code == 503 and response["Retry-After"] == "120"
    assert _error_shape(response)["code"] == "spotify_rate_limited"


def test_it_answers_503_when_spotify_keeps_failing(
    api: APIClient, spotify_api: FakeSpotify, settings
) -> None:
    settings.SPOTIFY_RETRIES = 1
    spotify_api.fail_next(500, count=5)
    response = api.get("/api/album/info", {"id": IDS.small_album})
    assert response.status_code == 503 and _error_shape(response)["code"] == "spotify_unavailable"


def test_one_album_page_view_fetches_each_object_once(api: APIClient, spotify_api: FakeSpotify) -> None:
    api.get("/api/album/info", {"id": IDS.small_album})
    api.get("/api/album/info", {"id": IDS.small_album})
    assert spotify_api.api_calls(f"/v1/albums/{IDS.small_album}") == 1
