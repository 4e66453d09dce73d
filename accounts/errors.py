"""Errors raised by account services, rendered in the API's one error shape."""

from __future__ import annotations

from rest_framework import status

from spotizerr.errors import ApiError

_BEARER_CHALLENGE = 'Bearer realm="api"'


class InvalidCredentials(ApiError):
    """Wrong user name or password (or an inactive account); retrying with the same input cannot help."""

    status_code = status.HTTP_401_UNAUTHORIZED
    default_detail = "Invalid user name or password."
    default_code = "invalid_credentials"
    auth_header = _BEARER_CHALLENGE


class TokenRejected(ApiError):
    """A refresh token that is forged, expired, revoked, already rotated or from before a revocation."""

    status_code = status.HTTP_401_UNAUTHORIZED
    default_detail = "The refresh token is invalid, expired or revoked; log in again."
    default_code = "token_not_valid"
    auth_header = _BEARER_CHALLENGE


class LoginThrottled(ApiError):
    """Too many failed logins for a user name or from an address; ``wait`` is the cool-off left."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = "Too many failed login attempts; try again later."
    default_code = "login_throttled"

    def __init__(self, *, wait: int) -> None:
        super().__init__(
            f"Too many failed login attempts; try again in {wait} seconds.",
            details={"retry_after": wait},
        )
        self.wait = wait
