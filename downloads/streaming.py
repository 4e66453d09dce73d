"""``GET /api/prgs/stream``: download progress as Server-Sent Events, served through Channels.

The first frame is a snapshot (current tasks and ``task_counts``); then one ``task`` frame per event,
each with the event's id, and a comment line every ``HEARTBEAT_SECONDS``. A client reconnecting with
``Last-Event-ID`` gets every event it missed, or a fresh snapshot when too many were missed.

Events live in the database: workers run in other processes and cannot reach this one in the
embedded setup. One poller per process (``stream_hub.EventHub``) reads the events table every
``POLL_SECONDS`` (an indexed ``id > last`` query), renders each event once per distinct visibility
and hands the frames to every open stream. With ``REDIS_URL`` a worker's publish also wakes the
poller at once through the channel layer.

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
from collections.abc import Hashable
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.http import AsyncHttpConsumer
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.db import DatabaseError
from rest_framework import exceptions
from rest_framework.request import Request

from accounts.authentication import SpotizerrAuthentication
from accounts.models import User
from downloads import selectors, services
from downloads.models import TaskEvent
from downloads.progress import STREAM_GROUP
from downloads.stream_hub import EventHub, Frame, Subscriber, visible_events
from spotizerr.errors import error_body

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.3
HEARTBEAT_SECONDS = 15.0
BATCH = 200  # events read per poll; a longer backlog becomes a snapshot
INBOX_LIMIT = 1000  # frames waiting for one slow reader; more becomes a snapshot
REPLAY_LIMIT = 1000  # missed events replayed on reconnect; more becomes a snapshot
SNAPSHOT_FINISHED = 20  # finished tasks included in a snapshot, newest first
# Reads run in the thread pool, not on the one shared "sync" thread: many open streams poll at once.
_db = functools.partial(database_sync_to_async, thread_sensitive=False)


def _frame(event: str, data: Any, event_id: int | None = None) -> bytes:
    lines = [f"event: {event}"]
    if event_id is not None:
        lines.append(f"id: {event_id}")
    lines.append("data: " + json.dumps(data, separators=(",", ":"), default=str))
    return ("\n".join(lines) + "\n\n").encode()


# ---------------------------------------------------------------------------------------------- sync reads
def _authenticate(scope: dict[str, Any]) -> User | None:
    """The user of a ticket in the query string, else of the bearer header or session; None when none."""
    ticket = (parse_qs(scope.get("query_string", b"").decode()).get("ticket") or [""])[0]
    if ticket:
        return services.stream_ticket_redeem(ticket=ticket)
    django_request = ASGIRequest(scope, io.BytesIO())
    django_request.user = scope.get("user")  # type: ignore[assignment]  # from the session (channels' AuthMiddlewareStack)
    try:
        result = SpotizerrAuthentication().authenticate(Request(django_request))
    except exceptions.AuthenticationFailed:
        return None
    if result is None or not result[0].is_authenticated or not result[0].is_active:
        return None
    return result[0]


def _snapshot(user: User) -> tuple[bytes, int]:
    latest = selectors.latest_event_id()
    body = selectors.tasks_updates(user=user, since=None, page=1, limit=SNAPSHOT_FINISHED, active_only=False)
    data = {
        "tasks": body["tasks"],
        "task_counts": body["task_counts"],
        "timestamp": body["current_timestamp"],
    }
    return _frame("snapshot", data, latest), latest


def _event_frames(user: User, events: list[TaskEvent]) -> list[Frame]:
    ids = {event.task_id for event in events if event.task_id}
    annotated = selectors.tasks_annotated(selectors.tasks_visible_to(user).filter(pk__in=ids))
    documents = {doc["task_id"]: doc for doc in selectors.tasks_progress(annotated)}
    counts = selectors.task_counts(selectors.tasks_visible_to(user))
    frames = []
    for event in events:
        task_id = str(event.task_uuid)
        if event.kind == TaskEvent.Kind.DELETED or task_id not in documents:
            frames.append(
                (event.pk, _frame("deleted", {"task_id": task_id, "task_counts": counts}, event.pk))
            )
            continue
        last_line = {**event.payload, "event_id": event.pk}
        frames.append(
            (
                event.pk,
                _frame(
                    "task",
                    {
                        "task_id": task_id,
                        "event_id": event.pk,
                        "task": documents[task_id],
                        "last_line": last_line,
                        "task_counts": counts,
                    },
                    event.pk,
                ),
            )
        )
    return frames


def _catch_up(user: User, after: int, limit: int) -> tuple[bytes, int, bool]:
    """Frames for events after ``after`` (at most ``limit``), the new last id, and whether more
    were waiting than ``limit`` (then the caller sends a snapshot instead)."""
    events = selectors.events_after(user=user, after_id=after, limit=limit + 1)
    if len(events) > limit:
        return b"", after, True
    if not events:
        return b"", after, False
    return b"".join(frame for _, frame in _event_frames(user, events)), events[-1].pk, False


def _poll(
    cursor: int, batch: int, groups: dict[Hashable, User]
) -> tuple[int, bool, dict[Hashable, list[Frame]]]:
    """The hub's one read per tick: events after ``cursor`` (at most ``batch``; more is an overflow,
    answered with the latest id) and their frames rendered once per visibility in ``groups``."""
    # Every user's events at once, so not ``selectors.events_after``; each group is filtered below
    # by ``visible_events``, the same rule.
    events = list(TaskEvent.objects.filter(id__gt=cursor).order_by("id")[: batch + 1])
    if len(events) > batch:
        return selectors.latest_event_id(), True, {}
    frames: dict[Hashable, list[Frame]] = {}
    for key, user in groups.items():
        visible = visible_events(user, events)
        frames[key] = _event_frames(user, visible) if visible else []
    return (events[-1].pk if events else cursor), False, frames


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, EventHub] = weakref.WeakKeyDictionary()


def _hub() -> EventHub:
    """This process's hub (one per event loop; daphne runs one loop)."""
    loop = asyncio.get_running_loop()
    if loop not in _hubs:
        _hubs[loop] = EventHub(
            poll=_poll,
            latest=selectors.latest_event_id,
            poll_seconds=POLL_SECONDS,
            batch=BATCH,
            inbox_limit=INBOX_LIMIT,
            run_sync=_db,
        )
    return _hubs[loop]


