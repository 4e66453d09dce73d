"""The OAuth 2.0 conversation with a provider, through allauth's machinery.

``authorize_url_build`` stashes a random ``state`` (and the PKCE verifier, where the provider
supports it) in the session; ``callback_exchange`` consumes that state, trades the code for a
token and returns allauth's ``SocialLogin`` (the provider account, its emails and whether they
are verified). Deciding which local user that is happens in ``accounts.sso.services``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from allauth.socialaccount.internal import statekit
from allauth.socialaccount.models import SocialLogin
from allauth.socialaccount.providers.base import ProviderException
from allauth.socialaccount.providers.base.constants import AuthProcess
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from django.http import HttpRequest
from requests import RequestException

from accounts.sso.errors import SsoAccessDenied, SsoProviderError, SsoStateInvalid
from accounts.sso.providers import SsoProvider


def authorize_url_build(*, request: HttpRequest, provider: SsoProvider, link_for: int | None = None) -> str:
    """The provider's authorize URL for this browser, with a fresh state (and PKCE challenge).

    With ``link_for`` (the signed-in user's id) the callback links the provider account to that
    user instead of signing in: the state records the process and the user."""
    social = provider.allauth_provider(request)
    oauth = provider.adapter(request)
    try:  # an OpenID Connect provider's endpoints come from its discovery document, fetched here
        client = oauth.get_client(request, social.app)
        authorize_url = oauth.authorize_url
    except (RequestException, KeyError, ValueError) as exc:
        raise SsoProviderError(
            f"{provider.display_name} cannot be reached to start the sign-in; try again later.",
            details={"reason": str(exc)[:300]},
        ) from exc
    params = social.get_auth_params()
    pkce = social.get_pkce_params()
    verifier = pkce.pop("code_verifier", None)
    params.update(pkce)
    process = AuthProcess.LOGIN if link_for is None else AuthProcess.CONNECT
    client.state = social.stash_redirect_state(
        request, process, data={"link_for": link_for}, pkce_code_verifier=verifier
    )
    return client.get_redirect_url(authorize_url, social.get_scope(), params)


def callback_exchange(*, request: HttpRequest, provider: SsoProvider) -> SocialLogin:
    """Check the callback's state, then exchange its code for the provider account.

    Raises ``SsoStateInvalid`` (missing/unknown state), ``SsoAccessDenied`` (consent declined)
    or ``SsoProviderError`` (the provider reported an error or its token/profile call failed).
    """
    social = provider.allauth_provider(request)
    state = _state_consume(request, provider_id=social.sub_id)
    _raise_for_error_params(request.GET, provider)
    oauth = provider.adapter(request)
    client = oauth.get_client(request, social.app)
    try:
        data = oauth.get_access_token_data(
            request, social.app, client, pkce_code_verifier=state.get("pkce_code_verifier")
        )
        token = oauth.parse_token(data)
        login = oauth.complete_login(request, social.app, token, response=data)
    except (OAuth2Error, RequestException, ProviderException, KeyError, ValueError) as exc:
        raise SsoProviderError(
            f"{provider.display_name} did not complete the sign-in; try again later.",
            details={"reason": str(exc)[:300]},
        ) from exc
    login.token = token
    login.state = state
    return login


def _state_consume(request: HttpRequest, *, provider_id: str) -> dict[str, Any]:
    state_id = request.GET.get("state", "")
    state = statekit.unstash_state(request, state_id=state_id, provider_id=provider_id) if state_id else None
    if state is None:
        raise SsoStateInvalid()
    return state


def _raise_for_error_params(params: Mapping[str, str], provider: SsoProvider) -> None:
    error = params.get("error")
    if error == "access_denied":
        raise SsoAccessDenied(f"You declined access at {provider.display_name}, so you were not signed in.")
    if error or not params.get("code"):
        raise SsoProviderError(
            f"{provider.display_name} reported an error instead of signing you in.",
            details={"error": error or "missing_code", "description": params.get("error_description", "")},
        )
