"""Every ``/api`` route answers with and without its trailing slash, for every method, without a
redirect (issue 18 point 11): a 301 turns a client's ``POST /api/config`` into a GET that saves nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.models import User
from settings_app import selectors

_SAMPLE = {
    "task_id": "00000000-0000-4000-8000-000000000000",
    "download_type": "track",
    "position": "1",
    "server_id": "1",
    "target_id": "1",
}
_METHODS = ("get", "post", "put", "patch", "delete")


def _operations() -> list[tuple[str, str]]:
    paths: dict[str, Any] = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    operations = []
    for template, item in paths.items():
        path = re.sub(r"\{(\w+)\}", lambda m: _SAMPLE.get(m.group(1), "x"), template)
        operations += [(method, path) for method in _METHODS if method in item]
    return operations


def _twin(path: str) -> str:
    return path[:-1] if path.endswith("/") else path + "/"


@pytest.mark.django_db
def test_every_api_operation_answers_without_and_with_its_trailing_slash_and_never_redirects(
    auth_on: None,
) -> None:
    """GIVEN every operation of the schema, called anonymously (401 before any side effect)
    WHEN it is called as published and with the trailing slash toggled
    THEN neither form is a redirect to the other, and neither is an unknown route (404)."""
    client = APIClient()
    operations = _operations()
    assert len(operations) > 60  # the whole API, not a sample
    problems = []
    for method, path in operations:
        for form in (path, _twin(path)):
            response = getattr(client, method)(form, {}, format="json")
            location = response.get("Location", "")
            if response.status_code in (301, 308) or location.endswith(_twin(form)):
                problems.append(f"{method.upper()} {form} -> {response.status_code} {location}")
            elif response.status_code == 404 and response.json().get("code") == "not_found":
                problems.append(f"{method.upper()} {form} -> unknown route")
    assert problems == []


@pytest.mark.django_db
def test_post_to_config_without_the_slash_saves(admin_client: APIClient, admin_user: User) -> None:
    response = admin_client.post("/api/config", {"maxConcurrentDownloads": 7}, format="json")

    assert response.status_code == 200
    assert selectors.get_config()["maxConcurrentDownloads"] == 7


@pytest.mark.django_db
def test_put_to_config_watch_with_a_slash_saves(admin_client: APIClient, admin_user: User) -> None:
    response = admin_client.put("/api/config/watch/", {"check_interval": 7200}, format="json")

    assert response.status_code == 200
    assert selectors.get_watch_config()["check_interval"] == 7200
