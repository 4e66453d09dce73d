"""Access and refresh tokens: forged tokens are refused, refresh rotates, revocation sticks."""

from __future__ import annotations

import time
from datetime import timedelta

import jwt
import pytest
from django.conf import settings
from django.test import Client

from accounts import services
from accounts.tokens import issue_token_pair

pytestmark = pytest.mark.django_db


def _claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def _sign(claims: dict, *, key: str | None = None, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key or settings.SECRET_KEY, algorithm=algorithm)


def _refresh(client, token: str):
    return client.post("/api/auth/refresh", {"refresh_token": token}, format="json")


# ---------------------------------------------------------------- lifetimes


def test_access_tokens_live_at_most_ten_minutes(alice) -> None:
    claims = _claims(issue_token_pair(alice)["access"])
    assert claims["exp"] - claims["iat"] <= 10 * 60


def test_refresh_tokens_live_at_most_seven_days(alice) -> None:
    claims = _claims(issue_token_pair(alice)["refresh"])
    assert claims["exp"] - claims["iat"] <= int(timedelta(days=7).total_seconds())


# ---------------------------------------------------------------- forged access tokens


def test_a_re_signed_copy_of_a_real_token_is_accepted(auth_on, alice, bearer) -> None:
    """Control for the forgery tests below: the re-signing itself produces valid tokens."""
    token = _sign(_claims(issue_token_pair(alice)["access"]))
    assert bearer(token).get("/api/auth/profile").status_code == 200


def test_a_token_with_alg_none_is_refused(auth_on, alice, bearer) -> None:
    token = jwt.encode(_claims(issue_token_pair(alice)["access"]), None, algorithm="none")
    response = bearer(token).get("/api/auth/profile")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_a_token_signed_with_another_key_is_refused(auth_on, alice, bearer) -> None:
    token = _sign(_claims(issue_token_pair(alice)["access"]), key="not-the-server-key-" * 3)
    assert bearer(token).get("/api/auth/profile").status_code == 401


def test_a_token_signed_with_another_algorithm_is_refused(auth_on, alice, bearer) -> None:
    token = _sign(_claims(issue_token_pair(alice)["access"]), algorithm="HS512")
    assert bearer(token).get("/api/auth/profile").status_code == 401


def test_a_refresh_token_is_refused_as_an_access_token(auth_on, alice, bearer) -> None:
    assert bearer(issue_token_pair(alice)["refresh"]).get("/api/auth/profile").status_code == 401


def test_an_expired_access_token_is_refused(auth_on, alice, bearer) -> None:
    claims = _claims(issue_token_pair(alice)["access"])
    claims["iat"], claims["exp"] = int(time.time()) - 700, int(time.time()) - 60
    assert bearer(_sign(claims)).get("/api/auth/profile").status_code == 401


def test_a_token_naming_another_user_with_the_wrong_key_is_refused(
    auth_on, alice, admin_user, bearer
) -> None:
    claims = _claims(issue_token_pair(alice)["access"])
    claims["user_id"] = admin_user.pk
    assert bearer(_sign(claims, key="guessed-key-" * 4)).get("/api/auth/users").status_code == 401


def test_garbage_in_the_authorization_header_is_refused(auth_on, bearer) -> None:
    assert bearer("garbage").get("/api/auth/profile").status_code == 401


# ---------------------------------------------------------------- refresh


def test_refresh_returns_a_new_working_pair(auth_on, alice, anon_client, bearer) -> None:
    response = _refresh(anon_client, issue_token_pair(alice)["refresh"])
    assert response.status_code == 200
    assert response.json()["token_type"] == "bearer"
    assert bearer(response.json()["access_token"]).get("/api/auth/profile").status_code == 200


def test_a_refresh_token_works_only_once(auth_on, alice, anon_client) -> None:
    refresh = issue_token_pair(alice)["refresh"]
    assert _refresh(anon_client, refresh).status_code == 200
    response = _refresh(anon_client, refresh)
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_the_rotated_refresh_token_keeps_working(auth_on, alice, anon_client) -> None:
    first = _refresh(anon_client, issue_token_pair(alice)["refresh"]).json()["refresh_token"]
    assert _refresh(anon_client, first).status_code == 200


def test_refresh_ends_the_access_tokens_of_the_rotated_session(auth_on, alice, anon_client, bearer) -> None:
    pair = issue_token_pair(alice)
    _refresh(anon_client, pair["refresh"])
    assert bearer(pair["access"]).get("/api/auth/profile").status_code == 401


def test_an_access_token_cannot_be_used_to_refresh(auth_on, alice, anon_client) -> None:
    assert _refresh(anon_client, issue_token_pair(alice)["access"]).status_code == 401


def test_a_forged_refresh_token_is_refused(auth_on, alice, anon_client) -> None:
    claims = _claims(issue_token_pair(alice)["refresh"])
    assert _refresh(anon_client, _sign(claims, key="wrong-key-" * 5)).status_code == 401


def test_an_expired_refresh_token_is_refused(auth_on, alice, anon_client) -> None:
    claims = _claims(issue_token_pair(alice)["refresh"])
    claims["exp"] = int(time.time()) - 60
    assert _refresh(anon_client, _sign(claims)).status_code == 401


