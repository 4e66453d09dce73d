"""Joins the two 0003 migrations that landed from separate branches (no schema change)."""

from __future__ import annotations

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("downloads", "0003_lyrics"),
        ("downloads", "0003_stream_ticket_origin"),
    ]

    operations: list[migrations.operations.base.Operation] = []
