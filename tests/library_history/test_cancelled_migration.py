"""Migration 0006: downloads cancelled before they started, recorded as failed ("Cancelled.") before
the status existed, become ``cancelled``; their counts move with them and match a full rebuild."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from library_history.counters import counters_rebuild
from library_history.models import HistoryCounter, HistoryEntry
from tests.library_history.factories import record_download

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("auth_on")]

migration = importlib.import_module("library_history.migrations.0006_cancelled_history_entries")


def _counters() -> list[tuple]:
    return sorted(
        HistoryCounter.objects.exclude(entries=0, tracks=0, size_bytes=0).values_list(
            "owner_id", "download_type", "status", "entries", "tracks", "size_bytes"
        )
    )


def test_old_cancelled_failures_become_cancelled_with_their_counts(alice, alice_client) -> None:
    old = record_download(alice, download_type="album", status="failed", error="Cancelled.", size_bytes=0)
    broken = record_download(alice, status="failed", error="No source has this track.")
    partly = record_download(
        alice, download_type="album", status="partial", error="Cancelled.", successful_tracks=2
    )

    migration.forwards(apps, None)

    statuses = dict(HistoryEntry.objects.values_list("task_id", "status"))
    assert (statuses[old.task_id], statuses[broken.task_id], statuses[partly.task_id]) == (
        "cancelled",
        "failed",
        "partial",
    )
    migrated = _counters()
    counters_rebuild()
    assert migrated == _counters()
    by_status = alice_client.get("/api/history/stats").json()["by_status"]
    assert (by_status["cancelled"], by_status["failed"], by_status["partial"]) == (1, 1, 1)


def test_going_back_makes_them_failed_again(alice) -> None:
    old = record_download(alice, status="failed", error="Cancelled.", size_bytes=0)
    migration.forwards(apps, None)

    migration.backwards(apps, None)

    assert HistoryEntry.objects.get(task_id=old.task_id).status == "failed"
    migrated = _counters()
    counters_rebuild()
    assert migrated == _counters()
