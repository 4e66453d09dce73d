"""Progress events written by concurrent transactions on PostgreSQL: a reader following "the events
after the last one it saw" misses none and gets none twice (see ``downloads.event_order``).

A sequence hands out ids when rows are inserted, not when they are committed: transaction A takes
id 10, B takes 11 and commits first; a reader that reads then and remembers 11 never saw 10 once A
commits. Here two threads, each with its own connection and transaction, play two workers."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from downloads import event_order, stream_frames
from downloads.event_order import Position
from downloads.models import DownloadTask
from downloads.progress import progress_publish
from tests.downloads import test_streaming as streams
from tests.downloads.test_streaming import bearer, queue
from tests.fakes.spotify_api import IDS

start_server = streams.start_server  # the fixtures of the stream tests
open_stream = streams.open_stream

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("engine", "queued_only"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite has one writer at a time: ids commit in the order they were taken",
    ),
]


class Writer(threading.Thread):
    """A worker's transaction, in its own thread (so its own connection): if ``write_first``, it
    first updates its task (taking its xid) and waits for ``go``; then it publishes one event for
    ``task`` and, if ``hold``, stays open until ``release`` is set."""

    def __init__(self, task: DownloadTask, message: str, *, hold: bool, write_first: bool = False) -> None:
        super().__init__(daemon=True)
        self.task, self.message, self.write_first = task, message, write_first
        self.began, self.go = threading.Event(), threading.Event()
        self.inserted, self.release = threading.Event(), threading.Event()
        if not write_first:
            self.go.set()
        if not hold:
            self.release.set()
        self.event_id = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with transaction.atomic():
                if self.write_first:
                    DownloadTask.objects.filter(pk=self.task.pk).update(updated_at=timezone.now())
                self.began.set()
                assert self.go.wait(30)
                self.event_id = progress_publish(self.task, status="queued", message=self.message).pk
                self.inserted.set()
                assert self.release.wait(30)
        except BaseException as error:  # reported by finish()
            self.error = error
        finally:
            self.began.set()
            self.inserted.set()
            connections.close_all()

    def finish(self) -> int:
        self.go.set()
        self.release.set()
        self.join(30)
        assert self.error is None and not self.is_alive()
        return self.event_id


def _task_frames(stream: streams.Stream, count: int) -> list[dict]:
    """The next ``count`` task frames, fewer if the stream stays silent for its read timeout."""
    frames: list[dict] = []
    try:
        while len(frames) < count:
            frame = stream.next()
            if frame.get("event") == "task":
                frames.append(frame)
    except httpx.ReadTimeout:
        pass
    return frames


@pytest.mark.usefixtures("auth_on")
def test_a_stream_delivers_an_event_committed_after_a_later_one_it_already_read(
    start_server, open_stream, alice
) -> None:
    """GIVEN an open stream WHEN transaction A writes an event and stays open, B writes the next event
    and commits, the stream's hub reads (B's push, or its poll), and then A commits
    THEN the stream sends both events, each once (before: B, and never A: the cursor was past it)."""
    first, second = queue(alice), queue(alice, "track", IDS.track)
    stream = open_stream(f"{start_server()}/api/prgs/stream", headers=bearer(alice))
    assert stream.next()["event"] == "snapshot"
    time.sleep(0.3)  # the hub's first read is behind it
    a = Writer(first, "A", hold=True)
    a.start()
    assert a.inserted.wait(10)
    b = Writer(second, "B", hold=False)
    b.start()
    b_id = b.finish()
    time.sleep(1.0)  # the hub reads meanwhile: B's push through Redis, else its 0.3 s poll

    a_id = a.finish()
    frames = _task_frames(stream, 2)

    assert a_id < b_id
    assert [(int(f["id"]), f["data"]["last_line"]["status_info"]["message"]) for f in frames] == [
        (a_id, "A"),
        (b_id, "B"),
    ]


def _read(cursor: Position, reader) -> tuple[Position, list[int], bool]:
    """One read of the stream hub: its new cursor, the ids of the events it hands out, and whether
    committed events wait for older transactions."""
    cursor, overflowed, frames, waiting = stream_frames.poll(cursor, 100, {"all": reader})
    assert not overflowed
    return cursor, [position[1] for position, _ in frames["all"]], waiting


def test_the_hubs_read_holds_a_later_event_back_until_the_earlier_transaction_commits(
    alice, admin_user
) -> None:
    """GIVEN transaction A wrote an event and is still open WHEN B writes the next event and commits
    THEN a read hands out nothing yet (B waits for A) and says so; once A commits, the next read
    hands out A then B, and the one after that nothing."""
    first, second = queue(alice), queue(alice, "track", IDS.track)
    cursor = event_order.latest_position()
    a = Writer(first, "A", hold=True)
    a.start()
    assert a.inserted.wait(10)
    b = Writer(second, "B", hold=False)
    b.start()
    b_id = b.finish()

    cursor, early, waiting = _read(cursor, admin_user)
    a_id = a.finish()
    cursor, late, _ = _read(cursor, admin_user)
    _, again, _ = _read(cursor, admin_user)

    assert (early, waiting) == ([], True)
    assert late == [a_id, b_id] and again == []


def test_an_event_with_a_lower_id_but_a_younger_transaction_comes_after_and_is_not_skipped(
    alice, admin_user
) -> None:
    """GIVEN B wrote first (its transaction is the older) WHEN A takes event id n, B takes n + 1 and
    commits while A is open THEN a read hands out B (nothing older can still come); once A commits,
    A is handed out after it, id n after n + 1, and a client resuming after B gets A too."""
    first, second = queue(alice), queue(alice, "track", IDS.track)
    cursor = event_order.latest_position()
    b = Writer(second, "B", hold=False, write_first=True)
    b.start()
    assert b.began.wait(10)
    a = Writer(first, "A", hold=True)
    a.start()
    assert a.inserted.wait(10)
    b_id = b.finish()

    cursor, early, _ = _read(cursor, admin_user)
    a_id = a.finish()
    cursor, late, _ = _read(cursor, admin_user)
    resumed = event_order.resume_position(b_id)
    assert resumed is not None
    replayed = stream_frames.catch_up(alice, resumed, 100)[0]

    assert a_id < b_id and early == [b_id] and late == [a_id]
    assert f"id: {a_id}\n".encode() in replayed and f"id: {b_id}\n".encode() not in replayed


def test_a_long_transaction_in_another_database_does_not_hold_events_back(alice, admin_user) -> None:
    """GIVEN another database on the same server with a write transaction left open (a neighbour
    application) WHEN an event is committed here THEN a read hands it out at once: only this
    database's transactions can precede it."""
    import psycopg

    params = connection.get_connection_params()
    params["dbname"] = "postgres"
    cursor = event_order.latest_position()
    with psycopg.connect(**params) as neighbour:
        neighbour.execute("CREATE TEMPORARY TABLE neighbour_work (n int)")  # takes an xid, stays open
        event_id = progress_publish(queue(alice), status="queued", message="now").pk
        _, handed_out, waiting = _read(cursor, admin_user)
        neighbour.rollback()

    assert handed_out[-1] == event_id and not waiting
