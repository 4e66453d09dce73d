from __future__ import annotations

import pytest
from django.test import Client

from accounts import services
from tests.conftest import PASSWORD


@pytest.fixture
def alice_session(alice, auth_on) -> Client:
    client = Client()
    assert client.login(username=alice.username, password=PASSWORD)
    return client


@pytest.mark.django_db
def test_a_session_authenticates_api_requests(alice_session) -> None:
    assert alice_session.get("/api/auth/profile").status_code == 200


@pytest.mark.django_db
def test_revoking_tokens_also_ends_sessions(alice, alice_session) -> None:
    services.user_revoke_tokens(user=alice)
    assert alice_session.get("/api/auth/profile").status_code == 401
