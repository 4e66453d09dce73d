from __future__ import annotations

import pytest
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.models import SocialAccount, SocialLogin

from accounts.sso.adapter import SpotizerrSocialAccountAdapter


def test_sso_status_lists_the_configured_providers_with_login_urls(sso_on, anon_client) -> None:
    response = anon_client.get("/api/auth/sso/status")

    assert response.status_code == 200
    assert response.json() == {
        "sso_enabled": True,
        "providers": [
            {"name": "google", "display_name": "Google", "login_url": "/api/auth/sso/login/google"},
            {"name": "github", "display_name": "GitHub", "login_url": "/api/auth/sso/login/github"},
        ],
        "registration_enabled": True,
    }


def test_sso_status_offers_nothing_when_sso_is_off(sso_on, settings, anon_client) -> None:
    settings.SSO_ENABLED = False
    settings.SSO_PROVIDERS = []
    settings.REGISTRATION_ENABLED = False

    body = anon_client.get("/api/auth/sso/status").json()

    assert body == {"sso_enabled": False, "providers": [], "registration_enabled": False}


def test_auth_status_lists_the_configured_providers(sso_on, settings, anon_client) -> None:
    settings.SSO_PROVIDERS = ["github"]

    body = anon_client.get("/api/auth/status").json()

    assert body["sso_enabled"] is True
    assert body["sso_providers"] == ["github"]


def test_allauths_own_provider_views_are_sent_to_ours(sso_on, rf) -> None:
    login = SocialLogin(account=SocialAccount(provider="github", uid="1"))

    with pytest.raises(ImmediateHttpResponse) as refused:
        SpotizerrSocialAccountAdapter(rf.get("/")).pre_social_login(rf.get("/"), login)

    assert refused.value.response.status_code == 404
