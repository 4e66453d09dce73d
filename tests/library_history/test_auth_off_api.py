"""With auth off every request acts as the built-in system admin, who sees all history."""

from __future__ import annotations

import pytest

from tests.library_history.factories import record_download

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("auth_off")]


def test_with_auth_off_the_system_admin_sees_everyones_downloads(alice, bob, anon_client) -> None:
    record_download(alice)
    record_download(bob)
    assert anon_client.get("/api/history/").json()["pagination"]["total"] == 2


def test_with_auth_off_cleanup_is_allowed(alice, anon_client) -> None:
    response = anon_client.post("/api/history/cleanup", {"days_old": 1}, format="json")
    assert response.status_code == 200
