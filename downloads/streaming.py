"""``GET /api/prgs/stream``: download progress as Server-Sent Events, served through Channels.

Every frame is an unnamed ``data:`` frame (a default ``message`` event, so ``EventSource.onmessage``
receives it) whose JSON body has the original Spotizerr shape, ``{"change_type", "trigger_reason",
"tasks": [...], "task_counts", "total_tasks"}``, plus ``"event"``: the frame's kind. The first frame
is a ``snapshot`` (current tasks); then one ``task`` or ``deleted`` frame per event, each with the
event's ``id:``; a ``heartbeat`` frame (no id) every ``HEARTBEAT_SECONDS``. A client reconnecting
with ``Last-Event-ID`` gets every event it missed, or a fresh snapshot when too many were missed.

Events live in the database: workers run in other processes. One reader per process
(``stream_hub.EventHub``) reads the events table (an indexed "after the last position" query, settled
events only: ``downloads.event_order``, so an event committed late is never skipped) when its watch
(``stream_wake``) says a worker published: with ``REDIS_URL`` the publish itself, pushed through the
channel layer to the one member each process has in ``STREAM_GROUP``; on the embedded SQLite a look
at SQLite's change counter every ``CHANGE_CHECK_SECONDS``. It renders each event once per distinct
visibility and pushes the frames to every open stream; it also reads every ``SAFETY_POLL_SECONDS``
(``POLL_SECONDS`` with no watch: PostgreSQL without Redis). Every ``RECHECK_SECONDS`` the same reader
re-checks the credentials of every open stream at once (``accounts.selectors.stream_credentials_valid``)
and ends the streams whose user was deleted, deactivated, demoted or promoted, changed password or
logged out.

A new stream takes one trip to a database thread (``_open``: authenticate, then the snapshot or the
missed events) before joining the hub; the hub starts from the stream's last id, so a first stream
costs no further read.

What one connection holds is bounded: events are read in batches of at most ``BATCH``, a stream's
inbox holds at most ``INBOX_LIMIT`` frames, and a backlog beyond either becomes one snapshot;
wake-ups are merged into one flag, never queued. (Daphne itself buffers what a client does not read;
the stream never writes faster than the events arrive.)

Auth: a bearer token, the dashboard session, or ``?ticket=`` from ``POST /api/prgs/stream/ticket``.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import io
import json
import logging
import time
import weakref
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.http import AsyncHttpConsumer
from django.contrib import auth
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.asgi import ASGIRequest
from django.db import DatabaseError
from django.utils.functional import SimpleLazyObject
from rest_framework import exceptions
from rest_framework.request import Request

from accounts.authentication import SpotizerrAuthentication
from accounts.models import User
from accounts.selectors import StreamCredential, stream_credential, stream_credentials_valid
from downloads import event_order, services, stream_frames
from downloads.event_order import Position
from downloads.models import TaskEvent
from downloads.progress import STREAM_GROUP
from downloads.stream_hub import EventHub, Subscriber
from downloads.stream_wake import NO_CHANNEL_LAYER, watch_for_setup
from spotizerr.errors import error_body

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.3  # without a watch (PostgreSQL without Redis): how often the hub reads
SAFETY_POLL_SECONDS = 2.0  # with one (stream_wake): should a wake-up ever be lost
CHANGE_CHECK_SECONDS = 0.02  # embedded SQLite: how often its change counter is looked at
HUB_LINGER_SECONDS = 30.0  # the hub keeps running this long after the last stream left
RECHECK_SECONDS = 2.0  # how often the credentials of every open stream are checked again
HEARTBEAT_SECONDS = 15.0
BATCH = 200  # events read per poll; a longer backlog becomes a snapshot
INBOX_LIMIT = 1000  # frames waiting for one slow reader; more becomes a snapshot
REPLAY_LIMIT = 1000  # missed events replayed on reconnect; more becomes a snapshot
# Reads run in the thread pool, not on the one shared "sync" thread: many open streams poll at once.
_db = functools.partial(database_sync_to_async, thread_sensitive=False)


# ---------------------------------------------------------------------------------------------- sync reads
def _authenticate(scope: dict[str, Any]) -> tuple[User, StreamCredential] | None:
    """The user of a ticket in the query string, else of the bearer header or session, with what it
    authenticated with (re-checked while the stream is open); None when none."""
    ticket = (parse_qs(scope.get("query_string", b"").decode()).get("ticket") or [""])[0]
    if ticket:
        return services.stream_ticket_redeem(ticket=ticket)
    django_request = ASGIRequest(scope, io.BytesIO())
    session = scope.get("session")  # channels' SessionMiddlewareStack; read only if the session is used
    django_request.session = session  # type: ignore[assignment]
    django_request.user = SimpleLazyObject(  # type: ignore[assignment]
        lambda: auth.get_user(django_request) if session is not None else AnonymousUser()
    )
    try:
        result = SpotizerrAuthentication().authenticate(Request(django_request))
    except exceptions.AuthenticationFailed:
        return None
    if result is None or not result[0].is_authenticated or not result[0].is_active:
        return None
    user, token = result
    return user, stream_credential(user=user, token=token, session_key=getattr(session, "session_key", None))


def _open(
    scope: dict[str, Any], last_event_id: int | None
) -> tuple[User, StreamCredential, bytes, Position] | None:
    """Everything a new stream needs from the database, in one trip to a thread: who it is (None when
    nobody), what it authenticated with, its first frames and the position they reach."""
    found = _authenticate(scope)
    if found is None:
        return None
    user, credential = found
    frames, last = _first_frames(user, last_event_id)
    return user, credential, frames, last


def _first_frames(user: User, last_event_id: int | None) -> tuple[bytes, Position]:
    """The events after ``Last-Event-ID`` when there are not too many, else a snapshot."""
    after = None if last_event_id is None else event_order.resume_position(last_event_id)
    if after is not None and after <= event_order.latest_position():
        frames, last, overflow = stream_frames.catch_up(user, after, REPLAY_LIMIT)
        if not overflow:
            return frames or b": replayed\n\n", last
    return stream_frames.snapshot(user)


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, EventHub] = weakref.WeakKeyDictionary()


def _hub() -> EventHub:
    """This process's hub (one per event loop; daphne runs one loop)."""
    loop = asyncio.get_running_loop()
    if loop not in _hubs:
        watch = watch_for_setup(TaskEvent._meta.db_table, STREAM_GROUP, interval=CHANGE_CHECK_SECONDS)
        _hubs[loop] = EventHub(
            poll=stream_frames.poll,
            latest=event_order.latest_position,
            poll_seconds=POLL_SECONDS if watch is None else SAFETY_POLL_SECONDS,
            recheck=stream_credentials_valid,
            recheck_seconds=RECHECK_SECONDS,
            batch=BATCH,
            inbox_limit=INBOX_LIMIT,
            run_sync=_db,
            watch=watch,
            linger_seconds=HUB_LINGER_SECONDS,
        )
    return _hubs[loop]


