from __future__ import annotations

import pytest
from django.test import Client

from settings_app.models import Credential
from tests.settings_app.conftest import SECRET

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_browser(admin_user) -> Client:
    browser = Client()
    browser.force_login(admin_user)
    return browser


def test_the_credential_list_shows_the_secret_masked(admin_browser, spotify_set) -> None:
    page = admin_browser.get("/admin/settings_app/credential/").content.decode()
    assert "****9f2c" in page and SECRET not in page


def test_the_credential_page_shows_neither_the_secret_nor_its_ciphertext(admin_browser, spotify_set) -> None:
    page = admin_browser.get(f"/admin/settings_app/credential/{spotify_set.pk}/change/").content.decode()
    assert "****9f2c" in page
    assert SECRET not in page and spotify_set.client_secret_encrypted not in page


def test_adding_a_set_in_the_admin_encrypts_the_secret(admin_browser, key_dir) -> None:
    admin_browser.post(
        "/admin/settings_app/credential/add/",
        {"service": "deezer", "name": "home", "client_id": "cid", "client_secret": "admin-typed-secret"},
    )
    credential = Credential.objects.get(service="deezer", name="home")
    assert credential.client_secret == "admin-typed-secret"
    assert "admin-typed-secret" not in credential.client_secret_encrypted


def test_saving_a_set_with_an_empty_secret_keeps_the_stored_one(admin_browser, spotify_set) -> None:
    admin_browser.post(
        f"/admin/settings_app/credential/{spotify_set.pk}/change/",
        {"client_id": "changed-id", "client_secret": ""},
    )
    spotify_set.refresh_from_db()
    assert (spotify_set.client_id, spotify_set.client_secret) == ("changed-id", SECRET)