# ---------------------------------------------------------------------------------------------- the consumer
class ProgressStreamConsumer(AsyncHttpConsumer):
    """One SSE connection. The pump runs as its own asyncio task so that a client's disconnect (an
    ``http.disconnect`` message) is handled at once: it cancels the pump, which leaves the hub, and
    frees the connection."""

    user: User
    pump: asyncio.Task | None = None

    async def http_request(self, message: dict[str, Any]) -> None:
        if message.get("more_body"):
            return
        user = await _db(_authenticate)(self.scope)
        if user is None:
            body = error_body("Authentication required.", code="not_authenticated")
            await self.send_response(
                401, json.dumps(body).encode(), headers=[(b"Content-Type", b"application/json")]
            )
            raise StopConsumer()
        self.user = user
        await self.send_headers(
            headers=[
                (b"Content-Type", b"text/event-stream; charset=utf-8"),
                (b"Cache-Control", b"no-cache, no-transform"),
                (b"X-Accel-Buffering", b"no"),
            ]
        )
        if self.channel_layer is not None and settings.REDIS_URL:
            await self.channel_layer.group_add(STREAM_GROUP, self.channel_name)
        self.pump = asyncio.ensure_future(self._pump())
        self.pump.add_done_callback(self._pump_ended)

    async def progress_wake(self, message: dict[str, Any]) -> None:
        """A worker published an event (channel layer, with Redis): look now instead of at the next poll."""
        _hub().wake()

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
        if self.channel_layer is not None and settings.REDIS_URL:
            await self.channel_layer.group_discard(STREAM_GROUP, self.channel_name)

    def _pump_ended(self, task: asyncio.Task) -> None:
        if not task.cancelled() and task.exception() is not None:
            logger.error("Progress stream stopped", exc_info=task.exception())

    def _last_event_id(self) -> int | None:
        headers = dict(self.scope.get("headers") or [])
        raw = headers.get(b"last-event-id", b"").decode("latin-1").strip()
        query = parse_qs(self.scope.get("query_string", b"").decode()).get("last_event_id") or [""]
        raw = raw or query[0]
        return int(raw) if raw.isdigit() else None

    async def _first_frames(self) -> int:
        last = self._last_event_id()
        if last is not None and last <= await _db(selectors.latest_event_id)():
            frames, new_last, overflow = await _db(_catch_up)(self.user, last, REPLAY_LIMIT)
            if not overflow:
                await self.send_body(frames or b": replayed\n\n", more_body=True)
                return new_last
        frame, latest = await _db(_snapshot)(self.user)
        await self.send_body(frame, more_body=True)
        return latest

    async def _pump(self) -> None:
        try:
            await self._pump_events()
        except DatabaseError:  # the client reconnects with Last-Event-ID and misses nothing
            logger.warning("Progress stream ended: the database is unavailable", exc_info=True)
            await self.send_body(b"", more_body=False)

    async def _pump_events(self) -> None:
        hub = _hub()
        subscriber = await hub.subscribe(self.user)  # before the first frames: nothing falls between
        try:
            await self._relay(subscriber, await self._first_frames())
        finally:
            hub.unsubscribe(subscriber)

    async def _relay(self, subscriber: Subscriber, last: int) -> None:
        """Send what the hub hands over, newer than ``last``; a snapshot on overflow; heartbeats."""
        next_beat = time.monotonic() + HEARTBEAT_SECONDS
        while True:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(
                    subscriber.ready.wait(), timeout=max(0.0, next_beat - time.monotonic())
                )
            overflowed, frames = subscriber.take()
            if overflowed:
                snapshot, last = await _db(_snapshot)(self.user)
                await self.send_body(snapshot, more_body=True)
            fresh = [(event_id, frame) for event_id, frame in frames if event_id > last]
            if fresh:
                await self.send_body(b"".join(frame for _, frame in fresh), more_body=True)
                last = fresh[-1][0]
            if time.monotonic() >= next_beat:
                await self.send_body(b": heartbeat\n\n", more_body=True)
                next_beat = time.monotonic() + HEARTBEAT_SECONDS