# ---------------------------------------------------------------------------------------------- the consumer
class ProgressStreamConsumer(AsyncHttpConsumer):
    """One SSE connection. The pump runs as its own asyncio task so that a client's disconnect (an
    ``http.disconnect`` message) is handled at once: it cancels the pump, which leaves the hub, and
    frees the connection. A stream has no channel of its own: the hub listens for the process."""

    channel_layer_alias = NO_CHANNEL_LAYER
    user: User
    credential: StreamCredential
    pump: asyncio.Task | None = None
    last_frame: bytes = b""

    async def http_request(self, message: dict[str, Any]) -> None:
        if message.get("more_body"):
            return
        opened = await _db(_open)(self.scope, self._last_event_id())
        if opened is None:
            body = error_body("Authentication required.", code="not_authenticated")
            await self.send_response(
                401, json.dumps(body).encode(), headers=[(b"Content-Type", b"application/json")]
            )
            raise StopConsumer()
        self.user, self.credential, frames, last = opened
        await self.send_headers(
            headers=[
                (b"Content-Type", b"text/event-stream; charset=utf-8"),
                (b"Cache-Control", b"no-cache, no-transform"),
                (b"X-Accel-Buffering", b"no"),
            ]
        )
        await self._send(frames)
        self.pump = asyncio.ensure_future(self._pump(last))
        self.pump.add_done_callback(self._pump_ended)

    async def http_disconnect(self, message: dict[str, Any]) -> None:
        await self._stop()
        if self.pump is not None:
            logger.info("Progress stream of %s closed by the client", self.user.username)
        raise StopConsumer()

    async def _stop(self) -> None:
        if self.pump is not None and not self.pump.done():
            self.pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.pump

    def _pump_ended(self, task: asyncio.Task) -> None:
        if not task.cancelled() and task.exception() is not None:
            logger.error("Progress stream stopped", exc_info=task.exception())

    def _last_event_id(self) -> int | None:
        headers = dict(self.scope.get("headers") or [])
        raw = headers.get(b"last-event-id", b"").decode("latin-1").strip()
        query = parse_qs(self.scope.get("query_string", b"").decode()).get("last_event_id") or [""]
        raw = raw or query[0]
        return int(raw) if raw.isdigit() else None

    async def _pump(self, last: Position) -> None:
        try:
            await self._pump_events(last)
        except DatabaseError:  # the client reconnects with Last-Event-ID and misses nothing
            logger.warning("Progress stream ended: the database is unavailable", exc_info=True)
            await self.send_body(b"", more_body=False)

    async def _pump_events(self, last: Position) -> None:
        """Join the hub after the first frames (up to ``last``); read what the hub got past them
        before this stream joined, then relay."""
        hub = _hub()
        subscriber, cursor = await hub.subscribe(self.user, self.credential, since=last)
        try:
            if cursor > last:
                frames, last, overflow = await _db(stream_frames.catch_up)(self.user, last, REPLAY_LIMIT)
                if overflow:
                    frames, last = await _db(stream_frames.snapshot)(self.user)
                if frames:
                    await self._send(frames)
            await self._relay(subscriber, last)
        finally:
            hub.unsubscribe(subscriber)

    async def _relay(self, subscriber: Subscriber, last: Position) -> None:
        """Send what the hub hands over, newer than ``last``; a snapshot on overflow; heartbeats. End
        the stream when the hub finds its credentials no longer valid."""
        loop = asyncio.get_running_loop()
        next_beat = time.monotonic() + HEARTBEAT_SECONDS
        while True:
            # a timer, not wait_for (which wraps every wait in a task of its own: 200 per event)
            beat = loop.call_later(max(0.0, next_beat - time.monotonic()), subscriber.ready.set)
            try:
                await subscriber.ready.wait()
            finally:
                beat.cancel()
            if subscriber.revoked:
                await self._end_revoked()
                return
            overflowed, frames = subscriber.take()
            if overflowed:
                snapshot, last = await _db(stream_frames.snapshot)(self.user)
                await self._send(snapshot)
            fresh = [(position, frame) for position, frame in frames if position > last]
            if fresh:
                await self._send(b"".join(frame for _, frame in fresh))
                last = fresh[-1][0]
            if time.monotonic() >= next_beat:
                await self.send_body(stream_frames.heartbeat(self.last_frame), more_body=True)
                next_beat = time.monotonic() + HEARTBEAT_SECONDS

    async def _send(self, frames: bytes) -> None:
        await self.send_body(frames, more_body=True)
        if b"data: " in frames:  # not a comment: the heartbeat repeats its counts
            self.last_frame = frames

    async def _end_revoked(self) -> None:
        logger.info("Progress stream of %s ended: its credentials are no longer valid", self.user.username)
        error = "Your session ended or your access changed; log in again."
        await self.send_body(
            stream_frames.frame(stream_frames.frame_body("revoked", None, error=error)), more_body=False
        )
