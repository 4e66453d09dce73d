"""Imports of a CSV or M3U from a URL: fetched once at import from a real local HTTP server (the
operator's SPOTIZERR_IMPORT_URL_ALLOW_PRIVATE on, as the server is on 127.0.0.1), stored as the
source, the same limits and refusals as uploads; with the default setting loopback and private
addresses are refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rest_framework.response import Response
from rest_framework.test import APIClient

from playlist_imports.models import ImportEntry, PlaylistImport
from tests.fakes.media_server import MediaServer, Reply

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("auth_on")]


@pytest.fixture
def list_server() -> Iterator[MediaServer]:
    with MediaServer() as server:
        yield server


@pytest.fixture
def allow_private(settings) -> None:
    settings.IMPORT_URL_ALLOW_PRIVATE = True


def csv_of(track_ids: list[str]) -> bytes:
    return ("Track URI\n" + "\n".join(f"spotify:track:{t}" for t in track_ids) + "\n").encode()


def post_url(client: APIClient, kind: str, url: str, *, multipart: bool = False) -> Response:
    body = {"kind": kind, "name": "From a link", "url": url}
    return client.post("/api/playlist/import", body, format="multipart" if multipart else "json")


@pytest.mark.usefixtures("allow_private")
@pytest.mark.parametrize("multipart", [False, True])
def test_a_csv_at_a_url_is_fetched_matched_and_kept_as_the_source(
    alice_client, spotify_api, list_server, small_album_ids, multipart: bool
) -> None:
    list_server.route("/list.csv", Reply(body=csv_of(small_album_ids), content_type="text/csv"))

    response = post_url(alice_client, "csv", list_server.url("/list.csv"), multipart=multipart)

    assert response.status_code == 201, response.json()
    assert response.json()["matched"] == 3 and response.json()["name"] == "From a link"
    playlist = PlaylistImport.objects.get()
    assert playlist.source_ref == list_server.url("/list.csv") and playlist.kind == "csv"
    assert list(ImportEntry.objects.values_list("track_id", flat=True)) == small_album_ids


@pytest.mark.usefixtures("allow_private")
def test_an_m3u_at_a_url_is_matched_by_artist_and_title(
    alice_client, spotify_api, list_server, catalog_track, small_album_ids
) -> None:
    track = catalog_track(small_album_ids[1])
    m3u = f"#EXTM3U\n#EXTINF:{track['duration_ms'] // 1000},{track['artist']} - {track['title']}\nsong.mp3\n"
    list_server.route("/list.m3u8", Reply(body=m3u.encode(), content_type="audio/x-mpegurl"))

    response = post_url(alice_client, "m3u", list_server.url("/list.m3u8"))

    assert response.status_code == 201, response.json()
    assert response.json()["matched"] == 1
    assert ImportEntry.objects.get().track_id == small_album_ids[1]


@pytest.mark.usefixtures("allow_private")
@pytest.mark.parametrize(
    ("kind", "body", "line"),
    [
        ("csv", b"Track URI\nspotify:track:x\n\x00\x01\x02binary", 3),
        ("csv", b"Colour,Size\nred,big\n", 1),
        ("m3u", b"#EXTM3U\n#EXTINF:nope\n/x.mp3\n", 2),
    ],
)
def test_a_body_that_is_not_what_its_kind_says_gives_400_with_the_line(
    alice_client, spotify_api, list_server, kind: str, body: bytes, line: int
) -> None:
    list_server.route("/list", Reply(body=body))

    response = post_url(alice_client, kind, list_server.url("/list"))

    assert response.status_code == 400, response.json()
    assert response.json()["details"]["line"] == line and f"Line {line}" in response.json()["error"]
    assert PlaylistImport.objects.count() == 0


@pytest.mark.usefixtures("allow_private")
def test_a_list_past_the_size_limit_is_refused_while_streaming_with_413(
    alice_client, spotify_api, list_server, settings
) -> None:
    settings.IMPORT_MAX_BYTES = 2048
    list_server.route("/big.csv", Reply(body=b"Track URI\n" + b"x" * 100_000, send_length=False))

    response = post_url(alice_client, "csv", list_server.url("/big.csv"))

    assert response.status_code == 413 and response.json()["code"] == "import_too_large"
    assert PlaylistImport.objects.count() == 0


@pytest.mark.usefixtures("allow_private")
def test_a_list_past_the_entry_limit_gives_413(alice_client, spotify_api, list_server, settings) -> None:
    settings.IMPORT_MAX_ENTRIES = 5
    list_server.route("/long.csv", Reply(body=csv_of(["4uLU6hMCjMI75M1A2tKUQC"] * 6)))

    response = post_url(alice_client, "csv", list_server.url("/long.csv"))

    assert response.status_code == 413 and PlaylistImport.objects.count() == 0


@pytest.mark.usefixtures("allow_private")
def test_a_url_the_server_does_not_know_gives_400_and_a_server_error_502(
    alice_client, spotify_api, list_server
) -> None:
    list_server.route("/broken.csv", Reply(status=503))

    missing = post_url(alice_client, "csv", list_server.url("/missing.csv"))
    broken = post_url(alice_client, "csv", list_server.url("/broken.csv"))

    assert missing.status_code == 400 and missing.json()["code"] == "import_url_refused"
    assert "404" in missing.json()["error"]
    assert broken.status_code == 502 and broken.json()["code"] == "import_url_unavailable"
    assert PlaylistImport.objects.count() == 0


@pytest.mark.parametrize(
    "url",
    [
        "LOCAL",
        "http://10.0.0.1/list.csv",
        "http://192.168.1.20:8080/list.csv",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/list.csv",
    ],
)
def test_by_default_loopback_and_private_addresses_are_refused_with_a_clear_400(
    alice_client, spotify_api, list_server, url: str
) -> None:
    list_server.route("/list.csv", Reply(body=b"Track URI\n"))
    url = list_server.url("/list.csv") if url == "LOCAL" else url

    response = post_url(alice_client, "csv", url)

    assert response.status_code == 400 and response.json()["code"] == "import_url_refused"
    assert "private" in response.json()["error"] and response.json()["details"]["url"] == url
    assert list_server.requests == [] and PlaylistImport.objects.count() == 0


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.com/list.csv", "https://me:secret@example.com/x.csv"]
)
def test_other_schemes_and_credentials_are_refused(alice_client, spotify_api, url: str) -> None:
    response = post_url(alice_client, "m3u", url)

    assert response.status_code == 400 and response.json()["code"] == "import_url_refused"


def test_links_take_no_url_and_a_url_comes_alone(alice_client) -> None:
    links = post_url(alice_client, "links", "https://example.com/list.txt")
    both = alice_client.post(
        "/api/playlist/import",
        {"kind": "csv", "name": "x", "text": "Track URI\n", "url": "https://example.com/x.csv"},
        format="json",
    )

    assert links.status_code == 400 and "url" in links.json()["details"]
    assert both.status_code == 400 and "url" in both.json()["details"]
