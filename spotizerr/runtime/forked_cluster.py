"""The worker cluster forked from ``serve`` instead of started as ``manage.py qcluster``.

``serve`` has loaded Django, the ASGI application, every view and the workers' task modules by the
time it starts the cluster (``preload``), and froze those objects out of the garbage collector's
sweeps (``gc.freeze``). A cluster forked from it shares all those pages with serve and its web
processes instead of loading its own copy of Django (about 70 MB less PSS for the service). django-q2
forks its pusher, monitor and workers from the cluster in turn; each of those forks freezes first too
(``_freeze_before_fork``), so a collection in a worker does not copy its parent's pages. The forked
cluster is django-q2's sentinel itself (``run_cluster``): ``qcluster``'s main process, which only
passes signals on to it, is not needed.

A fork is only safe from a process with one thread (another thread's locks are copied held): with
daphne running in ``serve``'s own process, the watchdog thread restarts a cluster with
``manage.py qcluster`` as before (``ClusterProcess.start``).

The forked cluster names itself ``qcluster`` (``/proc/<pid>/comm``; its command line stays serve's),
runs in its own session like the exec'd one, and gets SIGTERM when serve dies.
"""

from __future__ import annotations

import ctypes
import gc
import os
import signal
import subprocess
import sys
import threading
import time
import traceback
import uuid
from typing import IO, Any

from spotizerr.runtime.watchdog import die_with_parent

PROCESS_NAME = b"qcluster"
_PR_SET_NAME = 15
_prctl: Any
try:
    _prctl = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):
    _prctl = None


def name_process(name: bytes) -> None:
    """Set this process's name (``/proc/<pid>/comm``, shown by ps and top; 15 bytes at most)."""
    if _prctl is not None:
        _prctl(_PR_SET_NAME, ctypes.c_char_p(name[:15]), 0, 0, 0)


def preload_workers() -> None:
    """Import what the cluster's workers run (django-q2 and every app's task module), so a cluster
    forked from here shares it."""
    import django_q.cluster  # noqa: F401
    from django.apps import apps

    import spotizerr.runtime.upkeep  # noqa: F401

    for app in apps.get_app_configs():
        try:
            __import__(f"{app.name}.tasks")
        except ModuleNotFoundError as error:
            if error.name != f"{app.name}.tasks":
                raise
    gc.freeze()


def close_database_pools() -> None:
    """Close the PostgreSQL pools migrating and loading opened: a pool runs threads of its own, and
    ``serve`` must be single-threaded to fork (the cluster, the web processes). Whoever needs the
    database next opens a pool of its own (``spotizerr.runtime.dbpool``)."""
    from django.db import connections

    for wrapper in connections.all(initialized_only=True):
        close_pool = getattr(wrapper, "close_pool", None)
        if close_pool is not None:
            close_pool()
        else:
            wrapper.close()


def _freeze_before_fork() -> None:
    gc.freeze()


class ForkedProcess:
    """A forked child with the parts of ``subprocess.Popen`` that ``ClusterProcess`` uses."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                done, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                done, status = self.pid, 0
            if done:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("qcluster (forked)", timeout or 0)
            time.sleep(0.05)
        assert self.returncode is not None
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)


def fork_cluster(*, stdout: IO | None = None) -> ForkedProcess:
    """Fork the cluster from this (single-threaded) process and return its handle."""
    from django.db import connections

    connections.close_all()  # no connection of serve's is shared with the cluster
    sys.stdout.flush()
    sys.stderr.flush()
    gc.freeze()
    pid = os.fork()
    if pid == 0:  # pragma: no cover (runs in the child, which never returns)
        _child(stdout)
    return ForkedProcess(pid)


def _child(stdout: IO | None) -> None:  # pragma: no cover (the forked cluster)
    code = 0
    try:
        os.setsid()  # its own process group, as with start_new_session
        die_with_parent()
        if stdout is not None:
            os.dup2(stdout.fileno(), 1)
        name_process(PROCESS_NAME)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.register_at_fork(before=_freeze_before_fork)
        code = run_cluster()
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


class _PusherThread(threading.Thread):
    """django-q2's pusher as a thread of the sentinel; ``pid`` for the cluster's published status."""

    @property
    def pid(self) -> int:
        return os.getpid()


def lean_sentinel_class() -> type:
    """django-q2's ``Sentinel`` with its pusher in a thread instead of a process of its own.

    The pusher only takes messages from the broker and puts them on the workers' task queue: it
    needs no process, and a process is 6–10 MB of its own. The guard loop sees a thread the same way
    (``is_alive()``: started again when it died), and ``stop()`` waits for it as for the process.
    The monitor stays a process: ``stop()`` closes the result queue's reader in the sentinel's
    process, under a monitor thread that would still be reading it."""
    from django_q.cluster import Sentinel
    from django_q.pusher import pusher

    class LeanSentinel(Sentinel):  # django-q2 is untyped
        def spawn_pusher(self) -> threading.Thread:
            thread = _PusherThread(
                target=pusher, args=(self.task_queue, self.event_out, None), name="pusher", daemon=True
            )
            thread.start()
            return thread

    return LeanSentinel


def run_cluster() -> int:  # pragma: no cover (the forked cluster)
    """django-q2's sentinel in this very process: what ``manage.py qcluster`` runs in a child of its
    main process, whose only other work is passing SIGTERM or SIGINT on. Here the signal sets the
    sentinel's stop event itself; the sentinel then stops the pusher, lets each worker finish the
    task in hand, stops the monitor and returns. One process fewer than ``qcluster``."""
    from multiprocessing import Event

    stop_event, start_event = Event(), Event()
    sentinel = lean_sentinel_class()(stop_event, start_event, uuid.uuid4(), start=False)
    sentinel.parent_pid = os.getpid()  # the cluster's published pid: this process, not serve

    def stop(signum: int, frame: Any) -> None:
        # not set here: the guard loop may hold the event's lock when the signal arrives
        threading.Thread(target=stop_event.set, name="cluster-stop", daemon=True).start()

    signal.signal(signal.SIGTERM, stop)  # Sentinel() set SIGTERM to its default and ignores SIGINT
    signal.signal(signal.SIGINT, stop)
    sentinel.start()  # spawns the workers, monitor and pusher, guards them until stopped
    return 0
