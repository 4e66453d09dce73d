"""The worker cluster's watchdog, run by ``manage.py serve``.

It starts ``manage.py qcluster`` in its own process group and restarts it when it died, or when it
hangs: work is waiting (an active download task) and no worker showed a sign of life (a heartbeat, a
track or task finished, any queue task finished) for ``WATCHDOG_STALL_SECONDS``, counted from the
latest of that sign, the moment the oldest waiting work arrived, and the cluster's own start. A
stuck worker (SIGSTOPped, wedged in the kernel, deadlocked with its heartbeat thread) renews no
lease, so this is also what a hung cluster looks like from the database.

Stopping signals the cluster's main process only (SIGTERM: each worker finishes the track in hand);
after ``CLUSTER_STOP_SECONDS`` the whole group is killed. The reaper of the new cluster returns the
work of the old one to the queue.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.db import DatabaseError, close_old_connections
from django.db.models import Max, Min
from django.utils import timezone

if TYPE_CHECKING:
    from spotizerr.runtime.forked_cluster import ForkedProcess

logger = logging.getLogger("spotizerr.watchdog")

_PR_SET_PDEATHSIG = 1
_prctl: Any  # libc's prctl, or None where there is none
try:  # looked up here, not in the forked child
    _prctl = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):  # not Linux: serve's own stop still signals the cluster
    _prctl = None


def die_with_parent() -> None:
    """In the child before exec: get SIGTERM when ``serve`` dies, so no cluster outlives it."""
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class ClusterProcess:
    """The worker cluster as a child in its own process group: forked from this process when it has
    a single thread (``forked_cluster``: it shares serve's loaded pages), else ``manage.py qcluster``."""

    def __init__(self, *, stdout: IO | None = None, fork: bool = True) -> None:
        self.process: subprocess.Popen | ForkedProcess | None = None
        self.started_at: datetime | None = None
        self.restarts = 0
        self.forked = False
        self._stdout = stdout
        self._fork = fork

    def start(self) -> None:
        from spotizerr.runtime.forked_cluster import close_database_pools, fork_cluster

        if self._fork and threading.current_thread() is threading.main_thread():
            # a PostgreSQL pool's threads would make this process unforkable; from another thread
            # (daphne in this process) the pool serves requests and the cluster is not forked anyway
            close_database_pools()
        self.forked = self._fork and threading.active_count() == 1
        if self.forked:
            self.process = fork_cluster(stdout=self._stdout)
        else:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "qcluster"],
                cwd=settings.BASE_DIR,
                start_new_session=True,
                stdout=self._stdout,
                preexec_fn=die_with_parent,
            )
        self.started_at = timezone.now()

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, *, timeout: float | None = None) -> None:
        """SIGTERM to the main process only; the whole group is killed if it is not gone in time."""
        if self.process is None:
            return
        timeout = settings.CLUSTER_STOP_SECONDS if timeout is None else timeout
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                logger.error("The worker cluster did not stop within %s s; killing it", timeout)
        self._kill_group()

    def _kill_group(self) -> None:
        assert self.process is not None
        try:  # whatever is left of the group (workers of a killed main, a stopped worker)
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            logger.error("The worker cluster's main process %s would not die", self.process.pid)

    def restart(self) -> None:
        self.stop()
        self.restarts += 1
        self.start()


# ---------------------------------------------------------------------------------------------- reads
def last_sign_of_life() -> datetime | None:
    """The newest trace a worker left: a heartbeat, a track or task start or end, a finished queue task."""
    from django_q.models import Task

    from downloads.models import DownloadTask, TrackJob

    signs = [
        *TrackJob.objects.aggregate(Max("heartbeat_at"), Max("finished_at")).values(),
        *DownloadTask.objects.aggregate(
            Max("worker_seen_at"), Max("heartbeat_at"), Max("started_at"), Max("finished_at")
        ).values(),
        Task.objects.aggregate(Max("stopped"))["stopped__max"],
    ]
    return max((sign for sign in signs if sign is not None), default=None)


def work_waiting_since() -> datetime | None:
    """When the oldest download task still queued or running was queued; None when none is."""
    from downloads.models import ACTIVE_STATUSES, DownloadTask

    active = DownloadTask.objects.filter(status__in=ACTIVE_STATUSES)
    return active.aggregate(Min("created_at"))["created_at__min"]


# ---------------------------------------------------------------------------------------------- the dog
class Watchdog:
    """Call ``tick()`` often; it looks every ``interval`` seconds and restarts the cluster when it
    died or hangs (see the module docstring)."""

    def __init__(
        self,
        cluster: ClusterProcess,
        *,
        stall: timedelta | None = None,
        interval: float | None = None,
        clock: Callable[[], datetime] = timezone.now,
    ) -> None:
        self.cluster = cluster
        self.stall = stall or timedelta(seconds=settings.WATCHDOG_STALL_SECONDS)
        self.interval = settings.WATCHDOG_INTERVAL_SECONDS if interval is None else interval
        self.clock = clock
        self._next_look = 0.0
        self._lock = threading.Lock()
        self._stopped = False

    def watch_forever(self, *, every: float = 0.5) -> None:
        """``tick()`` forever, for a daemon thread that lives as long as the process: a cluster this
        thread restarts gets SIGTERM when the thread that started it ends (``die_with_parent``)."""
        while True:
            time.sleep(every)
            with self._lock:
                if self._stopped:
                    continue
                try:
                    self.tick()
                except Exception:  # keep watching whatever happened
                    logger.exception("The watchdog failed")

    def shutdown(self) -> None:
        """Stop watching, then stop the cluster: no restart can race the stop."""
        with self._lock:
            self._stopped = True
        self.cluster.stop()

    def tick(self) -> str | None:
        """Restart the cluster if it needs it; returns why ("died", "hung") or None."""
        if time.monotonic() < self._next_look:
            return None
        self._next_look = time.monotonic() + self.interval
        if not self.cluster.alive:
            code = self.cluster.process.returncode if self.cluster.process else None
            logger.critical("The worker cluster exited (code %s); starting it again", code)
            self.cluster.restart()
            return "died"
        if self.hung():
            logger.critical(
                "The worker cluster hangs: work is waiting and no worker showed a sign of life for "
                "%s s; restarting it",
                int(self.stall.total_seconds()),
            )
            self.cluster.restart()
            return "hung"
        return None

    def hung(self) -> bool:
        close_old_connections()
        try:
            waiting = work_waiting_since()
            if waiting is None:
                return False
            latest = max(filter(None, (last_sign_of_life(), waiting, self.cluster.started_at)))
        except DatabaseError:  # no database, no verdict: the next look tries again
            logger.warning("The watchdog could not read the database", exc_info=True)
            return False
        return self.clock() - latest > self.stall
