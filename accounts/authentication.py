"""How a request becomes a user: the system admin when auth is off, else JWT or session."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import Token

from accounts.known_users import known_token, known_user
from accounts.models import User
from accounts.tokens import SESSION_CLAIM, TOKEN_VERSION_CLAIM, user_for_token

__all__ = ["TOKEN_VERSION_CLAIM", "OptionalAuthentication", "SpotizerrAuthentication", "get_system_user"]


def get_system_user() -> User:
    """The built-in admin every request acts as while auth is disabled."""
    user, _ = User.objects.get_or_create(
        username=settings.SYSTEM_USERNAME,
        defaults={"role": User.Role.ADMIN, "is_system": True},
    )
    if not user.has_usable_password() and user.password == "":
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _known_system_user() -> User:
    """``get_system_user()``, known to this process after its first request (accounts.known_users)."""
    user = known_user(("system",), get_system_user)
    assert user is not None  # get_system_user always answers
    return user


class SpotizerrAuthentication(JWTAuthentication):
    """Bearer JWT first, then the dashboard's session (with CSRF on unsafe methods).

    A bearer token is refused (401) when it is malformed, signed with another key or ``alg``,
    expired, not an access token, older than the user's ``token_version``, or from a refresh
    token that was logged out or rotated; also when the user is inactive.
    """

    www_authenticate_realm = "api"

    def __init__(self) -> None:  # simplejwt's asks the app registry for the user model on every request
        self.user_model = User

    def authenticate(self, request: Request) -> tuple[User, Any] | None:
        if not settings.AUTH_ENABLED:
            return _known_system_user(), None
        header = self.get_header(request)
        if header is not None:
            return self._authenticate_bearer(request)
        return _SessionAuthentication().authenticate(request)

    def _authenticate_bearer(self, request: Request) -> tuple[User, Any] | None:
        try:
            result = super().authenticate(request)
        except (InvalidToken, TokenError, exceptions.AuthenticationFailed) as exc:
            raise exceptions.AuthenticationFailed("The access token is invalid or expired.") from exc
        if result is None:
            return None
        user, token = result
        if token.get(TOKEN_VERSION_CLAIM) != user.token_version or not user.is_active or user.is_system:
            raise exceptions.AuthenticationFailed("The access token is no longer valid; log in again.")
        if getattr(user, "session_revoked", False):
            raise exceptions.AuthenticationFailed("This session was logged out; log in again.")
        return user, token

    def get_validated_token(self, raw_token: bytes) -> Token:
        """simplejwt's verification, once per token string in this process; expiry every time."""
        try:
            return known_token(raw_token, super().get_validated_token)
        except TokenError as exc:
            raise InvalidToken("The access token is invalid or expired.") from exc

    def get_user(self, validated_token: Token) -> User:
        """simplejwt's user lookup, with whether the token's session was logged out (``sid``) read in
        the same query (``accounts.tokens.user_for_token``), or known to this process already
        (``accounts.known_users``: revocations reach every process within a second)."""
        try:
            user_id = validated_token[api_settings.USER_ID_CLAIM]
        except KeyError as exc:
            raise InvalidToken("Token contained no recognizable user identification") from exc
        session = validated_token.get(SESSION_CLAIM)
        session_id = None if session is None else str(session)
        user = known_user(
            ("token", str(user_id), session_id or ""),
            lambda: user_for_token(user_id=user_id, session_id=session_id),
        )
        if user is None:
            raise exceptions.AuthenticationFailed("User not found", code="user_not_found")
        if not user.is_active:
            raise exceptions.AuthenticationFailed("User is inactive", code="user_inactive")
        return user


class OptionalAuthentication(SpotizerrAuthentication):
    """Like SpotizerrAuthentication, but a bad or stale token means anonymous instead of 401.

    For public endpoints that only describe the caller (``GET /api/auth/status``).
    """

    def authenticate(self, request: Request) -> tuple[User, Any] | None:
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            return None


class _SessionAuthentication(SessionAuthentication):
    pass
