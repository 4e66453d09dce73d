"""One contract test per third-party internal the process runtime relies on (``spotizerr/runtime``).

Each fails here, in a second, when an upgrade moves the internal, instead of hanging a forked web
process or leaving a worker without its reaper.
"""

from __future__ import annotations

import asyncio
import inspect
import multiprocessing
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest


def test_asgiref_runs_thread_sensitive_work_on_the_executor_fork_safety_replaces() -> None:
    """fork_safety swaps ``SyncToAsync.single_thread_executor``; asgiref must still use that attribute
    for thread-sensitive work outside a request context (what a forked web process does)."""
    from asgiref.sync import SyncToAsync, sync_to_async

    from spotizerr.runtime.fork_safety import forget_inherited_executor

    before = SyncToAsync.single_thread_executor
    try:
        forget_inherited_executor()
        fresh = SyncToAsync.single_thread_executor
        assert fresh is not before and isinstance(fresh, ThreadPoolExecutor)
        ran_on = asyncio.run(sync_to_async(threading.current_thread, thread_sensitive=True)())
        assert ran_on in fresh._threads  # the replacement, not a thread of its own
    finally:
        SyncToAsync.single_thread_executor = before


@pytest.mark.django_db(transaction=True)
def test_djangos_asgi_handler_answers_through_the_pooled_handlers_overrides() -> None:
    """web_handler overrides ``load_middleware(is_async)``, ``handle`` and ``resolve_request`` of
    Django's ``ASGIHandler`` and calls its ``read_body``, ``create_request(scope, body_file)`` and
    ``send_response``: a request must reach the view through them, on the pool's threads."""
    from django.core.handlers.asgi import ASGIHandler

    from spotizerr.runtime.web_handler import PooledASGIHandler

    assert "is_async" in inspect.signature(ASGIHandler.load_middleware).parameters
    assert list(inspect.signature(ASGIHandler.create_request).parameters) == ["self", "scope", "body_file"]
    assert list(inspect.signature(ASGIHandler.resolve_request).parameters) == ["self", "request"]
    seen: list[str] = []

    class Watched(PooledASGIHandler):
        def _respond_in_thread(self, scope: dict[str, Any], body_file: Any) -> Any:
            seen.append(threading.current_thread().name)
            return super()._respond_in_thread(scope, body_file)

    handler = Watched(threads=2)
    sent: list[dict[str, Any]] = []

    pending = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> dict[str, Any]:
        if pending:
            return pending.pop()
        await asyncio.Event().wait()  # no disconnect: Django cancels this once it has answered
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/api/auth/status",
        "raw_path": b"/api/auth/status",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }
    asyncio.run(handler(scope, receive, send))
    handler.executor.shutdown()
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 200
    assert seen and seen[0].startswith("request")


def test_django_q2_workers_send_post_spawn_and_publish_cluster_status() -> None:
    """upkeep starts the reaper from ``post_spawn`` (sent by each worker with ``proc_name``);
    ``spotizerr.lib.cluster`` reads ``Stat.get``/``get_all`` and their ``sentinel``, ``host``,
    ``status`` against ``Conf.STOPPING``."""
    from django_q.conf import Conf
    from django_q.signals import post_spawn
    from django_q.status import Stat, Status
    from django_q.worker import worker

    received: list[str] = []

    def receiver(sender: Any = None, proc_name: str = "", **kwargs: Any) -> None:
        received.append(proc_name)

    post_spawn.connect(receiver, dispatch_uid="contract-test")
    try:
        tasks: Any = multiprocessing.Queue()
        tasks.put("STOP")
        worker(tasks, multiprocessing.Queue(), multiprocessing.Value("f", -1))
    finally:
        post_spawn.disconnect(dispatch_uid="contract-test")
    assert received == [multiprocessing.current_process().name]
    status = Status(pid=1, cluster_id="c")
    assert {"sentinel", "host", "status", "cluster_id"} <= set(vars(status))
    assert list(inspect.signature(Stat.get).parameters)[:2] == ["pid", "cluster_id"]
    assert callable(Stat.get_all) and Conf.STOPPING


def test_djangos_postgresql_backend_keeps_its_pools_where_dbpool_forgets_them() -> None:
    """dbpool clears ``DatabaseWrapper._connection_pools`` in a forked child."""
    from django.db.backends.postgresql.base import DatabaseWrapper

    assert isinstance(DatabaseWrapper._connection_pools, dict)  # type: ignore[attr-defined]
    assert "_connection_pools" in inspect.getsource(DatabaseWrapper.pool.fget)  # type: ignore[attr-defined]


def test_daphne_server_lets_web_processes_adopt_a_socket() -> None:
    """web_processes builds daphne's ``Server``, empties ``endpoints``, sets ``ready_callable`` and
    hands ``http_factory`` to the reactor's ``adoptStreamPort``; ``_fresh_reactor`` installs
    Twisted's asyncio reactor."""
    from daphne.server import Server
    from twisted.internet import asyncioreactor

    parameters = inspect.signature(Server.__init__).parameters
    assert {"application", "endpoints", "action_logger", "verbosity", "ready_callable"} <= set(parameters)
    run = inspect.getsource(Server.run)
    assert "self.http_factory" in run and "self.endpoints" in run and "ready_callable" in run
    assert callable(asyncioreactor.install)
    from twisted.internet.interfaces import IReactorSocket

    assert "adoptStreamPort" in IReactorSocket.names()


@pytest.mark.django_db(transaction=True)
def test_django_q2_sentinel_runs_in_the_forked_cluster_with_its_pusher_in_a_thread() -> None:
    """forked_cluster builds django-q2's ``Sentinel(stop_event, start_event, cluster_id, start=False)``
    and calls ``start()`` itself; its pusher is a thread (``spawn_pusher``), which the guard loop, the
    stop and the published status treat through ``is_alive()`` and ``pid``."""
    import signal

    from django_q.cluster import Sentinel
    from django_q.status import Stat

    from spotizerr.runtime.forked_cluster import lean_sentinel_class

    assert list(inspect.signature(Sentinel).parameters)[:3] == ["stop_event", "start_event", "cluster_id"]
    assert "start" in inspect.signature(Sentinel).parameters
    for method, uses in (
        (Sentinel.spawn_cluster, "self.spawn_pusher()"),
        (Sentinel.reincarnate, "self.spawn_pusher()"),
        (Sentinel.guard, "self.pusher.is_alive()"),
        (Sentinel.stop, "self.pusher.is_alive()"),
        (Stat.__init__, "sentinel.pusher.pid"),
    ):
        assert uses in inspect.getsource(method), (method, uses)
    handlers = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    try:
        sentinel = lean_sentinel_class()(
            multiprocessing.Event(), multiprocessing.Event(), "contract", start=False
        )
    finally:
        signal.signal(signal.SIGINT, handlers[0])  # Sentinel() ignores SIGINT, resets SIGTERM
        signal.signal(signal.SIGTERM, handlers[1])
    sentinel.event_out.set()  # the pusher looks at the broker once, then stops
    pusher = sentinel.spawn_pusher()
    pusher.join(timeout=30)
    assert isinstance(pusher, threading.Thread) and not pusher.is_alive()
    assert pusher.pid == os.getpid()
