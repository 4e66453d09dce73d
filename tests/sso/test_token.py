"""``POST /api/auth/sso/token``: API clients trade the session a sign-in left for a JWT pair."""

from __future__ import annotations

from django.test import Client
from rest_framework.test import APIClient

JSON = "application/json"


def _signed_in(sso_browser, account) -> None:
    sso_browser.fake.sign_in("github", account)
    assert sso_browser.sign_in("github").landed_on == "/"


def _csrf(sso_browser) -> str:
    return sso_browser.client.cookies["csrftoken"].value


def test_the_session_from_a_sign_in_gets_a_jwt_pair_and_the_user(sso_browser, octocat) -> None:
    _signed_in(sso_browser, octocat)

    response = sso_browser.client.post(
        "/api/auth/sso/token", content_type=JSON, HTTP_X_CSRFTOKEN=_csrf(sso_browser)
    )

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["user"]["username"] == "octocat"
    assert body["user"]["sso_provider"] == "github"
    assert body["user"]["is_sso_user"] is True


def test_the_issued_access_token_authenticates_api_calls(sso_browser, octocat) -> None:
    _signed_in(sso_browser, octocat)
    access = sso_browser.client.post(
        "/api/auth/sso/token", content_type=JSON, HTTP_X_CSRFTOKEN=_csrf(sso_browser)
    ).json()["access_token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")

    response = api.get("/api/auth/profile")

    assert response.status_code == 200
    assert response.json()["username"] == "octocat"


def test_the_token_exchange_requires_the_csrf_token(sso_browser, octocat) -> None:
    _signed_in(sso_browser, octocat)

    response = sso_browser.client.post("/api/auth/sso/token", content_type=JSON)

    assert response.status_code == 403
    assert "error" in response.json()


def test_the_token_exchange_without_a_session_is_401(sso_on) -> None:
    response = Client(enforce_csrf_checks=True).post("/api/auth/sso/token")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_bearer_token_alone_cannot_mint_new_tokens(sso_on, alice_client) -> None:
    assert alice_client.post("/api/auth/sso/token").status_code == 401


def test_the_token_exchange_answers_no_store(sso_browser, octocat) -> None:
    _signed_in(sso_browser, octocat)

    response = sso_browser.client.post(
        "/api/auth/sso/token", content_type=JSON, HTTP_X_CSRFTOKEN=_csrf(sso_browser)
    )

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
