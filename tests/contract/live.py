"""The whole service running for real, for the contract tests: daphne (and, when asked, a django-q2
worker cluster) in subprocesses on 127.0.0.1, with a temporary SQLite database, auth on, and the fake
Spotify Web API of ``tests.fakes.spotify_api`` standing in for Spotify.

    service = LiveService(tmp_dir, spotify=fake).start(workers=False)
    service.url, service.token(), service.env
    service.stop()
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.fakes.spotify_api import FakeSpotify

BASE_DIR = Path(__file__).resolve().parents[2]
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "contract-admin-horse-7"
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveService:
    def __init__(self, root: Path, *, spotify: FakeSpotify, extra_env: dict[str, str] | None = None) -> None:
        self.root = root
        self.spotify = spotify
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.processes: list[subprocess.Popen] = []
        for name in ("data", "library", "inbox", "logs"):
            (root / name).mkdir(parents=True, exist_ok=True)
        self.env = self._environment(extra_env or {})

    def _environment(self, extra: dict[str, str]) -> dict[str, str]:
        # Never the caller's database, broker or settings: CI also runs the suite against PostgreSQL.
        inherited = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("SPOTIZERR_", "DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"))
        }
        return {
            **inherited,
            "DJANGO_SETTINGS_MODULE": "spotizerr.settings",
            "SPOTIZERR_DATA_DIR": str(self.root / "data"),
            "SPOTIZERR_DOWNLOAD_DIR": str(self.root / "library"),
            "SPOTIZERR_INBOX_DIR": str(self.root / "inbox"),
            "SPOTIZERR_SECRET_KEY": secrets.token_urlsafe(50),
            "SPOTIZERR_AUTH_ENABLED": "true",
            "SPOTIZERR_ADMIN_USERNAME": ADMIN_USERNAME,
            "SPOTIZERR_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "SPOTIZERR_SPOTIFY_API_URL": self.spotify.api_url,
            "SPOTIZERR_LRCLIB_URL": "off",  # never the real lyrics and genre services
            "SPOTIZERR_MUSICBRAINZ_URL": "off",
            "SPOTIZERR_INTEGRATION_TIMEOUT_SECONDS": "1",  # the fuzzer tests made-up media servers
            "SPOTIZERR_NOTIFY_RETRY_DELAYS": "0",
            "SPOTIZERR_SPOTIFY_TOKEN_URL": self.spotify.token_url,
            "SPOTIZERR_SPOTIFY_CLIENT_ID": self.spotify.client_id,
            "SPOTIZERR_SPOTIFY_CLIENT_SECRET": self.spotify.client_secret,
            "SPOTIZERR_SPOTIFY_RETRY_BACKOFF_MS": "10",
            "SPOTIZERR_WORKERS": "1",
            "SPOTIZERR_LOG_LEVEL": "WARNING",
            **extra,
        }

    # ------------------------------------------------------------------ processes
    def manage(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        log = (self.root / "logs" / f"{name}.log").open("wb")
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append(process)
        return process

    def start(self, *, workers: bool = False) -> LiveService:
        self.manage("migrate", "--noinput")
        self.manage("bootstrap")
        self._spawn(
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
        if workers:
            self._spawn("qcluster", [sys.executable, "manage.py", "qcluster"])
        self._wait_until_up()
        return self

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if any(p.poll() is not None for p in self.processes):
                raise RuntimeError(f"a process of the live service exited:\n{self.logs()}")
            try:
                if requests.get(f"{self.url}/api/auth/status", timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the live service did not answer within {START_TIMEOUT} s:\n{self.logs()}")

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-4000:]}"
            for path in sorted((self.root / "logs").glob("*.log"))
        )

    def stop(self) -> None:
        """Stop what this harness started, each process group by its own id."""
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        self.processes.clear()

    # ------------------------------------------------------------------ API helpers
    def token(self, username: str = ADMIN_USERNAME, password: str = ADMIN_PASSWORD) -> str:
        response = requests.post(
            f"{self.url}/api/auth/login", json={"username": username, "password": password}, timeout=30
        )
        response.raise_for_status()
        return response.json()["access_token"]
