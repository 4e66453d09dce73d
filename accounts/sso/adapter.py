"""allauth's social-account adapter for Spotizerr (``SOCIALACCOUNT_ADAPTER``).

Sign-in runs through ``/api/auth/sso/`` (``accounts.sso.views``), which applies Spotizerr's rules
for linking and registration. allauth also mounts its own provider views under ``/accounts/``;
this adapter keeps them from becoming a second, different way in.
"""

from __future__ import annotations

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from django.conf import settings
from django.http import Http404, HttpRequest
from django.urls import reverse

from spotizerr.errors import json_error


class ProviderNotConfigured(SocialApp.DoesNotExist, Http404):
    """No app for that provider: still allauth's ``DoesNotExist`` for code that catches it, and a
    404 (not a 500) where it escapes a view, e.g. ``/accounts/github/login/`` with GitHub unset."""


class SpotizerrSocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_app(self, request: HttpRequest, provider: str, client_id: str | None = None) -> SocialApp:
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            raise ProviderNotConfigured(f"Single sign-on with {provider} is not configured.") from None

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return bool(settings.REGISTRATION_ENABLED)

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        """Only allauth's own views call this hook (ours do not): send them to ours instead."""
        provider = sociallogin.account.provider
        raise ImmediateHttpResponse(
            json_error(
                "Sign in through Spotizerr's single sign-on endpoint instead.",
                status_code=404,
                code="sso_use_api",
                details={"login_url": reverse("sso-login", kwargs={"provider": provider})},
            )
        )
