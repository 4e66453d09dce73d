"""The Django admin lists history and deletes it only through the services."""

from __future__ import annotations

import pytest
from django.test import Client

from library_history.models import HistoryCounter, HistoryEntry
from tests.library_history.factories import record_download, record_track

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/library_history/historyentry/"


@pytest.fixture
def admin_browser(admin_user) -> Client:
    browser = Client()
    browser.force_login(admin_user)
    return browser


def test_the_admin_lists_history_entries(alice, admin_browser) -> None:
    record_download(alice, name="Listed song")
    assert b"Listed song" in admin_browser.get(CHANGELIST).content


def test_an_entry_page_shows_its_tracks(alice, admin_browser) -> None:
    album = record_download(alice, download_type="album", name="Record")
    record_track(album, 1, name="Opening track")
    assert b"Opening track" in admin_browser.get(f"{CHANGELIST}{album.pk}/change/").content


def test_the_delete_action_removes_entries_and_their_counts(alice, admin_browser) -> None:
    entry = record_download(alice)
    admin_browser.post(CHANGELIST, {"action": "delete_history", "_selected_action": [entry.pk]})
    assert (HistoryEntry.objects.count(), sum(HistoryCounter.objects.values_list("entries", flat=True))) == (
        0,
        0,
    )


def test_the_rebuild_action_repairs_drifted_counters(alice, admin_browser) -> None:
    entry = record_download(alice)
    HistoryCounter.objects.update(entries=99)
    admin_browser.post(CHANGELIST, {"action": "rebuild_counters", "_selected_action": [entry.pk]})
    assert HistoryCounter.objects.get().entries == 1
