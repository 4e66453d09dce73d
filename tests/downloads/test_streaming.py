"""The progress stream (Server-Sent Events), read with httpx from the real ASGI application served by
daphne in a forked process on 127.0.0.1. Changes are made from this test process, which plays the
part of a worker process: daphne can only learn of them through the database."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from accounts.tokens import issue_token_pair
from downloads import cancelling, services, streaming
from tests.fakes.spotify_api import IDS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("engine", "queued_only")]


@pytest.fixture
def start_server(daphne_server) -> Callable[[], str]:
    """``start_server()``: daphne serving ``spotizerr.asgi:application`` in a forked process."""
    return daphne_server


class Stream:
    """An open SSE response, read frame by frame."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.lines = response.iter_lines()

    def next(self) -> dict[str, Any]:
        frame: dict[str, Any] = {"comments": []}
        for line in self.lines:
            if line == "":
                if len(frame) > 1 or frame["comments"]:
                    return frame
                continue
            if line.startswith(":"):
                frame["comments"].append(line[1:].strip())
                continue
            field, _, value = line.partition(":")
            value = value.removeprefix(" ")
            assert field != "event", "a named event never reaches EventSource.onmessage"
            frame[field] = json.loads(value) if field == "data" else value
            if field == "data":
                frame["event"] = frame["data"]["event"]  # the kind travels in the data
        raise EOFError("the stream ended")


@pytest.fixture
def open_stream() -> Iterator[Callable[..., Stream]]:
    clients: list[httpx.Client] = []
    contexts: list[Any] = []

    def open_(
        url: str, *, headers: dict[str, str] | None = None, cookies: dict[str, str] | None = None
    ) -> Stream:
        client = httpx.Client(timeout=httpx.Timeout(10.0), cookies=cookies)
        clients.append(client)
        context = client.stream("GET", url, headers=headers or {})
        contexts.append(context)
        return Stream(context.__enter__())

    yield open_
    for context in contexts:
        context.__exit__(None, None, None)
    for client in clients:
        client.close()


def bearer(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token_pair(user)['access']}"}


def queue(user, kind: str = "album", item_id: str = IDS.small_album):
    return services.download_request(user=user, download_type=kind, item_id=item_id)


@pytest.mark.usefixtures("auth_on")
def test_the_first_frame_is_a_snapshot_of_the_users_tasks_and_counts(
    start_server, open_stream, alice, bob
) -> None:
    mine, _theirs = queue(alice), queue(bob)
    base = start_server()

    stream = open_stream(f"{base}/api/prgs/stream", headers=bearer(alice))

    assert stream.response.headers["content-type"].startswith("text/event-stream")
    frame = stream.next()
    assert frame["event"] == "snapshot" and int(frame["id"]) > 0
    assert [task["task_id"] for task in frame["data"]["tasks"]] == [str(mine.pk)]
    assert frame["data"]["task_counts"]["queued"] == 1


@pytest.mark.usefixtures("auth_on")
def test_a_change_made_by_another_process_reaches_the_client_within_a_second(
    start_server, open_stream, alice
) -> None:
    task = queue(alice)
    stream = open_stream(f"{start_server()}/api/prgs/stream", headers=bearer(alice))
    snapshot_id = int(stream.next()["id"])

    changed_at = time.monotonic()
    cancelling.task_cancel(user=alice, task_id=task.pk)
    frame = stream.next()

    assert time.monotonic() - changed_at < 1.0
    assert frame["event"] == "task" and int(frame["id"]) > snapshot_id
    assert (
        frame["data"]["tasks"][0]["status"]
        == "cancelled"
        == frame["data"]["last_line"]["status_info"]["status"]
    )
    assert frame["data"]["task_counts"]["cancelled"] == 1


@pytest.mark.usefixtures("auth_on")
def test_last_event_id_replays_every_missed_event_in_order(start_server, open_stream, alice) -> None:
    task = queue(alice)
    base = start_server()
    first = open_stream(f"{base}/api/prgs/stream", headers=bearer(alice))
    seen = first.next()["id"]
    first.response.close()
    cancelling.task_cancel(user=alice, task_id=task.pk)
    other = queue(alice, "track", IDS.track)

    again = open_stream(f"{base}/api/prgs/stream", headers={**bearer(alice), "Last-Event-ID": seen})

    frames = [again.next(), again.next()]
    assert [frame["data"]["task_id"] for frame in frames] == [str(task.pk), str(other.pk)]
    assert [frame["data"]["last_line"]["status"] for frame in frames] == ["cancelled", "queued"]
    assert int(frames[0]["id"]) < int(frames[1]["id"])


@pytest.mark.usefixtures("auth_on")
def test_too_many_missed_events_get_a_fresh_snapshot(start_server, open_stream, alice, monkeypatch) -> None:
    monkeypatch.setattr(streaming, "REPLAY_LIMIT", 1)
    queue(alice)
    queue(alice, "track", IDS.track)
    base = start_server()

    stream = open_stream(f"{base}/api/prgs/stream", headers={**bearer(alice), "Last-Event-ID": "0"})

    frame = stream.next()
    assert frame["event"] == "snapshot" and len(frame["data"]["tasks"]) == 2


@pytest.mark.usefixtures("auth_on")
def test_a_client_sees_only_its_own_users_events(start_server, open_stream, alice, bob, monkeypatch) -> None:
    monkeypatch.setattr(streaming, "HEARTBEAT_SECONDS", 0.8)
    alices = queue(alice)
    stream = open_stream(f"{start_server()}/api/prgs/stream", headers=bearer(bob))
    assert stream.next()["data"]["tasks"] == []

    cancelling.task_cancel(user=alice, task_id=alices.pk)

    assert stream.next()["event"] == "heartbeat"


