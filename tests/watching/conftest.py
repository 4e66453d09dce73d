"""Fixtures of the watching tests: the fake Spotify API, a library root, watch configuration changes,
and helpers that run one check or one scheduler tick at a controlled time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from downloads.models import DownloadTask

# The download engine's fixtures, for the end-to-end test with real workers.
from tests.downloads.conftest import configure, data_dir, engine, inbox_file  # noqa: F401
from tests.fakes.spotify_api import FakeSpotify
from watching.models import WatchKind, WatchTarget


@pytest.fixture
def watch_config(db) -> Callable[..., dict[str, Any]]:
    """``watch_config(**changes)``: change the watch configuration through its service."""
    from settings_app.services import watch_config_update

    def change(**changes: Any) -> dict[str, Any]:
        return watch_config_update(changes=changes)

    return change


@pytest.fixture
def queued_only(monkeypatch) -> None:
    """django-q2 only stores enqueued tasks; nothing runs them (downloads stay queued)."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", False)


@pytest.fixture
def inline_queue(monkeypatch) -> None:
    """django-q2 runs every enqueued task at once in the enqueuing thread (the real worker code)."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", True)


@pytest.fixture
def spotify(spotify_owner_linked: FakeSpotify, library_root: Path, queued_only) -> FakeSpotify:
    """The fake Spotify API with a library root; download tasks are created but never run. The acting
    users are linked to the Spotify account that owns the fixture playlists (``spotify_owner_linked``)."""
    return spotify_owner_linked


@pytest.fixture
def later() -> Callable[..., datetime]:
    """``later(seconds=..., minutes=..., hours=...)``: a time that far from now."""

    def make(**delta: float) -> datetime:
        return timezone.now() + timedelta(**delta)

    return make


@pytest.fixture
def check() -> Callable[..., str]:
    """``check(spotify_id, kind="playlist", at=None)``: run one check of that target now (or ``at``)."""
    from watching.services import target_check

    def run(spotify_id: str, kind: str = WatchKind.PLAYLIST, at: datetime | None = None) -> str:
        target = WatchTarget.objects.get(kind=kind, spotify_id=spotify_id)
        return target_check(target=target, now=at)

    return run


def downloads_of(user: Any, download_type: str = "track") -> list[str]:
    """The item ids of ``user``'s download tasks of a type, oldest first."""
    return list(
        DownloadTask.objects.filter(owner=user, download_type=download_type)
        .order_by("created_at")
        .values_list("item_id", flat=True)
    )


def queued_payloads() -> list[tuple[Callable[[], None], bytes | str]]:
    """What waits in django-q2's queue, in order, on either broker: (remove it, signed payload)."""
    from django.conf import settings

    if settings.REDIS_URL:
        from django_q.brokers import get_broker

        broker = get_broker()
        return [
            (lambda payload=payload: broker.connection.lrem(broker.list_key, 1, payload), payload)
            for payload in broker.connection.lrange(broker.list_key, 0, -1)
        ]
    from django_q.models import OrmQ

    return [(row.delete, row.payload) for row in OrmQ.objects.order_by("id")]


def run_queued_watch_tasks() -> list[str]:
    """Run the watching tasks waiting in django-q2's queue, as a worker would (download tasks stay
    queued); returns the functions run."""
    from django.utils.module_loading import import_string
    from django_q.signing import SignedPackage

    ran = []
    for remove, payload in queued_payloads():
        package = SignedPackage.loads(payload)
        if package["func"].startswith("watching."):
            remove()
            import_string(package["func"])(*package["args"], **package["kwargs"])
            ran.append(package["func"])
    return ran
