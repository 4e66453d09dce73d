"""The Accounts service of the fake Spotify (``tests.fakes.spotify_api``): user logins with the Authorization
Code flow and PKCE, as accounts.spotify.com speaks it in 2026.

    fake.accounts.add_user("fixture-user", "Fixture User", liked=[track ids], followed=[artist ids])
    fake.accounts.login_as("fixture-user")   # who is "signed in" at Spotify when /authorize is opened
    fake.accounts.deny_next()                # the next /authorize answers error=access_denied

Endpoints:
  GET  /authorize      response_type=code, client_id, redirect_uri, state, scope, code_challenge,
                       code_challenge_method=S256; redirects (302) to redirect_uri?code=..&state=..
                       (bad client/redirect -> 400 page; no signed-in user or denied -> error=access_denied)
  POST /api/token      grant_type=authorization_code (code, redirect_uri, client_id, code_verifier: the S256
                       of the verifier must equal the challenge; a code is single use, 10 minutes) and
                       grant_type=refresh_token (refresh_token, client_id; answers a new refresh token).
                       Access tokens live ``fake.token_lifetime`` seconds.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from tests.fakes.spotify_render import Json
from tests.fakes.spotify_routes import SpotifyApiError

if TYPE_CHECKING:
    from tests.fakes.spotify_api import FakeSpotify

CODE_LIFETIME = 600


class TokenError(Exception):
    """An OAuth error of the token endpoint: ``{"error", "error_description"}`` with status 400."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error, self.description = error, description


@dataclass
class FakeUser:
    id: str
    display_name: str
    liked: list[tuple[str, str]] = field(default_factory=list)  # (track id, added_at), newest first
    followed: list[str] = field(default_factory=list)  # artist ids
    saved_playlists: list[str] = field(default_factory=list)  # followed playlists of others


@dataclass
class _Code:
    user_id: str
    client_id: str
    redirect_uri: str
    challenge: str
    scopes: tuple[str, ...]
    expires: float


@dataclass
class UserToken:
    user_id: str
    scopes: tuple[str, ...]
    expires: float


class FakeAccounts:
    """Users, authorization codes and user tokens. Thread-safe; every method may be called from tests."""

    def __init__(self, fake: FakeSpotify) -> None:
        self.fake = fake
        self.users: dict[str, FakeUser] = {}
        self.signed_in: str | None = None
        self._deny = False
        self._codes: dict[str, _Code] = {}
        self._access: dict[str, UserToken] = {}
        self._refresh: dict[str, UserToken] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------ test controls
    def add_user(
        self,
        user_id: str,
        display_name: str | None = None,
        *,
        liked: list[str] | None = None,
        followed: list[str] | None = None,
    ) -> FakeUser:
        """A Spotify user; ``liked`` tracks are listed newest first (the first was liked last)."""
        user = FakeUser(user_id, display_name or user_id, followed=list(followed or ()))
        for n, track_id in enumerate(liked or ()):
            user.liked.append((track_id, f"2025-12-{28 - n % 28:02d}T{23 - n // 28 % 24:02d}:00:00Z"))
        with self._lock:
            self.users[user_id] = user
        return user

    def like(self, user_id: str, track_id: str) -> None:
        """The user likes a track now: it becomes the first of their Liked Songs."""
        with self._lock:
            self.users[user_id].liked.insert(
                0, (track_id, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
            )
        self.fake.catalog.changed()

    def login_as(self, user_id: str | None) -> None:
        self.signed_in = user_id

    def deny_next(self) -> None:
        self._deny = True

    def expire_user_tokens(self) -> None:
        """Every user access token expires now (refresh tokens stay valid)."""
        with self._lock:
            for token in self._access.values():
                token.expires = 0.0

    def user_token_count(self) -> int:
        with self._lock:
            return sum(1 for token in self._access.values() if token.expires > time.time())

    # ------------------------------------------------------------ the service (server threads)
    def authorize(self, query: dict[str, str]) -> str:
        """The address /authorize redirects to; raises SpotifyApiError(400) for a bad client or redirect."""
        if query.get("client_id") != self.fake.client_id:
            raise SpotifyApiError(400, "INVALID_CLIENT: Invalid client")
        redirect = query.get("redirect_uri") or ""
        if not (redirect.startswith(("https://", "http://127.0.0.1", "http://[::1]"))):
            raise SpotifyApiError(400, "INVALID_CLIENT: Insecure redirect URI")
        if query.get("response_type") != "code" or query.get("code_challenge_method") != "S256":
            raise SpotifyApiError(400, "unsupported_response_type")
        answer = {"state": query["state"]} if query.get("state") else {}
        deny, self._deny = self._deny, False
        if deny or self.signed_in not in self.users:
            return _with_query(redirect, {"error": "access_denied", **answer})
        code = secrets.token_urlsafe(32)
        with self._lock:
            self._codes[code] = _Code(
                self.signed_in,
                self.fake.client_id,
                redirect,
                query.get("code_challenge") or "",
                tuple((query.get("scope") or "").split()),
                time.time() + CODE_LIFETIME,
            )
        return _with_query(redirect, {"code": code, **answer})

    def token(self, form: dict[str, str]) -> Json:
        grant = form.get("grant_type")
        if form.get("client_id") != self.fake.client_id:
            raise TokenError("invalid_client", "Invalid client")
        if grant == "authorization_code":
            return self._exchange(form)
        if grant == "refresh_token":
            with self._lock:
                known = self._refresh.pop(form.get("refresh_token") or "", None)
            if known is None:
                raise TokenError("invalid_grant", "Invalid refresh token")
            return self._issue(known.user_id, known.scopes)
        raise TokenError("unsupported_grant_type", f"grant_type must be client_credentials, got {grant}")

    def _exchange(self, form: dict[str, str]) -> Json:
        with self._lock:
            code = self._codes.pop(form.get("code") or "", None)
        if code is None or code.expires < time.time():
            raise TokenError("invalid_grant", "Invalid authorization code")
        if form.get("redirect_uri") != code.redirect_uri:
            raise TokenError("invalid_grant", "Invalid redirect URI")
        verifier = form.get("code_verifier") or ""
        digest = hashlib.sha256(verifier.encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != code.challenge:
            raise TokenError("invalid_grant", "code_verifier was incorrect")
        return self._issue(code.user_id, code.scopes)

    def _issue(self, user_id: str, scopes: tuple[str, ...]) -> Json:
        access, refresh = secrets.token_urlsafe(24), secrets.token_urlsafe(32)
        lifetime = self.fake.token_lifetime
        with self._lock:
            self._access[access] = UserToken(user_id, scopes, time.time() + lifetime)
            self._refresh[refresh] = UserToken(user_id, scopes, 0.0)
        return {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": lifetime,
            "refresh_token": refresh,
            "scope": " ".join(scopes),
        }

    def bearer(self, token: str) -> UserToken | None:
        """The user token behind ``token``; raises 401 when it expired, None when it is not a user token."""
        with self._lock:
            found = self._access.get(token)
        if found is not None and found.expires < time.time():
            raise SpotifyApiError(401, "The access token expired")
        return found


def _with_query(address: str, params: dict[str, str]) -> str:
    return f"{address}{'&' if '?' in address else '?'}{urlencode(params)}"
