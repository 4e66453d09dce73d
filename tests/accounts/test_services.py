"""Account services called outside the API: start-up and the login check other paths share."""

from __future__ import annotations

import pytest

from accounts import services
from accounts.errors import InvalidCredentials, LoginThrottled
from accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_env(settings) -> None:
    settings.AUTH_ENABLED = True
    settings.ADMIN_USERNAME = "boss"
    settings.ADMIN_PASSWORD = "initial-admin-passphrase-1"


def test_the_initial_admin_is_created_from_the_environment(admin_env) -> None:
    assert services.ensure_initial_admin() == "Created admin user 'boss'."
    boss = User.objects.get(username="boss")
    assert boss.is_admin and boss.check_password("initial-admin-passphrase-1")


def test_the_initial_admin_is_not_created_when_someone_exists(admin_env, alice) -> None:
    assert services.ensure_initial_admin() is None
    assert not User.objects.filter(username="boss").exists()


def test_the_initial_admin_is_not_created_with_auth_off(admin_env, settings) -> None:
    settings.AUTH_ENABLED = False
    assert services.ensure_initial_admin() is None


def test_the_initial_admin_ignores_the_system_user(admin_env) -> None:
    User.objects.create(username="system", is_system=True, role="admin")
    assert services.ensure_initial_admin() is not None


def test_login_authenticate_returns_the_user(alice) -> None:
    user = services.login_authenticate(username="alice", password=PASSWORD, address="192.0.2.1")
    assert user == alice


def test_login_authenticate_raises_invalid_credentials(alice) -> None:
    with pytest.raises(InvalidCredentials):
        services.login_authenticate(username="alice", password="nope", address="192.0.2.1")


def test_login_authenticate_raises_throttled_with_the_wait(alice, settings) -> None:
    for _ in range(settings.LOGIN_FAILURES_PER_USERNAME):
        with pytest.raises(InvalidCredentials):
            services.login_authenticate(username="alice", password="nope", address="192.0.2.1")
    with pytest.raises(LoginThrottled) as raised:
        services.login_authenticate(username="alice", password=PASSWORD, address="192.0.2.1")
    assert 0 < raised.value.wait <= settings.LOGIN_COOLOFF_SECONDS


def test_the_throttle_check_is_none_for_a_clean_slate() -> None:
    assert services.login_throttle_check(username="alice", address="192.0.2.1") is None
