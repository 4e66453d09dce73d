"""The Import page: paste, upload, review with progress and fixes, Download and Watch."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from downloads.models import DownloadTask
from playlist_imports.models import ImportEntry, PlaylistImport
from tests.dashboard.conftest import messages_of, post
from tests.fakes.media_server import MediaServer, Reply
from tests.fakes.spotify_api import IDS
from watching.models import Watch

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("spotify_api", "queued_only")]


def test_pasted_links_become_a_reviewed_playlist_with_a_fix_box_for_what_did_not_match(
    page_for, alice
) -> None:
    page = page_for(alice)

    response = post(
        page,
        "/import/",
        {"kind": "links", "name": "Pasted", "text": f"{IDS.track}\nspotify:album:{'x' * 22}\n"},
        follow=True,
    )

    playlist = PlaylistImport.objects.get(owner=alice)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/import/{playlist.pk}/"
    assert "1</strong> of 2 entries matched" in body and "Four Forty" in body and "Sine Waves" in body
    assert 'id="fix-2"' in body and "Download" in body and "Watch" in body


def test_an_uploaded_csv_is_imported(page_for, alice) -> None:
    upload = SimpleUploadedFile("list.csv", f"Track URI\nspotify:track:{IDS.track}\n".encode())

    post(page_for(alice), "/import/", {"kind": "csv", "name": "Uploaded", "file": upload})

    assert ImportEntry.objects.get(playlist__owner=alice).track_id == IDS.track


def test_a_csv_from_a_link_is_imported_and_keeps_the_link_as_its_source(page_for, alice, settings) -> None:
    settings.IMPORT_URL_ALLOW_PRIVATE = True  # the list's server is on 127.0.0.1
    with MediaServer() as server:
        server.route("/list.csv", Reply(body=f"Track URI\nspotify:track:{IDS.track}\n".encode()))
        page = page_for(alice)
        assert "From a link to a CSV or M3U file" in page.get("/import/").content.decode()

        post(page, "/import/", {"kind": "csv", "name": "Linked", "list_url": server.url("/list.csv")})

    assert PlaylistImport.objects.get(owner=alice).source_ref == server.url("/list.csv")
    assert ImportEntry.objects.get(playlist__owner=alice).track_id == IDS.track


def test_a_link_to_a_private_address_is_refused_by_default_with_the_reason(page_for, alice) -> None:
    response = post(
        page_for(alice), "/import/", {"kind": "m3u", "name": "LAN", "list_url": "http://192.168.1.2/x.m3u"}
    )

    assert response.status_code == 200 and PlaylistImport.objects.count() == 0
    assert any("private" in text for text in messages_of(response))
    assert 'value="http://192.168.1.2/x.m3u"' in response.content.decode()


def test_a_refused_file_says_which_line_and_keeps_what_was_typed(page_for, alice) -> None:
    response = post(page_for(alice), "/import/", {"kind": "links", "name": "Bad", "text": "hello\n"})

    assert response.status_code == 200 and PlaylistImport.objects.count() == 0
    assert any(text.startswith("Line 1:") for text in messages_of(response))
    assert 'value="Bad"' in response.content.decode()


def test_fix_download_and_watch_from_the_review_page(page_for, alice) -> None:
    page = page_for(alice)
    post(
        page,
        "/import/",
        {"kind": "links", "name": "Fixable", "text": f"{IDS.track}\nspotify:album:{'x' * 22}\n"},
    )
    playlist = PlaylistImport.objects.get()

    fixed = post(page, f"/import/{playlist.pk}/entries/2/", {"track": IDS.track_no_preview}, follow=True)
    post(page, f"/import/{playlist.pk}/download/")
    post(
        page, f"/watch/playlist/{playlist.playlist_id}/", {"action": "add", "next": f"/import/{playlist.pk}/"}
    )

    assert "2</strong> of 2 entries matched" in fixed.content.decode()
    task = DownloadTask.objects.get(owner=alice)
    assert task.item_id == playlist.playlist_id and task.download_type == "playlist"
    assert Watch.objects.filter(user=alice, target__spotify_id=playlist.playlist_id).exists()
    assert "Stop watching" in page.get(f"/import/{playlist.pk}/").content.decode()


def test_a_matching_import_shows_its_progress_and_refreshes(page_for, alice, settings) -> None:
    settings.IMPORT_INLINE_MAX = 0
    page = page_for(alice)
    post(page, "/import/", {"kind": "links", "name": "Slow", "text": IDS.track})

    body = page.get(f"/import/{PlaylistImport.objects.get().pk}/").content.decode()

    assert "Matching to Spotify: 0 of 1 entries done" in body and 'http-equiv="refresh"' in body


def test_someone_elses_import_is_not_shown(page_for, alice, bob) -> None:
    post(page_for(alice), "/import/", {"kind": "links", "name": "Mine", "text": IDS.track})

    response = page_for(bob).get(f"/import/{PlaylistImport.objects.get().pk}/")

    assert response.status_code == 404
