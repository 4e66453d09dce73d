"""The API kit (spotizerr/api.py): one error body in the schema, every error code listed once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from drf_spectacular.generators import SchemaGenerator

from spotizerr.api import ErrorCode
from spotizerr.middleware import _MESSAGES

APP_DIRS = (
    "accounts",
    "settings_app",
    "library_history",
    "downloads",
    "playlist_imports",
    "watching",
    "spotizerr",
)
# a literal error code handed to an ApiError, json_error or error_body, or a class's default_code
CODE_LITERAL = re.compile(r'(?:\bcode=|default_code = )"([a-z_]+)"')


def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _error_shaped(component: dict) -> bool:
    return set(component.get("properties", {})) == {"error", "details", "code"}


@pytest.mark.django_db
def test_the_schema_has_one_error_component() -> None:
    components = _schema()["components"]["schemas"]
    assert [name for name, body in components.items() if _error_shaped(body)] == ["ErrorResponse"]


@pytest.mark.django_db
def test_every_error_response_in_the_schema_is_the_error_body() -> None:
    refs = set()
    for operations in _schema()["paths"].values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                if int(status) >= 400:
                    schema = response["content"]["application/json"]["schema"]
                    refs.add(schema["$ref"].rsplit("/", 1)[-1])
    # a duplicate download's 409 is the error body plus ``existing_task``
    assert refs == {"ErrorResponse", "DownloadConflict"}


def test_every_error_code_in_the_code_is_an_error_code_member() -> None:
    members = {code.value for code in ErrorCode}
    found = {code: "spotizerr/middleware.py" for _, code in _MESSAGES.values()}
    for app in APP_DIRS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            for code in CODE_LITERAL.findall(path.read_text()):
                found.setdefault(code, str(path))
    missing = {code: where for code, where in found.items() if code not in members}
    assert not missing, f"add these to spotizerr.api.ErrorCode and docs/api.md: {missing}"


def test_docs_api_lists_every_error_code() -> None:
    text = (Path(settings.BASE_DIR) / "docs" / "api.md").read_text()
    unlisted = [code.value for code in ErrorCode if f"`{code.value}`" not in text]
    assert not unlisted, f"docs/api.md does not list: {unlisted}"
