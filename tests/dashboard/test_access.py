"""Who may open which page: login redirects, the admin gate, auth off, static files and the CSP."""

from __future__ import annotations

import pytest

from tests.dashboard.conftest import post

pytestmark = pytest.mark.django_db

MEMBER_PAGES = ["/", "/queue/", "/history/", "/history/stats/", "/watchlist/", "/profile/", "/search/"]
ADMIN_PAGES = [
    "/settings/",
    "/settings/formatting/",
    "/settings/sources/",
    "/settings/watch/",
    "/settings/conversion/",
    "/settings/credentials/",
    "/settings/users/",
]


@pytest.mark.parametrize("url", MEMBER_PAGES + ADMIN_PAGES)
def test_it_sends_anonymous_visitors_to_the_login_page(page_for, url) -> None:
    response = page_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("url", MEMBER_PAGES)
def test_it_opens_member_pages_for_a_plain_user(page_for, alice, url) -> None:
    assert page_for(alice).get(url).status_code == 200


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_it_refuses_admin_pages_to_a_plain_user(page_for, alice, url) -> None:
    response = page_for(alice).get(url)
    assert response.status_code == 403
    assert b"Only administrators may open this page." in response.content


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_it_opens_admin_pages_for_an_admin(page_for, admin_user, url) -> None:
    assert page_for(admin_user).get(url).status_code == 200


def test_it_refuses_admin_actions_to_a_plain_user(page_for, alice, bob) -> None:
    response = post(page_for(alice), f"/settings/users/{bob.username}/delete/")
    assert response.status_code == 403


def test_it_hides_the_settings_link_from_a_plain_user(page_for, alice) -> None:
    assert b'href="/settings/"' not in page_for(alice).get("/").content


def test_it_opens_directly_as_the_system_admin_when_auth_is_off(client, auth_off) -> None:
    response = client.get("/settings/")
    assert response.status_code == 200
    assert b"Log out" not in response.content


def test_it_sends_a_logged_in_visitor_away_from_the_login_page(page_for, alice) -> None:
    response = page_for(alice).get("/login/?next=/queue/")
    assert response.status_code == 302
    assert response["Location"] == "/queue/"


def test_it_refuses_a_form_post_without_the_csrf_token(page_for, alice) -> None:
    response = page_for(alice).post("/download/album/4aawyAB9vmqN3uQ7FjRGTy/")
    assert response.status_code == 403


def test_it_serves_its_static_files_itself_with_the_content_security_policy(client) -> None:
    response = client.get("/static/dashboard/app.css")
    assert response.status_code == 200
    assert "text/css" in response["Content-Type"]
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_it_refuses_static_paths_that_climb_out(client) -> None:
    assert client.get("/static/../spotizerr/settings.py").status_code == 404
    assert client.get("/static/dashboard/../../manage.py").status_code == 404


def test_its_pages_carry_no_inline_script_or_style(page_for, admin_user) -> None:
    body = page_for(admin_user).get("/settings/formatting/").content.decode()
    assert "<script>" not in body and " style=" not in body and "onclick" not in body
