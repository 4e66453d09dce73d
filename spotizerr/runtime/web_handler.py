"""Django's ASGI handler with the whole request in one worker thread.

Django's own ASGI handler runs the middleware chain in async mode: every ``MiddlewareMixin`` hops into
a thread and back for ``process_request`` and again for ``process_response``, our sync middleware
hops back, and every request starts (and joins) a new thread of its own. Under load that thread
traffic cost about a quarter of the web process's CPU (``bench/api_load.py`` with py-spy), and a new
thread per request also meant a new database connection per request.

Here the middleware chain is loaded in sync mode, and each request runs it, view included, in one
call on a small fixed pool of threads. A slow view (a catalog page waiting on Spotify) still leaves
the other threads free; the pool's threads live on, so each keeps its SQLite connection (settings:
``CONN_MAX_AGE``) or hands its PostgreSQL one back to the pool after the request.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.db import close_old_connections
from django.http import HttpRequest, HttpResponseBase


class PooledASGIHandler(ASGIHandler):
    """``get_asgi_application()``'s handler, running each request's sync work in ``threads`` threads."""

    def __init__(self, threads: int) -> None:
        super().__init__()
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="request")
        self._respond = sync_to_async(self._respond_in_thread, thread_sensitive=False, executor=self.executor)

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)  # one sync chain: no thread hop per middleware

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        await self.handle(scope, receive, send)  # no ThreadSensitiveContext: no new thread per request

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        return await self._respond(request)

    def _respond_in_thread(self, request: HttpRequest) -> HttpResponseBase:
        # request_started/finished (which close old connections) run on another thread here, so this
        # thread does it itself, before and after: broken or expired connections go, pooled ones return.
        close_old_connections()
        try:
            return self.get_response(request)
        finally:
            close_old_connections()
