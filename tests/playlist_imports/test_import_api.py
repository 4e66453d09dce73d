"""POST /api/playlist/import for each kind against the local fakes, the refusals (nothing created),
the review and fix endpoints, and imported playlists in /api/playlist/info and /tracks."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.response import Response
from rest_framework.test import APIClient

from playlist_imports.models import ImportEntry, PlaylistImport
from tests.fakes.spotify_api import IDS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("auth_on")]

HEADER = '"Track URI","Track Name","Artist Name(s)","Album Name","Track Duration (ms)","ISRC"'


def post_file(client: APIClient, kind: str, name: str, data: bytes, filename: str = "list.txt") -> Response:
    upload = SimpleUploadedFile(filename, data)
    return client.post(
        "/api/playlist/import", {"kind": kind, "name": name, "file": upload}, format="multipart"
    )


def exportify_csv(rows: list[dict]) -> bytes:
    lines = [HEADER]
    for row in rows:
        uri = f"spotify:track:{row['id']}" if row.get("with_uri", True) else ""
        isrc = row["isrc"] if row.get("with_isrc", True) else ""
        lines.append(
            f'"{uri}","{row["title"]}","{row["artist"]}","{row["album"]}","{row["duration_ms"]}","{isrc}"'
        )
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


def test_pasted_links_expand_albums_and_match_every_track(alice_client, spotify_api, small_album_ids) -> None:
    text = f"spotify:album:{IDS.small_album}\nhttps://open.spotify.com/track/{IDS.track}\n"

    response = alice_client.post("/api/playlist/import", {"kind": "links", "name": "Pasted", "text": text})

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["playlist_id"].startswith("import:") and body["name"] == "Pasted"
    assert (body["total"], body["matched"], body["unmatched"]) == (4, 4, [])
    ids = list(ImportEntry.objects.order_by("position").values_list("track_id", flat=True))
    assert ids == [*small_album_ids, IDS.track]


def test_a_playlist_link_spotify_will_not_let_us_read_is_an_unmatched_entry_with_its_reason(
    alice_client, spotify_api
) -> None:
    spotify_api.fail_next(403, count=5, path_prefix=f"/v1/playlists/{IDS.small_playlist}")

    response = alice_client.post(
        "/api/playlist/import",
        {"kind": "links", "name": "Mixed", "text": f"spotify:playlist:{IDS.small_playlist}\n{IDS.track}\n"},
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["total"] == 2 and body["matched"] == 1
    [unmatched] = body["unmatched"]
    assert unmatched["line"] == 1 and "playlist" in unmatched["reason"]


def test_an_exportify_csv_matches_by_uri_then_isrc_then_artist_and_title(
    alice_client, spotify_api, catalog_track, small_album_ids
) -> None:
    first, second, third = (catalog_track(track_id) for track_id in small_album_ids)
    data = exportify_csv(
        [
            first,
            {**second, "with_uri": False},
            {**third, "with_uri": False, "with_isrc": False, "title": f"{third['title']} (2021 Remaster)"},
            {
                "id": "",
                "title": "Nothing, Anywhere",
                "artist": "Nobody",
                "album": "x",
                "duration_ms": 1000,
                "isrc": "",
                "with_uri": False,
            },
        ]
    )
    spotify_api.clear_requests()

    response = post_file(alice_client, "csv", "Exported, with commas", data, "export.csv")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["matched"] == 3 and body["name"] == "Exported, with commas"
    assert [(u["line"], u["text"]) for u in body["unmatched"]] == [(5, "Nobody - Nothing, Anywhere")]
    assert (
        list(ImportEntry.objects.order_by("position").values_list("track_id", flat=True))[:3]
        == small_album_ids
    )
    searches = [r for r in spotify_api.requests if r.path.endswith("/search")]
    assert searches and all(int(r.query["limit"]) <= 10 for r in searches)


def test_an_m3u_with_extinf_and_inbox_paths_is_matched_from_the_files_tags(
    alice_client, spotify_api, inbox_file, inbox_root, catalog_track, small_album_ids
) -> None:
    tagged = inbox_file(small_album_ids[0], name="untitled-file")  # tags carry the ISRC
    second = catalog_track(small_album_ids[1])
    m3u = (
        "#EXTM3U\n"
        f"#EXTINF:1,Whoever - Whatever\n{tagged}\n"
        f"#EXTINF:{second['duration_ms'] // 1000},{second['artist']} - {second['title']}\n"
        "/elsewhere/not-here.mp3\n"
    )

    response = post_file(alice_client, "m3u", "From M3U", m3u.encode(), "list.m3u8")

    assert response.status_code == 201, response.json()
    assert response.json()["matched"] == 2
    ids = list(ImportEntry.objects.order_by("position").values_list("track_id", flat=True))
    assert ids == small_album_ids[:2]


def test_a_public_deezer_playlist_is_read_with_its_name_and_matched_by_isrc(
    alice_client, spotify_api, deezer_api, catalog_track, small_album_ids
) -> None:
    for track_id in small_album_ids:
        track = catalog_track(track_id)
        deezer_api.add_track(track["isrc"], title=track["title"], artist=track["artist"])
    listed = [(catalog_track(t)["isrc"], n != 1) for n, t in enumerate(small_album_ids)]
    playlist = deezer_api.add_playlist("Deezer Favourites", listed)

    response = alice_client.post(
        "/api/playlist/import", {"kind": "deezer", "url": f"https://www.deezer.com/en/playlist/{playlist}"}
    )

    assert response.status_code == 201, response.json()
    assert response.json()["name"] == "Deezer Favourites" and response.json()["matched"] == 3
    assert deezer_api.hits(f"/track/{3_000_001}") == 1  # the ISRC the listing lacked


@pytest.mark.parametrize(
    ("private", "status", "code"),
    [(True, 403, "deezer_playlist_private"), (False, 404, "deezer_playlist_not_found")],
)
def test_a_private_or_unknown_deezer_playlist_is_refused_and_nothing_is_created(
    alice_client, spotify_api, deezer_api, private, status, code
) -> None:
    playlist = deezer_api.add_playlist("Hidden", [], private=True) if private else 424242

    response = alice_client.post(
        "/api/playlist/import", {"kind": "deezer", "url": f"https://www.deezer.com/playlist/{playlist}"}
    )

    assert response.status_code == status and response.json()["code"] == code
    assert PlaylistImport.objects.count() == 0


@pytest.mark.parametrize(
    ("kind", "data", "line"),
    [
        ("csv", b"PK\x03\x04\x00\x00binary", 1),
        ("csv", b"colour,size\nred,1\n", 1),
        ("m3u", b"#EXTM3U\n#EXTINF:nope\n/x.mp3\n", 2),
        ("links", b"4uLU6hMCjMI75M1A2tKUQC\nnot a link\n", 2),
    ],
)
def test_a_file_that_is_not_what_its_kind_says_gives_400_with_the_line(
    alice_client, spotify_api, kind, data, line
) -> None:
    response = post_file(alice_client, kind, "Bad", data)

    assert response.status_code == 400, response.json()
    assert response.json()["details"]["line"] == line and f"Line {line}" in response.json()["error"]
    assert PlaylistImport.objects.count() == 0 and ImportEntry.objects.count() == 0


def test_eleven_thousand_lines_are_too_large_and_nothing_is_created(alice_client, spotify_api) -> None:
    data = ("\n".join([f"spotify:track:{IDS.track}"] * 11_000)).encode()

    response = post_file(alice_client, "links", "Huge", data)

    assert response.status_code == 413 and response.json()["code"] == "import_too_large"
    assert PlaylistImport.objects.count() == 0


def test_more_than_five_megabytes_is_too_large(alice_client, spotify_api) -> None:
    response = post_file(alice_client, "csv", "Heavy", b"a" * (5 * 1024 * 1024 + 1))

    assert response.status_code == 413


def test_an_unmatched_entry_is_fixed_with_a_track_link(alice_client, spotify_api) -> None:
    data = f"{HEADER}\n,Nothing Like It,Nobody,,,\n".encode()
    playlist_id = post_file(alice_client, "csv", "Fix me", data).json()["playlist_id"]

    response = alice_client.put(
        f"/api/playlist/import/{playlist_id}/entries/1",
        {"track": f"https://open.spotify.com/track/{IDS.track}"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "matched" and response.json()["track"]["id"] == IDS.track
    review = alice_client.get(f"/api/playlist/import/{playlist_id}").json()
    assert review["matched"] == 1 and review["unmatched"] == []
    again = post_file(alice_client, "csv", "Same list", data).json()  # a fix is not reused elsewhere
    assert again["matched"] == 0 and len(again["unmatched"]) == 1


def test_someone_elses_import_is_not_found(alice_client, bob_client, spotify_api) -> None:
    playlist_id = alice_client.post(
        "/api/playlist/import", {"kind": "links", "name": "Mine", "text": IDS.track}
    ).json()["playlist_id"]

    assert bob_client.get(f"/api/playlist/import/{playlist_id}").status_code == 404
    assert bob_client.get(f"/api/playlist/info?id={playlist_id}").status_code == 404


def test_an_imported_playlist_reads_like_a_playlist_in_info_and_tracks(alice_client, spotify_api) -> None:
    data = f"{HEADER}\nspotify:track:{IDS.track},,,,,\n,Nothing Like It,Nobody,,,\n".encode()
    playlist_id = post_file(alice_client, "csv", "Readable", data).json()["playlist_id"]

    info = alice_client.get(f"/api/playlist/info?id={playlist_id}&include_tracks=true")
    tracks = alice_client.get(f"/api/playlist/tracks?id={playlist_id}&limit=1&offset=1")
    metadata = alice_client.get(f"/api/playlist/metadata?id={playlist_id}")

    assert info.status_code == 200, info.json()
    assert info.json()["id"] == playlist_id and info.json()["name"] == "Readable"
    items = info.json()["tracks"]["items"]
    assert items[0]["track"]["id"] == IDS.track and items[1]["skip_reason"] == "unmatched"
    assert tracks.status_code == 200 and tracks.json()["total"] == 2
    assert tracks.json()["items"][0]["skip_reason"] == "unmatched"
    assert metadata.status_code == 200 and metadata.json()["tracks"]["total"] == 2


def test_a_short_rate_limit_while_matching_is_waited_out(alice_client, spotify_api) -> None:
    spotify_api.fail_next(429, count=1, retry_after=0.2, path_prefix=f"/v1/tracks/{IDS.track}")

    response = alice_client.post(
        "/api/playlist/import", {"kind": "links", "name": "Patient", "text": IDS.track}
    )

    assert response.status_code == 201 and response.json()["matched"] == 1
    assert [r.path for r in spotify_api.requests].count(f"/v1/tracks/{IDS.track}") == 2
