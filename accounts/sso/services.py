"""Writes for single sign-on: finishing a sign-in (log in, link or register), linking a provider to
the signed-in user from the profile, and unlinking.

Which local user a provider account signing in is, in order:
1. the user already linked to that provider account;
2. else the one user whose email equals a *verified* email of the provider account (linked now);
3. else a new ``user`` (unless registration is disabled).
"""

from __future__ import annotations

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.socialaccount.models import SocialAccount, SocialLogin, SocialToken
from allauth.socialaccount.providers.base.constants import AuthProcess
from django.conf import settings
from django.contrib.auth import login as session_login
from django.db import transaction
from django.http import HttpRequest

from accounts.models import User
from accounts.sso import oauth, selectors
from accounts.sso.errors import (
    SsoAccountInactive,
    SsoAccountTaken,
    SsoAlreadyLinked,
    SsoEmailAmbiguous,
    SsoEmailUnverified,
    SsoLinkSignedOut,
    SsoNotLinked,
    SsoRegistrationClosed,
    SsoUnlinkRefused,
)
from accounts.sso.providers import SsoProvider

_SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


def sso_callback_complete(*, request: HttpRequest, provider: SsoProvider) -> bool:
    """Finish the provider's callback. A link started from the profile links the provider account to
    the signed-in user (True); a sign-in finds, links or creates the user and logs the browser in
    (False).

    Raises the ``accounts.sso.errors`` refusals; nothing is written when one is raised.
    """
    login = oauth.callback_exchange(request=request, provider=provider)
    if login.state.get("process") == AuthProcess.CONNECT:
        user = _linking_user(request, (login.state.get("data") or {}).get("link_for"))
        sso_account_link(request=request, user=user, login=login, provider_name=provider.name)
        return True
    user = sso_user_resolve(request=request, login=login, provider_name=provider.name)
    session_login(request, user, backend=_SESSION_BACKEND)
    return False


@transaction.atomic
def sso_account_link(*, request: HttpRequest, user: User, login: SocialLogin, provider_name: str) -> User:
    """Link the provider account of ``login`` to ``user``, who signed in to both. No email check:
    the person proved they hold both accounts."""
    account = _linked_account(login)
    if account is not None and account.user_id != user.pk:
        raise SsoAccountTaken()
    if account is not None:  # linked already: linking again only refreshes it
        _account_refresh(account, login)
        return user
    if SocialAccount.objects.filter(user=user, provider=login.account.provider).exists():
        raise SsoAlreadyLinked()
    if not user.sso_provider:
        user.sso_provider = provider_name
    login.user = user
    login.save(request, connect=True)  # saves the user; the SocialAccount and token now belong to it
    return user


@transaction.atomic
def sso_user_resolve(*, request: HttpRequest, login: SocialLogin, provider_name: str) -> User:
    """The local user for a provider account, linking or registering it when needed."""
    account = _linked_account(login)
    if account is not None:
        _ensure_active(account.user)
        _account_refresh(account, login)
        return account.user
    email = _verified_email(login)
    if email is None:
        raise SsoEmailUnverified()
    user = _user_with_email(email)
    if user is None:
        return _user_register(request=request, login=login, email=email, provider_name=provider_name)
    _ensure_active(user)
    user.sso_provider = provider_name
    login.user = user
    login.save(request, connect=True)  # saves the user; the SocialAccount and token now belong to it
    return user


@transaction.atomic
def sso_account_unlink(*, user: User, provider_name: str) -> User:
    """Remove the user's link to ``provider_name``, keeping at least one way to log in.

    Raises ``SsoNotLinked`` when there is no such link and ``SsoUnlinkRefused`` when the user
    has no usable password and no other configured provider linked.
    """
    links = SocialAccount.objects.filter(user=user, provider=provider_name)
    if not links.exists():
        raise SsoNotLinked()
    others = [name for name in selectors.sso_linked_providers(user=user) if name != provider_name]
    if not user.has_usable_password() and not set(others) & set(settings.SSO_PROVIDERS):
        raise SsoUnlinkRefused()
    links.delete()
    if user.sso_provider == provider_name or not others:
        user.sso_provider = others[0] if others else None
        user.save(update_fields=["sso_provider"])
    return user


def _linked_account(login: SocialLogin) -> SocialAccount | None:
    """The stored link of the provider account ``login`` signed in to, with its user; None if none."""
    return (
        SocialAccount.objects.select_related("user")
        .filter(provider=login.account.provider, uid=login.account.uid)
        .first()
    )


def _linking_user(request: HttpRequest, user_id: object) -> User:
    """The user who started linking, if this browser is still signed in as them."""
    user = request.user
    if not user.is_authenticated or user.pk != user_id:
        raise SsoLinkSignedOut()
    _ensure_active(user)
    return user


def _ensure_active(user: User) -> None:
    if not user.is_active or user.is_system:
        raise SsoAccountInactive()


def _account_refresh(account: SocialAccount, login: SocialLogin) -> None:
    """Keep the stored profile and token current, as allauth does on each login."""
    account.extra_data = login.account.extra_data
    account.save(update_fields=["extra_data", "last_login"])
    token = login.token
    if token is not None and settings.SOCIALACCOUNT_STORE_TOKENS:
        SocialToken.objects.update_or_create(
            account=account,
            app=None,
            defaults={
                "token": token.token,
                "token_secret": token.token_secret,
                "expires_at": token.expires_at,
            },
        )
    if not account.user.sso_provider:
        account.user.sso_provider = account.provider
        account.user.save(update_fields=["sso_provider"])


def _verified_email(login: SocialLogin) -> str | None:
    verified = [address for address in login.email_addresses if address.verified]
    verified.sort(key=lambda address: not address.primary)
    return verified[0].email.lower() if verified else None


def _user_with_email(email: str) -> User | None:
    matches = list(User.objects.filter(email__iexact=email, is_system=False)[:2])
    if len(matches) > 1:
        raise SsoEmailAmbiguous()
    return matches[0] if matches else None


def _user_register(*, request: HttpRequest, login: SocialLogin, email: str, provider_name: str) -> User:
    if not settings.REGISTRATION_ENABLED:
        raise SsoRegistrationClosed()
    user = login.user  # unsaved, filled from the profile by allauth
    assert isinstance(user, User)
    user.username = get_account_adapter(request).generate_unique_username(
        [user.username, email, user.first_name, user.last_name, "user"]
    )
    user.email = email
    user.role = User.Role.USER
    user.sso_provider = provider_name
    user.set_unusable_password()
    login.save(request)  # the user, the SocialAccount, its token and the EmailAddress rows
    return user
