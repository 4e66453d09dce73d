"""How the OpenAPI schema describes our authentication: a bearer JWT, or the dashboard's session cookie."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class SpotizerrAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.SpotizerrAuthentication"
    match_subclasses = True
    name = ["bearerAuth", "cookieAuth"]

    def get_security_requirement(self, auto_schema: Any) -> list[dict[str, list[Any]]]:
        return [{"bearerAuth": []}, {"cookieAuth": []}]  # either one, not both

    def get_security_definition(self, auto_schema: Any) -> list[dict[str, Any]]:
        return [
            {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
             "description": "Access token from POST /api/auth/login (or /refresh)."},
            {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME,
             "description": "Dashboard session; unsafe methods also need the CSRF token."},
        ]
