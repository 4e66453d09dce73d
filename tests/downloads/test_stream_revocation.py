"""An open progress stream follows later revocation (issue 18 point 1): the credentials of every open
stream are checked again every ``RECHECK_SECONDS``, and a stream whose user was demoted, deleted or
deactivated, whose password changed or whose session logged out ends. Logging out also makes the
session's unused stream tickets worthless."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import User
from accounts.selectors import StreamCredential, stream_credentials_valid
from downloads import streaming
from tests.downloads import test_streaming as streams
from tests.downloads.test_streaming import Stream, bearer

start_server = streams.start_server  # the fixtures of the stream tests
open_stream = streams.open_stream

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("engine", "queued_only", "auth_on"),
]


@pytest.fixture(autouse=True)
def _quick_recheck(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(streaming, "RECHECK_SECONDS", 0.2)


def _ends(stream: Stream) -> dict[str, Any]:
    """The stream's last frame, which must say why, then the end of the stream."""
    frame = stream.next()
    while frame.get("event") in ("heartbeat", None):
        frame = stream.next()
    with pytest.raises((EOFError, httpx.ReadError, httpx.RemoteProtocolError)):
        stream.next()
    return frame


def _login(user: User) -> dict[str, str]:
    """A bearer session of ``user`` through the API: ``{"access", "refresh"}``."""
    body = APIClient().post(
        "/api/auth/login", {"username": user.username, "password": "correct-horse-battery-9"}, format="json"
    )
    assert body.status_code == 200, body.content
    data = body.json()
    return {"access": data["access_token"], "refresh": data["refresh_token"]}


def test_a_demoted_admins_open_stream_ends(start_server, open_stream, admin_user, alice) -> None:
    other_admin = User.objects.create(username="root2", role=User.Role.ADMIN)
    stream = open_stream(f"{start_server()}/api/prgs/stream", headers=bearer(admin_user))
    stream.next()

    account_services.user_set_role(actor=other_admin, user=admin_user, role=User.Role.USER)

    frame = _ends(stream)
    assert frame["event"] == "revoked" and frame["data"]["change_type"] == "error"
    assert "log in again" in frame["data"]["error"]


def test_a_deleted_users_open_stream_ends(start_server, open_stream, admin_user, alice) -> None:
    stream = open_stream(f"{start_server()}/api/prgs/stream", headers=bearer(alice))
    stream.next()

    account_services.user_delete(actor=admin_user, user=alice)

    assert _ends(stream)["event"] == "revoked"


def test_a_password_change_ends_the_open_stream(start_server, open_stream, alice) -> None:
    stream = open_stream(f"{start_server()}/api/prgs/stream", headers=bearer(alice))
    stream.next()

    account_services.user_set_password(user=alice, new_password="another-horse-battery-7")

    assert _ends(stream)["event"] == "revoked"


def test_logging_out_ends_the_stream_of_that_bearer_session(start_server, open_stream, alice) -> None:
    session = _login(alice)
    stream = open_stream(
        f"{start_server()}/api/prgs/stream", headers={"Authorization": f"Bearer {session['access']}"}
    )
    stream.next()

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {session['access']}")
    assert client.post("/api/auth/logout", {}, format="json").status_code == 200

    assert _ends(stream)["event"] == "revoked"


def test_logging_out_of_the_dashboard_ends_its_stream(start_server, open_stream, alice) -> None:
    browser = Client()
    browser.force_login(alice)
    cookie = browser.cookies["sessionid"].value
    stream = open_stream(f"{start_server()}/api/prgs/stream", cookies={"sessionid": cookie})
    stream.next()

    browser.post("/logout/")

    assert _ends(stream)["event"] == "revoked"


def test_another_sessions_logout_leaves_the_stream_open(
    start_server, open_stream, alice, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(streaming, "HEARTBEAT_SECONDS", 0.8)
    kept, other = _login(alice), _login(alice)
    stream = open_stream(
        f"{start_server()}/api/prgs/stream", headers={"Authorization": f"Bearer {kept['access']}"}
    )
    stream.next()

    account_services.tokens_revoke(user=alice, refresh_token=other["refresh"])

    assert stream.next()["event"] == "heartbeat"  # still open well after several rechecks


def test_logout_makes_the_sessions_unused_stream_ticket_worthless(start_server, alice) -> None:
    session = _login(alice)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {session['access']}")
    ticket = client.post("/api/prgs/stream/ticket").json()

    assert client.post("/api/auth/logout", {}, format="json").status_code == 200

    response = httpx.get(f"{start_server()}{ticket['stream_url']}", timeout=10)
    assert response.status_code == 401


def test_a_dashboard_logout_makes_its_unused_stream_ticket_worthless(start_server, alice) -> None:
    browser = Client()
    browser.force_login(alice)
    ticket = browser.post("/api/prgs/stream/ticket").json()

    browser.post("/logout/")

    assert httpx.get(f"{start_server()}{ticket['stream_url']}", timeout=10).status_code == 401


def test_checking_many_streams_costs_a_fixed_number_of_queries(
    alice, bob, admin_user, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    credentials = {
        StreamCredential.of(user, session_id=f"jti-{n}", session_key=f"key-{n}")
        for n in range(50)
        for user in (alice, bob, admin_user)
    }

    with django_assert_max_num_queries(3):
        valid = stream_credentials_valid(credentials)

    assert valid == set()  # no such sessions
    assert stream_credentials_valid({StreamCredential.of(alice)}) == {StreamCredential.of(alice)}
