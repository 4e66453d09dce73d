"""One events reader per process, shared by every open progress stream.

Each stream used to poll the events table and render its own frames, so N streams cost N queries per
poll and N renders per event. The hub reads new events once (after its cursor, at most ``batch`` per
read), renders the frames once per distinct visibility (every admin sees the same; each other user
sees their own tasks) and appends them to each stream's bounded inbox. It runs as one asyncio task,
started with the first stream and cancelled ``linger_seconds`` after the last one left (a client
reconnecting, or the next page's stream, finds it running).

Its cursor is a position (``downloads.event_order``: the id on SQLite, ``(xid, id)`` on PostgreSQL),
and a read hands out only settled events, so none can appear behind the cursor later. When a read
saw committed events still waiting for older transactions to end, the hub reads again after
``settle_seconds`` (doubling up to ``poll_seconds``).

It reads when its ``watch`` (``stream_wake``: SQLite's change counter on the embedded database) says
new events may be waiting, and otherwise every ``poll_seconds``: the only way without a watch, a
safety net with one. With Redis the publishing process renders the event's two frames (as admins see
it, as its owner sees it) and pushes them through the channel layer: when the pushed event's position
is known to be the one right after the cursor (SQLite, where ids commit in order), the hub hands them
out without reading anything; otherwise (PostgreSQL, a gap, a lost message) it reads the table.

A burst longer than ``batch``, or an inbox past ``inbox_limit`` frames (a client that stopped
reading), becomes an overflow flag: that stream sends one fresh snapshot instead of the backlog.

Every ``recheck_seconds`` the hub also checks the credentials of every open stream in one batch
(``recheck``: a few queries per process, not per stream) and flags the streams whose credentials are
no longer valid (user deleted, deactivated, demoted, password changed, logged out): they end.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError

from accounts.models import User
from accounts.selectors import StreamCredential
from downloads.event_order import Position
from downloads.models import TaskEvent

logger = logging.getLogger(__name__)

Frame = tuple[Position, bytes]  # (the event's position, its rendered SSE frame)
# (cursor, batch, {visibility: a user with it}, {event id: its pushed message}) ->
#     (new cursor, overflowed, {visibility: frames}, whether committed events wait for older ones)
Poll = Callable[
    [Position, int, dict[Hashable, User], Mapping[int, dict[str, Any]]],
    tuple[Position, bool, dict[Hashable, list[Frame]], bool],
]
# the credentials of the open streams -> those still valid
Recheck = Callable[[set[StreamCredential]], set[StreamCredential]]
# what a watch hands the hub: nothing (new events may be waiting), or one event pushed through the
# channel layer: {"event_id", "owner_id", "frames": {"all": frame, "owner": frame}, "position"}
# ("position": [xid, id] when the publisher knows it follows from the id alone, else None)
Pushed = dict[str, Any] | None
# runs while the hub runs, calling its argument when new events may be waiting (see stream_wake)
Watch = Callable[[Callable[[Pushed], None]], Awaitable[None]]


def visibility(user: User) -> Hashable:
    """Streams with equal visibility get the very same frames (see ``selectors.tasks_visible_to``)."""
    return "all" if user.is_admin else ("owner", user.pk)


def pushed_frame(pushed: Mapping[str, Any], key: Hashable) -> bytes | None:
    """The frame a pushed message carries for visibility ``key``; None when it carries none."""
    frames = pushed.get("frames") or {}
    if key == "all":
        return frames.get("all")
    return frames.get("owner") if key == ("owner", pushed.get("owner_id")) else None


def visible_events(user: User, events: Sequence[TaskEvent]) -> list[TaskEvent]:
    """The events ``user`` may see: the same rule as ``selectors.events_after``."""
    return list(events) if user.is_admin else [event for event in events if event.owner_id == user.pk]


@dataclass(eq=False)
class Subscriber:
    """One stream's inbox: frames waiting to be sent, and whether it must send a snapshot instead."""

    user: User
    inbox_limit: int
    credential: StreamCredential | None = None
    frames: deque[Frame] = field(default_factory=deque)
    overflowed: bool = False
    revoked: bool = False
    ready: asyncio.Event = field(default_factory=asyncio.Event)

    def revoke(self) -> None:
        """Its credentials are no longer valid: the stream ends instead of sending more."""
        self.frames.clear()
        self.revoked = True
        self.ready.set()

    def deliver(self, frames: list[Frame]) -> None:
        if len(self.frames) + len(frames) > self.inbox_limit:
            self.overflow()
            return
        self.frames.extend(frames)
        self.ready.set()

    def overflow(self) -> None:
        self.frames.clear()
        self.overflowed = True
        self.ready.set()

    def take(self) -> tuple[bool, list[Frame]]:
        """Whether a snapshot is due, and the frames queued since the last take."""
        overflowed, frames = self.overflowed, list(self.frames)
        self.frames.clear()
        self.overflowed = False
        self.ready.clear()
        return overflowed, frames


