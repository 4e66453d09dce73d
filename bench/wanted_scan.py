"""Inbox scan benchmark: what one round of ``downloads.fulfilment.inbox_scan`` costs with a long wanted
list and a large inbox, when nothing matches (the common case: the scan runs every
``inboxScanSeconds`` in every worker process).

    .venv/bin/python bench/wanted_scan.py [--wanted 2000] [--files 1000] [--folders 50] [--rounds 5]

Creates a temporary data directory (WAL SQLite), migrates it, seeds ``--wanted`` wanted tracks (with
ISRCs) and an inbox of ``--files`` real, tagged MP3 files (one generated with ffmpeg, copied and
re-tagged) for other tracks, in ``--folders`` folders. Then measures, in CPU time of this process
(the machine may be busy) and wall time:

1. the first round (builds the inbox index, reads every tag, matches every wanted track);
2. quiet rounds: nothing changed (the index refresh and a state comparison only);
3. rounds after one new file appeared in one folder (one folder re-read, every wanted track matched).

Prints a table and, as its last line, one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _setup(data_dir: Path) -> None:
    os.environ.update(
        {
            "SPOTIZERR_DATA_DIR": str(data_dir),
            "SPOTIZERR_SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
            "SPOTIZERR_LRCLIB_URL": "off",
            "SPOTIZERR_MUSICBRAINZ_URL": "off",
            "SPOTIZERR_DOWNLOAD_DIR": str(data_dir / "library"),
            "SPOTIZERR_INBOX_DIR": str(data_dir / "inbox"),
        }
    )
    for name in ("DATABASE_URL", "REDIS_URL", "SPOTIZERR_Q_SYNC"):
        os.environ.pop(name, None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spotizerr.settings")
    (data_dir / "library").mkdir(parents=True)
    (data_dir / "inbox").mkdir(parents=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _seed_wanted(count: int) -> None:
    from accounts.models import User
    from downloads.models import WantedTrack

    owner = User.objects.create(username="bench")
    WantedTrack.objects.bulk_create(
        WantedTrack(
            owner=owner,
            track_id=f"wanted{number:08d}",
            isrc=f"QZWNT{number:07d}",
            name=f"Wanted Song {number}",
            artists=["Bench Artist"],
            duration_ms=180_000,
            track_data={
                "id": f"wanted{number:08d}",
                "name": f"Wanted Song {number}",
                "isrc": f"QZWNT{number:07d}",
                "duration_ms": 180_000,
                "artists": [{"id": "a1", "name": "Bench Artist"}],
                "album": {"id": "al1", "name": "Bench Album"},
            },
        )
        for number in range(count)
    )


def _seed_inbox(inbox: Path, files: int, folders: int, scratch: Path) -> None:
    from downloads.tagging import TagData, write_tags
    from tests.fakes.audio import make_audio

    template = make_audio(scratch / "template.mp3", seconds=1.0)
    for number in range(files):
        folder = inbox / f"Artist {number % folders}"
        folder.mkdir(exist_ok=True)
        path = folder / f"{number:05d} Owned Song.mp3"
        shutil.copyfile(template, path)
        write_tags(path, TagData(title=f"Owned Song {number}", artists=["Owner"], isrc=f"QZOWN{number:07d}"))


def _round() -> tuple[float, float]:
    from downloads.fulfilment import inbox_scan

    cpu, wall = time.process_time(), time.perf_counter()
    result = inbox_scan()
    assert result.fulfilled == 0 and not result.skipped, result
    return 1000 * (time.process_time() - cpu), 1000 * (time.perf_counter() - wall)


def _stats(samples: list[tuple[float, float]]) -> dict[str, float]:
    return {
        "cpu_ms_median": round(statistics.median(cpu for cpu, _ in samples), 1),
        "wall_ms_median": round(statistics.median(wall for _, wall in samples), 1),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wanted", type=int, default=2000)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--folders", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    folder = Path(tempfile.mkdtemp(prefix="spotizerr-bench-scan-"))
    try:
        _setup(folder / "data")
        _seed_wanted(args.wanted)
        inbox = folder / "data" / "inbox"
        _seed_inbox(inbox, args.files, args.folders, folder)
        time.sleep(2.1)  # let the files' mtimes age past the index's "too recent to trust" window
        first = _round()
        quiet = [_round() for _ in range(args.rounds)]
        changed = []
        for number in range(args.rounds):
            shutil.copyfile(folder / "template.mp3", inbox / "Artist 0" / f"new-{number}.mp3")
            changed.append(_round())
        result = {
            "bench": "wanted_scan",
            "wanted": args.wanted,
            "inbox_files": args.files,
            "first_round": _stats([first]),
            "quiet_round": _stats(quiet),
            "one_new_file_round": _stats(changed),
            "load_average": [round(value, 2) for value in os.getloadavg()],
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{'round':<22}{'CPU ms (median)':>18}{'wall ms (median)':>18}")
    for name in ("first_round", "quiet_round", "one_new_file_round"):
        row = result[name]
        print(f"{name:<22}{row['cpu_ms_median']:>18}{row['wall_ms_median']:>18}")
    print(f"load average: {result['load_average']}")
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
