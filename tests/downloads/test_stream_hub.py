"""The per-process events poller shared by progress streams, driven with a fake read (no database)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable
from types import SimpleNamespace
from typing import Any

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
        self.cursor = 10

    def poll(
        self, cursor: int, batch: int, groups: dict[Hashable, Any]
    ) -> tuple[int, bool, dict[Hashable, Any]]:
        self.polls.append(groups)
        self.cursor += 1
        return self.cursor, False, {key: [(self.cursor, f"{key}".encode())] for key in groups}


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

    subscriber.deliver([(1, b"a"), (2, b"b")])
    subscriber.deliver([(3, b"c")])

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
