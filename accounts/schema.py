"""OpenAPI schema extension: describe our authentication so every view documents it.

drf-spectacular registers an extension when its class is defined; ``AccountsConfig.ready`` imports this.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class SpotizerrAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.SpotizerrAuthentication"
    match_subclasses = True
    name = ["bearerAuth", "cookieAuth"]

    def get_security_requirement(self, auto_schema: Any) -> list[dict[str, list[str]]]:
        # Either one suffices (a list means "or" in OpenAPI; one dict would mean "both").
        return [{"bearerAuth": []}, {"cookieAuth": []}]

    def get_security_definition(self, auto_schema: Any) -> list[dict[str, str]]:
        return [
            {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            {"type": "apiKey", "in": "cookie", "name": "sessionid"},
        ]
