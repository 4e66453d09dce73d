"""Download pipeline benchmark: an album of generated tracks through the real service.

    .venv/bin/python bench/pipeline.py [--tracks 40] [--seconds 30] [--concurrency 2] [--latency-samples 8]
                                       [--rounds 5]

Sets up a temporary data directory (WAL SQLite, production settings), the local fake Spotify Web API, an
inbox of ``--tracks`` generated FLAC files of ``--seconds`` each (tagged with the album's ISRCs), and a
real django-q2 cluster (``--cluster serve``, the default: ``manage.py serve --no-web``, the cluster forked
from serve; ``--cluster qcluster``: ``manage.py qcluster``; ``--concurrency`` workers,
``maxConcurrentDownloads`` the same). Then it measures, end to end from the request to the finished task:

* copy-and-tag: the album kept in its source format (tracks per second), with lyrics off;
* lyrics: the same album again with lyrics on (``both``) from a local fake LRCLIB; the difference is
  the cost of lyrics per track (the conversion runs below also have lyrics on, so the ratio target
  holds with them);
* conversion to MP3 320k through the service, against the same ffmpeg conversions run directly,
  ``--concurrency`` at a time (target: service at most 1.05 x direct, in CPU time: the whole cluster's
  user + system time, its ffmpeg children included, against the direct ffmpeg processes'; wall-clock
  time is reported too). Service and direct runs alternate (``--rounds``), because a shared machine's
  load drifts: each service run is set against the mean of the direct runs just before and just after
  it, and the median of those paired ratios is the ratio reported; the load average is reported;
* the playability check's own cost: the full decode the pipeline runs on a file kept in its format
  (``downloads.conversion.decode_audio``), on every inbox file, ``--concurrency`` at a time (a
  conversion reuses its own pass, so converted tracks pay nothing more);
* queue-to-start latency on an idle system: a single-track request's enqueue to its worker's claim
  (target: under 200 ms).

Prints a table and, as its last line, one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import cpu_seconds, process_tree
from bench._pipeline_report import (
    Run,
    conversion_report,
    load_average,
    lyrics_report,
    print_table,
    report,
)

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-only-secret-key-not-for-production-use-0123456789"


def _environment(data_dir: Path, fake: Any, workers: int, lrclib_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "spotizerr.settings",
            "SPOTIZERR_DATA_DIR": str(data_dir),
            "SPOTIZERR_DOWNLOAD_DIR": str(data_dir / "library"),
            "SPOTIZERR_INBOX_DIR": str(data_dir / "inbox"),
            "SPOTIZERR_SECRET_KEY": SECRET,
            "SPOTIZERR_WORKERS": str(workers),
            "SPOTIZERR_LOG_LEVEL": "WARNING",
            "SPOTIZERR_SPOTIFY_API_URL": fake.api_url,
            "SPOTIZERR_SPOTIFY_TOKEN_URL": fake.token_url,
            "SPOTIZERR_SPOTIFY_CLIENT_ID": fake.client_id,
            "SPOTIZERR_SPOTIFY_CLIENT_SECRET": fake.client_secret,
            "SPOTIZERR_LRCLIB_URL": lrclib_url,
            "SPOTIZERR_MUSICBRAINZ_URL": "off",
        }
    )
    return env


def _setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _make_inbox(fake: Any, album_id: str, inbox: Path, seconds: float) -> list[Path]:
    from downloads.tagging import TagData, write_tags
    from tests.fakes.audio import make_audio

    template = make_audio(inbox.parent / "template.flac", seconds=seconds, frequency=523)
    files = []
    for number, track_id in enumerate(fake.catalog.albums[album_id].track_ids, start=1):
        track = fake.catalog.tracks[track_id]
        path = inbox / f"{number:02d} {track.name}.flac"
        shutil.copyfile(template, path)
        write_tags(path, TagData(title=track.name, artists=["The Test Pattern"], isrc=track.isrc or ""))
        files.append(path)
    return files


def _start_cluster(env: dict[str, str], kind: str) -> subprocess.Popen:
    """``serve``: the workers as users run them (the cluster forked from serve, no web side);
    ``qcluster``: django-q2's own command (a main process, sentinel, pusher, monitor, workers)."""
    command = ["serve", "--no-web", "--skip-migrate"] if kind == "serve" else ["qcluster"]
    cluster = subprocess.Popen(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    from django_q.tasks import async_task, result

    probe = async_task("math.floor", 1.5)
    deadline = time.monotonic() + 60
    while result(probe) is None:
        if time.monotonic() > deadline or cluster.poll() is not None:
            raise RuntimeError("the worker cluster did not start")
        time.sleep(0.1)
    return cluster


def _wait_finished(task_id: Any, timeout: float = 1800) -> Any:
    from downloads.models import DownloadTask

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        task = DownloadTask.objects.get(pk=task_id)
        if not task.is_active:
            return task
        time.sleep(0.2)  # the times measured come from the task's own timestamps, not from this poll
    raise TimeoutError(f"task {task_id} did not finish")


def _run_album(user: Any, album_id: str, overrides: dict[str, Any], cluster: subprocess.Popen) -> Run:
    """End-to-end seconds (request to finished task), the CPU time of the whole cluster meanwhile (its
    ffmpeg children included), the pipeline's part (first claim to finish), the task."""
    from django.utils import timezone

    from downloads.services import download_request

    cpu_before = cpu_seconds(process_tree(cluster.pid))
    requested = timezone.now()
    task = download_request(user=user, download_type="album", item_id=album_id, overrides=overrides)
    task = _wait_finished(task.pk)
    cpu = cpu_seconds(process_tree(cluster.pid)) - cpu_before
    first_claim = min(job.started_at for job in task.track_jobs.all())
    return Run(
        wall_s=(task.finished_at - requested).total_seconds(),
        cpu_s=cpu,
        pipeline_s=(task.finished_at - first_claim).total_seconds(),
        task=task,
    )


def _direct_conversions(files: list[Path], out: Path, concurrency: int) -> Run:
    """The same conversions with ffmpeg run directly: wall-clock and CPU seconds (user + system)."""
    from downloads.conversion import ffmpeg_executable

    out.mkdir(parents=True, exist_ok=True)

    def convert(source: Path) -> None:
        subprocess.run(
            [
                ffmpeg_executable(),
                "-hide_banner",
                "-nostdin",
                "-loglevel",
                "error",
                "-y",
                "-i",
                str(source),
                "-map",
                "0:a:0",
                "-map_metadata",
                "-1",
                "-vn",
                "-c:a",
                "libmp3lame",
                "-b:a",
                "320k",
                str(out / f"{source.stem}.mp3"),
            ],
            check=True,
        )

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(convert, files))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return Run(wall_s=time.monotonic() - started, cpu_s=cpu)


