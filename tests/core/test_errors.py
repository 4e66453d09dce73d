from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_unknown_api_url_answers_json_404(anon_client) -> None:
    response = anon_client.get("/api/does-not-exist/")
    assert response.status_code == 404
    assert response.json() == {"error": "Not found.", "details": None, "code": "not_found"}


@pytest.mark.django_db
def test_schema_is_served(anon_client) -> None:
    response = anon_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
