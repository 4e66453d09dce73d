"""How many Spotify API calls, and how long, to read a 2,000-entry playlist and a 300-release artist.

Runs against the local fake Web API (started in-process) with a throwaway data dir and SQLite database:

    .venv/bin/python bench/catalog.py

Prints a table, then as its last line one JSON object with the figures.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLAYLIST_ENTRIES = 2000
ARTIST_RELEASES = {"album": 120, "single": 100, "compilation": 30, "appears_on": 50}


def _start_fake():  # -> FakeSpotify
    from tests.fakes.spotify_api import FakeSpotify

    fake = FakeSpotify().start()
    playlist_id = fake.catalog.generate_playlist(
        "Bench Playlist", PLAYLIST_ENTRIES, specials={10: "local", 20: "unavailable"}
    )
    artist_id = fake.catalog.generate_artist("Bench Artist", ARTIST_RELEASES)
    return fake, playlist_id, artist_id


def _setup_django(fake, data_dir: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "spotizerr.settings",
            "SPOTIZERR_DATA_DIR": data_dir,
            "SPOTIZERR_SPOTIFY_API_URL": fake.api_url,
            "SPOTIZERR_LRCLIB_URL": "off",  # never the real lyrics and genre services
            "SPOTIZERR_MUSICBRAINZ_URL": "off",
            "SPOTIZERR_SPOTIFY_TOKEN_URL": fake.token_url,
            "SPOTIZERR_SPOTIFY_CLIENT_ID": fake.client_id,
            "SPOTIZERR_SPOTIFY_CLIENT_SECRET": fake.client_secret,
            "SPOTIZERR_LOG_LEVEL": "WARNING",
        }
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def _measure(fake, read: Callable[[], int]) -> dict[str, float | int]:
    fake.clear_requests()
    started = time.perf_counter()
    items = read()
    seconds = time.perf_counter() - started
    return {
        "items": items,
        "api_calls": fake.api_calls("/v1/"),
        "token_calls": fake.api_calls("/api/token"),
        "seconds": round(seconds, 4),
    }


def main() -> dict:
    fake, playlist_id, artist_id = _start_fake()
    with tempfile.TemporaryDirectory(prefix="spotizerr-bench-") as data_dir:
        try:
            _setup_django(fake, data_dir)
            from spotizerr.integrations.spotify import get_spotify_client, spotify_cache_clear

            client = get_spotify_client()

            def read_playlist() -> int:
                return len(client.playlist(playlist_id, include_entries=True).entries)

            def read_artist() -> int:
                client.artist(artist_id)
                return len(client.artist_releases(artist_id))

            results: dict[str, dict] = {}
            for name, read in (("playlist_2000", read_playlist), ("artist_300", read_artist)):
                spotify_cache_clear()
                results[f"{name}_cold"] = _measure(fake, read)
                results[f"{name}_warm"] = _measure(fake, read)
        finally:
            fake.stop()
    return results


def _print_table(results: dict[str, dict]) -> None:
    print(f"{'read':<22}{'items':>8}{'API calls':>11}{'token calls':>13}{'seconds':>10}")
    for name, row in results.items():
        print(
            f"{name:<22}{row['items']:>8}{row['api_calls']:>11}{row['token_calls']:>13}{row['seconds']:>10.3f}"
        )


if __name__ == "__main__":
    figures = main()
    _print_table(figures)
    print(json.dumps(figures, sort_keys=True))
