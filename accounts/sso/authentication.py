"""The session-only authentication of ``POST /api/auth/sso/token`` and its OpenAPI description."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request


class SsoSessionAuthentication(SessionAuthentication):
    """The Django session a sign-in created, CSRF-checked; 401 (not 403) when there is none.

    Unlike ``SpotizerrAuthentication`` it never stands in the system user while auth is off,
    and it ignores bearer tokens: only a browser session can mint a token pair here.
    """

    def authenticate_header(self, request: Request) -> str:
        return 'Session realm="api"'


class SsoSessionScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.sso.authentication.SsoSessionAuthentication"
    name = "sessionCookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
