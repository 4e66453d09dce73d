"""The web server: daphne in ``serve``'s own process, or several daphne processes on one port.

One Python process runs Python on one core at a time. With ``SPOTIZERR_WEB_PROCESSES`` above 1,
``serve`` loads Django and the ASGI application once, then forks that many web processes; each
listens on the same address with ``SO_REUSEPORT``, so the kernel spreads new connections across
them, and they share the pages loaded before the fork (each costs ~16 MB idle, not another copy of
Django). ``serve`` itself stays single-threaded: it restarts a web process that died, runs the
cluster's watchdog, and passes SIGINT or SIGTERM on.
"""

from __future__ import annotations

import gc
import logging
import os
import signal
import socket
import sys
import time
import traceback
from typing import Any

from django.db import connections

from spotizerr.runtime.watchdog import die_with_parent

logger = logging.getLogger("spotizerr.web")

RESTART_PAUSE_SECONDS = 1.0  # a web process that keeps dying is not restarted in a tight loop


def run_daphne(host: str, port: int, *, reuse_port: bool = False) -> None:
    """Daphne in this very process until SIGINT or SIGTERM stops it. ``reuse_port``: listen with
    SO_REUSEPORT beside the other web processes."""
    if reuse_port:
        _fresh_reactor()
    from daphne.access import AccessLogGenerator
    from daphne.endpoints import build_endpoint_description_strings
    from daphne.server import Server

    from spotizerr.asgi import application

    connections.close_all()  # migrate and bootstrap ran here; requests open their own
    endpoints = build_endpoint_description_strings(host=host, port=port)
    server = Server(
        application=application,
        endpoints=endpoints,
        action_logger=AccessLogGenerator(sys.stdout),
        verbosity=1,
    )
    if reuse_port:
        # daphne's endpoints are strings, and its "fd:" one cannot say AF_INET6: adopt our own
        # SO_REUSEPORT socket once daphne made its factory, instead of listening on the string.
        listener = _reuse_port_listener(host, port)
        server.endpoints = []
        server.ready_callable = lambda: _adopt(server, listener)
    server.run()


def _adopt(server: Any, listener: socket.socket) -> None:
    from twisted.internet import reactor

    reactor.adoptStreamPort(listener.fileno(), listener.family, server.http_factory)
    listener.close()  # the reactor holds its own duplicate


def _fresh_reactor() -> None:
    """A forked web process's own event loop and Twisted reactor. ``daphne.server``, imported in serve
    before the fork (``preload_application``), made one whose epoll instance and wake-up socket every
    process forked from serve would share; so uninstall it and import daphne.server again, as
    daphne's own test server does."""
    import asyncio

    from twisted.internet import asyncioreactor

    sys.modules.pop("twisted.internet.reactor", None)
    sys.modules.pop("daphne.server", None)
    loop = asyncio.new_event_loop()
    asyncioreactor.install(loop)
    asyncio.set_event_loop(loop)


def _bound_socket(host: str, port: int, *, reuse_port: bool) -> socket.socket:
    family, kind, proto, _, address = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)[0]
    bound = socket.socket(family, kind, proto)
    try:
        bound.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port:
            bound.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        bound.bind(address)
    except OSError:
        bound.close()
        raise
    return bound


def _port_is_free(host: str, port: int) -> None:
    """Raise OSError (EADDRINUSE) when something listens on ``host:port`` already, even with
    SO_REUSEPORT, which would otherwise let two services share the port unnoticed."""
    _bound_socket(host, port, reuse_port=False).close()


def _reuse_port_listener(host: str, port: int) -> socket.socket:
    listener = _bound_socket(host, port, reuse_port=True)
    listener.listen(1024)
    listener.setblocking(False)
    return listener


def preload_application() -> None:
    """Import daphne, the ASGI application and every view before forking, so the web processes share
    them (each then swaps in its own reactor, ``_fresh_reactor``)."""
    import daphne.server  # noqa: F401
    from django.urls import get_resolver

    import spotizerr.asgi  # noqa: F401

    get_resolver().url_patterns  # noqa: B018 (imports every app's views)
    gc.freeze()  # keep the shared objects out of the collector's sweeps, which would copy their pages


class WebProcesses:
    """``count`` forked daphne processes on ``host:port``; ``reap()`` restarts the ones that died."""

    def __init__(self, host: str, port: int, count: int) -> None:
        self.host, self.port, self.count = host, port, count
        self.pids: set[int] = set()
        self._next_restart = 0.0
        self._stopping = False

    def start(self) -> None:
        _port_is_free(self.host, self.port)  # a taken port fails here, in serve itself
        preload_application()
        for _ in range(self.count):
            self._fork()

    def _fork(self) -> None:
        connections.close_all()  # no connection of serve's is shared with a child
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # pragma: no cover (runs in the child, which never returns)
            self._child()
        self.pids.add(pid)

    def _child(self) -> None:
        code = 0
        try:
            die_with_parent()
            signal.signal(signal.SIGINT, signal.default_int_handler)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            run_daphne(self.host, self.port, reuse_port=True)
        except BaseException:
            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)

    def reap(self) -> None:
        """Collect web processes that ended and start new ones in their place."""
        for pid in list(self.pids):
            try:
                done, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done, status = pid, 0
            if done:
                self.pids.discard(pid)
                if not self._stopping:
                    logger.error("Web process %s ended (status %s); starting another", pid, status)
        while not self._stopping and len(self.pids) < self.count and time.monotonic() >= self._next_restart:
            self._next_restart = time.monotonic() + RESTART_PAUSE_SECONDS
            self._fork()

    def stop(self, *, timeout: float = 10.0) -> None:
        """SIGTERM to every web process (daphne closes its connections), SIGKILL after ``timeout``."""
        self._stopping = True
        self._signal_all(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while self.pids and time.monotonic() < deadline:
            self.reap()
            time.sleep(0.05)
        if self.pids:
            logger.error("Web processes %s did not stop in %s s; killing them", sorted(self.pids), timeout)
            self._signal_all(signal.SIGKILL)
            for pid in list(self.pids):
                os.waitpid(pid, 0)
            self.pids.clear()

    def _signal_all(self, signum: int) -> None:
        for pid in self.pids:
            try:
                os.kill(pid, signum)
            except ProcessLookupError:
                pass