def _check_decodes(files: list[Path], concurrency: int) -> float:
    """Seconds to decode every file the way the playability check does, ``concurrency`` at a time."""
    from downloads.conversion import decode_audio
    from spotizerr.lib.cancel import NEVER_CANCELLED

    started = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda path: decode_audio(path, cancel=NEVER_CANCELLED), files))
    return time.monotonic() - started


def _latencies(user: Any, fake: Any, samples: int) -> list[float]:
    from downloads.models import DownloadTask
    from downloads.services import download_request
    from tests.fakes.spotify_api import IDS

    album = fake.catalog.add_album("Latency", artist_ids=[IDS.artist], tracks=samples)
    found = []
    for track_id in fake.catalog.albums[album].track_ids:
        time.sleep(0.5)  # idle: nothing else queued or running
        task = download_request(user=user, download_type="track", item_id=track_id)
        _wait_finished(task.pk, timeout=60)
        task = DownloadTask.objects.get(pk=task.pk)
        found.append((task.started_at - task.enqueued_at).total_seconds() * 1000)
    return found


def _fresh_library(data_dir: Path, name: str) -> None:
    from settings_app.services import config_update

    library = data_dir / name
    library.mkdir()
    config_update(changes={"downloadPath": str(library)})


def run(args: argparse.Namespace) -> dict[str, Any]:
    tracks, seconds, concurrency = args.tracks, args.seconds, args.concurrency
    from tests.fakes.lrclib import FakeLrclib
    from tests.fakes.spotify_api import IDS, FakeSpotify

    fake = FakeSpotify().start()
    lrclib = FakeLrclib().start()
    data_dir = Path(tempfile.mkdtemp(prefix="spotizerr-bench-"))
    cluster = None
    try:
        (data_dir / "library").mkdir()
        (data_dir / "inbox").mkdir()
        env = _environment(data_dir, fake, concurrency, lrclib.base_url)
        _setup_django(env)
        from accounts.models import User
        from settings_app.services import config_update

        config_update(
            changes={
                "maxConcurrentDownloads": concurrency,
                "service": "inbox",
                "fallback": False,
                "saveCover": True,
            }
        )
        user = User.objects.create(username="bench", role=User.Role.USER)
        album_id = fake.catalog.add_album("Bench Album", artist_ids=[IDS.artist], tracks=tracks)
        files = _make_inbox(fake, album_id, data_dir / "inbox", seconds)
        _lyrics_for(lrclib, fake, album_id)
        cluster = _start_cluster(env, args.cluster)
        load_before = load_average()
        latencies = _latencies(user, fake, args.latency_samples)
        copy = _run_album(user, album_id, {"lyrics": "off"}, cluster)
        check_s = _check_decodes(files, concurrency)
        _fresh_library(data_dir, "library-lyrics")
        lyrics = _run_album(user, album_id, {"lyrics": "both"}, cluster)
        lrc_files = len(list((data_dir / "library-lyrics").rglob("*.lrc")))
        # the machine's load may drift: service and direct runs alternate, and medians are compared
        direct = [_direct_conversions(files, data_dir / "direct", concurrency)]
        converts = []
        for round_number in range(args.rounds):
            _fresh_library(data_dir, f"library-mp3-{round_number}")
            converts.append(_run_album(user, album_id, {"convertTo": "MP3", "bitrate": "320k"}, cluster))
            direct.append(_direct_conversions(files, data_dir / "direct", concurrency))
        conversion = conversion_report(converts, direct, tracks)
        return {
            **report(tracks, seconds, concurrency, copy, conversion, latencies),
            "check_decode_s": round(check_s, 3),
            "check_ms_per_track": round(1000 * check_s / tracks, 1),
            **lyrics_report(tracks, copy, lyrics, lrc_files),
            "cluster": args.cluster,
            "load_before": load_before,
            "load_after": load_average(),
        }
    finally:
        if cluster is not None:
            cluster.send_signal(signal.SIGTERM)
            try:
                cluster.wait(30)
            except subprocess.TimeoutExpired:
                cluster.kill()
        fake.stop()
        lrclib.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


def _lyrics_for(lrclib: Any, fake: Any, album_id: str) -> None:
    from tests.fakes.lrclib import record

    for track_id in fake.catalog.albums[album_id].track_ids:
        track = fake.catalog.tracks[track_id]
        lrclib.add(record(track.name, "The Test Pattern", track.duration_ms / 1000))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--latency-samples", type=int, default=8)
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="service conversion runs, each between two direct runs (median ratio is reported)",
    )
    parser.add_argument("--cluster", choices=("serve", "qcluster"), default="serve")
    result = run(parser.parse_args())
    print_table(result)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
