"""The per-process events poller shared by progress streams, driven with a fake read (no database)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Hashable
from types import SimpleNamespace
from typing import Any

from downloads.event_order import Position
from downloads.stream_hub import EventHub, Subscriber


def _run(coroutine: Any) -> Any:
    """asyncio.run in a fresh thread, whatever loop the test runner's thread may hold."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=30)


def user(pk: int, *, admin: bool = False) -> Any:
    return SimpleNamespace(pk=pk, is_admin=admin)


def run_inline(function: Callable[..., Any]) -> Callable[..., Any]:
    async def call(*args: Any) -> Any:
        return function(*args)

    return call


class FakeEvents:
    """Answers the hub's reads: one frame per visibility per poll, and counts the calls."""

    def __init__(self) -> None:
        self.polls: list[dict[Hashable, Any]] = []
        self.pushed: list[dict[int, Any]] = []  # what each read was handed
        self.cursor = (0, 10)

    def poll(
        self, cursor: Position, batch: int, groups: dict[Hashable, Any], pushed: dict[int, Any]
    ) -> tuple[Position, bool, dict[Hashable, Any], bool]:
        self.polls.append(groups)
        self.pushed.append(pushed)
        self.cursor = (0, self.cursor[1] + 1)
        return self.cursor, False, {key: [(self.cursor, f"{key}".encode())] for key in groups}, False


def hub_with(events: FakeEvents, *, inbox_limit: int = 10) -> EventHub:
    return EventHub(
        poll=events.poll,
        latest=lambda: events.cursor,
        poll_seconds=0.01,
        batch=5,
        inbox_limit=inbox_limit,
        run_sync=run_inline,
    )


def test_a_reader_past_its_inbox_limit_gets_an_overflow_instead_of_a_backlog() -> None:
    subscriber = Subscriber(user=user(1), inbox_limit=2)

    subscriber.deliver([((0, 1), b"a"), ((0, 2), b"b")])
    subscriber.deliver([((0, 3), b"c")])

    assert subscriber.take() == (True, [])


def test_one_poll_serves_every_stream_and_renders_once_per_visibility() -> None:
    async def scenario() -> tuple[FakeEvents, list[tuple[bool, list[Any]]]]:
        events = FakeEvents()
        hub = hub_with(events)
        streams = [
            (await hub.subscribe(user(1)))[0],
            (await hub.subscribe(user(1)))[0],
            (await hub.subscribe(user(2)))[0],
            (await hub.subscribe(user(3, admin=True)))[0],
            (await hub.subscribe(user(4, admin=True)))[0],
        ]
        await asyncio.sleep(0.05)
        taken = [stream.take() for stream in streams]
        for stream in streams:
            hub.unsubscribe(stream)
        return events, taken

    events, taken = _run(scenario())

    assert all(len(groups) == 3 for groups in events.polls[1:])
    assert taken[0] == taken[1] and taken[3] == taken[4] and taken[0] != taken[2]


def test_the_poller_stops_when_the_last_stream_leaves() -> None:
    async def scenario() -> tuple[int, int]:
        events = FakeEvents()
        hub = hub_with(events)
        stream = (await hub.subscribe(user(1)))[0]
        await asyncio.sleep(0.05)
        hub.unsubscribe(stream)
        polls = len(events.polls)
        await asyncio.sleep(0.05)
        return polls, len(events.polls)

    before, after = _run(scenario())

    assert before > 0 and after == before


def test_one_recheck_per_tick_covers_every_stream_and_ends_those_no_longer_valid() -> None:
    """GIVEN five open streams WHEN the hub re-checks credentials THEN it asks once per tick for all
    of them (not once per stream), and only the streams whose credentials failed are revoked."""
    checks: list[set[str]] = []

    def recheck(credentials: set[Any]) -> set[Any]:
        checks.append(set(credentials))
        return {credential for credential in credentials if credential != "bob"}

    async def scenario() -> list[bool]:
        events = FakeEvents()
        hub = EventHub(
            poll=events.poll,
            latest=lambda: events.cursor,
            poll_seconds=0.01,
            batch=5,
            inbox_limit=10,
            run_sync=run_inline,
            recheck=recheck,
            recheck_seconds=0.02,
        )
        names = ["alice", "alice", "bob", "carol", "dave"]
        streams = [(await hub.subscribe(user(n), name))[0] for n, name in enumerate(names)]
        await asyncio.sleep(0.1)
        for stream in streams:
            hub.unsubscribe(stream)
        return [stream.revoked for stream in streams]

    revoked = _run(scenario())

    assert revoked == [False, False, True, False, False]
    assert 1 <= len(checks) <= 6  # every 0.02 s over 0.1 s, not every 0.01 s poll, not per stream
    assert checks[0] == {"alice", "bob", "carol", "dave"}