def test_refresh_after_a_password_change_is_refused(auth_on, alice, anon_client) -> None:
    refresh = issue_token_pair(alice)["refresh"]
    services.user_set_password(user=alice, new_password="another-fine-passphrase-3")
    assert _refresh(anon_client, refresh).status_code == 401


def test_refresh_for_an_inactive_user_is_refused(auth_on, alice, admin_user, anon_client) -> None:
    refresh = issue_token_pair(alice)["refresh"]
    services.user_set_active(actor=admin_user, user=alice, active=False)
    assert _refresh(anon_client, refresh).status_code == 401


def test_refresh_without_a_token_is_400(auth_on, anon_client) -> None:
    response = anon_client.post("/api/auth/refresh", {}, format="json")
    assert response.status_code == 400
    assert "refresh_token" in response.json()["details"]


# ---------------------------------------------------------------- revocation


def test_a_password_change_ends_old_access_tokens(auth_on, alice, bearer) -> None:
    access = issue_token_pair(alice)["access"]
    services.user_set_password(user=alice, new_password="another-fine-passphrase-3")
    assert bearer(access).get("/api/auth/profile").status_code == 401


def test_a_role_change_ends_old_access_tokens(auth_on, alice, admin_user, bearer) -> None:
    access = issue_token_pair(alice)["access"]
    services.user_set_role(actor=admin_user, user=alice, role="admin")
    assert bearer(access).get("/api/auth/profile").status_code == 401


def test_deactivation_ends_old_access_tokens(auth_on, alice, admin_user, bearer) -> None:
    access = issue_token_pair(alice)["access"]
    services.user_set_active(actor=admin_user, user=alice, active=False)
    assert bearer(access).get("/api/auth/profile").status_code == 401


def test_revoking_one_user_leaves_others_logged_in(auth_on, alice, bob, bearer) -> None:
    access = issue_token_pair(bob)["access"]
    services.user_revoke_tokens(user=alice)
    assert bearer(access).get("/api/auth/profile").status_code == 200


# ---------------------------------------------------------------- logout


def test_logout_revokes_the_given_refresh_token(auth_on, alice, anon_client, bearer) -> None:
    pair = issue_token_pair(alice)
    client = bearer(pair["access"])
    response = client.post("/api/auth/logout", {"refresh_token": pair["refresh"]}, format="json")
    assert response.status_code == 200
    assert _refresh(anon_client, pair["refresh"]).status_code == 401


def test_logout_ends_the_access_tokens_of_that_session(auth_on, alice, bearer) -> None:
    pair = issue_token_pair(alice)
    bearer(pair["access"]).post("/api/auth/logout", {"refresh_token": pair["refresh"]}, format="json")
    assert bearer(pair["access"]).get("/api/auth/profile").status_code == 401


def test_logout_without_a_body_ends_the_session_of_the_access_token(
    auth_on, alice, anon_client, bearer
) -> None:
    pair = issue_token_pair(alice)
    assert bearer(pair["access"]).post("/api/auth/logout", {}, format="json").status_code == 200
    assert _refresh(anon_client, pair["refresh"]).status_code == 401


def test_logout_leaves_the_users_other_sessions_alone(auth_on, alice, bearer) -> None:
    phone, laptop = issue_token_pair(alice), issue_token_pair(alice)
    bearer(phone["access"]).post("/api/auth/logout", {}, format="json")
    assert bearer(laptop["access"]).get("/api/auth/profile").status_code == 200


def test_logout_with_someone_elses_refresh_token_is_400(auth_on, alice, bob, bearer) -> None:
    response = bearer(issue_token_pair(alice)["access"]).post(
        "/api/auth/logout", {"refresh_token": issue_token_pair(bob)["refresh"]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_refresh_token"


def test_logout_with_a_garbage_refresh_token_is_400(auth_on, alice, alice_client) -> None:
    response = alice_client.post("/api/auth/logout", {"refresh_token": "garbage"}, format="json")
    assert response.status_code == 400


def test_logout_twice_with_the_same_refresh_token_is_fine(auth_on, alice, bearer) -> None:
    refresh = issue_token_pair(alice)["refresh"]
    client = bearer(issue_token_pair(alice)["access"])
    client.post("/api/auth/logout", {"refresh_token": refresh}, format="json")
    assert client.post("/api/auth/logout", {"refresh_token": refresh}, format="json").status_code == 200


def test_logout_needs_authentication(auth_on, anon_client) -> None:
    assert anon_client.post("/api/auth/logout", {}, format="json").status_code == 401


def test_logout_with_auth_off_is_a_harmless_no_op(auth_off, anon_client) -> None:
    assert anon_client.post("/api/auth/logout", {}, format="json").status_code == 200


def test_logout_ends_a_dashboard_session(auth_on, alice, client) -> None:
    client.force_login(alice)
    assert client.post("/api/auth/logout", {}, content_type="application/json").status_code == 200
    assert client.get("/api/auth/profile").status_code == 401


def test_a_cookie_session_needs_a_csrf_token_to_log_out(auth_on, alice) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post("/api/auth/logout", {}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
