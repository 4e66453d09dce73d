"""Rotate the key that encrypts stored secrets and re-encrypt every secret under it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from settings_app import services
from spotizerr.lib import crypto


class Command(BaseCommand):
    help = (
        "Generate a new encryption key, put it first (older keys stay for reading) and re-encrypt "
        "every stored secret. When keys come from SPOTIZERR_ENCRYPTION_KEYS, put a new key first in "
        "that variable (--generate prints one), restart, then run this to re-encrypt."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--generate", action="store_true", help="Only print a new key; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["generate"]:
            self.stdout.write(crypto.generate_key())
            return
        if not crypto.keys_from_environment():
            crypto.add_file_key()
            self.stdout.write(f"Added a new key first in {crypto.key_file()}.")
        try:
            count = services.credentials_reencrypt()
        except crypto.DecryptionError as exc:
            raise CommandError(f"{exc}; nothing was re-encrypted") from exc
        self.stdout.write(f"Re-encrypted {count} secret(s) under the newest key.")