def quiet_hub(events: FakeEvents, watch: Any = None, **options: Any) -> EventHub:
    """A hub whose safety poll never comes during a test: only its watch (or ``wake``) makes it act."""
    return EventHub(
        poll=events.poll,
        latest=lambda: events.cursor,
        poll_seconds=60.0,
        batch=5,
        inbox_limit=10,
        run_sync=run_inline,
        watch=watch,
        **options,
    )


async def hand_pushed_hub(events: FakeEvents) -> tuple[EventHub, Any, Callable[[dict[str, Any]], None]]:
    """A quiet hub whose watch hands out its callback, a stream of user 1 at event 10, and the
    callback: calling it with a ``pushed`` message is what the channel layer would do."""
    hands: list[Any] = []

    async def watch(notify: Any) -> None:
        hands.append(notify)
        await asyncio.Event().wait()

    hub = quiet_hub(events, watch)
    stream = (await hub.subscribe(user(1), since=(0, 10)))[0]
    await asyncio.sleep(0.01)
    return hub, stream, hands[0]


def pushed(event_id: int, owner_id: int, *, position_known: bool = True) -> dict[str, Any]:
    frames = {"all": f"all {event_id}".encode(), "owner": f"owner {event_id}".encode()}
    position = [0, event_id] if position_known else None
    return {
        "type": "progress.event",
        "event_id": event_id,
        "owner_id": owner_id,
        "frames": frames,
        "position": position,
    }


def test_frames_pushed_through_the_channel_layer_reach_each_stream_without_a_read() -> None:
    """GIVEN a hub listening on a real (in-memory) channel layer, its safety poll a minute away
    WHEN a publisher pushes an event's frames to the group
    THEN every stream gets the frame of its visibility at once (the owner its own, an admin the
    admin's, another user nothing) and the events table is never read."""
    from channels.layers import InMemoryChannelLayer

    from downloads.stream_wake import channel_watch

    async def scenario() -> tuple[list[Any], list[Any], float]:
        layer = InMemoryChannelLayer()
        events = FakeEvents()
        hub = quiet_hub(events, channel_watch(layer, "progress"))
        owner, admin, other = (
            (await hub.subscribe(user(1), since=(0, 10)))[0],
            (await hub.subscribe(user(9, admin=True)))[0],
            (await hub.subscribe(user(2)))[0],
        )
        await asyncio.sleep(0.05)  # the watch joined the group
        sent = time.monotonic()
        await layer.group_send("progress", pushed(11, owner_id=1))
        await asyncio.wait_for(owner.ready.wait(), 2)
        waited = time.monotonic() - sent
        await asyncio.wait_for(admin.ready.wait(), 2)
        taken = [owner.take(), admin.take(), other.take()]
        for stream in (owner, admin, other):
            hub.unsubscribe(stream)
        return taken, events.polls, waited

    taken, polls, waited = _run(scenario())

    assert taken == [(False, [((0, 11), b"owner 11")]), (False, [((0, 11), b"all 11")]), (False, [])]
    assert polls == [] and waited < 0.5


def test_a_pushed_event_after_a_gap_makes_the_hub_read_the_table_in_order() -> None:
    """GIVEN a hub at event 10 WHEN event 12 is pushed first (11 was committed but its message is late)
    THEN the hub does not hand out 12 (the stream would skip 11) but reads the table from its cursor
    (the fake table answers with 11), and the late push of 11 is dropped as already read."""

    async def scenario() -> tuple[list[Any], int]:
        events = FakeEvents()
        hub, stream, push = await hand_pushed_hub(events)
        push(pushed(12, owner_id=1))
        await asyncio.wait_for(stream.ready.wait(), 2)
        push(pushed(11, owner_id=1))
        taken = stream.take()
        hub.unsubscribe(stream)
        return [taken], len(events.polls)

    taken, polls = _run(scenario())

    assert polls == 1 and taken == [(False, [((0, 11), b"('owner', 1)")])]


