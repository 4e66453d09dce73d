"""Pushed progress (issue 21): streams learn of a publish from a watch, not a poll tick. On the embedded
SQLite the hub looks at SQLite's change counter; with Redis the publisher pushes the rendered frames
through the channel layer. Nothing is missed across a reconnect, and streams that come and go leave
nothing behind in the hub."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from downloads import services, stream_frames, streaming
from downloads.event_order import START
from downloads.models import TaskEvent
from downloads.progress import progress_publish
from downloads.stream_wake import sqlite_watch
from tests.downloads import test_streaming as streams
from tests.downloads.test_streaming import bearer, queue

start_server = streams.start_server  # the fixtures of the stream tests
open_stream = streams.open_stream


def _run(coroutine: Any) -> Any:
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=60)


def _write_from_another_process(path: Path, statement: str) -> None:
    script = f"import sqlite3; c = sqlite3.connect({str(path)!r}); c.execute({statement!r}); c.commit()"
    subprocess.run([sys.executable, "-c", script], check=True, timeout=30)


def test_the_sqlite_watch_wakes_on_a_new_event_written_by_another_process(tmp_path: Path) -> None:
    """GIVEN the watch on a WAL database WHEN another process writes to another table THEN it stays
    quiet; WHEN another process inserts an event THEN it notifies within a few checks."""
    path = tmp_path / "db.sqlite3"
    setup = sqlite3.connect(path)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, body TEXT)")
    setup.execute("CREATE TABLE other (id INTEGER PRIMARY KEY)")
    setup.execute("INSERT INTO events (body) VALUES ('old')")
    setup.commit()
    setup.close()

    async def scenario() -> tuple[int, int, float]:
        notices: list[float] = []
        watching = asyncio.ensure_future(
            sqlite_watch(str(path), "events", interval=0.01)(lambda _: notices.append(time.monotonic()))
        )
        await asyncio.sleep(0.05)
        at_start = len(notices)  # one: whatever was committed before the first look
        await asyncio.to_thread(_write_from_another_process, path, "INSERT INTO other DEFAULT VALUES")
        await asyncio.sleep(0.1)
        after_other = len(notices)
        await asyncio.to_thread(_write_from_another_process, path, "INSERT INTO events (body) VALUES ('new')")
        written = time.monotonic()  # committed by now
        while len(notices) == after_other and time.monotonic() - written < 5:
            await asyncio.sleep(0.005)
        watching.cancel()
        return at_start, after_other, notices[-1] - written

    at_start, after_other, delay = _run(scenario())

    assert at_start == 1 and after_other == 1
    assert delay < 1.0  # it looks every 10 ms; a busy machine may be slow to run it


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("engine", "queued_only")
def test_pushed_frames_are_the_frames_the_hub_renders_for_each_visibility(alice, admin_user) -> None:
    """What the publisher pushes through the channel layer is what a hub would have read and rendered:
    the admins' frame and the owner's frame, nothing for an admin-owned task's owner."""
    event = TaskEvent.objects.filter(task=queue(alice)).latest("id")
    admins_event = TaskEvent.objects.filter(task=queue(admin_user, "track", streams.IDS.track)).latest("id")

    frames = stream_frames.pushed_frames(event)

    assert frames == {
        "all": stream_frames.event_frames(admin_user, [event])[0][1],
        "owner": stream_frames.event_frames(alice, [event])[0][1],
    }
    assert b'"total_tasks":2' in frames["all"] and b'"total_tasks":1' in frames["owner"]
    assert set(stream_frames.pushed_frames(admins_event)) == {"all"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("engine", "queued_only")
def test_a_read_hands_out_the_frames_pushed_for_an_event_instead_of_rendering_them(
    alice, admin_user, django_assert_num_queries
) -> None:
    """GIVEN the frames a publisher pushed for an event (on PostgreSQL the hub reads before handing
    them out) WHEN the hub's read finds that event THEN admins and its owner get the pushed frames,
    and nothing is rendered: the read is the one query."""
    event = TaskEvent.objects.filter(task=queue(alice)).latest("id")
    frames = {"all": b"data: pushed for admins\n\n", "owner": b"data: pushed for alice\n\n"}
    pushed = {event.pk: {"event_id": event.pk, "owner_id": alice.pk, "frames": frames}}

    with django_assert_num_queries(1):
        _, _, read, _ = stream_frames.poll(
            START, 100, {"all": admin_user, ("owner", alice.pk): alice}, pushed
        )

    assert [frame for _, frame in read["all"]] == [frames["all"]]
    assert [frame for _, frame in read[("owner", alice.pk)]] == [frames["owner"]]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("engine", "queued_only", "auth_on")
def test_a_change_reaches_an_open_stream_with_no_poll_tick_due(
    start_server, open_stream, alice, monkeypatch
) -> None:
    """GIVEN the hub's safety poll and credentials check a minute away WHEN another process (this
    test) publishes THEN the stream has the frame at once: the watch brought it."""
    for name in ("POLL_SECONDS", "SAFETY_POLL_SECONDS", "RECHECK_SECONDS"):
        monkeypatch.setattr(streaming, name, 60.0)
    task = queue(alice)
    stream = open_stream(f"{start_server()}/api/prgs/stream", headers=bearer(alice))
    stream.next()
    time.sleep(0.2)  # the hub's first look is behind it

    published = time.monotonic()
    progress_publish(task, status="queued", message="still waiting")
    frame = stream.next()

    assert time.monotonic() - published < 2.0  # far below the minute any tick was set to
    assert (
        frame["event"] == "task" and frame["data"]["last_line"]["status_info"]["message"] == "still waiting"
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("engine", "queued_only", "auth_on")
def test_a_reconnecting_client_misses_nothing_and_gets_nothing_twice(
    start_server, open_stream, alice
) -> None:
    """GIVEN a client that saw event A live and went away WHEN B and C are published meanwhile and it
    comes back with Last-Event-ID A THEN it gets B and C, then D live: each once, in id order."""
    task = queue(alice)
    base = start_server()
    first = open_stream(f"{base}/api/prgs/stream", headers=bearer(alice))
    first.next()
    progress_publish(task, status="queued", message="A")
    seen = first.next()
    first.response.close()
    for message in ("B", "C"):
        progress_publish(task, status="queued", message=message)

    again = open_stream(f"{base}/api/prgs/stream", headers={**bearer(alice), "Last-Event-ID": seen["id"]})
    frames = [again.next(), again.next()]
    progress_publish(task, status="queued", message="D")
    frames.append(again.next())

    assert [f["data"]["last_line"]["status_info"]["message"] for f in frames] == ["B", "C", "D"]
    ids = [int(f["id"]) for f in frames]
    assert ids == sorted(ids) and ids[0] > int(seen["id"])


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("engine", "queued_only", "auth_off")
def test_streams_opened_and_closed_many_times_leave_the_hub_empty(alice, monkeypatch) -> None:
    """GIVEN the real stream application WHEN 300 streams open (first frame received) and disconnect,
    30 at a time THEN the process's hub holds no subscriber, stops once its linger is over, and no
    task is left over."""
    monkeypatch.setattr(streaming, "HUB_LINGER_SECONDS", 0.2)
    from channels.sessions import SessionMiddlewareStack
    from channels.testing import ApplicationCommunicator

    services.download_request(user=alice, download_type="album", item_id=streams.IDS.small_album)
    application = SessionMiddlewareStack(streaming.ProgressStreamConsumer.as_asgi())
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "GET",
        "path": "/api/prgs/stream",
        "raw_path": b"/api/prgs/stream",
        "query_string": b"",
        "headers": [],
        "client": ("127.0.0.1", 1234),
        "server": ("127.0.0.1", 80),
    }

    async def one() -> bytes:
        communicator = ApplicationCommunicator(application, dict(scope))
        await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
        start = await communicator.receive_output(10)
        body = await communicator.receive_output(10)
        await communicator.send_input({"type": "http.disconnect"})
        await communicator.wait(10)
        assert start["status"] == 200
        return body["body"]

    async def scenario() -> tuple[list[bytes], int, Any, int]:
        baseline = len(asyncio.all_tasks())
        bodies: list[bytes] = []
        for _ in range(10):
            bodies += await asyncio.gather(*(one() for _ in range(30)))
        hub = streaming._hub()
        lingering = hub._task is not None
        await asyncio.sleep(0.5)
        assert lingering
        return bodies, len(hub.subscribers), hub._task, len(asyncio.all_tasks()) - baseline

    try:
        bodies, subscribers, task, extra_tasks = _run(scenario())
    finally:
        stream_frames._snapshots.clear()  # daphne processes forked by later tests start without it

    assert len(bodies) == 300 and all(b'"event":"snapshot"' in body for body in bodies)
    assert subscribers == 0 and task is None and extra_tasks == 0


def test_the_consumer_has_no_channel_of_its_own() -> None:
    """One channel-layer member per process (the hub), not one per open stream."""
    from channels.layers import get_channel_layer

    assert get_channel_layer(streaming.ProgressStreamConsumer.channel_layer_alias) is None
