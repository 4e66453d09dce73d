"""Cookie sessions need CSRF tokens on unsafe methods, and the seed's GET download commands refuse
cookie sessions, so a page on another site cannot act with a logged-in browser."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.crypto import get_random_string
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from accounts.permissions import BearerOnlyForGetCommands, IsAuthenticatedUser
from tests.fakes.spotify_records import IDS
from tests.security.endpoints import MATRIX, PUBLIC, SSO_SESSION, all_endpoints

pytestmark = pytest.mark.django_db

UNSAFE = [
    (key, row)
    for key, row in MATRIX.items()
    if key[1] in {"POST", "PUT", "PATCH", "DELETE"} and row.access not in (PUBLIC, SSO_SESSION)
]


def _session(user, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    if csrf:
        token = get_random_string(32)
        client.cookies["csrftoken"] = token
        client.defaults["HTTP_X_CSRFTOKEN"] = token
    return client


@pytest.mark.parametrize(("endpoint", "row"), UNSAFE, ids=[f"{m} {p}" for (p, m), _ in UNSAFE])
def test_a_cookie_session_without_a_csrf_token_is_refused(
    endpoint, row, auth_on, admin_user, spotify_owner_linked, owned, library_root
) -> None:
    _, method = endpoint
    if row.pending and endpoint not in all_endpoints():
        pytest.xfail(row.pending)
    url = row.url.format(**owned(row.access))
    response = _session(admin_user).generic(method, url, "{}", content_type="application/json")
    assert response.status_code == 403, response.content
    assert "CSRF" in response.json()["error"]


def test_a_cookie_session_with_the_csrf_token_is_accepted(auth_on, alice) -> None:
    response = _session(alice, csrf=True).post(
        "/api/prgs/stream/ticket", "{}", content_type="application/json"
    )
    assert response.status_code == 201, response.content


# ---------------------------------------------------------------------------------------------- GET commands
GET_COMMANDS = [
    f"/api/track/download/{IDS.track}",
    f"/api/album/download/{IDS.small_album}",
    f"/api/playlist/download/{IDS.small_playlist}",
    f"/api/artist/download/{IDS.artist}",
    "/api/album/download/cancel?task_id=00000000-0000-0000-0000-000000000000",
]


@pytest.mark.parametrize("url", GET_COMMANDS)
def test_get_download_commands_refuse_a_cookie_session(
    url, auth_on, alice, spotify_api, library_root
) -> None:
    response = _session(alice).get(url)
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "bearer_required"
    assert "bearer" in response.json()["error"].lower()


@pytest.mark.parametrize("url", GET_COMMANDS[:4])
def test_get_download_commands_keep_working_with_a_bearer_token(
    url, auth_on, alice_client, spotify_owner_linked, library_root
) -> None:
    assert alice_client.get(url).status_code == 202


def test_with_auth_off_a_download_started_from_another_site_is_refused(
    auth_off, anon_client, spotify_api, library_root
) -> None:
    response = anon_client.get(f"/api/track/download/{IDS.track}", HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403


# ---------------------------------------------------------------------------------------------- the permission
class _Command(APIView):
    permission_classes = (IsAuthenticatedUser, BearerOnlyForGetCommands)

    def get(self, request):
        return Response({"ok": True})


def _ask(client_headers: dict, *, user=None, session: bool = False):
    request = APIRequestFactory().get("/api/x", **client_headers)
    if session:
        from django.contrib.sessions.backends.db import SessionStore

        request.session = SessionStore()
        request.session["_auth_user_id"] = str(user.pk)
        request.session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        request.session["_auth_user_hash"] = user.get_session_auth_hash()
        request.user = user
        request._dont_enforce_csrf_checks = True
    return _Command.as_view()(request)


def test_the_permission_lets_a_bearer_token_through(auth_on, alice) -> None:
    from accounts.tokens import issue_token_pair

    token = issue_token_pair(alice)["access"]
    assert _ask({"HTTP_AUTHORIZATION": f"Bearer {token}"}).status_code == 200


def test_the_permission_refuses_a_session_with_a_clear_message(auth_on, alice) -> None:
    response = _ask({}, user=alice, session=True)
    assert response.status_code == 403
    assert response.data["code"] == "bearer_required" and "bearer token" in response.data["error"]


def test_the_permission_leaves_anonymous_callers_a_401(auth_on) -> None:
    assert _ask({}).status_code == 401


@pytest.mark.parametrize(
    ("site", "status"),
    [("cross-site", 403), ("same-site", 403), ("same-origin", 200), ("none", 200), (None, 200)],
)
def test_with_auth_off_the_permission_refuses_requests_other_sites_started(auth_off, site, status) -> None:
    headers = {"HTTP_SEC_FETCH_SITE": site} if site else {}
    assert _ask(headers).status_code == status
