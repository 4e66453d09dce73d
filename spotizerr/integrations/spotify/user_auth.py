"""Signing a user in at Spotify: Authorization Code with PKCE through spotipy's ``SpotifyPKCE`` (no client
secret), and refreshing that user's token. Nothing is stored here; callers keep the verifier and tokens.

    start = authorize_start(client_id=..., redirect_uri=..., state=...)   # -> AuthorizeStart(url, verifier)
    grant = code_exchange(client_id=..., redirect_uri=..., code=..., verifier=start.verifier)
    grant = token_refresh(client_id=..., refresh_token=grant.refresh_token)

The Accounts service base comes from ``settings.SPOTIFY_ACCOUNTS_URL`` (``/authorize``, ``/api/token``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import requests
from django.conf import settings
from spotipy.cache_handler import MemoryCacheHandler
from spotipy.exceptions import SpotifyOauthError
from spotipy.oauth2 import SpotifyPKCE

from spotizerr.integrations.spotify.errors import SpotifyLinkFailed, SpotifyUnavailable

SCOPES = (
    "playlist-read-private",
    "playlist-read-collaborative",
    "user-library-read",
    "user-follow-read",
)


@dataclass(frozen=True)
class AuthorizeStart:
    url: str
    verifier: str


@dataclass(frozen=True)
class Grant:
    access_token: str
    refresh_token: str
    expires_at: float  # epoch seconds
    scopes: tuple[str, ...]


def _pkce(client_id: str, redirect_uri: str) -> SpotifyPKCE:
    base = settings.SPOTIFY_ACCOUNTS_URL.rstrip("/")
    auth = SpotifyPKCE(
        client_id=client_id,
        redirect_uri=redirect_uri,
        scope=" ".join(SCOPES),
        open_browser=False,
        cache_handler=MemoryCacheHandler(),
        requests_timeout=settings.SPOTIFY_TIMEOUT_SECONDS,
    )
    auth.OAUTH_AUTHORIZE_URL = f"{base}/authorize"  # instance attributes: the configured service
    auth.OAUTH_TOKEN_URL = f"{base}/api/token"
    return auth


def authorize_start(*, client_id: str, redirect_uri: str, state: str) -> AuthorizeStart:
    """The address to send the user's browser to, and the PKCE verifier to keep until the callback."""
    auth = _pkce(client_id, redirect_uri)
    auth.get_pkce_handshake_parameters()
    return AuthorizeStart(url=auth.get_authorize_url(state=state), verifier=auth.code_verifier)


def _grant(info: dict, previous_refresh: str = "") -> Grant:
    return Grant(
        access_token=info["access_token"],
        refresh_token=info.get("refresh_token") or previous_refresh,
        expires_at=float(info.get("expires_at") or time.time() + int(info.get("expires_in", 3600))),
        scopes=tuple(str(info.get("scope") or "").split()),
    )


def code_exchange(*, client_id: str, redirect_uri: str, code: str, verifier: str) -> Grant:
    """Trade the callback's ``code`` for tokens. Raises ``SpotifyLinkFailed`` when Spotify refuses it,
    ``SpotifyUnavailable`` when it cannot be reached."""
    auth = _pkce(client_id, redirect_uri)
    auth.code_verifier = verifier
    auth.code_challenge = "unused"  # spotipy makes a new pair when either is missing
    try:
        auth.get_access_token(code=code, check_cache=False)
    except SpotifyOauthError as error:
        raise SpotifyLinkFailed(
            f"Spotify refused the sign-in ({error.error_description or error.error}); link the account again.",
            details={"error": error.error},
        ) from error
    except requests.RequestException as error:
        raise SpotifyUnavailable(
            f"Spotify's Accounts service did not answer ({type(error).__name__})."
        ) from error
    return _grant(auth.cache_handler.get_cached_token())


def token_refresh(*, client_id: str, redirect_uri: str, refresh_token: str) -> Grant:
    """A new access token (and maybe a new refresh token). Raises ``SpotifyLinkFailed`` when Spotify no
    longer accepts the refresh token (the user revoked the app), ``SpotifyUnavailable`` when unreachable."""
    auth = _pkce(client_id, redirect_uri)  # spotipy insists on one; the refresh grant does not send it
    try:
        info = auth.refresh_access_token(refresh_token)
    except SpotifyOauthError as error:
        raise SpotifyLinkFailed(
            "Spotify no longer accepts this account's link (access revoked or expired); link it again.",
            details={"error": error.error},
        ) from error
    except requests.RequestException as error:
        raise SpotifyUnavailable(
            f"Spotify's Accounts service did not answer ({type(error).__name__})."
        ) from error
    return _grant(info, refresh_token)
