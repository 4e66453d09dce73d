"""Notification targets through the API, and their Test button against a local JSON webhook."""

from __future__ import annotations

import pytest

from settings_app.models import NotificationTarget
from settings_app.notifications import notification_deliver
from tests.fakes.http_service import down_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("auth_on")]
EVENTS = ["download_complete", "download_failed"]


def create(client, url: str, *, scope: str = "user", events: list[str] | None = None):
    return client.post(
        "/api/notifications/targets",
        {"name": "phone", "url": url, "events": events or EVENTS, "scope": scope},
        format="json",
    )


def test_a_user_adds_a_target_and_never_sees_its_url_again(alice_client, webhook) -> None:
    response = create(alice_client, webhook.url())

    assert response.status_code == 201, response.json()
    listed = alice_client.get("/api/notifications/targets").json()
    assert [(row["name"], row["scheme"], row["scope"]) for row in listed] == [("phone", "json", "user")]
    assert "url" not in listed[0] and webhook.base_url not in str(listed)
    assert NotificationTarget.objects.get().url == webhook.url()  # stored, encrypted
    assert webhook.url() not in NotificationTarget.objects.get().url_encrypted


def test_it_rejects_a_url_apprise_does_not_understand(alice_client) -> None:
    response = create(alice_client, "nonsense://what")

    assert response.status_code == 400
    assert set(response.json()) >= {"error", "details", "code"} and "url" in response.json()["details"]


def test_it_rejects_unknown_events(alice_client, webhook) -> None:
    response = create(alice_client, webhook.url(), events=["coffee_ready"])

    assert response.status_code == 400 and "events" in response.json()["details"]


def test_only_an_admin_adds_operator_wide_targets(alice_client, admin_client, webhook) -> None:
    assert create(alice_client, webhook.url(), scope="operator").status_code == 403
    assert create(admin_client, webhook.url(), scope="operator").status_code == 201
    assert NotificationTarget.objects.get().owner is None


def test_users_see_and_delete_only_their_own_targets(alice_client, bob_client, webhook) -> None:
    target_id = create(alice_client, webhook.url()).json()["id"]

    assert bob_client.get("/api/notifications/targets").json() == []
    assert bob_client.delete(f"/api/notifications/targets/{target_id}").status_code == 404
    assert bob_client.post(f"/api/notifications/targets/{target_id}/test").status_code == 404
    assert alice_client.delete(f"/api/notifications/targets/{target_id}").status_code == 204


def test_the_test_button_posts_a_message_to_the_webhook(alice_client, webhook) -> None:
    target_id = create(alice_client, webhook.url("inbox")).json()["id"]

    response = alice_client.post(f"/api/notifications/targets/{target_id}/test")

    assert response.json() == {"ok": True, "detail": "The message was accepted."}
    (message,) = webhook.messages
    assert message["title"] == "Spotizerr test" and "'phone'" in message["message"]
    assert webhook.seen()[0].path == "/inbox"


@pytest.mark.parametrize("fault", ["down", "401", "slow"])
def test_the_test_button_says_why_a_target_failed(alice_client, webhook, settings, fault: str) -> None:
    settings.INTEGRATION_TIMEOUT_SECONDS = 1
    webhook.fault, webhook.delay = (None if fault == "down" else fault), 3.0
    url = down_url().replace("http://", "json://") if fault == "down" else webhook.url()
    target_id = create(alice_client, url).json()["id"]

    response = alice_client.post(f"/api/notifications/targets/{target_id}/test")

    assert response.status_code == 200
    assert response.json()["ok"] is False and "did not accept" in response.json()["detail"]
    assert NotificationTarget.objects.get().last_error


def test_a_target_that_keeps_failing_is_marked_and_shown(alice_client, webhook) -> None:
    webhook.fault = "500"
    target_id = create(alice_client, webhook.url()).json()["id"]

    for _ in range(NotificationTarget.FAILING_AFTER):
        assert notification_deliver(target_id=target_id, title="t", body="b") is False

    (row,) = alice_client.get("/api/notifications/targets").json()
    assert row["failing"] is True and row["failures"] == 3 and row["last_error"]
    assert len(webhook.seen()) == 3 * 3  # each message: one try and two bounded retries


def test_a_success_clears_the_failing_mark(alice_client, webhook) -> None:
    webhook.fault = "500"
    target_id = create(alice_client, webhook.url()).json()["id"]
    for _ in range(3):
        notification_deliver(target_id=target_id, title="t", body="b")
    webhook.fault = None

    assert notification_deliver(target_id=target_id, title="t", body="b") is True

    assert NotificationTarget.objects.get().failing is False


@pytest.mark.parametrize(
    "url",
    [
        "json://127.0.0.1:8080/hook",
        "gotify://192.168.1.5/token",
        "ntfy://10.0.0.1/topic",
        "json://[::1]:9000/",
        "json://169.254.169.254/latest/meta-data",
        "json://localhost:2375/containers",
    ],
)
def test_a_user_may_not_point_a_target_at_a_private_address(alice_client, url: str) -> None:
    response = create(alice_client, url)

    assert response.status_code == 400, response.json()
    assert "private address" in response.json()["details"]["url"][0]
    assert not NotificationTarget.objects.exists()


def test_services_with_a_fixed_public_endpoint_are_not_resolved(alice_client) -> None:
    # Telegram's "host" is a bot id; ntfy without a host posts to ntfy.sh.
    for url in ("tgram://123456789:abcdefg_hijklmnop/12345", "ntfy://my-topic"):
        assert create(alice_client, url).status_code == 201, url


def test_an_admin_or_the_operator_setting_allows_private_hosts(alice_client, admin_client, settings) -> None:
    assert create(admin_client, "json://127.0.0.1:8080/hook").status_code == 201
    settings.NOTIFY_ALLOW_PRIVATE = True
    assert create(alice_client, "gotify://192.168.1.5/token").status_code == 201
