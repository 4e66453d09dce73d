"""The API kit every app builds its endpoints with: the one error body in the schema."""

from __future__ import annotations

from rest_framework import serializers


class ErrorResponseSerializer(serializers.Serializer):
    """The one error shape every endpoint uses."""

    error = serializers.CharField()
    details = serializers.JSONField(allow_null=True)
    code = serializers.CharField()
