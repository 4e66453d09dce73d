"""Fixtures of the fault tests: the real service in subprocesses (``tests.faults.service``), on the
backend of the current CI run (SQLite + ORM broker by default; PostgreSQL + Redis when the run sets
``DATABASE_URL`` and ``REDIS_URL``), with the fake Spotify and generated audio in the inbox."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.fakes.spotify_api import FakeSpotify
from tests.faults.backends import (
    Backend,
    drop_template,
    flush_fault_redis,
    migrate_template,
    postgres_reachable,
)
from tests.faults.service import Service, album_to_inbox


def run_backend() -> Backend:
    """The backend this CI run is about: PostgreSQL (+ Redis) when the run sets them."""
    database_url = os.environ.get("DATABASE_URL")
    if database_url:
        return Backend("postgres", "redis" if os.environ.get("REDIS_URL") else "orm", database_url)
    return Backend("sqlite", "orm")


def backend_with_broker(broker: str) -> Backend:
    """This run's database with the ORM broker, or with Redis (``redis_backend``, which may skip)."""
    if broker == "redis":
        return redis_backend()
    base = run_backend()
    return Backend(base.database, "orm", base.server_url)


def redis_backend() -> Backend:
    """PostgreSQL + the Redis broker; skips unless this run has both (the PostgreSQL + Redis CI run)."""
    database_url = os.environ.get("DATABASE_URL")
    if not (database_url and os.environ.get("REDIS_URL")):
        pytest.skip(
            "the Redis broker variant runs in the PostgreSQL + Redis CI run (DATABASE_URL and REDIS_URL "
            "unset here)"
        )
    if not postgres_reachable(database_url):
        pytest.skip(f"PostgreSQL is not reachable at {database_url}")
    return Backend("postgres", "redis", database_url)


@pytest.fixture(scope="session")
def fault_templates(tmp_path_factory) -> Iterator[Callable[[Backend], object]]:
    """``template(backend)``: a migrated database to copy, made once per session and database kind."""
    made: dict[tuple[str, str | None], tuple[Backend, object]] = {}

    def template(backend: Backend) -> object:
        key = (backend.database, backend.server_url)
        if key not in made:
            made[key] = (
                backend,
                migrate_template(backend, tmp_path_factory.mktemp(f"template-{backend.database}")),
            )
        return made[key][1]

    yield template
    for backend, name in made.values():
        drop_template(backend, name)


@pytest.fixture
def fake_spotify() -> Iterator[FakeSpotify]:
    with FakeSpotify() as fake:
        yield fake


@pytest.fixture
def make_service(
    tmp_path: Path, fake_spotify: FakeSpotify, fault_templates
) -> Iterator[Callable[..., Service]]:
    """``make_service(backend=None, env=None)``: a service (nothing started yet), stopped and its
    database dropped after the test, whose logs must hold no traceback."""
    services: list[Service] = []

    def make(backend: Backend | None = None, env: dict[str, str] | None = None) -> Service:
        backend = backend or run_backend()
        if backend.database == "postgres" and not postgres_reachable(backend.server_url or ""):
            pytest.skip(f"PostgreSQL is not reachable at {backend.server_url}")
        if backend.broker == "redis":
            flush_fault_redis()
        service = Service(
            root=tmp_path / f"service-{len(services)}",
            backend=backend,
            spotify=fake_spotify,
            template=fault_templates(backend),
            env=env,
        )
        services.append(service)
        return service

    yield make
    for service in services:
        service.close()
    for service in services:  # a fault must never show as a crash inside the service
        crashes = service.tracebacks()
        assert not crashes, f"tracebacks in the service's logs:\n{crashes[0]}"


@pytest.fixture
def service(make_service) -> Service:
    return make_service()


def album_in_inbox(
    service: Service,
    spotify: FakeSpotify,
    album_id: str,
    *,
    seconds: float = 20.0,
    extension: str = ".flac",
    template_dir: Path,
) -> list[Path]:
    """The album's tracks as real audio files in the service's inbox, tagged with their ISRC."""
    return album_to_inbox(
        service.inbox, spotify, album_id, seconds=seconds, extension=extension, template_dir=template_dir
    )


def assert_album_intact(service: Service, task_id: str, *, tracks: int) -> None:
    """Exactly one file per track, every track done, one history row per track, nothing left over."""
    assert_albums_intact(service, {task_id: tracks})


def assert_albums_intact(service: Service, albums: dict[str, int]) -> None:
    """``assert_album_intact`` for several album tasks (task id → tracks) sharing one library."""
    for task_id, tracks in albums.items():
        task = service.task(task_id)
        assert task["status"] == "complete", task
        assert set(service.track_statuses(task_id).values()) == {"done"}, service.track_statuses(task_id)
        history = service.history_tracks(task_id)
        assert [position for position, _ in history] == list(range(1, tracks + 1)), history
        assert {status for _, status in history} == {"completed"}, history
    audio = sorted(path for path in service.library.rglob("*") if path.is_file() and path.name != "cover.jpg")
    assert len(audio) == sum(albums.values()), [path.name for path in audio]
    assert all(path.suffix == ".mp3" and path.stat().st_size > 0 for path in audio), audio
    findings = service.library_check()
    assert findings["total"] == 0, findings
