"""User management (admins) and the profile page (everyone)."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from tests.conftest import PASSWORD
from tests.dashboard.conftest import messages_of, post

pytestmark = pytest.mark.django_db


def test_an_admin_creates_a_user(page_for, admin_user) -> None:
    response = post(
        page_for(admin_user),
        "/settings/users/",
        {"username": "carol", "email": "", "password": PASSWORD, "role": "user"},
        follow=True,
    )
    assert User.objects.filter(username="carol", role="user").exists()
    assert "Created user 'carol'." in messages_of(response)


def test_user_creation_errors_sit_next_to_the_field(page_for, admin_user) -> None:
    response = post(
        page_for(admin_user),
        "/settings/users/",
        {"username": "carol", "email": "", "password": "short", "role": "user"},
    )
    assert response.status_code == 400
    assert 'id="id_password_error">This password is too short.' in response.content.decode()


def test_an_admin_changes_a_role_resets_a_password_and_deletes(page_for, admin_user, alice) -> None:
    page = page_for(admin_user)
    post(page, "/settings/users/alice/role/", {"role": "admin"})
    alice.refresh_from_db()
    assert alice.role == "admin"
    post(page, "/settings/users/alice/password/", {"new_password": "another-long-pass-77"})
    alice.refresh_from_db()
    assert alice.check_password("another-long-pass-77")
    post(page, "/settings/users/alice/delete/")
    assert not User.objects.filter(username="alice").exists()


def test_an_admin_cannot_delete_themselves_and_is_told_why(page_for, admin_user) -> None:
    response = post(page_for(admin_user), "/settings/users/admin/delete/", follow=True)
    assert "You cannot delete your own account; ask another admin." in messages_of(response)


def test_a_user_changes_their_password_and_stays_logged_in(page_for, alice) -> None:
    page = page_for(alice)
    response = post(
        page, "/profile/", {"current_password": PASSWORD, "new_password": "brand-new-pass-4242"}, follow=True
    )
    assert "Password changed; your other sessions and tokens ended." in messages_of(response)
    assert page.get("/queue/").status_code == 200
    alice.refresh_from_db()
    assert alice.check_password("brand-new-pass-4242")


def test_a_wrong_current_password_is_shown_next_to_its_field(page_for, alice) -> None:
    response = post(
        page_for(alice), "/profile/", {"current_password": "nope", "new_password": "brand-new-pass-4242"}
    )
    assert response.status_code == 400
    assert 'id="id_current_password_error">The current password is wrong.' in response.content.decode()


def test_the_profile_shows_sso_link_status(page_for, alice, settings) -> None:
    from allauth.socialaccount.models import SocialAccount

    settings.SSO_PROVIDERS = ["github"]
    SocialAccount.objects.create(user=alice, provider="github", uid="42")
    body = page_for(alice).get("/profile/").content.decode()
    assert "GitHub" in body and "linked" in body and 'action="/profile/sso/github/unlink/"' in body


def test_a_user_unlinks_a_provider(page_for, alice, settings) -> None:
    from allauth.socialaccount.models import SocialAccount

    settings.SSO_PROVIDERS = ["github"]
    SocialAccount.objects.create(user=alice, provider="github", uid="42")
    response = post(page_for(alice), "/profile/sso/github/unlink/", follow=True)
    assert "Unlinked GitHub." in messages_of(response)
    assert not SocialAccount.objects.filter(user=alice).exists()


def test_with_auth_off_the_profile_explains_there_is_no_password(auth_off) -> None:
    body = Client().get("/profile/").content.decode()
    assert "Authentication is turned off" in body
