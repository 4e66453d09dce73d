"""Helpers for the accounts tests: log in through the API and make clients from raw tokens."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from tests.conftest import PASSWORD


@pytest.fixture
def login() -> Callable[..., object]:
    """``login(username, password=PASSWORD, address="127.0.0.1")``: POST /api/auth/login."""

    def do(username: str, password: str = PASSWORD, address: str = "127.0.0.1", **extra: str):
        return APIClient().post(
            "/api/auth/login",
            {"username": username, "password": password},
            format="json",
            REMOTE_ADDR=address,
            **extra,
        )

    return do


@pytest.fixture
def bearer() -> Callable[[str], APIClient]:
    """``bearer(access_token)``: an API client sending that token."""

    def make(token: str) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return client

    return make
