"""Idempotent start-up chores: the first admin and initial settings from the environment."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the initial admin (auth on, no users yet) and seed settings from the environment."

    def handle(self, *args: Any, **options: Any) -> None:
        from spotizerr import bootstrap

        for line in bootstrap.run():
            self.stdout.write(line)
