"""The real service under test: daphne and ``manage.py qcluster`` as subprocesses on their own
database (a SQLite file, or a fresh PostgreSQL database with Redis as broker: ``tests.faults.backends``),
library, inbox and data folder in the test's ``tmp_path``; the fake Spotify (and Deezer) in the test
process.

The test process never opens the service's database through Django: it talks HTTP to daphne, reads
rows with plain SQL (``Service.rows``) and runs management commands as the operator would.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.faults.backends import BASE_DIR, PYTHON, Backend, Database, base_env, uuid_param

# Crash-recovery periods, short so a test sees the reaper at work in seconds (production: 60 s / 30 s).
FAST_RECOVERY_ENV = {
    "SPOTIZERR_LEASE_STALE_SECONDS": "4",
    "SPOTIZERR_REAPER_INTERVAL_SECONDS": "2",
    "SPOTIZERR_CLUSTER_STOP_SECONDS": "20",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Service:
    """A running Spotizerr: ``start_web()``, ``start_cluster()``, the HTTP API and the database."""

    def __init__(
        self,
        *,
        root: Path,
        backend: Backend,
        spotify: Any,
        template: str | Path,
        env: dict[str, str] | None = None,
    ) -> None:
        self.root = root
        self.backend = backend
        self.data_dir, self.library, self.inbox = root / "data", root / "library", root / "inbox"
        self.logs = root / "logs"
        for folder in (self.data_dir, self.library, self.inbox, self.logs):
            folder.mkdir(parents=True, exist_ok=True)
        self.db = Database(backend, self.data_dir)
        self.db.create_from(template)
        self.port = free_port()
        self.env = base_env(
            data_dir=self.data_dir, backend=backend, database_url=self.db.url, spotify=spotify
        )
        self.env.update(
            {
                "SPOTIZERR_DOWNLOAD_DIR": str(self.library),
                "SPOTIZERR_INBOX_DIR": str(self.inbox),
                "PORT": str(self.port),
                **FAST_RECOVERY_ENV,
                **(env or {}),
            }
        )
        self.web: subprocess.Popen | None = None
        self.cluster: subprocess.Popen | None = None
        self.serve: subprocess.Popen | None = None
        self._log_count = 0

    # ------------------------------------------------------------------------------------------ processes
    def _spawn(self, name: str, argv: list[str], *, env: dict[str, str] | None = None) -> subprocess.Popen:
        self._log_count += 1
        log = open(self.logs / f"{self._log_count:02d}-{name}.log", "wb")
        try:
            return subprocess.Popen(
                argv,
                cwd=BASE_DIR,
                env={**self.env, **(env or {})},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            log.close()

    def start_web(self) -> float:
        """Start daphne; returns seconds until the API answered."""
        started = time.monotonic()
        self.web = self._spawn(
            "web",
            [PYTHON, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port), "spotizerr.asgi:application"],
        )
        self.wait_for(self._answers, timeout=30, what="the web server to answer")
        return time.monotonic() - started

    def _answers(self) -> bool:
        try:
            return self.api("GET", "/api/auth/status")[0] == 200
        except OSError:
            return False

    def start_cluster(
        self, *, workers: int = 2, env: dict[str, str] | None = None, file_size_limit: int | None = None
    ) -> subprocess.Popen:
        """``manage.py qcluster``; ``file_size_limit``: RLIMIT_FSIZE for it and the workers it forks
        (set at once, long before Django is up and forks), so bigger writes fail with EFBIG."""
        self.cluster = self._spawn(
            "cluster",
            [PYTHON, "manage.py", "qcluster"],
            env={"SPOTIZERR_WORKERS": str(workers), **(env or {})},
        )
        if file_size_limit is not None:
            resource.prlimit(self.cluster.pid, resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))
        # up: the main process, its sentinel, the workers, the monitor and the pusher
        self.wait_for(
            lambda: len(descendants(self.cluster.pid)) >= workers + 4, timeout=30, what="the cluster to start"
        )
        return self.cluster

    def start_serve(self, *args: str) -> subprocess.Popen:
        """``manage.py serve [args]``: web, cluster and watchdog together, as users run it."""
        self.serve = self._spawn(
            "serve", [PYTHON, "manage.py", "serve", "--skip-migrate", "--port", str(self.port), *args]
        )
        self.wait_for(self._answers, timeout=30, what="serve's web server to answer")
        return self.serve

    def stop(
        self, process: subprocess.Popen | None, *, sig: int = signal.SIGTERM, timeout: float = 30
    ) -> float:
        """Send ``sig`` to the process only (not its group); seconds until it exited."""
        if process is None or process.poll() is not None:
            return 0.0
        started = time.monotonic()
        process.send_signal(sig)
        process.wait(timeout=timeout)
        return time.monotonic() - started

    def kill_group(self, process: subprocess.Popen | None) -> None:
        """SIGKILL the process and every process it started (a whole cluster: sentinel, workers...)."""
        if process is None:
            return
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)

    def close(self) -> None:
        for process in (self.serve, self.cluster, self.web):
            if process is not None and process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGCONT)
                    self.stop(process, timeout=10)
                except (subprocess.TimeoutExpired, ProcessLookupError):
                    pass
            self.kill_group(process)
        self.db.drop()

    def log_tail(self, lines: int = 40) -> str:
        parts = []
        for path in sorted(self.logs.glob("*.log"))[-4:]:
            text = path.read_text(errors="replace").splitlines()[-lines:]
            parts.append(f"--- {path.name}\n" + "\n".join(text))
        return "\n".join(parts)

    def tracebacks(self) -> list[str]:
        """Every traceback any of the service's processes logged, with the lines before it."""
        found = []
        for path in sorted(self.logs.glob("*.log")):
            lines = path.read_text(errors="replace").splitlines()
            found += [
                f"{path.name}:\n" + "\n".join(lines[max(0, n - 3) : n + 25])
                for n, line in enumerate(lines)
                if line.startswith("Traceback")
            ]
        return found

    def wait_for(self, condition: Callable[[], Any], *, timeout: float, what: str, every: float = 0.2) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            value = condition()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout} s waiting for {what}\n{self.log_tail()}")
            time.sleep(every)

    # ------------------------------------------------------------------------------------------ HTTP API
    def api(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        timeout: float = 10,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json", "Accept": "application/json", **(headers or {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            raw = error.read()
            try:
                return error.code, json.loads(raw)
            except ValueError:
                return error.code, raw.decode(errors="replace")

    def configure(self, **changes: Any) -> dict[str, Any]:
        status, body = self.api("POST", "/api/config/", changes)
        assert status == 200, body
        return body

    def request(self, kind: str, item_id: str) -> str:
        status, body = self.api("GET", f"/api/{kind}/download/{item_id}")
        assert status == 202, body
        return body["task_id"]

    def task(self, task_id: str) -> dict[str, Any]:
        status, body = self.api("GET", f"/api/prgs/{task_id}")
        assert status == 200, body
        return body

    def wait_finished(self, task_id: str, *, timeout: float) -> dict[str, Any]:
        def finished() -> dict[str, Any] | None:
            task = self.task(task_id)
            return task if task["status"] in ("complete", "error", "cancelled", "skipped") else None

        return self.wait_for(finished, timeout=timeout, what=f"task {task_id} to finish", every=0.3)

    # ------------------------------------------------------------------------------------------ database
    def rows(self, query: str, params: tuple = ()) -> list[tuple]:
        return self.db.rows(query, params)

    def track_statuses(self, task_id: str) -> dict[int, str]:
        return dict(
            self.rows(
                "SELECT position, status FROM downloads_trackjob WHERE task_id = ? ORDER BY position",
                (uuid_param(self.backend, task_id),),
            )
        )

    def running_worker_pids(self, task_id: str) -> list[int]:
        """Pids of the worker processes holding a track of the task right now."""
        owners = self.rows(
            "SELECT lease_owner FROM downloads_trackjob WHERE task_id = ? AND status = 'running'",
            (uuid_param(self.backend, task_id),),
        )
        return sorted({int(owner.split(":")[1]) for (owner,) in owners if owner})

    def history_tracks(self, task_id: str) -> list[tuple[int, str]]:
        return self.rows(
            "SELECT t.position, t.status FROM library_history_historytrack t JOIN library_history_historyentry e "
            "ON t.parent_id = e.id WHERE e.task_id = ? ORDER BY t.position",
            (uuid_param(self.backend, task_id),),
        )

    # ------------------------------------------------------------------------------------------ commands
    def manage(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            timeout=timeout,
            text=True,
            check=False,
        )

    def library_check(self) -> dict[str, Any]:
        """``manage.py library_check --json``, after the work is over: any temporary file counts."""
        result = self.manage("library_check", "--json", "--temp-age", "0")
        assert result.stdout.strip(), result.stderr
        findings = json.loads(result.stdout.strip().splitlines()[-1])
        assert (result.returncode == 0) == (findings["total"] == 0), (result.returncode, findings)
        return findings


def children_of(pid: int) -> list[int]:
    """The processes ``pid`` started that are still there (from /proc; none once it is gone)."""
    found: list[int] = []
    try:
        for thread in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{thread}/children") as children:
                found += [int(child) for child in children.read().split()]
    except (FileNotFoundError, ProcessLookupError):
        pass
    return found


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (from /proc)."""
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += children_of(current)
    return tree


def album_to_inbox(
    inbox: Path,
    spotify: Any,
    album_id: str,
    *,
    seconds: float = 20.0,
    extension: str = ".flac",
    template_dir: Path,
) -> list[Path]:
    """The album's tracks as real audio files in ``inbox``, tagged with title, artists and ISRC (one
    file generated with ffmpeg, copied and re-tagged per track)."""
    from downloads.tagging import TagData, write_tags
    from tests.fakes.audio import make_audio

    template = make_audio(template_dir / f"template-{seconds}{extension}", seconds=seconds)
    catalog = spotify.catalog
    made = []
    for number, track_id in enumerate(catalog.albums[album_id].track_ids, start=1):
        track = catalog.tracks[track_id]
        path = inbox / f"{album_id}-{number}{extension}"
        shutil.copyfile(template, path)
        write_tags(
            path,
            TagData(
                title=track.name,
                artists=[catalog.artists[a].name for a in track.artist_ids],
                isrc=track.isrc or "",
            ),
        )
        made.append(path)
    return made