def test_a_thousand_streams_coming_and_going_leave_no_subscriber_and_no_task() -> None:
    """GIVEN a hub with a watch WHEN 1,000 streams subscribe and leave, 50 at a time
    THEN no subscriber is left, the hub and its watch stopped, and no asyncio task is left over."""

    async def scenario() -> tuple[int, Any, int, int]:
        events = FakeEvents()
        stopped: list[bool] = []

        async def watch(notify: Any) -> None:
            try:
                await asyncio.Event().wait()
            finally:
                stopped.append(True)

        hub = quiet_hub(events, watch)
        baseline = len(asyncio.all_tasks())

        async def one(n: int) -> None:
            subscriber, _ = await hub.subscribe(user(n % 7, admin=n % 3 == 0), since=(0, 10))
            await asyncio.sleep(0)
            hub.unsubscribe(subscriber)

        for start in range(0, 1000, 50):
            await asyncio.gather(*(one(n) for n in range(start, start + 50)))
        await asyncio.sleep(0.01)
        return len(hub.subscribers), hub._task, len(asyncio.all_tasks()) - baseline, len(stopped)

    subscribers, task, extra_tasks, watch_stops = _run(scenario())

    assert subscribers == 0 and task is None and extra_tasks == 0
    assert watch_stops >= 1


def test_a_stream_coming_back_within_the_linger_finds_the_hub_running() -> None:
    """GIVEN a hub that lingers after its last stream left WHEN a stream comes back meanwhile THEN the
    same hub task serves it, starting from where the new stream is (no read of the latest id); once
    the linger is over with nobody back, the hub stops."""

    async def scenario() -> tuple[bool, int, bool]:
        events = FakeEvents()
        latest_reads: list[int] = []

        def latest() -> int:
            latest_reads.append(1)
            return events.cursor

        hub = EventHub(
            poll=events.poll,
            latest=latest,
            poll_seconds=60.0,
            batch=5,
            inbox_limit=10,
            run_sync=run_inline,
            linger_seconds=0.1,
        )
        first, _ = await hub.subscribe(user(1), since=(0, 10))
        task = hub._task
        hub.unsubscribe(first)
        second, cursor = await hub.subscribe(user(1), since=(0, 40))
        same = hub._task is task and cursor == (0, 40)
        hub.unsubscribe(second)
        await asyncio.sleep(0.3)
        return same, len(latest_reads), hub._task is None

    same, latest_reads, stopped = _run(scenario())

    assert same and latest_reads == 0 and stopped


def test_a_read_that_saw_events_waiting_for_older_transactions_is_repeated_soon() -> None:
    """GIVEN a hub whose safety poll is a minute away WHEN a read says committed events wait for an
    older transaction to end (PostgreSQL) THEN the hub reads again within ``settle_seconds``, with no
    wake-up, and stops repeating once a read finds nothing waiting."""

    class Waiting(FakeEvents):
        def poll(
            self, cursor: Position, batch: int, groups: dict[Hashable, Any], pushed: dict[int, Any]
        ) -> tuple[Position, bool, dict[Hashable, Any], bool]:
            self.polls.append(groups)
            if len(self.polls) < 3:
                return cursor, False, {key: [] for key in groups}, True
            return (0, 11), False, {key: [((0, 11), b"late")] for key in groups}, False

    async def scenario() -> tuple[int, Any]:
        events = Waiting()
        hub = quiet_hub(events, settle_seconds=0.01)
        stream = (await hub.subscribe(user(1), since=(0, 10)))[0]
        hub.wake()
        await asyncio.wait_for(stream.ready.wait(), 2)
        await asyncio.sleep(0.1)
        hub.unsubscribe(stream)
        return len(events.polls), stream.take()

    polls, taken = _run(scenario())

    assert polls == 3 and taken == (False, [((0, 11), b"late")])


def test_a_pushed_event_without_a_known_position_is_read_from_the_table_not_handed_out() -> None:
    """GIVEN a hub at event 10 WHEN event 11 is pushed without a position (PostgreSQL: the publisher
    cannot know whether an older transaction will still commit an event before it) THEN the hub
    reads the table instead of handing out the pushed frames, and hands the read those frames (so
    it need not render them)."""

    async def scenario() -> tuple[list[Any], int, list[Any]]:
        events = FakeEvents()
        hub, stream, push = await hand_pushed_hub(events)
        push(pushed(11, owner_id=1, position_known=False))
        await asyncio.wait_for(stream.ready.wait(), 2)
        taken = stream.take()
        hub.unsubscribe(stream)
        return [taken], len(events.polls), events.pushed, hub._pushed

    taken, polls, handed, kept = _run(scenario())

    assert polls == 1 and taken == [(False, [((0, 11), b"('owner', 1)")])]
    assert handed == [{11: pushed(11, owner_id=1, position_known=False)}] and kept == {}
