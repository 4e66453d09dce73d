"""The real app for browser tests: daphne (web and progress stream) and a django-q2 worker in
subprocesses, on a temporary SQLite database, talking to the local fake Spotify API, with generated
audio in the inbox whose ISRC tags match the fake catalog."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tests.fakes.audio import make_audio
from tests.fakes.spotify_api import IDS, FakeSpotify

ROOT = Path(__file__).resolve().parents[3]
ADMIN_PASSWORD = "browser-admin-pass-31"
USER_PASSWORD = "browser-user-pass-47"
START_TIMEOUT = 60.0

SETUP_SCRIPT = f"""
from accounts.services import user_create
from settings_app.services import config_update
config_update(changes={{"service": "inbox", "fallback": False, "retryDelaySeconds": 0, "retryDelayIncrease": 0,
                        "maxRetries": 1, "maxConcurrentDownloads": 2}})
user_create(username="alice", password="{USER_PASSWORD}", role="user")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveApp:
    base_url: str
    spotify: FakeSpotify
    root: Path
    processes: list[subprocess.Popen] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    port: int = 0

    @property
    def log_dir(self) -> Path:
        return self.root / "logs"

    def web_start(self) -> None:
        web = _spawn(
            self.env,
            self.log_dir,
            "daphne",
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(self.port),
                "spotizerr.asgi:application",
            ],
        )
        self.processes.insert(0, web)
        _wait_until_up(f"{self.base_url}/login/", web)

    def web_restart(self) -> None:
        """Stop the web server (every open stream is cut), then start it again on the same port;
        the workers keep running meanwhile."""
        web = self.processes.pop(0)
        web.send_signal(signal.SIGTERM)
        web.wait(timeout=10)
        self.web_start()

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        self.spotify.stop()


def _environment(root: Path, spotify: FakeSpotify, port: int) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL"} and not key.startswith("SPOTIZERR_")
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "spotizerr.settings",
            "SPOTIZERR_DATA_DIR": str(root / "data"),
            "SPOTIZERR_DOWNLOAD_DIR": str(root / "library"),
            "SPOTIZERR_INBOX_DIR": str(root / "inbox"),
            "SPOTIZERR_SECRET_KEY": "browser-tests-secret-key-not-for-production-0123456789",
            "SPOTIZERR_AUTH_ENABLED": "true",
            "SPOTIZERR_ADMIN_USERNAME": "admin",
            "SPOTIZERR_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "SPOTIZERR_SSO_ENABLED": "false",
            "SPOTIZERR_WORKERS": "2",
            "SPOTIZERR_SPOTIFY_API_URL": spotify.api_url,
            "SPOTIZERR_LRCLIB_URL": "off",  # never the real lyrics and genre services
            "SPOTIZERR_MUSICBRAINZ_URL": "off",
            "SPOTIZERR_SPOTIFY_TOKEN_URL": spotify.token_url,
            "SPOTIZERR_SPOTIFY_ACCOUNTS_URL": spotify.accounts_url,
            "SPOTIZERR_PUBLIC_URL": f"http://127.0.0.1:{port}",  # a loopback IP: Spotify's redirect may use it
            "SPOTIZERR_SPOTIFY_CLIENT_ID": spotify.client_id,
            "SPOTIZERR_SPOTIFY_CLIENT_SECRET": spotify.client_secret,
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _inbox_album(inbox: Path, spotify: FakeSpotify, album_id: str) -> None:
    catalog = spotify.catalog
    for number, track_id in enumerate(catalog.albums[album_id].track_ids, start=1):
        track = catalog.tracks[track_id]
        artist = catalog.artists[track.artist_ids[0]].name
        make_audio(
            inbox / f"{number:02d}.mp3",
            seconds=1.0,
            frequency=220 * number,
            tags={"title": track.name, "artist": artist, "ISRC": track.isrc or ""},
        )


def _manage(env: dict[str, str], log_dir: Path, *args: str) -> None:
    with open(log_dir / f"manage-{args[0]}.log", "ab") as log:
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
            check=True,
            timeout=120,
        )


def _spawn(env: dict[str, str], log_dir: Path, name: str, command: list[str]) -> subprocess.Popen:
    log = open(log_dir / f"{name}.log", "ab")
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def _wait_until_up(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the web server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"the web server did not answer {url} within {START_TIMEOUT} s")


def live_app_start(root: Path) -> LiveApp:
    """Migrate, bootstrap and configure a fresh installation under ``root``, then start it."""
    for folder in ("data", "library", "inbox", "logs"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    spotify = FakeSpotify().start()
    app = LiveApp(base_url="", spotify=spotify, root=root)
    try:
        _inbox_album(root / "inbox", spotify, IDS.small_album)
        app.port = free_port()
        app.env = env = _environment(root, spotify, app.port)
        _manage(env, app.log_dir, "migrate", "--noinput")
        _manage(env, app.log_dir, "bootstrap")
        _manage(env, app.log_dir, "shell", "-c", SETUP_SCRIPT)
        app.base_url = f"http://127.0.0.1:{app.port}"
        app.processes.append(_spawn(env, app.log_dir, "qcluster", [sys.executable, "manage.py", "qcluster"]))
        app.web_start()
    except BaseException:
        app.stop()
        raise
    return app
