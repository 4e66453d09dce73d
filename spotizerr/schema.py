"""OpenAPI schema extensions: describe our authentication so every view documents it."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import serializers


class SpotizerrAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.SpotizerrAuthentication"
    match_subclasses = True
    name = ["bearerAuth", "cookieAuth"]

    def get_security_requirement(self, auto_schema):  # type: ignore[no-untyped-def]
        # Either one suffices (a list means "or" in OpenAPI; one dict would mean "both").
        return [{"bearerAuth": []}, {"cookieAuth": []}]

    def get_security_definition(self, auto_schema):  # type: ignore[no-untyped-def]
        return [
            {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            {"type": "apiKey", "in": "cookie", "name": "sessionid"},
        ]


class ErrorResponseSerializer(serializers.Serializer):
    """The one error shape every endpoint uses."""

    error = serializers.CharField()
    details = serializers.JSONField(allow_null=True)
    code = serializers.CharField()
