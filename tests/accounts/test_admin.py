"""Users in the Django admin: actions go through the services and their guards."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from accounts.tokens import issue_token_pair

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/accounts/user/"


@pytest.fixture
def admin_browser(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def _action(client: Client, action: str, *users: User):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [user.pk for user in users]}, follow=True
    )


def test_the_user_list_shows_role_active_email_and_sso_provider(admin_browser, alice) -> None:
    alice.sso_provider = "github"
    alice.save()
    page = admin_browser.get(CHANGELIST).content.decode()
    assert "alice@example.test" in page
    assert "github" in page
    assert "column-role" in page and "column-is_active" in page


def test_ordinary_users_cannot_open_the_admin(alice) -> None:
    client = Client()
    client.force_login(alice)
    assert client.get(CHANGELIST).status_code == 302


def test_the_make_admin_action_promotes(admin_browser, alice) -> None:
    _action(admin_browser, "make_admin", alice)
    alice.refresh_from_db()
    assert alice.role == "admin"


def test_the_deactivate_action_ends_the_users_tokens(auth_on, admin_browser, alice, bearer) -> None:
    access = issue_token_pair(alice)["access"]
    _action(admin_browser, "deactivate", alice)
    alice.refresh_from_db()
    assert alice.is_active is False
    assert bearer(access).get("/api/auth/profile").status_code == 401


def test_the_revoke_tokens_action_logs_the_user_out_everywhere(auth_on, admin_browser, alice, bearer) -> None:
    access = issue_token_pair(alice)["access"]
    _action(admin_browser, "revoke_tokens", alice)
    assert bearer(access).get("/api/auth/profile").status_code == 401


def test_an_admin_cannot_demote_themself_in_the_admin(admin_browser, admin_user) -> None:
    response = _action(admin_browser, "make_user", admin_user)
    admin_user.refresh_from_db()
    assert admin_user.role == "admin"
    assert "cannot demote your own account" in response.content.decode()


def test_the_delete_action_keeps_the_guards(admin_browser, admin_user, alice) -> None:
    _action(admin_browser, "delete_users", admin_user, alice)
    assert list(User.objects.values_list("username", flat=True)) == ["admin"]


def test_the_admin_cannot_delete_themself_from_the_change_page(admin_browser, admin_user) -> None:
    assert admin_browser.get(f"{CHANGELIST}{admin_user.pk}/delete/").status_code == 403


def test_changing_a_password_in_the_admin_ends_the_users_tokens(
    auth_on, admin_browser, alice, bearer
) -> None:
    access = issue_token_pair(alice)["access"]
    new = "a-long-unusual-passphrase-7"
    response = admin_browser.post(
        f"{CHANGELIST}{alice.pk}/password/", {"password1": new, "password2": new, "usable_password": "true"}
    )
    assert response.status_code == 302
    assert bearer(access).get("/api/auth/profile").status_code == 401