@pytest.mark.usefixtures("auth_on")
def test_an_admin_sees_every_users_events(start_server, open_stream, alice, admin_user) -> None:
    alices = queue(alice)
    stream = open_stream(f"{start_server()}/api/prgs/stream", headers=bearer(admin_user))
    stream.next()

    cancelling.task_cancel(user=alice, task_id=alices.pk)

    assert stream.next()["data"]["task_id"] == str(alices.pk)


@pytest.mark.usefixtures("auth_on")
def test_heartbeats_keep_an_idle_stream_alive(start_server, open_stream, alice, monkeypatch) -> None:
    monkeypatch.setattr(streaming, "HEARTBEAT_SECONDS", 0.3)
    queue(alice)
    stream = open_stream(f"{start_server()}/api/prgs/stream", headers=bearer(alice))
    snapshot = stream.next()

    heartbeat = stream.next()
    assert heartbeat["data"]["change_type"] == "heartbeat" and "id" not in heartbeat
    assert heartbeat["data"]["task_counts"] == snapshot["data"]["task_counts"]
    assert heartbeat["data"]["total_tasks"] == 1


@pytest.mark.usefixtures("auth_on")
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"}])
def test_a_client_without_valid_credentials_gets_401_in_the_error_shape(start_server, headers) -> None:
    response = httpx.get(f"{start_server()}/api/prgs/stream", headers=headers, timeout=10)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.usefixtures("auth_on")
def test_a_stream_ticket_opens_the_stream_once(start_server, open_stream, alice_client) -> None:
    ticket = alice_client.post("/api/prgs/stream/ticket").json()
    base = start_server()

    stream = open_stream(f"{base}{ticket['stream_url']}")

    assert stream.next()["event"] == "snapshot"
    assert httpx.get(f"{base}{ticket['stream_url']}", timeout=10).status_code == 401


@pytest.mark.usefixtures("auth_on")
def test_the_dashboard_session_opens_the_stream(start_server, open_stream, alice) -> None:
    from django.test import Client

    browser = Client()
    browser.force_login(alice)

    stream = open_stream(
        f"{start_server()}/api/prgs/stream", cookies={"sessionid": browser.cookies["sessionid"].value}
    )

    assert stream.next()["event"] == "snapshot"


@pytest.mark.usefixtures("auth_off")
def test_with_auth_off_the_stream_shows_every_task(start_server, open_stream, alice) -> None:
    task = queue(alice)

    stream = open_stream(f"{start_server()}/api/prgs/stream")

    assert [item["task_id"] for item in stream.next()["data"]["tasks"]] == [str(task.pk)]


@pytest.mark.usefixtures("auth_on")
def test_the_rest_of_the_api_is_still_served_by_django(start_server, alice) -> None:
    response = httpx.get(f"{start_server()}/api/prgs/list", headers=bearer(alice), timeout=10)

    assert response.status_code == 200 and response.json()["tasks"] == []


@pytest.mark.usefixtures("auth_on")
def test_a_client_that_goes_away_is_noticed_and_its_stream_stopped(
    start_server, open_stream, alice, capfd
) -> None:
    stream = open_stream(f"{start_server()}/api/prgs/stream", headers=bearer(alice))
    stream.next()

    stream.response.close()
    time.sleep(0.5)

    assert "Progress stream of alice closed by the client" in capfd.readouterr().err


@pytest.mark.usefixtures("auth_on")
def test_a_burst_beyond_one_batch_becomes_one_snapshot(start_server, open_stream, alice, monkeypatch) -> None:
    """GIVEN a stream that reads at most 2 events per poll
    WHEN 5 events arrive between two polls
    THEN the client gets one fresh snapshot instead of a backlog of frames."""
    from downloads import progress
    from downloads.progress import progress_publish

    monkeypatch.setattr(streaming, "BATCH", 2)
    monkeypatch.setattr(streaming, "POLL_SECONDS", 1.5)
    monkeypatch.setattr(streaming, "SAFETY_POLL_SECONDS", 1.5)
    monkeypatch.setattr(streaming, "CHANGE_CHECK_SECONDS", 1.5)  # the SQLite watch looks only once
    # the events must pile up between two polls: no Redis wake-up (REDIS_URL runs) may end the wait early
    monkeypatch.setattr(progress, "_push_to_streams", lambda event: None)
    task = queue(alice)
    stream = open_stream(f"{start_server()}/api/prgs/stream", headers=bearer(alice))
    first = stream.next()
    time.sleep(0.3)  # the hub's first look (when it starts) is behind it: the next is 1.5 s away

    for number in range(5):
        progress_publish(task, status="queued", message=f"still waiting {number}")

    frame = stream.next()
    assert frame["event"] == "snapshot" and int(frame["id"]) == int(first["id"]) + 5


@pytest.mark.usefixtures("auth_on")
def test_frames_carry_the_task_summary_in_the_historys_words(start_server, open_stream, alice) -> None:
    task = queue(alice)
    stream = open_stream(f"{start_server()}/api/prgs/stream", headers=bearer(alice))
    assert stream.next()["data"]["tasks"][0]["summary"]["status"] == "in_progress"

    cancelling.task_cancel(user=alice, task_id=task.pk)
    summary = stream.next()["data"]["tasks"][0]["summary"]

    assert (summary["status"], summary["completed"], summary["failed"]) == ("cancelled", 0, 0)
