"""Shared personas and fixtures: an admin, two users (alice, bob), clients for each, and a
temporary library root. App-specific fixtures live in ``tests/<app>/conftest.py``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tokens import issue_token_pair

pytest_plugins = ["tests.fakes.spotify_fixtures", "tests.fakes.integration_fixtures", "tests.daphne_server"]

PASSWORD = "correct-horse-battery-9"


@pytest.fixture(autouse=True)
def _fresh_shared_cache(settings) -> None:
    """With Redis as the cache, state would leak between tests (the DB cache rolls back by itself)."""
    if settings.REDIS_URL:
        from django.core.cache import cache

        cache.clear()


@pytest.fixture(autouse=True)
def _no_known_users_from_other_tests() -> None:
    """Each web process keeps the users behind tokens (accounts.known_users); rolled-back tests
    would leave it rows that are gone."""
    from accounts.known_users import forget_all

    forget_all()


@pytest.fixture(autouse=True)
def _no_outside_services(settings) -> None:
    """Lyrics and genre lookups stay off unless a test points them at its local fake."""
    settings.LRCLIB_URL = ""
    settings.MUSICBRAINZ_URL = ""


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """Real hashing costs ~0.2 s a password; tests check logic, not key stretching."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def library_root(tmp_path: Path, settings) -> Path:
    """A fresh download directory, also the default ``downloadPath``."""
    root = tmp_path / "library"
    root.mkdir()
    settings.DOWNLOAD_DIR = root
    return root


@pytest.fixture
def inbox_root(tmp_path: Path, settings) -> Path:
    root = tmp_path / "inbox"
    root.mkdir()
    settings.INBOX_DIR = root
    return root


@pytest.fixture
def auth_on(settings) -> None:
    settings.AUTH_ENABLED = True


@pytest.fixture
def auth_off(settings) -> None:
    settings.AUTH_ENABLED = False


def _make_user(username: str, role: str) -> User:
    user = User(username=username, email=f"{username}@example.test", role=role)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def admin_user(db) -> User:
    return _make_user("admin", User.Role.ADMIN)


@pytest.fixture
def alice(db) -> User:
    return _make_user("alice", User.Role.USER)


@pytest.fixture
def bob(db) -> User:
    return _make_user("bob", User.Role.USER)


@pytest.fixture
def client_for() -> Callable[[User | None], APIClient]:
    """``client_for(user)``: an API client sending that user's bearer token (None: anonymous)."""

    def make(user: User | None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_token_pair(user)['access']}")
        return client

    return make


@pytest.fixture
def anon_client(client_for) -> APIClient:
    return client_for(None)


@pytest.fixture
def admin_client(client_for, admin_user) -> APIClient:
    return client_for(admin_user)


@pytest.fixture
def alice_client(client_for, alice) -> APIClient:
    return client_for(alice)


@pytest.fixture
def bob_client(client_for, bob) -> APIClient:
    return client_for(bob)
