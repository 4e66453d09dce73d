"""Upkeep inside every django-q2 worker process: the download reaper (and the import matcher's), every
``REAPER_INTERVAL_SECONDS``, the media servers' debounced rescans and playlist syncs, every ``MEDIA_SERVER_POLL_SECONDS``,
and the inbox scan for wanted tracks and upgrades, every ``inboxScanSeconds`` (a setting, read each round).

django-q2's scheduler runs schedules at most once a minute, checked every 30 s; crash recovery wants
a shorter, configurable period and should not depend on a schedule row existing. So each worker
process runs the reaper in a small thread (it is safe to run from many places at once) and records
its sentinel for ``spotizerr.lib.cluster.cluster_stopping``.
"""

from __future__ import annotations

import logging
import multiprocessing
import random
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.db import DatabaseError, connection

from spotizerr.lib import cluster

logger = logging.getLogger(__name__)
T = TypeVar("T")


_started = False


def on_worker_spawned(sender: Any = None, proc_name: str = "", **kwargs: Any) -> None:
    """django-q2 ``post_spawn`` receiver: runs in each new worker process. Inline (``sync``) runs send
    it too, from the process that enqueued; those are no cluster workers and are left alone."""
    global _started
    if multiprocessing.parent_process() is None or _started:
        return
    _started = True
    cluster.worker_spawned()
    stop = threading.Event()
    thread = threading.Thread(target=reap_forever, args=(stop,), name="spotizerr-reaper", daemon=True)
    thread.start()
    threading.Thread(
        target=media_refresh_forever, args=(stop,), name="spotizerr-media-refresh", daemon=True
    ).start()
    threading.Thread(
        target=inbox_scan_forever, args=(stop,), name="spotizerr-inbox-scan", daemon=True
    ).start()


def reap_forever(stop: threading.Event) -> None:
    """Run the reaper every ``REAPER_INTERVAL_SECONDS`` (the first run after a random part of it, so
    the workers of a cluster do not all reap at once) until ``stop`` is set."""
    interval = float(settings.REAPER_INTERVAL_SECONDS)
    if stop.wait(random.uniform(0.2, 1.0) * interval):
        return
    while True:
        reap_once()
        if stop.wait(interval):
            return


def _guarded(what: str, call: Callable[[], T]) -> T | None:
    """``call()``, or None when it failed: an upkeep thread never dies (crash recovery depends on the
    reaper's), and a busy or restarting database is only logged, for the next round to try again.
    The thread's database connection is closed either way."""
    try:
        return call()
    except DatabaseError:
        logger.warning("%s could not reach the database", what, exc_info=True)
        return None
    except Exception:
        logger.exception("%s failed", what)
        return None
    finally:
        connection.close()


def reap_once() -> dict[str, int]:
    from downloads.services import downloads_reap
    from playlist_imports.services import imports_reap

    counts = _guarded("The reaper", lambda: {**downloads_reap(), "imports requeued": imports_reap()})
    if counts is None:
        return {}
    if any(counts.values()):
        logger.warning("Reaper: %s", ", ".join(f"{name} {count}" for name, count in counts.items() if count))
    return counts


def media_refresh_forever(stop: threading.Event) -> None:
    """Make the media servers' owed rescans every ``MEDIA_SERVER_POLL_SECONDS`` (one cheap indexed
    query when none is owed) until ``stop`` is set."""
    interval = float(settings.MEDIA_SERVER_POLL_SECONDS)
    while not stop.wait(interval):
        media_refresh_once()


def media_refresh_once() -> int:
    """Owed rescans first, then owed playlist syncs (which wait for their server's rescan)."""
    from settings_app.media_playlists import media_playlists_sync_due
    from settings_app.media_servers import media_servers_refresh_due

    done = _guarded(
        "The media-server refresher", lambda: media_servers_refresh_due() + media_playlists_sync_due()
    )
    return done or 0


def inbox_scan_forever(stop: threading.Event) -> None:
    """Look in the inbox for wanted tracks and better copies every ``inboxScanSeconds`` (read each
    round, so a change applies from the next one) until ``stop`` is set. One scan at a time per
    machine: a round that finds another process scanning skips."""
    while not stop.wait(_inbox_scan_interval()):
        inbox_scan_once()


def _inbox_scan_interval() -> float:
    from settings_app.selectors import get_config

    try:
        return float(get_config().get("inboxScanSeconds") or 60)
    except DatabaseError:
        return 60.0
    finally:
        connection.close()


def inbox_scan_once() -> int:
    """One scan; returns the tracks fulfilled or upgraded."""
    from downloads.fulfilment import inbox_scan

    result = _guarded("The inbox scan", inbox_scan)
    if result is None:
        return 0
    if result.fulfilled or result.upgraded:
        logger.info(
            "Inbox scan: %s wanted track(s) fulfilled, %s upgraded", result.fulfilled, result.upgraded
        )
    return result.fulfilled + result.upgraded
