"""``/api/media-servers``: the servers told to rescan after downloads, with a Test button (admins)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsAdmin
from settings_app import media_servers
from settings_app.api import integration_serializers as s
from settings_app.models import MediaServer
from spotizerr.api import ErrorResponseSerializer as SettingsErrorSerializer

_ERRORS = {
    401: OpenApiResponse(SettingsErrorSerializer, description="Not logged in."),
    403: OpenApiResponse(SettingsErrorSerializer, description="Not an administrator."),
}
_MISSING = {404: OpenApiResponse(SettingsErrorSerializer, description="No such media server.")}


class MediaServerListView(APIView):
    permission_classes = [IsAdmin]

    @extend_schema(
        operation_id="media_servers_list",
        responses={200: s.MediaServerSerializer(many=True), **_ERRORS},
        description="Each server with its last rescan and, when the last one failed, why.",
    )
    def get(self, request: Request) -> Response:
        return Response(
            s.MediaServerSerializer(MediaServer.objects.prefetch_related("playlists"), many=True).data
        )

    @extend_schema(
        operation_id="media_servers_create",
        request=s.MediaServerCreateSerializer,
        responses={
            201: s.MediaServerSerializer,
            400: OpenApiResponse(SettingsErrorSerializer, description="Invalid fields."),
            409: OpenApiResponse(SettingsErrorSerializer, description="The name is taken."),
            **_ERRORS,
        },
    )
    def post(self, request: Request) -> Response:
        server = media_servers.media_server_create(data=request.data)
        return Response(s.MediaServerSerializer(server).data, status=201)


class MediaServerDetailView(APIView):
    permission_classes = [IsAdmin]

    @extend_schema(operation_id="media_servers_delete", responses={204: None, **_MISSING, **_ERRORS})
    def delete(self, request: Request, server_id: int) -> Response:
        media_servers.media_server_delete(server_id=server_id)
        return Response(status=204)


class MediaServerTestView(APIView):
    permission_classes = [IsAdmin]

    @extend_schema(
        operation_id="media_servers_test",
        request=None,
        responses={200: s.IntegrationTestResultSerializer, **_MISSING, **_ERRORS},
        description="Check the address and credentials now (no rescan).",
    )
    def post(self, request: Request, server_id: int) -> Response:
        ok, detail = media_servers.media_server_test(server_id=server_id)
        return Response({"ok": ok, "detail": detail})
