"""The download admin: lists tasks and acts only through the services."""

from __future__ import annotations

import pytest
from django.test import Client

from downloads.models import DownloadTask, TaskStatus
from downloads.services import download_request
from tests.fakes.spotify_api import IDS

pytestmark = pytest.mark.usefixtures("queued_only", "library_root")


@pytest.fixture
def admin_browser(admin_user) -> Client:
    browser = Client()
    browser.force_login(admin_user)
    return browser


@pytest.fixture
def queued_task(alice, spotify_api) -> DownloadTask:
    return download_request(user=alice, download_type="album", item_id=IDS.small_album)


def act(browser: Client, action: str, task: DownloadTask):
    return browser.post(
        "/admin/downloads/downloadtask/", {"action": action, "_selected_action": [str(task.pk)]}, follow=True
    )


def test_the_task_list_shows_every_users_tasks(admin_browser, queued_task) -> None:
    response = admin_browser.get("/admin/downloads/downloadtask/")

    assert response.status_code == 200 and "Sine Waves" in response.content.decode()


def test_the_cancel_action_cancels_through_the_service(admin_browser, queued_task) -> None:
    act(admin_browser, "cancel_tasks", queued_task)

    queued_task.refresh_from_db()
    assert (
        queued_task.status == TaskStatus.CANCELLED and queued_task.events.filter(status="cancelled").exists()
    )


def test_the_delete_action_keeps_running_tasks(admin_browser, queued_task) -> None:
    response = act(admin_browser, "delete_finished_tasks", queued_task)

    assert DownloadTask.objects.filter(pk=queued_task.pk).exists()
    assert "cancel it first" in response.content.decode()


def test_the_delete_action_removes_finished_tasks(admin_browser, queued_task, alice) -> None:
    queued_task.move_to(TaskStatus.CANCELLED)

    act(admin_browser, "delete_finished_tasks", queued_task)

    assert not DownloadTask.objects.filter(pk=queued_task.pk).exists()
