"""Importing a 2,000-entry Exportify-style CSV: Spotify calls per entry and entries per second.

Against the local fake Web API (started in-process) with a throwaway data dir and SQLite database; the
list mixes entries with a Spotify URI (most), with an ISRC only, and with artist + title only:

    .venv/bin/python bench/import.py

Targets (issue 15): at most 1.05 Spotify calls per entry on a first import, 0 on a repeat. Prints a
table, then as its last line one JSON object with the figures.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ENTRIES = 2000
ISRC_ONLY_EVERY = 10  # every 10th entry has only an ISRC
TEXT_ONLY_EVERY = 25  # every 25th only artist + title


def _start_fake():  # -> (FakeSpotify, track ids)
    from tests.fakes.spotify_api import FakeSpotify

    fake = FakeSpotify().start()
    playlist_id = fake.catalog.generate_playlist("Bench Import", ENTRIES)
    return fake, [entry.item_id for entry in fake.catalog.playlists[playlist_id].entries]


def _setup_django(fake, data_dir: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "spotizerr.settings",
            "SPOTIZERR_DATA_DIR": data_dir,
            "SPOTIZERR_SPOTIFY_API_URL": fake.api_url,
            "SPOTIZERR_SPOTIFY_TOKEN_URL": fake.token_url,
            "SPOTIZERR_SPOTIFY_CLIENT_ID": fake.client_id,
            "SPOTIZERR_SPOTIFY_CLIENT_SECRET": fake.client_secret,
            "SPOTIZERR_IMPORT_INLINE_MAX": str(ENTRIES),  # matched in this process, timed end to end
            "SPOTIZERR_LOG_LEVEL": "WARNING",
        }
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def _csv(fake, track_ids: list[str]) -> bytes:
    catalog = fake.catalog
    lines = ['"Track URI","Track Name","Artist Name(s)","Track Duration (ms)","ISRC"']
    for n, track_id in enumerate(track_ids, start=1):
        track = catalog.tracks[track_id]
        artist = catalog.artists[track.artist_ids[0]].name
        uri = "" if n % ISRC_ONLY_EVERY == 0 or n % TEXT_ONLY_EVERY == 0 else f"spotify:track:{track_id}"
        isrc = "" if n % TEXT_ONLY_EVERY == 0 else track.isrc
        lines.append(f'"{uri}","{track.name}","{artist}","{track.duration_ms}","{isrc}"')
    return ("\ufeff" + "\n".join(lines) + "\n").encode()


def _run(fake, user, data: bytes, name: str) -> dict[str, float | int]:
    from playlist_imports.services import ImportSource, import_create
    from spotizerr.integrations.spotify import spotify_cache_clear

    spotify_cache_clear()  # a repeat must not lean on the 5-minute response cache
    fake.clear_requests()
    started = time.perf_counter()
    playlist = import_create(user=user, source=ImportSource(kind="csv", name=name, data=data))
    seconds = time.perf_counter() - started
    calls = fake.api_calls("/v1/")
    matched = playlist.entries.filter(state="matched").count()
    return {
        "entries": ENTRIES,
        "matched": matched,
        "api_calls": calls,
        "calls_per_entry": round(calls / ENTRIES, 4),
        "seconds": round(seconds, 3),
        "entries_per_second": round(ENTRIES / seconds, 1),
    }


def main() -> dict:
    fake, track_ids = _start_fake()
    with tempfile.TemporaryDirectory(prefix="spotizerr-bench-") as data_dir:
        try:
            _setup_django(fake, data_dir)
            from accounts.models import User

            user = User.objects.create_user(username="bench", password="bench-password-1")
            data = _csv(fake, track_ids)
            results = {
                "first_import": _run(fake, user, data, "First"),
                "repeat": _run(fake, user, data, "Again"),
            }
        finally:
            fake.stop()
    return results


def _print_table(results: dict[str, dict]) -> None:
    print(
        f"{'import':<14}{'entries':>9}{'matched':>9}{'API calls':>11}{'calls/entry':>13}{'seconds':>10}{'entries/s':>11}"
    )
    for name, row in results.items():
        print(
            f"{name:<14}{row['entries']:>9}{row['matched']:>9}{row['api_calls']:>11}"
            f"{row['calls_per_entry']:>13.4f}{row['seconds']:>10.3f}{row['entries_per_second']:>11.1f}"
        )


if __name__ == "__main__":
    figures = main()
    _print_table(figures)
    print(json.dumps(figures, sort_keys=True))
