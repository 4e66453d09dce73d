"""Request and response bodies of ``/api/auth/*``. Named ``Auth...`` so schema components stay unique."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from rest_framework import serializers

from accounts.models import User

_USERNAME_HELP = "Up to 150 letters, digits and @ . + - _"


def _password_field(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(
        trim_whitespace=False, max_length=4096, style={"input_type": "password"}, **kwargs
    )


def _username_field() -> serializers.CharField:
    return serializers.CharField(
        max_length=150, validators=[UnicodeUsernameValidator()], help_text=_USERNAME_HELP
    )


class AuthUserSerializer(serializers.ModelSerializer):
    """A user as the API shows it (never the password, token version or staff flags)."""

    is_sso_user = serializers.BooleanField(read_only=True)
    # not format "email": accounts made without one (the bootstrap admin, SSO users) answer ""
    email = serializers.CharField(read_only=True, help_text="Empty when the account has no email address.")

    class Meta:
        model = User
        fields = ["username", "email", "role", "created_at", "last_login", "sso_provider", "is_sso_user"]
        read_only_fields = fields


class AuthLoginRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = _password_field()


class AuthRegisterRequestSerializer(serializers.Serializer):
    username = _username_field()
    password = _password_field()
    email = serializers.EmailField(required=False, allow_blank=True, default="", max_length=254)


class AuthUserCreateRequestSerializer(AuthRegisterRequestSerializer):
    role = serializers.ChoiceField(choices=User.Role.choices, default=User.Role.USER)


class AuthTokenPairSerializer(serializers.Serializer):
    access_token = serializers.CharField(help_text="Bearer token for the Authorization header; short-lived.")
    refresh_token = serializers.CharField(help_text="Send to /api/auth/refresh for a new pair; used once.")
    token_type = serializers.ChoiceField(choices=["bearer"])


class AuthLoginResponseSerializer(AuthTokenPairSerializer):
    user = AuthUserSerializer()


class AuthRefreshRequestSerializer(serializers.Serializer):
    refresh_token = serializers.CharField(max_length=4096)


class AuthLogoutRequestSerializer(serializers.Serializer):
    refresh_token = serializers.CharField(
        max_length=4096,
        required=False,
        help_text="The refresh token to revoke; defaults to the session of the access token used.",
    )


class AuthRoleRequestSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=User.Role.choices)


class AuthPasswordResetRequestSerializer(serializers.Serializer):
    new_password = _password_field()


class AuthPasswordChangeRequestSerializer(serializers.Serializer):
    current_password = _password_field()
    new_password = _password_field()


class AuthPasswordChangeResponseSerializer(AuthTokenPairSerializer):
    message = serializers.CharField()


class AuthMessageSerializer(serializers.Serializer):
    message = serializers.CharField()


class AuthStatusSerializer(serializers.Serializer):
    auth_enabled = serializers.BooleanField()
    authenticated = serializers.BooleanField()
    user = AuthUserSerializer(allow_null=True)
    registration_enabled = serializers.BooleanField()
    sso_enabled = serializers.BooleanField()
    sso_providers = serializers.ListField(child=serializers.CharField())


# The one error shape, under the name earlier imports use (one schema component: ErrorResponse).
