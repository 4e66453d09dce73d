"""Reads for single sign-on: which providers are offered and which a user has linked."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.urls import reverse

from accounts.models import User
from accounts.sso.providers import all_providers


@dataclass(frozen=True)
class SsoProviderOffer:
    name: str
    display_name: str
    login_url: str


def sso_providers_offered() -> list[SsoProviderOffer]:
    """The configured providers, in settings order, with the URL that starts a sign-in."""
    known = all_providers()
    return [
        SsoProviderOffer(name, known[name].display_name, reverse("sso-login", kwargs={"provider": name}))
        for name in settings.SSO_PROVIDERS
        if name in known
    ]


def sso_linked_providers(*, user: User) -> list[str]:
    """Names of the providers the user has linked, oldest link first, without repeats."""
    names = (
        SocialAccount.objects.filter(user=user)
        .order_by("date_joined", "pk")
        .values_list("provider", flat=True)
    )
    return list(dict.fromkeys(names))
