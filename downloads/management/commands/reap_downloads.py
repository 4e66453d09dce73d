"""``manage.py reap_downloads``: return work of vanished workers to the queue (also scheduled every minute)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from downloads.services import downloads_reap, downloads_schedule_ensure


class Command(BaseCommand):
    help = (
        "Re-queue download work whose worker stopped renewing its lease, and resume tasks left without one."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--schedule", action="store_true", help="Also make sure the every-minute schedule exists."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            downloads_schedule_ensure()
        counts = downloads_reap()
        self.stdout.write(", ".join(f"{name.replace('_', ' ')}: {count}" for name, count in counts.items()))
