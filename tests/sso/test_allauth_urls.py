"""allauth's own provider URLs under ``/accounts/`` are not how Spotizerr signs in (``/api/auth/sso``
is), but they are routed: a provider that is not configured must answer 404, not crash with a 500."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("provider", ["github", "google"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_login_url_of_an_unconfigured_provider_is_404(auth_on, settings, provider, method) -> None:
    settings.SSO_PROVIDERS = []
    response = getattr(Client(), method)(f"/accounts/{provider}/login/")
    assert response.status_code == 404


@pytest.mark.parametrize("provider", ["github", "google"])
def test_the_callback_url_of_an_unconfigured_provider_is_404(auth_on, settings, provider) -> None:
    settings.SSO_PROVIDERS = []
    response = Client().get(f"/accounts/{provider}/login/callback/?code=x&state=y")
    assert response.status_code == 404
