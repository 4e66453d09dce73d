"""``manage.py lyrics_backfill [--missing-only] [--restart]``: lyrics for the existing library."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from downloads.extras import backfill
from downloads.extras.lyrics import lyrics_enabled
from settings_app.selectors import get_config


class Command(BaseCommand):
    help = (
        "Look up lyrics on LRCLIB for every file in the library and embed them and/or write .lrc "
        "files, as the 'lyrics' setting says. Shares the pipeline's rate limit; resumes after the "
        "last file it finished unless --restart is given."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--missing-only", action="store_true", help="Skip files that already have their lyrics."
        )
        parser.add_argument("--restart", action="store_true", help="Start again from the first file.")

    def handle(self, *args: Any, **options: Any) -> None:
        mode = str(get_config().get("lyrics") or "off")
        if mode == "off" or not lyrics_enabled():
            raise CommandError("Lyrics are off: set 'lyrics' in the settings and SPOTIZERR_LRCLIB_URL.")
        if options["restart"]:
            backfill.checkpoint_clear()
        total = backfill.backfill_count(resume=True)
        counts: Counter[str] = Counter()
        for done, item in enumerate(backfill.backfill_queryset(resume=True), start=1):
            result = backfill.lyrics_backfill_file(item, mode=mode, missing_only=options["missing_only"])
            counts[result.status] += 1
            self._progress(done, total, result)
        summary = (
            ", ".join(f"{count} {status}" for status, count in sorted(counts.items())) or "nothing to do"
        )
        self.stdout.write(f"Done: {summary}.")
        backfill.checkpoint_clear()

    def _progress(self, done: int, total: int, result: backfill.BackfillResult) -> None:
        width = 30
        filled = width * done // max(total, 1)
        bar = "#" * filled + "-" * (width - filled)
        self.stdout.write(f"[{bar}] {done}/{total} {result.status:<12} {result.relative_path}")
