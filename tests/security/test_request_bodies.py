"""Bodies a probe sends to break the parser: JSON nested 2,000 levels deep and bodies over the upload
limit. Every endpoint that reads a JSON body answers in the one error shape (400 ``invalid_json``, 413
``too_large``), never a 500, and logs no traceback."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client

from tests.security.endpoints import MATRIX

pytestmark = pytest.mark.django_db

DEEP_JSON = "[" * 2000 + "]" * 2000
BODY_ROWS = {key: row for key, row in MATRIX.items() if row.body is not None}


def _send(client: Any, method: str, url: str, body: str) -> Any:
    return client.generic(method, url, body, content_type="application/json")


def _assert_no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    logged = [record for record in caplog.records if record.exc_info or record.levelno >= logging.ERROR]
    assert not logged, [record.getMessage() for record in logged]


def test_deeply_nested_json_to_the_anonymous_login_is_400_invalid_json(auth_on, anon_client, caplog) -> None:
    response = _send(anon_client, "POST", "/api/auth/login", DEEP_JSON)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_json" and set(body) == {"error", "details", "code"}
    assert "nested deeper" in body["details"]
    _assert_no_traceback(caplog)


def test_json_just_under_the_depth_limit_is_parsed(auth_on, admin_client) -> None:
    """A body nested 64 levels is JSON like any other: the endpoint validates it (400 ``invalid``)."""
    response = _send(admin_client, "POST", "/api/history/cleanup", "[" * 64 + "]" * 64)
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_malformed_json_is_also_invalid_json(auth_on, anon_client) -> None:
    response = _send(anon_client, "POST", "/api/auth/login", '{"username": ')
    assert response.status_code == 400 and response.json()["code"] == "invalid_json"


@pytest.mark.parametrize(("endpoint", "row"), list(BODY_ROWS.items()), ids=[f"{m} {p}" for p, m in BODY_ROWS])
def test_every_json_endpoint_answers_deep_json_with_400_invalid_json(
    endpoint, row, auth_on, library_root, inbox_root, admin_client, bob, owned, caplog
) -> None:
    url = row.url.format(**owned(row.access))
    response = _send(admin_client, endpoint[1], url, DEEP_JSON)
    assert (response.status_code, response.json()["code"]) == (400, "invalid_json")
    _assert_no_traceback(caplog)


@pytest.mark.parametrize(("endpoint", "row"), list(BODY_ROWS.items()), ids=[f"{m} {p}" for p, m in BODY_ROWS])
def test_every_json_endpoint_answers_a_3_mb_body_with_413(
    endpoint, row, auth_on, library_root, inbox_root, admin_client, bob, owned, caplog
) -> None:
    url = row.url.format(**owned(row.access))
    response = _send(admin_client, endpoint[1], url, '{"x": "' + "a" * 3_000_000 + '"}')
    assert response.status_code == 413
    assert response.json() == {
        "error": "Request body too large: send at most 2621440 bytes.",
        "details": {"limit_bytes": 2621440},
        "code": "too_large",
    }
    _assert_no_traceback(caplog)


def test_a_3_mb_dashboard_login_form_is_413_with_a_page_saying_why(auth_on) -> None:
    response = Client().post("/login/", {"username": "a" * 3_000_000, "password": "x"})
    assert response.status_code == 413
    assert b"Request too large" in response.content and b"2.62144 MB" in response.content


@pytest.mark.django_db(transaction=True)
def test_over_real_http_both_bodies_get_their_4xx_from_the_served_application(auth_on, daphne_server) -> None:
    """The probe's reproductions against daphne serving the real ASGI application."""
    import httpx

    base = daphne_server()
    deep = httpx.post(
        f"{base}/api/auth/login", content=DEEP_JSON, headers={"Content-Type": "application/json"}, timeout=30
    )
    assert (deep.status_code, deep.json()["code"]) == (400, "invalid_json")
    big = httpx.post(
        f"{base}/api/auth/login",
        content=b'{"username": "' + b"a" * 3_000_000 + b'"}',
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert (big.status_code, big.json()["code"]) == (413, "too_large")
