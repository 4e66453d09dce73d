"""A user sees only their own tasks, history and progress events: lists, searches, bulk actions and the
progress stream never carry another user's things."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from tests.fakes.spotify_records import IDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def alices_things(alice, spotify_api, library_root):
    from downloads.services import download_request
    from tests.library_history.factories import record_download

    task = download_request(user=alice, download_type="album", item_id=IDS.small_album)
    entry = record_download(alice, name="Alices Secret Album", artist="Alices Artist", status="failed")
    return {"task": str(task.pk), "history": str(entry.task_id)}


LISTS = [
    "/api/prgs/list",
    "/api/prgs/updates",
    "/api/prgs/updates?since=0",
    "/api/history/",
    "/api/history/recent",
    "/api/history/failed",
    "/api/history/search?q=Secret",
    "/api/history/stats",
]


@pytest.mark.parametrize("url", LISTS)
def test_bobs_lists_never_show_alices_things(auth_on, alices_things, bob_client, url) -> None:
    response = bob_client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert alices_things["task"] not in text and alices_things["history"] not in text
    assert "Alices Secret Album" not in text


@pytest.mark.parametrize("url", ["/api/prgs/list", "/api/history/"])
def test_alices_lists_show_her_things(auth_on, alices_things, alice_client, url) -> None:
    """The positive control of the test above."""
    text = alice_client.get(url).content.decode()
    assert alices_things["task"] in text or alices_things["history"] in text


def test_bob_cancelling_all_leaves_alices_task_running(
    auth_on, alices_things, bob_client, alice_client
) -> None:
    assert bob_client.post("/api/prgs/cancel/all").json()["cancelled_count"] == 0
    assert alice_client.get(f"/api/prgs/{alices_things['task']}").json()["status"] == "queued"


@pytest.mark.django_db(transaction=True)  # a stream reads committed events, not its own transaction's
def test_bobs_progress_events_leave_out_alices(auth_on, alices_things, alice, bob) -> None:
    """What the progress stream reads: events after a position, for one user."""
    from downloads.event_order import START
    from downloads.selectors import events_after
    from downloads.services import download_request

    bobs = download_request(user=bob, download_type="track", item_id=IDS.track)
    events = events_after(user=bob, after=START, limit=100)
    assert {str(e.task_uuid) for e in events} == {str(bobs.pk)}


# ---------------------------------------------------------------------------------------------- the SSE stream
async def _read_stream(path: str, seconds: float, after_open) -> str:
    """Open the stream, call ``after_open`` (sync, in a thread) once the first frame arrived, and read
    until the id it returns shows up or ``seconds`` pass."""
    from channels.db import database_sync_to_async
    from channels.testing import ApplicationCommunicator

    from spotizerr.asgi import application

    path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "headers": [(b"accept", b"text/event-stream"), (b"host", b"testserver")],
        "scheme": "http",
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 5000),
        "http_version": "1.1",
        "asgi": {"version": "3.0"},
        "root_path": "",
    }
    communicator = ApplicationCommunicator(application, scope)
    await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
    chunks: list[str] = []
    expect: str | None = None
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while loop.time() < deadline and not (expect and expect in "".join(chunks)):
        try:  # a timeout here also cancels the application (asgiref), which ends the read
            message = await communicator.receive_output(timeout=max(0.05, deadline - loop.time()))
        except TimeoutError:
            break
        if message["type"] == "http.response.start":
            assert message["status"] == 200, message
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b"").decode())
            if expect is None:
                expect = await database_sync_to_async(after_open)()
            if not message.get("more_body"):
                break
    with contextlib.suppress(TimeoutError, asyncio.CancelledError):
        await communicator.send_input({"type": "http.disconnect"})
        await communicator.wait(timeout=2)
    return "".join(chunks)


@pytest.mark.django_db(transaction=True)
def test_bobs_progress_stream_never_carries_alices_events(
    auth_on, alice, bob, spotify_api, library_root
) -> None:
    """GIVEN bob's open progress stream WHEN alice and then bob queue downloads
    THEN bob's stream carries his task's events and none of alice's."""
    from downloads.services import download_request, stream_ticket_issue

    made: dict[str, str] = {}

    def both_download() -> str:
        made["alice"] = str(download_request(user=alice, download_type="album", item_id=IDS.small_album).pk)
        made["bob"] = str(download_request(user=bob, download_type="track", item_id=IDS.track).pk)
        return made["bob"]

    from accounts.selectors import StreamCredential

    ticket, _ = stream_ticket_issue(credential=StreamCredential.of(bob))
    body = asyncio.run(_read_stream(f"/api/prgs/stream?ticket={ticket}", seconds=5, after_open=both_download))
    assert made["bob"] in body, f"bob's own event never arrived: {body[:300]}"
    assert made["alice"] not in body
