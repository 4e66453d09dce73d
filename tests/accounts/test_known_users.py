"""Users behind bearer tokens are known to each web process (accounts.known_users): no query per
request, and a revocation still holds at once in the process that made it and within a second in
every other."""

from __future__ import annotations

import time

import httpx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import services
from accounts.known_users import CHECK_SECONDS
from accounts.models import User
from accounts.tokens import issue_token_pair

_AUTH_TABLES = ('FROM "accounts_user"', "token_blacklist")


def _auth_queries(queries: CaptureQueriesContext) -> list[str]:
    return [
        query["sql"] for query in queries.captured_queries if any(t in query["sql"] for t in _AUTH_TABLES)
    ]


@pytest.mark.django_db
def test_a_known_token_is_answered_without_reading_the_user(auth_on, alice, bearer) -> None:
    client = bearer(issue_token_pair(alice)["access"])
    assert client.get("/api/prgs/list").status_code == 200

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/prgs/list")

    assert response.status_code == 200
    assert _auth_queries(queries) == []


@pytest.mark.django_db
def test_the_user_built_for_each_request_is_a_fresh_copy(auth_on, alice, bearer) -> None:
    client = bearer(issue_token_pair(alice)["access"])
    first = client.get("/api/auth/status").json()
    second = client.get("/api/auth/status").json()

    assert first == second
    assert second["user"]["username"] == "alice"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "revoke",
    [
        pytest.param(lambda user, pair: services.user_revoke_tokens(user=user), id="token-version-update"),
        pytest.param(
            lambda user, pair: services.tokens_revoke(user=user, refresh_token=pair["refresh"]), id="logout"
        ),
        pytest.param(lambda user, pair: _deactivate(user), id="deactivation"),
        pytest.param(lambda user, pair: user.delete(), id="deletion"),
    ],
)
def test_a_known_token_is_refused_at_once_after_a_change_in_this_process(
    auth_on, alice, bearer, revoke
) -> None:
    pair = issue_token_pair(alice)
    client = bearer(pair["access"])
    assert client.get("/api/prgs/list").status_code == 200  # now known to this process

    revoke(alice, pair)

    response = client.get("/api/prgs/list")
    assert response.status_code == 401
    assert set(response.json()) == {"error", "details", "code"}


def _deactivate(user: User) -> None:
    user.is_active = False
    user.save(update_fields=["is_active"])


@pytest.mark.django_db
def test_a_saved_user_is_seen_as_saved_on_the_next_request(auth_on, admin_user, bearer) -> None:
    """Even a change that ends no token (a role saved without the version bump services make)."""
    client = bearer(issue_token_pair(admin_user)["access"])
    assert client.get("/api/config/").status_code == 200

    admin_user.role = User.Role.USER
    admin_user.save(update_fields=["role"])

    assert client.get("/api/config/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_another_process_refuses_a_revoked_token_within_a_second(auth_on, alice, bob, daphne_server) -> None:
    """A forked web process knows alice's token; revoking it here reaches it within CHECK_SECONDS."""
    base = daphne_server()
    alice_headers = {"Authorization": f"Bearer {issue_token_pair(alice)['access']}"}
    bob_headers = {"Authorization": f"Bearer {issue_token_pair(bob)['access']}"}
    with httpx.Client(base_url=base, timeout=10) as http:
        for headers in (alice_headers, bob_headers, alice_headers):
            assert http.get("/api/prgs/list", headers=headers).status_code == 200

        services.user_revoke_tokens(user=alice)
        revoked_at = time.monotonic()
        while (status := http.get("/api/prgs/list", headers=alice_headers).status_code) == 200:
            assert time.monotonic() - revoked_at < CHECK_SECONDS + 0.5, "the revocation did not arrive"
            time.sleep(0.02)

        assert status == 401
        assert http.get("/api/prgs/list", headers=bob_headers).status_code == 200


@pytest.mark.django_db
def test_a_known_token_altered_by_one_character_is_refused(auth_on, alice, bearer) -> None:
    token = issue_token_pair(alice)["access"]
    assert bearer(token).get("/api/prgs/list").status_code == 200
    head, payload, signature = token.split(".")
    altered = f"{head}.{payload}.{signature[:-2]}{'A' if signature[-2] != 'A' else 'B'}{signature[-1]}"

    assert bearer(altered).get("/api/prgs/list").status_code == 401


@pytest.mark.django_db
def test_a_known_token_is_refused_once_it_expires(auth_on, alice, bearer, monkeypatch) -> None:
    from datetime import timedelta

    from accounts import known_users

    client = bearer(issue_token_pair(alice)["access"])
    assert client.get("/api/prgs/list").status_code == 200  # verified once, now known
    later = known_users.aware_utcnow() + timedelta(minutes=11)  # past the 10 minutes it lives
    monkeypatch.setattr(known_users, "aware_utcnow", lambda: later)

    response = client.get("/api/prgs/list")
    assert response.status_code == 401
    assert set(response.json()) == {"error", "details", "code"}
