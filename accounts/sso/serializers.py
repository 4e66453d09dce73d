"""Bodies of ``/api/auth/sso/*``; the user, token pair and error shapes are shared with ``/api/auth``."""

from __future__ import annotations

from rest_framework import serializers

from accounts.api.serializers import AuthUserSerializer


class SsoProviderSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Used in the login, callback and unlink URLs.")
    display_name = serializers.CharField()
    login_url = serializers.CharField(help_text="Send the browser here to start signing in.")


class SsoStatusSerializer(serializers.Serializer):
    sso_enabled = serializers.BooleanField()
    providers = SsoProviderSerializer(many=True)
    registration_enabled = serializers.BooleanField(
        help_text="Whether a first sign-in without a matching account creates one."
    )


class SsoUnlinkResponseSerializer(serializers.Serializer):
    message = serializers.CharField()
    user = AuthUserSerializer()
