"""Where the service under test keeps its data and queue (``tests.faults.service``): the backend of a run,
one fresh database per test copied from a migrated template (a SQLite file, or a PostgreSQL template
database), the Redis database of the broker, and the environment that points every service process at
them. Rows are read with plain SQL, never through the test process's Django."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

BASE_DIR = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
FAULT_REDIS_URL = "redis://127.0.0.1:6379/14"


@dataclass(frozen=True)
class Backend:
    """Where the service keeps its data and queue: ``sqlite``+``orm`` (the embedded default) or
    ``postgres`` with the ``orm`` or ``redis`` broker."""

    database: str
    broker: str
    server_url: str | None = None  # PostgreSQL server URL (any database name) for postgres

    @property
    def label(self) -> str:
        return f"{self.database}+{self.broker}"


def postgres_reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 5432), timeout=1):
            return True
    except OSError:
        return False


def _database_url(server_url: str, name: str) -> str:
    return urlunparse(urlparse(server_url)._replace(path=f"/{name}"))


class Database:
    """One fresh database for one test, copied from a migrated template."""

    def __init__(self, backend: Backend, data_dir: Path) -> None:
        self.backend = backend
        self.data_dir = data_dir
        self.name = f"spotizerr_fault_{uuid.uuid4().hex[:12]}"

    @property
    def url(self) -> str | None:
        if self.backend.database == "sqlite":
            return None
        return _database_url(self.backend.server_url or "", self.name)

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "spotizerr.sqlite3"

    def create_from(self, template: str | Path) -> None:
        if self.backend.database == "sqlite":
            shutil.copyfile(template, self.sqlite_path)
            return
        self._admin(f'CREATE DATABASE "{self.name}" TEMPLATE "{template}"')

    def drop(self) -> None:
        if self.backend.database == "postgres":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def _admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(
            _database_url(self.backend.server_url or "", "postgres"), autocommit=True
        ) as conn:
            conn.execute(statement)

    def rows(self, query: str, params: tuple = ()) -> list[tuple]:
        """Run a read query (``?`` placeholders) on a fresh connection."""
        if self.backend.database == "sqlite":
            conn = sqlite3.connect(self.sqlite_path, timeout=20)
            try:
                return conn.execute(query, params).fetchall()
            finally:
                conn.close()
        import psycopg

        with psycopg.connect(self.url or "", autocommit=True) as conn:
            return conn.execute(query.replace("?", "%s"), params).fetchall()


def uuid_param(backend: Backend, task_id: str) -> str:
    # Django stores UUIDs as 32 hex characters on SQLite and as the native uuid type on PostgreSQL
    return uuid.UUID(task_id).hex if backend.database == "sqlite" else str(uuid.UUID(task_id))


def base_env(*, data_dir: Path, backend: Backend, database_url: str | None, spotify: Any) -> dict[str, str]:
    """The environment of every service process: nothing inherited that picks another database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SPOTIZERR_") and key not in {"DATABASE_URL", "REDIS_URL", "PORT", "HOST"}
    }
    env.update(
        {
            "SPOTIZERR_DATA_DIR": str(data_dir),
            "SPOTIZERR_LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if spotify is not None:
        env.update(
            {
                "SPOTIZERR_SPOTIFY_API_URL": spotify.api_url,
                "SPOTIZERR_LRCLIB_URL": "off",  # never the real lyrics and genre services
                "SPOTIZERR_MUSICBRAINZ_URL": "off",
                "SPOTIZERR_SPOTIFY_TOKEN_URL": spotify.token_url,
                "SPOTIZERR_SPOTIFY_CLIENT_ID": spotify.client_id,
                "SPOTIZERR_SPOTIFY_CLIENT_SECRET": spotify.client_secret,
            }
        )
    if database_url:
        env["DATABASE_URL"] = database_url
    if backend.broker == "redis":
        env["REDIS_URL"] = FAULT_REDIS_URL
    return env


def migrate_template(backend: Backend, folder: Path) -> str | Path:
    """A migrated database to copy for each test: a SQLite file, or a PostgreSQL template database."""
    folder.mkdir(parents=True, exist_ok=True)
    database = Database(backend, folder)
    if backend.database == "postgres":
        database.name = f"spotizerr_fault_template_{uuid.uuid4().hex[:8]}"
        database._admin(f'CREATE DATABASE "{database.name}"')
    env = base_env(
        data_dir=folder,
        backend=Backend(backend.database, "orm", backend.server_url),
        database_url=database.url,
        spotify=None,
    )
    result = subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    if backend.database == "postgres":
        return database.name
    conn = sqlite3.connect(database.sqlite_path)
    try:  # everything in the main file, so that copying it copies the whole database
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return database.sqlite_path


def drop_template(backend: Backend, template: str | Path) -> None:
    if backend.database == "postgres":
        database = Database(backend, Path("."))
        database._admin(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')


def flush_fault_redis() -> None:
    import redis

    client = redis.Redis.from_url(FAULT_REDIS_URL, socket_timeout=5)
    try:
        client.flushdb()
    finally:
        client.close()
