"""The Django admin as operators meet it: branded, readable app names, internal tables hidden."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_index(admin_user) -> str:
    client = Client()
    client.force_login(admin_user)
    return client.get("/admin/").content.decode()


def test_the_admin_is_branded(admin_index: str) -> None:
    assert "<title>Operator tools | Spotizerr admin</title>" in admin_index
    assert "Spotizerr administration" in admin_index


def test_apps_have_readable_names(admin_index: str) -> None:
    for name in (
        "Users and sign-in",
        "Settings and credentials",
        "Library and history",
        "Imported playlists",
    ):
        assert name in admin_index


@pytest.mark.parametrize(
    "hidden", ["/admin/sites/", "/admin/token_blacklist/", "/admin/account/emailaddress/"]
)
def test_internal_tables_are_hidden(admin_index: str, hidden: str) -> None:
    assert f'href="{hidden}' not in admin_index


def test_the_operator_tables_stay(admin_index: str) -> None:
    assert 'href="/admin/accounts/user/"' in admin_index
    assert 'href="/admin/socialaccount/socialaccount/"' in admin_index
