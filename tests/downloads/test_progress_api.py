"""The progress API: one task, lists, updates since a moment, cancelling and deleting, per user."""

from __future__ import annotations

import time

import pytest

from downloads.models import DownloadTask, TaskStatus, TrackJob, TrackStatus
from tests.fakes.spotify_api import IDS

pytestmark = pytest.mark.usefixtures("auth_on", "queued_only", "library_root")


@pytest.fixture
def request_download(spotify_api):
    def make(client, kind: str = "album", item_id: str = IDS.small_album) -> str:
        response = client.get(f"/api/{kind}/download/{item_id}")
        assert response.status_code == 202, response.json()
        return response.json()["task_id"]

    return make


def test_a_task_reports_its_progress_document(alice_client, request_download) -> None:
    task_id = request_download(alice_client)

    body = alice_client.get(f"/api/prgs/{task_id}").json()

    assert body["task_id"] == task_id
    assert (body["status"], body["type"], body["download_type"], body["name"]) == (
        "queued",
        "album",
        "album",
        "Sine Waves",
    )
    assert body["last_line"]["status"] == body["last_line"]["status_info"]["status"] == "queued"
    assert body["original_request"]["spotify_id"] == IDS.small_album
    assert body["status_count"] == 1 and 0 <= body["progress"] <= 100
    assert body["created_at"] <= body["timestamp"] <= time.time()


def test_another_users_task_is_404(alice_client, bob_client, request_download) -> None:
    task_id = request_download(alice_client)

    assert bob_client.get(f"/api/prgs/{task_id}").status_code == 404
    assert bob_client.post(f"/api/prgs/cancel/{task_id}").status_code == 404
    assert bob_client.delete(f"/api/prgs/delete/{task_id}").status_code == 404


def test_an_admin_sees_every_users_task(alice_client, admin_client, request_download) -> None:
    task_id = request_download(alice_client)

    assert admin_client.get(f"/api/prgs/{task_id}").json()["owner"] == "alice"


def test_a_task_id_that_is_not_a_uuid_is_404(alice_client) -> None:
    assert alice_client.get("/api/prgs/not-a-task").status_code == 404


def test_the_list_shows_only_the_users_own_tasks_with_counts(
    alice_client, bob_client, request_download
) -> None:
    mine = request_download(alice_client)
    request_download(bob_client)

    body = alice_client.get("/api/prgs/list").json()

    assert [task["task_id"] for task in body["tasks"]] == [mine]
    assert body["task_counts"]["queued"] == 1 and body["task_counts"]["active"] == 1
    assert body["pagination"] == {
        "page": 1,
        "limit": 50,
        "total_count": 1,
        "total_pages": 1,
        "has_more": False,
    }


def test_the_list_pages_newest_first(alice_client, request_download) -> None:
    ids = [
        request_download(alice_client, "track", track_id)
        for track_id in (IDS.track, IDS.track_no_preview, IDS.explicit_track)
    ]

    body = alice_client.get("/api/prgs/list?page=2&limit=2").json()

    assert [task["task_id"] for task in body["tasks"]] == [ids[0]]
    assert body["pagination"]["total_pages"] == 2


def test_active_only_leaves_out_finished_tasks(alice_client, request_download) -> None:
    finished = request_download(alice_client, "track", IDS.track)
    DownloadTask.objects.filter(pk=finished).update(status=TaskStatus.COMPLETE)
    running = request_download(alice_client)

    body = alice_client.get("/api/prgs/list?active_only=true").json()

    assert [task["task_id"] for task in body["tasks"]] == [running]


@pytest.mark.parametrize("query", ["limit=101", "limit=0", "page=0", "page=x", "active_only=perhaps"])
def test_bad_list_parameters_are_400(alice_client, query) -> None:
    response = alice_client.get(f"/api/prgs/list?{query}")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


@pytest.mark.parametrize("since", ["yesterday", "-1", "nan", "1e300"])
def test_a_bad_since_is_400(alice_client, since) -> None:
    assert alice_client.get(f"/api/prgs/updates?since={since}").status_code == 400


def test_updates_since_a_moment_hold_only_what_changed_after_it(alice_client, request_download) -> None:
    old = request_download(alice_client, "track", IDS.track)
    moment = alice_client.get("/api/prgs/updates").json()["current_timestamp"]
    new = request_download(alice_client)

    body = alice_client.get(f"/api/prgs/updates?since={moment}").json()

    assert [task["task_id"] for task in body["tasks"]] == [new]
    assert old not in body["deleted_tasks"]
    assert body["task_counts"]["queued"] == 2


