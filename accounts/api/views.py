"""``/api/auth/*``: status, login, registration, tokens, user management and the caller's profile.

Views only parse input, call ``accounts.services`` / ``accounts.selectors`` and shape output.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import logout as session_logout
from django.contrib.auth import update_session_auth_hash
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.api.serializers import (
    AuthLoginRequestSerializer,
    AuthLoginResponseSerializer,
    AuthLogoutRequestSerializer,
    AuthMessageSerializer,
    AuthPasswordChangeRequestSerializer,
    AuthPasswordChangeResponseSerializer,
    AuthPasswordResetRequestSerializer,
    AuthRefreshRequestSerializer,
    AuthRegisterRequestSerializer,
    AuthRoleRequestSerializer,
    AuthStatusSerializer,
    AuthTokenPairSerializer,
    AuthUserCreateRequestSerializer,
    AuthUserSerializer,
)
from accounts.authentication import OptionalAuthentication
from accounts.current import request_user
from accounts.models import User
from accounts.no_store import NoStoreMixin
from accounts.permissions import IsAdmin
from accounts.tokens import SESSION_CLAIM
from spotizerr.api import error_responses, validate

TAG = "auth"
_ERROR_TEXT = {
    400: "Invalid input (details name the fields).",
    401: "Not logged in, or the token is invalid.",
    403: "Not allowed (or a cookie session without its CSRF token).",
    404: "No such user.",
    409: "Conflicts with existing state.",
    429: "Too many failed logins; see Retry-After.",
}


def _pair_body(pair: dict[str, str]) -> dict[str, str]:
    return {"access_token": pair["access"], "refresh_token": pair["refresh"], "token_type": "bearer"}


def _login_body(user: User, pair: dict[str, str]) -> dict[str, Any]:
    return {**_pair_body(pair), "user": AuthUserSerializer(user).data}


class AuthStatusView(APIView):
    authentication_classes = [OptionalAuthentication]
    permission_classes = [AllowAny]

    @extend_schema(
        tags=[TAG],
        auth=[],
        operation_id="auth_status",
        responses={200: AuthStatusSerializer},
        summary="Whether auth is on, who the caller is, and how one may log in",
    )
    def get(self, request: Request) -> Response:
        user = request.user if request.user.is_authenticated else None
        body = {
            "auth_enabled": settings.AUTH_ENABLED,
            "authenticated": user is not None,
            "user": AuthUserSerializer(user).data if user is not None else None,
            "registration_enabled": settings.REGISTRATION_ENABLED,
            "sso_enabled": settings.SSO_ENABLED,
            "sso_providers": list(settings.SSO_PROVIDERS),
        }
        return Response(body)


class AuthLoginView(NoStoreMixin, APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=[TAG],
        auth=[],
        operation_id="auth_login",
        request=AuthLoginRequestSerializer,
        responses={200: AuthLoginResponseSerializer, **error_responses(_ERROR_TEXT, 400, 401, 429)},
        summary="Log in with a user name and password",
    )
    def post(self, request: Request) -> Response:
        data = validate(AuthLoginRequestSerializer, request.data).validated_data
        user = services.login_authenticate(
            username=data["username"],
            password=data["password"],
            address=services.client_address(request),
            request=request._request,
        )
        return Response(_login_body(user, services.tokens_issue(user=user)))


class AuthRegisterView(NoStoreMixin, APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=[TAG],
        auth=[],
        operation_id="auth_register",
        request=AuthRegisterRequestSerializer,
        responses={201: AuthLoginResponseSerializer, **error_responses(_ERROR_TEXT, 400, 403, 409)},
        summary="Create an account and log in (the first account becomes admin)",
    )
    def post(self, request: Request) -> Response:
        data = validate(AuthRegisterRequestSerializer, request.data).validated_data
        user = services.user_register(
            username=data["username"], password=data["password"], email=data["email"]
        )
        return Response(_login_body(user, services.tokens_issue(user=user)), status=status.HTTP_201_CREATED)


class AuthRefreshView(NoStoreMixin, APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=[TAG],
        auth=[],
        operation_id="auth_refresh",
        request=AuthRefreshRequestSerializer,
        responses={200: AuthTokenPairSerializer, **error_responses(_ERROR_TEXT, 400, 401)},
        summary="Trade a refresh token for a new pair (the old refresh token stops working)",
    )
    def post(self, request: Request) -> Response:
        data = validate(AuthRefreshRequestSerializer, request.data).validated_data
        _, pair = services.tokens_refresh(refresh_token=data["refresh_token"])
        return Response(_pair_body(pair))


class AuthLogoutView(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="auth_logout",
        request=AuthLogoutRequestSerializer,
        responses={200: AuthMessageSerializer, **error_responses(_ERROR_TEXT, 400, 401, 403)},
        summary="Log out: revoke the refresh token and its access tokens, end the session",
    )
    def post(self, request: Request) -> Response:
        data = validate(AuthLogoutRequestSerializer, request.data).validated_data
        token = request.auth
        session_id = token.get(SESSION_CLAIM) if token is not None and hasattr(token, "get") else None
        services.tokens_revoke(
            user=request_user(request), refresh_token=data.get("refresh_token"), session_id=session_id
        )
        if settings.AUTH_ENABLED and token is None:
            session_logout(request._request)
        return Response({"message": "Logged out."})


class AuthUserListView(APIView):
    permission_classes = [IsAdmin]

    @extend_schema(
        tags=[TAG],
        operation_id="auth_users_list",
        responses={200: AuthUserSerializer(many=True), **error_responses(_ERROR_TEXT, 401, 403)},
        summary="List every account (admin)",
    )
    def get(self, request: Request) -> Response:
        return Response(AuthUserSerializer(selectors.user_list(), many=True).data)


class AuthUserCreateView(APIView):
    permission_classes = [IsAdmin]

    @extend_schema(
        tags=[TAG],
        operation_id="auth_users_create",
        request=AuthUserCreateRequestSerializer,
        responses={201: AuthUserSerializer, **error_responses(_ERROR_TEXT, 400, 401, 403, 409)},
        summary="Create an account (admin)",
    )
    def post(self, request: Request) -> Response:
        data = validate(AuthUserCreateRequestSerializer, request.data).validated_data
        user = services.user_create(
            username=data["username"], password=data["password"], email=data["email"], role=data["role"]
        )
        return Response(AuthUserSerializer(user).data, status=status.HTTP_201_CREATED)


class AuthUserDetailView(APIView):
    permission_classes = [IsAdmin]

    @extend_schema(
        tags=[TAG],
        operation_id="auth_users_delete",
        responses={200: AuthMessageSerializer, **error_responses(_ERROR_TEXT, 400, 401, 403, 404, 409)},
        summary="Delete an account (admin; not yourself, not the last admin)",
    )
    def delete(self, request: Request, username: str) -> Response:
        user = selectors.user_get(username=username)
        services.user_delete(actor=request_user(request), user=user)
        return Response({"message": f"User {username!r} deleted."})


class AuthUserRoleView(APIView):
    permission_classes = [IsAdmin]

    @extend_schema(
        tags=[TAG],
        operation_id="auth_users_set_role",
        request=AuthRoleRequestSerializer,
        responses={200: AuthUserSerializer, **error_responses(_ERROR_TEXT, 400, 401, 403, 404, 409)},
        summary="Change a role (admin; not your own, not the last admin)",
    )
    def put(self, request: Request, username: str) -> Response:
        user = selectors.user_get(username=username)
        data = validate(AuthRoleRequestSerializer, request.data).validated_data
        user = services.user_set_role(actor=request_user(request), user=user, role=data["role"])
        return Response(AuthUserSerializer(user).data)


class AuthUserPasswordView(APIView):
    permission_classes = [IsAdmin]

    @extend_schema(
        tags=[TAG],
        operation_id="auth_users_set_password",
        request=AuthPasswordResetRequestSerializer,
        responses={200: AuthMessageSerializer, **error_responses(_ERROR_TEXT, 400, 401, 403, 404)},
        summary="Reset someone's password (admin); their tokens stop working",
    )
    def put(self, request: Request, username: str) -> Response:
        user = selectors.user_get(username=username)
        data = validate(AuthPasswordResetRequestSerializer, request.data).validated_data
        services.user_set_password(user=user, new_password=data["new_password"])
        return Response({"message": f"Password of {username!r} changed."})


class AuthProfileView(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="auth_profile",
        responses={200: AuthUserSerializer, **error_responses(_ERROR_TEXT, 401)},
        summary="The caller's own account",
    )
    def get(self, request: Request) -> Response:
        return Response(AuthUserSerializer(request.user).data)


class AuthProfilePasswordView(NoStoreMixin, APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="auth_profile_change_password",
        request=AuthPasswordChangeRequestSerializer,
        responses={
            200: AuthPasswordChangeResponseSerializer,
            **error_responses(_ERROR_TEXT, 400, 401, 403, 429),
        },
        summary="Change your own password; other sessions end, this one gets new tokens",
    )
    def put(self, request: Request) -> Response:
        data = validate(AuthPasswordChangeRequestSerializer, request.data).validated_data
        user = services.user_change_password(
            user=request_user(request),
            current_password=data["current_password"],
            new_password=data["new_password"],
            address=services.client_address(request),
        )
        if request.auth is None and settings.AUTH_ENABLED:
            update_session_auth_hash(request._request, user)
        pair = services.tokens_issue(user=user, record_login=False)
        return Response({"message": "Password changed.", **_pair_body(pair)})
