"""Entries of downloads cancelled before anything landed were recorded ``failed`` with the error
"Cancelled." before the ``cancelled`` status existed: give them that status and move their counts."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import Count, F, Q, Sum

CANCELLED_FAILURE = Q(error="Cancelled.", successful_tracks=0, skipped_tracks=0)


def _move(apps: Any, *, source: str, target: str) -> None:
    """Entries ``source`` -> ``target``, and their per (owner, type) counts with them (no tracks: none
    of them put a file in the library; daily and artist counters do not depend on these statuses)."""
    entry_model = apps.get_model("library_history", "HistoryEntry")
    counter_model = apps.get_model("library_history", "HistoryCounter")
    moving = entry_model.objects.filter(CANCELLED_FAILURE, status=source)
    groups = moving.values("owner_id", "download_type").annotate(entries=Count("id"), size=Sum("size_bytes"))
    for group in list(groups):
        key = {"owner_id": group["owner_id"], "download_type": group["download_type"]}
        size = group["size"] or 0
        counter_model.objects.filter(**key, status=source).update(
            entries=F("entries") - group["entries"], size_bytes=F("size_bytes") - size
        )
        counter, _ = counter_model.objects.get_or_create(**key, status=target)
        counter_model.objects.filter(pk=counter.pk).update(
            entries=F("entries") + group["entries"], size_bytes=F("size_bytes") + size
        )
    moving.update(status=target)


def forwards(apps: Any, schema_editor: Any) -> None:
    _move(apps, source="failed", target="cancelled")


def backwards(apps: Any, schema_editor: Any) -> None:
    _move(apps, source="cancelled", target="failed")


class Migration(migrations.Migration):
    dependencies = [("library_history", "0005_history_cancelled_status")]

    operations = [migrations.RunPython(forwards, backwards)]