class EventHub:
    """The per-process reader. A stream reads its first frames (up to event ``since``), then
    subscribes: the hub hands it every event after its cursor at that moment, and the stream drops
    the frames its first frames already covered; should the cursor already be past ``since``, the
    stream reads the events in between itself (``subscribe`` returns the cursor)."""

    def __init__(
        self,
        *,
        poll: Poll,
        latest: Callable[[], Any],
        poll_seconds: float,
        batch: int,
        inbox_limit: int,
        run_sync: Callable[[Callable[..., Any]], Callable[..., Any]],
        recheck: Recheck | None = None,
        recheck_seconds: float = 2.0,
        watch: Watch | None = None,
        linger_seconds: float = 0.0,
        settle_seconds: float = 0.02,
    ) -> None:
        self.linger_seconds = linger_seconds  # a stream coming back soon finds the hub running
        self._poll, self._latest, self._run_sync, self._watch = poll, latest, run_sync, watch
        self.poll_seconds, self.batch, self.inbox_limit = poll_seconds, batch, inbox_limit
        self.settle_seconds = settle_seconds
        self._settle_delay = 0.0  # > 0 while committed events wait for older transactions
        self._pushed: dict[int, dict[str, Any]] = {}  # event id -> its message, for the next read
        self._recheck, self.recheck_seconds = recheck, recheck_seconds
        self._next_recheck = 0.0
        self.subscribers: set[Subscriber] = set()
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self._task: asyncio.Task | None = None
        self._stopping: asyncio.TimerHandle | None = None
        self._cursor: Position = (0, 0)
        self._failing = False

    async def subscribe(
        self, user: User, credential: StreamCredential | None = None, *, since: Position | None = None
    ) -> tuple[Subscriber, Position]:
        """A new inbox, and the cursor it starts from. The first stream starts the hub at ``since``
        (no read); without ``since``, at the latest event."""
        subscriber = Subscriber(user=user, inbox_limit=self.inbox_limit, credential=credential)
        async with self._lock:
            if self._task is None:
                self._cursor = since if since is not None else await self._run_sync(self._latest)()
                self._task = asyncio.ensure_future(self._run())
            elif not self.subscribers and since is not None:
                # lingering, nobody needed the events up to ``since``; a cursor already past it stays
                # (a read may be under way): the stream then catches up itself
                self._cursor = max(self._cursor, since)
            if self._stopping is not None:
                self._stopping.cancel()
                self._stopping = None
            self.subscribers.add(subscriber)
            return subscriber, self._cursor

    def unsubscribe(self, subscriber: Subscriber) -> None:
        """The last stream to leave stops the hub ``linger_seconds`` later, unless another came."""
        self.subscribers.discard(subscriber)
        if self.subscribers or self._task is None or self._stopping is not None:
            return
        if self.linger_seconds > 0:
            self._stopping = asyncio.get_running_loop().call_later(self.linger_seconds, self._stop)
        else:
            self._stop()

    def _stop(self) -> None:
        self._stopping = None
        if not self.subscribers and self._task is not None:
            self._task.cancel()
            self._task = None

    def wake(self) -> None:
        """New events may be waiting (the watch saw a publish): read now instead of at the next tick."""
        self._wake.set()

    def notice(self, pushed: Pushed = None) -> None:
        """What the watch saw: hand out a pushed event known to follow the cursor; else read, with
        the pushed frames kept for that read (it then renders nothing for that event)."""
        try:
            event_id, frames = int(pushed["event_id"]), dict(pushed["frames"])  # type: ignore[index]
            position = None if pushed.get("position") is None else tuple(pushed["position"])  # type: ignore[union-attr, index]
        except (KeyError, TypeError, ValueError):
            self.wake()
            return
        if position is not None and position <= self._cursor:
            return  # already read from the table
        if position != (self._cursor[0], self._cursor[1] + 1) or not frames.get("all"):
            # a gap (the events in between are read first), or no position: on PostgreSQL only a
            # read knows whether an older transaction may still commit an event before this one
            self._pushed[event_id] = pushed  # type: ignore[assignment]
            while len(self._pushed) > self.batch:
                del self._pushed[next(iter(self._pushed))]
            self.wake()
            return
        for subscriber in list(self.subscribers):
            frame = pushed_frame(pushed, visibility(subscriber.user))  # type: ignore[arg-type]
            if frame:
                subscriber.deliver([(position, frame)])
        self._cursor = position

    async def _run(self) -> None:
        watching = asyncio.ensure_future(self._watching()) if self._watch is not None else None
        try:
            await self._serve()
        finally:
            if watching is not None:
                watching.cancel()

    async def _watching(self) -> None:
        assert self._watch is not None
        try:
            await self._watch(self.notice)
        except Exception:  # the safety poll still delivers, only later
            logger.exception("Progress streams stopped watching for new events; polling instead")

    def _tick_seconds(self) -> float:
        """Until the next read without a wake-up: the safety poll, or sooner the credentials check or
        another look at events waiting for older transactions."""
        until = min(self.poll_seconds, self._settle_delay or self.poll_seconds)
        if self._recheck is None:
            return until
        return max(0.0, min(until, self._next_recheck - time.monotonic()))

    async def _serve(self) -> None:
        while True:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._tick_seconds())
            self._wake.clear()
            try:
                await self._poll_once()
                await self._recheck_due()
            except DatabaseError:  # the cursor did not move: the next poll delivers what this one missed
                if not self._failing:
                    logger.warning(
                        "Progress streams cannot read events: the database is unavailable", exc_info=True
                    )
                self._failing = True

    async def _recheck_due(self) -> None:
        """Every ``recheck_seconds``: end the streams whose credentials are no longer valid."""
        now = time.monotonic()
        if self._recheck is None or now < self._next_recheck:
            return
        self._next_recheck = now + self.recheck_seconds
        streams = [s for s in self.subscribers if s.credential is not None and not s.revoked]
        if not streams:
            return
        valid = await self._run_sync(self._recheck)({s.credential for s in streams})
        for subscriber in streams:
            if subscriber.credential not in valid:
                subscriber.revoke()

    async def _poll_once(self) -> None:
        groups: dict[Hashable, User] = {}
        for subscriber in self.subscribers:
            groups.setdefault(visibility(subscriber.user), subscriber.user)
        if not groups:
            return
        before, pushed = self._cursor, dict(self._pushed)
        cursor, overflowed, frames, waiting = await self._run_sync(self._poll)(
            before, self.batch, groups, pushed
        )
        if not waiting:  # every pushed event it was given is read now (or was before)
            for event_id in pushed:
                self._pushed.pop(event_id, None)
        # max: events pushed meanwhile (notice) may have moved the cursor past this read; a stream
        # that gets an event twice sends it once (it drops positions it already sent)
        self._cursor, self._failing = max(self._cursor, cursor), False
        self._settle_delay = (
            min(max(self.settle_seconds, 2 * self._settle_delay), self.poll_seconds) if waiting else 0.0
        )
        for subscriber in list(self.subscribers):
            rendered = frames.get(visibility(subscriber.user))
            if overflowed or (rendered is None and cursor > before):
                subscriber.overflow()  # too many events, or it joined a visibility this poll did not render
            elif rendered:
                subscriber.deliver(rendered)
