"""``manage.py library_check``: missing, orphan and stale temporary files, and stuck work."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from downloads.integrity import DEFAULT_TEMP_AGE_SECONDS, Findings, library_check

_TITLES = {
    "missing_files": "Missing files (indexed, gone from disk)",
    "orphan_files": "Orphan files (audio in the library the index does not know)",
    "stale_temp_files": "Stale temporary files and work folders",
    "stuck_tasks": "Stuck tasks",
    "stuck_tracks": "Stuck tracks (running, lease not renewed)",
}


class Command(BaseCommand):
    help = (
        "Check the library against its index and the workers' leases. Exits 1 when anything is found "
        "(0 otherwise); --json prints one JSON object instead of the report."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="Machine-readable output.")
        parser.add_argument(
            "--temp-age",
            type=float,
            default=DEFAULT_TEMP_AGE_SECONDS,
            metavar="SECONDS",
            help="Report temporary files and work folders older than this (default 3600).",
        )
        parser.add_argument(
            "--stale-after",
            type=float,
            default=float(settings.LEASE_STALE_SECONDS),
            metavar="SECONDS",
            help="A lease without heartbeat for this long is stuck (default SPOTIZERR_LEASE_STALE_SECONDS).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        findings = library_check(
            temp_age_s=options["temp_age"], stale_after=timedelta(seconds=options["stale_after"])
        )
        if options["json"]:
            self.stdout.write(json.dumps(findings.as_dict(), sort_keys=True))
        else:
            self._report(findings)
        if findings.total:
            raise SystemExit(1)

    def _report(self, findings: Findings) -> None:
        self.stdout.write(f"Library roots: {', '.join(findings.roots)}")
        for kind in Findings.KINDS:
            rows = getattr(findings, kind)
            self.stdout.write(f"{_TITLES[kind]}: {len(rows)}")
            for row in rows[:200]:
                self.stdout.write("  " + "  ".join(f"{key}={value}" for key, value in row.items()))
            if len(rows) > 200:
                self.stdout.write(f"  ... and {len(rows) - 200} more (use --json for all)")
        verdict = "No problems found." if not findings.total else f"{findings.total} problem(s) found."
        self.stdout.write(self.style.SUCCESS(verdict) if not findings.total else self.style.ERROR(verdict))
