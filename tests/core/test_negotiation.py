"""spotizerr.negotiation: the shortcut answers what DRF's own negotiation answers."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("auth_off")]


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", "application/json; q=0.9, */*; q=0.1"])
def test_json_clients_get_json(client, accept) -> None:
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}

    response = client.get("/api/auth/status", **headers)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_an_unacceptable_accept_is_still_406_in_the_one_error_shape(client) -> None:
    response = client.get("/api/auth/status", HTTP_ACCEPT="text/csv")

    assert response.status_code == 406
    assert set(response.json()) == {"error", "details", "code"}


def test_format_override_still_goes_through_drf(client) -> None:
    assert client.get("/api/auth/status", {"format": "csv"}).status_code == 404
