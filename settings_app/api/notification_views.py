"""``/api/notifications/targets``: per-user and operator-wide Apprise targets, with a Test button."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.current import request_user
from accounts.permissions import IsAuthenticatedUser
from settings_app import notifications
from settings_app.api import integration_serializers as s
from spotizerr.api import ErrorResponseSerializer as SettingsErrorSerializer
from spotizerr.errors import Forbidden

_ERRORS = {401: OpenApiResponse(SettingsErrorSerializer, description="Not logged in.")}
_MISSING = {404: OpenApiResponse(SettingsErrorSerializer, description="No such target of yours.")}


class NotificationTargetListView(APIView):
    permission_classes = [IsAuthenticatedUser]

    @extend_schema(
        operation_id="notification_targets_list",
        responses={200: s.NotificationTargetSerializer(many=True), **_ERRORS},
        description="Your targets; for an admin also the operator-wide ones.",
    )
    def get(self, request: Request) -> Response:
        targets = notifications.notification_targets_visible(user=request_user(request))
        return Response(s.NotificationTargetSerializer(targets, many=True).data)

    @extend_schema(
        operation_id="notification_targets_create",
        request=s.NotificationTargetCreateSerializer,
        responses={
            201: s.NotificationTargetSerializer,
            400: OpenApiResponse(SettingsErrorSerializer, description="Invalid fields."),
            403: OpenApiResponse(SettingsErrorSerializer, description="Operator-wide needs an admin."),
            **_ERRORS,
        },
    )
    def post(self, request: Request) -> Response:
        data = request.data if isinstance(request.data, dict) else {}
        operator = data.get("scope") == "operator"
        if operator and not request_user(request).is_admin:
            raise Forbidden("Only administrators may add operator-wide targets.")
        target = notifications.notification_target_create(
            owner=None if operator else request_user(request),
            name=data.get("name"),
            url=data.get("url"),
            events=data.get("events"),
        )
        return Response(s.NotificationTargetSerializer(target).data, status=201)


class NotificationTargetDetailView(APIView):
    permission_classes = [IsAuthenticatedUser]

    @extend_schema(operation_id="notification_targets_delete", responses={204: None, **_MISSING, **_ERRORS})
    def delete(self, request: Request, target_id: int) -> Response:
        notifications.notification_target_delete(user=request_user(request), target_id=target_id)
        return Response(status=204)


class NotificationTargetTestView(APIView):
    permission_classes = [IsAuthenticatedUser]

    @extend_schema(
        operation_id="notification_targets_test",
        request=None,
        responses={200: s.IntegrationTestResultSerializer, **_MISSING, **_ERRORS},
        description="Send a test message now and say whether the target accepted it.",
    )
    def post(self, request: Request, target_id: int) -> Response:
        ok, error = notifications.notification_test(user=request_user(request), target_id=target_id)
        return Response({"ok": ok, "detail": "The message was accepted." if ok else error})
