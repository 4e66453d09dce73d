"""Admin user management: /api/auth/users*."""

from __future__ import annotations

import pytest

from accounts.models import User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-unusual-passphrase-7"


def _create(client, username: str = "carol", **extra: str):
    body = {"username": username, "password": NEW_PASSWORD, "email": f"{username}@example.test", **extra}
    return client.post("/api/auth/users/create", body, format="json")


def _reset(client, username: str, password: str = NEW_PASSWORD):
    return client.put(f"/api/auth/users/{username}/password", {"new_password": password}, format="json")


# ---------------------------------------------------------------- who may call


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/auth/users"),
        ("post", "/api/auth/users/create"),
        ("delete", "/api/auth/users/alice"),
        ("put", "/api/auth/users/alice/role"),
        ("put", "/api/auth/users/alice/password"),
    ],
)
def test_user_management_needs_a_login(auth_on, alice, anon_client, method, path) -> None:
    response = getattr(anon_client, method)(path, {}, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/auth/users"),
        ("post", "/api/auth/users/create"),
        ("delete", "/api/auth/users/alice"),
        ("put", "/api/auth/users/alice/role"),
        ("put", "/api/auth/users/alice/password"),
    ],
)
def test_user_management_is_forbidden_to_ordinary_users(auth_on, alice, bob_client, method, path) -> None:
    response = getattr(bob_client, method)(path, {}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


# ---------------------------------------------------------------- list


def test_admins_list_every_account_without_the_system_user(auth_on, admin_client, alice, bob) -> None:
    User.objects.create(username="system", is_system=True, role="admin")
    response = admin_client.get("/api/auth/users")
    assert response.status_code == 200
    assert [user["username"] for user in response.json()] == ["admin", "alice", "bob"]


def test_the_list_never_shows_passwords(auth_on, admin_client, alice) -> None:
    user = admin_client.get("/api/auth/users").json()[1]
    assert set(user) == {
        "username",
        "email",
        "role",
        "created_at",
        "last_login",
        "sso_provider",
        "is_sso_user",
    }


def test_with_auth_off_anyone_can_list_users(auth_off, anon_client, alice) -> None:
    response = anon_client.get("/api/auth/users")
    assert response.status_code == 200
    assert [user["username"] for user in response.json()] == ["alice"]


# ---------------------------------------------------------------- create


def test_admins_create_users_with_a_role(auth_on, admin_client, login) -> None:
    response = _create(admin_client, role="admin")
    assert response.status_code == 201
    assert response.json()["role"] == "admin"
    assert login("carol", NEW_PASSWORD).status_code == 200


def test_created_users_are_ordinary_by_default(auth_on, admin_client) -> None:
    assert _create(admin_client).json()["role"] == "user"


def test_creating_a_taken_name_is_409(auth_on, admin_client, alice) -> None:
    assert _create(admin_client, "alice").status_code == 409


def test_creating_with_an_unknown_role_is_400(auth_on, admin_client) -> None:
    response = _create(admin_client, role="superuser")
    assert response.status_code == 400
    assert "role" in response.json()["details"]


def test_creating_with_a_weak_password_is_400(auth_on, admin_client) -> None:
    response = _create(admin_client, password="abc")
    assert response.status_code == 400
    assert response.json()["details"]["password"]


def test_with_auth_off_users_can_be_created(auth_off, anon_client) -> None:
    assert _create(anon_client).status_code == 201


# ---------------------------------------------------------------- delete


def test_admins_delete_users(auth_on, admin_client, alice) -> None:
    response = admin_client.delete("/api/auth/users/alice")
    assert response.status_code == 200
    assert not User.objects.filter(username="alice").exists()


def test_deleting_an_unknown_user_is_404(auth_on, admin_client) -> None:
    response = admin_client.delete("/api/auth/users/nobody")
    assert response.status_code == 404
    assert response.json()["code"] == "user_not_found"


def test_the_system_user_cannot_be_addressed(auth_on, admin_client) -> None:
    User.objects.create(username="system", is_system=True, role="admin")
    assert admin_client.delete("/api/auth/users/system").status_code == 404


def test_an_admin_cannot_delete_themself(auth_on, admin_client, admin_user) -> None:
    response = admin_client.delete("/api/auth/users/admin")
    assert response.status_code == 400
    assert response.json()["code"] == "cannot_change_self"
    assert User.objects.filter(username="admin").exists()


def test_an_admin_can_delete_another_admin(auth_on, admin_client) -> None:
    User.objects.create(username="second", role="admin")
    assert admin_client.delete("/api/auth/users/second").status_code == 200


def test_the_last_admin_cannot_be_deleted(auth_off, anon_client, admin_user) -> None:
    response = anon_client.delete("/api/auth/users/admin")
    assert response.status_code == 409
    assert response.json()["code"] == "last_admin"


def test_an_inactive_admin_does_not_count_as_another_admin(auth_off, anon_client, admin_user) -> None:
    User.objects.create(username="dormant", role="admin", is_active=False)
    assert anon_client.delete("/api/auth/users/admin").status_code == 409


# ---------------------------------------------------------------- role


def test_admins_promote_users(auth_on, admin_client, alice) -> None:
    response = admin_client.put("/api/auth/users/alice/role", {"role": "admin"}, format="json")
    assert response.status_code == 200
    assert response.json()["role"] == "admin"
    alice.refresh_from_db()
    assert alice.is_admin and alice.is_staff


def test_a_promoted_user_can_manage_users_after_logging_in_again(
    auth_on, admin_client, alice, login, bearer
) -> None:
    admin_client.put("/api/auth/users/alice/role", {"role": "admin"}, format="json")
    token = login("alice").json()["access_token"]
    assert bearer(token).get("/api/auth/users").status_code == 200


def test_admins_demote_other_admins(auth_on, admin_client) -> None:
    User.objects.create(username="second", role="admin")
    response = admin_client.put("/api/auth/users/second/role", {"role": "user"}, format="json")
    assert response.json()["role"] == "user"


def test_an_admin_cannot_demote_themself(auth_on, admin_client, admin_user) -> None:
    User.objects.create(username="second", role="admin")
    response = admin_client.put("/api/auth/users/admin/role", {"role": "user"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "cannot_change_self"


def test_the_last_admin_cannot_be_demoted(auth_off, anon_client, admin_user) -> None:
    response = anon_client.put("/api/auth/users/admin/role", {"role": "user"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "last_admin"


def test_an_unknown_role_is_400(auth_on, admin_client, alice) -> None:
    response = admin_client.put("/api/auth/users/alice/role", {"role": "owner"}, format="json")
    assert response.status_code == 400
    assert "role" in response.json()["details"]


def test_setting_the_role_of_an_unknown_user_is_404(auth_on, admin_client) -> None:
    assert admin_client.put("/api/auth/users/nobody/role", {"role": "user"}, format="json").status_code == 404


# ---------------------------------------------------------------- password reset


def test_admins_reset_passwords(auth_on, admin_client, alice, login) -> None:
    response = _reset(admin_client, "alice")
    assert response.status_code == 200
    assert login("alice", NEW_PASSWORD).status_code == 200


def test_a_password_reset_ends_the_users_sessions(auth_on, admin_client, alice_client) -> None:
    _reset(admin_client, "alice")
    assert alice_client.get("/api/auth/profile").status_code == 401


def test_a_weak_reset_password_is_400_naming_new_password(auth_on, admin_client, alice) -> None:
    response = admin_client.put("/api/auth/users/alice/password", {"new_password": "alice"}, format="json")
    assert response.status_code == 400
    assert response.json()["details"]["new_password"]


def test_resetting_the_password_of_an_unknown_user_is_404(auth_on, admin_client) -> None:
    response = _reset(admin_client, "nobody")
    assert response.status_code == 404
