"""History: filters, search, paging, one download's tracks and the statistics charts."""

from __future__ import annotations

import pytest

from tests.library_history.factories import record_download, record_track

pytestmark = pytest.mark.django_db


def test_it_lists_your_downloads_newest_first(page_for, alice, bob) -> None:
    record_download(alice, name="Alice Song")
    record_download(bob, name="Bob Song")
    body = page_for(alice).get("/history/").content.decode()
    assert "Alice Song" in body and "Bob Song" not in body


def test_it_filters_by_type_and_status(page_for, alice) -> None:
    record_download(alice, name="A Track")
    record_download(alice, name="Broken Album", download_type="album", status="failed")
    body = page_for(alice).get("/history/", {"type": "album", "status": "failed"}).content.decode()
    assert "Broken Album" in body and "A Track" not in body


def test_it_searches_by_words(page_for, alice) -> None:
    record_download(alice, name="Blue Monday", artist="New Order")
    record_download(alice, name="Yellow", artist="Coldplay")
    body = page_for(alice).get("/history/", {"q": "order"}).content.decode()
    assert "Blue Monday" in body and "Yellow" not in body


def test_it_pages_the_table(page_for, alice) -> None:
    for n in range(30):
        record_download(alice, name=f"Song {n}")
    page = page_for(alice)
    assert "1–25 of 30" in page.get("/history/").content.decode()
    assert "26–30 of 30" in page.get("/history/", {"offset": 25}).content.decode()


def test_it_shows_a_downloads_tracks_with_files_and_reasons(page_for, alice) -> None:
    entry = record_download(alice, name="Sine Waves", download_type="album", status="partial")
    record_track(entry, 1)
    record_track(entry, 2, status="failed", reason="No source has this track.", file_path="")
    body = page_for(alice).get(f"/history/{entry.task_id}/").content.decode()
    assert "Track 1" in body and "No source has this track." in body


def test_it_hides_another_users_entry(page_for, alice, bob) -> None:
    entry = record_download(bob)
    response = page_for(alice).get(f"/history/{entry.task_id}/")
    assert response.status_code == 404
    assert page_for(alice).get("/history/not-a-uuid/").status_code == 404


def test_it_draws_the_statistics_as_svg(page_for, alice) -> None:
    record_download(alice, artist="New Order")
    record_download(alice, artist="New Order", status="failed")
    body = page_for(alice).get("/history/stats/").content.decode()
    assert body.count("<svg") == 4
    assert "<title>New Order: 1</title>" in body
    assert "<title>Failed: 1</title>" in body and "<title>In progress: 0</title>" in body
    assert "<title>Tracks: 2</title>" in body


def test_it_filters_and_labels_cancelled_downloads(page_for, alice) -> None:
    record_download(alice, name="Changed My Mind", download_type="album", status="cancelled")
    record_download(alice, name="Broken Album", download_type="album", status="failed")
    body = page_for(alice).get("/history/", {"status": "cancelled"}).content.decode()
    assert "Changed My Mind" in body and "Broken Album" not in body
    assert '<option value="cancelled" selected>Cancelled</option>' in body
    assert '<span class="badge status-cancelled">Cancelled</span>' in body
