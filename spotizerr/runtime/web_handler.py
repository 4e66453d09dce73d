"""Django's ASGI handler with the whole request in one worker thread, and one thread hop per request.

Django's own ASGI handler runs the middleware chain in async mode: every ``MiddlewareMixin`` hops into
a thread and back for ``process_request`` and again for ``process_response``, our sync middleware
hops back, and every request starts (and joins) a new thread of its own. Under load that thread
traffic cost about a quarter of the web process's CPU (``bench/api_load.py`` with py-spy), and a new
thread per request also meant a new database connection per request.

Here the middleware chain is loaded in sync mode, and each request runs it, view included, in one
call on a small fixed pool of threads. A slow view (a catalog page waiting on Spotify) still leaves
the other threads free; the pool's threads live on, so each keeps its SQLite connection (settings:
``CONN_MAX_AGE``) or hands its PostgreSQL one back to the pool after the request.

``handle`` is Django's, less what a sync chain does not need (``bench/peer_compare.py`` with py-spy):
``request_started`` and ``request_finished`` (which close old database connections) are sent in that
same thread instead of hopping to Django's one shared sync thread twice per request, and no task
listens for the client going away while the view runs (a sync view cannot be stopped anyway). URL
resolution is remembered per path (``_resolve``): walking the ``/api/`` includes that do not match
raised and collected a ``Resolver404`` each, 0.05-0.1 ms a request.
"""

from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor
from typing import IO, Any

from asgiref.sync import sync_to_async
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.http import FileResponse, HttpRequest, HttpResponseBase
from django.urls import ResolverMatch, get_resolver, set_script_prefix

MAX_CACHED_PATH = 200  # longer paths are resolved each time: the cache stays small whatever is sent


class PooledASGIHandler(ASGIHandler):
    """``get_asgi_application()``'s handler, running each request's sync work in ``threads`` threads."""

    def __init__(self, threads: int) -> None:
        super().__init__()
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="request")
        self._respond = sync_to_async(self._respond_in_thread, thread_sensitive=False, executor=self.executor)
        self._close = sync_to_async(_close_response, thread_sensitive=False, executor=self.executor)

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)  # one sync chain: no thread hop per middleware

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        await self.handle(scope, receive, send)  # no ThreadSensitiveContext: no new thread per request

    async def handle(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        try:
            response = await self._respond(scope, body_file)
            try:
                await self.send_response(response, send)
            finally:
                if response.streaming:  # its content was read while sending: close it only now
                    await self._close(response)
        finally:
            body_file.close()

    def _respond_in_thread(self, scope: dict[str, Any], body_file: IO[bytes]) -> HttpResponseBase:
        set_script_prefix(get_script_prefix(scope))
        # In this thread: its connections are the ones to close when broken or expired (pooled ones
        # are handed back by request_finished, sent by response.close()).
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, error_response = self.create_request(scope, body_file)
        if request is None:  # a request Django could not even build (a bad body size, say): its 400
            assert error_response is not None
            response: HttpResponseBase = error_response
        else:
            response = self._get_response_for(request)
        if not response.streaming:
            response.close()  # the body is in memory already; sends request_finished here
        return response

    def resolve_request(self, request: HttpRequest) -> ResolverMatch:
        if hasattr(request, "urlconf") or len(request.path_info) > MAX_CACHED_PATH:
            return super().resolve_request(request)
        remembered = _resolve(request.path_info)
        match = ResolverMatch.__new__(ResolverMatch)  # a copy each (it refuses copy.copy): views may
        match.__dict__.update(remembered.__dict__)  # change their kwargs
        match.kwargs = dict(remembered.kwargs)
        request.resolver_match = match
        return match

    def _get_response_for(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response._handler_class = self.__class__  # type: ignore[attr-defined]
        if isinstance(response, FileResponse):  # the ASGI server chunks: larger reads
            response.block_size = self.chunk_size
        return response


@functools.lru_cache(maxsize=4096)
def _resolve(path: str) -> ResolverMatch:
    """The default URLconf's match for ``path`` (it does not change while the process runs); a path
    that matches nothing raises ``Resolver404`` every time, uncached."""
    return get_resolver().resolve(path)


def _close_response(response: HttpResponseBase) -> None:
    response.close()