def test_updates_name_tasks_deleted_since_the_moment(alice_client, request_download) -> None:
    task_id = request_download(alice_client)
    alice_client.post(f"/api/prgs/cancel/{task_id}")
    moment = alice_client.get("/api/prgs/updates").json()["current_timestamp"]

    alice_client.delete(f"/api/prgs/delete/{task_id}")

    assert alice_client.get(f"/api/prgs/updates?since={moment}").json()["deleted_tasks"] == [task_id]


def test_updates_without_since_are_a_snapshot_of_active_and_a_page_of_the_rest(
    alice_client, request_download
) -> None:
    done = request_download(alice_client, "track", IDS.track)
    DownloadTask.objects.filter(pk=done).update(status=TaskStatus.ERROR)
    active = request_download(alice_client)

    body = alice_client.get("/api/prgs/updates?limit=5").json()

    assert [task["task_id"] for task in body["tasks"]] == [active, done]
    assert body["pagination"]["total_count"] == 1


def test_cancelling_a_queued_task_ends_it_cancelled(alice_client, request_download) -> None:
    task_id = request_download(alice_client)

    response = alice_client.post(f"/api/prgs/cancel/{task_id}")

    assert response.status_code == 200
    body = alice_client.get(f"/api/prgs/{task_id}").json()
    assert body["status"] == "cancelled" and body["last_line"]["status"] == "cancelled"


def test_cancelling_a_finished_task_is_409(alice_client, request_download) -> None:
    task_id = request_download(alice_client)
    alice_client.post(f"/api/prgs/cancel/{task_id}")

    assert alice_client.post(f"/api/prgs/cancel/{task_id}").status_code == 409


def test_cancel_by_type_route_works_and_comes_before_the_download_route(
    alice_client, request_download
) -> None:
    task_id = request_download(alice_client)

    response = alice_client.get(f"/api/album/download/cancel?task_id={task_id}")

    assert response.status_code == 200
    assert DownloadTask.objects.get(pk=task_id).status == TaskStatus.CANCELLED


def test_cancel_by_type_route_needs_the_tasks_type(alice_client, request_download) -> None:
    task_id = request_download(alice_client)

    assert alice_client.get(f"/api/track/download/cancel?task_id={task_id}").status_code == 404
    assert alice_client.get("/api/track/download/cancel?task_id=nope").status_code == 400


def test_cancel_all_cancels_only_the_users_active_tasks(alice_client, bob_client, request_download) -> None:
    mine = [request_download(alice_client), request_download(alice_client, "track", IDS.track)]
    theirs = request_download(bob_client)

    body = alice_client.post("/api/prgs/cancel/all").json()

    assert sorted(body["task_ids"]) == sorted(mine) and body["cancelled_count"] == 2
    assert DownloadTask.objects.get(pk=theirs).status == TaskStatus.QUEUED


def test_cancelling_marks_pending_tracks_cancelled(alice_client, request_download) -> None:
    task_id = request_download(alice_client)
    TrackJob.objects.create(task_id=task_id, position=1, name="x")

    alice_client.post(f"/api/prgs/cancel/{task_id}")

    assert TrackJob.objects.get(task_id=task_id).status == TrackStatus.CANCELLED


def test_deleting_a_running_task_is_409(alice_client, request_download) -> None:
    task_id = request_download(alice_client)

    response = alice_client.delete(f"/api/prgs/delete/{task_id}")

    assert response.status_code == 409
    assert DownloadTask.objects.filter(pk=task_id).exists()


def test_deleting_a_finished_task_removes_it(alice_client, request_download) -> None:
    task_id = request_download(alice_client)
    alice_client.post(f"/api/prgs/cancel/{task_id}")

    assert alice_client.delete(f"/api/prgs/delete/{task_id}").status_code == 200
    assert alice_client.get(f"/api/prgs/{task_id}").status_code == 404


def test_with_auth_off_the_system_admin_sees_every_task(
    client_for, alice, alice_client, request_download, settings
) -> None:
    task_id = request_download(alice_client)
    settings.AUTH_ENABLED = False

    body = client_for(None).get("/api/prgs/list").json()

    assert [task["task_id"] for task in body["tasks"]] == [task_id]
