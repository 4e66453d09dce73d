"""The providers Spotizerr signs in with, on top of allauth's Google and GitHub support.

allauth's adapters fix their endpoint URLs when first imported and build the redirect URI
from the request; these subclasses read ``settings.SSO_*_URL`` on every use (so GitHub
Enterprise, or a test's fake provider, can stand in) and build the redirect URI from
``PUBLIC_URL`` (so it is exactly the one registered with the provider).
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.github.views import GitHubOAuth2Adapter
from allauth.socialaccount.providers.google.views import GoogleOAuth2Adapter
from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider
from allauth.socialaccount.providers.oauth2.views import OAuth2Adapter
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from accounts.sso.errors import SsoProviderUnknown


def sso_callback_url(provider_name: str) -> str:
    """The redirect URI to register with the provider: ``PUBLIC_URL/api/auth/sso/callback/<name>``."""
    path = reverse("sso-callback", kwargs={"provider": provider_name})
    return f"{settings.PUBLIC_URL.rstrip('/')}{path}"


class _PublicCallbackMixin:
    provider_id: str

    def get_callback_url(self, request: HttpRequest, app: SocialApp) -> str:
        return sso_callback_url(self.provider_id)


class GitHubSsoAdapter(_PublicCallbackMixin, GitHubOAuth2Adapter):
    @property
    def authorize_url(self) -> str:
        return f"{settings.SSO_GITHUB_URL.rstrip('/')}/login/oauth/authorize"

    @property
    def access_token_url(self) -> str:
        return f"{settings.SSO_GITHUB_URL.rstrip('/')}/login/oauth/access_token"

    @property
    def profile_url(self) -> str:
        return f"{settings.SSO_GITHUB_API_URL.rstrip('/')}/user"

    @property
    def emails_url(self) -> str:
        return f"{settings.SSO_GITHUB_API_URL.rstrip('/')}/user/emails"


class GoogleSsoAdapter(_PublicCallbackMixin, GoogleOAuth2Adapter):
    @property
    def authorize_url(self) -> str:
        return settings.SSO_GOOGLE_AUTHORIZE_URL

    @property
    def access_token_url(self) -> str:
        return settings.SSO_GOOGLE_TOKEN_URL

    @property
    def identity_url(self) -> str:
        return settings.SSO_GOOGLE_USERINFO_URL


class OidcSsoAdapter(_PublicCallbackMixin, OpenIDConnectOAuth2Adapter):
    """Any OpenID Connect provider: endpoints from its discovery document, the ID token checked
    against its JWKS, issuer and our client id by allauth."""


@dataclass(frozen=True)
class SsoProvider:
    """One supported provider: its URL name, the name people see, and how to talk to it."""

    name: str
    display_name: str
    adapter_class: type[OAuth2Adapter]
    client_id_setting: str

    def adapter(self, request: HttpRequest) -> OAuth2Adapter:
        return self.adapter_class(request)

    def allauth_provider(self, request: HttpRequest) -> OAuth2Provider:
        """allauth's provider bound to the app configured in settings (raises if unconfigured)."""
        client_id = (
            getattr(settings, self.client_id_setting, None) or None if self.client_id_setting else None
        )
        apps = get_adapter(request).list_apps(request, provider=self.name, client_id=client_id)
        if not apps:
            raise SsoProviderUnknown(f"Single sign-on with {self.display_name} is not configured.")
        return apps[0].get_provider(request)


SUPPORTED: dict[str, SsoProvider] = {
    provider.name: provider
    for provider in (
        SsoProvider("google", "Google", GoogleSsoAdapter, "GOOGLE_CLIENT_ID"),
        SsoProvider("github", "GitHub", GitHubSsoAdapter, "GITHUB_CLIENT_ID"),
    )
}


@dataclass(frozen=True)
class OidcSsoProvider(SsoProvider):
    """One ``SPOTIZERR_OIDC_<NAME>_*`` provider; allauth knows it by ``provider_id`` = ``name``."""

    def adapter(self, request: HttpRequest) -> OAuth2Adapter:
        return OidcSsoAdapter(request, self.name)


def all_providers() -> dict[str, SsoProvider]:
    """Google, GitHub and every OpenID Connect provider in the environment, in that order."""
    oidc = {
        item["name"]: OidcSsoProvider(item["name"], item["display_name"], OidcSsoAdapter, "")
        for item in settings.OIDC_PROVIDERS
    }
    return {**SUPPORTED, **oidc}


def supported_provider(name: str) -> SsoProvider:
    """A provider we know, configured or not (unlinking works after a provider is removed)."""
    known = all_providers()
    try:
        return known[name]
    except KeyError:
        raise SsoProviderUnknown(
            f"Unknown single sign-on provider {name!r}.", details={"supported": sorted(known)}
        ) from None


def configured_provider(name: str) -> SsoProvider:
    """A provider people can sign in with right now (SSO on, client id and secret set)."""
    provider = supported_provider(name)
    if name not in settings.SSO_PROVIDERS:
        raise SsoProviderUnknown(
            f"Single sign-on with {provider.display_name} is not enabled on this server.",
            details={"available": list(settings.SSO_PROVIDERS)},
        )
    return provider
