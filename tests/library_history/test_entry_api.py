"""GET /api/history/{task_id} and /{task_id}/children: one download and its tracks."""

from __future__ import annotations

import uuid

import pytest

from tests.library_history.factories import record_download, record_track

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("auth_on")]


def test_it_returns_your_entry_by_task_id(alice, alice_client) -> None:
    entry = record_download(alice, name="Found")
    body = alice_client.get(f"/api/history/{entry.task_id}").json()
    assert (body["task_id"], body["name"]) == (str(entry.task_id), "Found")


def test_the_entry_route_accepts_a_trailing_slash(alice, alice_client) -> None:
    entry = record_download(alice)
    assert alice_client.get(f"/api/history/{entry.task_id}/").status_code == 200


def test_an_unknown_task_id_is_a_404_in_the_error_shape(alice_client) -> None:
    response = alice_client.get(f"/api/history/{uuid.uuid4()}")
    assert (response.status_code, set(response.json())) == (404, {"error", "details", "code"})


def test_a_task_id_that_is_not_a_uuid_is_a_404(alice_client) -> None:
    response = alice_client.get("/api/history/not-a-uuid")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_someone_elses_entry_is_a_404(bob, alice_client) -> None:
    entry = record_download(bob)
    assert alice_client.get(f"/api/history/{entry.task_id}").status_code == 404


def test_an_admin_can_read_anyones_entry(bob, admin_client) -> None:
    entry = record_download(bob)
    assert admin_client.get(f"/api/history/{entry.task_id}").json()["owner"] == "bob"


def test_children_are_the_tracks_in_order_with_status_reason_and_path(alice, alice_client) -> None:
    album = record_download(alice, download_type="album", name="Record", artist="Band")
    record_track(album, 2, status="failed", reason="no source had it", file_path="")
    record_track(album, 1)
    body = alice_client.get(f"/api/history/{album.task_id}/children").json()
    assert [(c["position"], c["status"], c["reason"], c["file_path"]) for c in body["children"]] == [
        (1, "completed", "", "Band/Record/01 - Track 1.mp3"),
        (2, "failed", "no source had it", ""),
    ]


def test_children_of_a_single_track_download_are_empty(alice, alice_client) -> None:
    entry = record_download(alice)
    assert alice_client.get(f"/api/history/{entry.task_id}/children/").json()["children"] == []


def test_children_of_someone_elses_download_are_a_404(bob, alice_client) -> None:
    album = record_download(bob, download_type="album")
    record_track(album, 1)
    assert alice_client.get(f"/api/history/{album.task_id}/children").status_code == 404


def test_children_of_an_unknown_task_are_a_404(alice_client) -> None:
    assert alice_client.get(f"/api/history/{uuid.uuid4()}/children").status_code == 404
