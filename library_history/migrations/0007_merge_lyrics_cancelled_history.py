"""Joins the lyrics and the cancelled-status migrations that landed from separate branches (no schema
change)."""

from __future__ import annotations

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("library_history", "0005_lyrics"),
        ("library_history", "0006_cancelled_history_entries"),
    ]

    operations: list[migrations.operations.base.Operation] = []
