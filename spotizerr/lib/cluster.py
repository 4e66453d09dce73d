"""Is this process a django-q2 worker whose cluster is shutting down?

A cluster told to stop (SIGTERM to its main process) lets each worker finish the task in hand, and a
download task works through a whole album. Long tasks ask ``cluster_stopping()`` between units of
work and hand the rest back to the queue, so a stop takes one track, not one album.
"""

from __future__ import annotations

import logging
import os
import socket
import time

logger = logging.getLogger(__name__)

CHECK_EVERY_SECONDS = 1.0

_sentinel_pid: int | None = None
_checked_at = 0.0
_stopping = False
_cluster_id: str | None = None  # the sentinel's cluster, once found: later checks read only its status


def worker_spawned() -> None:
    """Remember the sentinel (the parent) of this worker process; called once when it starts."""
    global _sentinel_pid, _checked_at, _stopping, _cluster_id
    _sentinel_pid, _checked_at, _stopping, _cluster_id = os.getppid(), 0.0, False, None


def in_cluster_worker() -> bool:
    return _sentinel_pid is not None


def cluster_stopping() -> bool:
    """True when this worker's cluster is stopping (or its sentinel is gone). Always False outside a
    cluster worker (inline ``sync`` runs, tests, management commands). Asks at most once a second."""
    global _checked_at, _stopping
    if _sentinel_pid is None:
        return False
    if _stopping:
        return True
    if os.getppid() != _sentinel_pid:  # orphaned: the sentinel died
        _stopping = True
        return True
    now = time.monotonic()
    if now - _checked_at < CHECK_EVERY_SECONDS:
        return False
    _checked_at = now
    _stopping = _sentinel_says_stopping(_sentinel_pid)
    return _stopping


def _sentinel_says_stopping(sentinel_pid: int) -> bool:
    """Whether the sentinel's published status is "stopping". The first check lists every cluster's
    status (which also rewrites the list in the cache); later ones read just this cluster's entry."""
    global _cluster_id
    from django_q.conf import Conf
    from django_q.status import Stat

    try:
        stats = [Stat.get(sentinel_pid, _cluster_id)] if _cluster_id else Stat.get_all()
    except Exception:  # the broker's cache is unreachable: keep working, the stop waits a little longer
        logger.warning("Could not read the cluster status", exc_info=True)
        return False
    host = socket.gethostname()
    ours = [
        stat
        for stat in stats
        if getattr(stat, "sentinel", None) == sentinel_pid and getattr(stat, "host", None) == host
    ]
    _cluster_id = str(ours[0].cluster_id) if ours else None  # not found: list them all next time
    return any(str(getattr(stat, "status", "")) == str(Conf.STOPPING) for stat in ours)
