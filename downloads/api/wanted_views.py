"""The wanted list: tracks no source had yet, kept until their file arrives in the inbox."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.current import request_user
from downloads import wanted
from downloads.api.serializers import MAX_PAGE_SIZE
from downloads.models import WantedTrack
from spotizerr.api import error_responses, validate

_ERROR_TEXT = {
    400: "Invalid input; details name the fields.",
    401: "Not logged in.",
    404: "The track is not on your wanted list.",
}


class WantedQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=50)
    offset = serializers.IntegerField(required=False, min_value=0, max_value=10_000_000, default=0)
    all_users = serializers.BooleanField(
        required=False, default=False, help_text="Admins: every user's wanted tracks (ignored for others)."
    )


class WantedContextSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=WantedTrack.Context.values)
    id = serializers.CharField()
    name = serializers.CharField()


class WantedTrackSerializer(serializers.Serializer):
    track_id = serializers.CharField()
    name = serializers.CharField()
    artists = serializers.ListField(child=serializers.CharField())
    album = serializers.CharField()
    album_id = serializers.CharField()
    isrc = serializers.CharField()
    duration_ms = serializers.IntegerField()
    since = serializers.DateTimeField()
    requested_by = serializers.CharField()
    context = WantedContextSerializer(help_text="What it was asked for with: an album, playlist or watch.")  # type: ignore[assignment]
    task_id = serializers.UUIDField(allow_null=True)


class WantedListSerializer(serializers.Serializer):
    items = WantedTrackSerializer(many=True)
    total = serializers.IntegerField()
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()


class WantedCheckSerializer(serializers.Serializer):
    queued = serializers.BooleanField()


class WantedListView(APIView):
    @extend_schema(
        operation_id="library_wanted_list",
        tags=["library"],
        parameters=[WantedQuerySerializer],
        responses={200: WantedListSerializer, **error_responses(_ERROR_TEXT, 400, 401)},
        summary="Your wanted tracks, newest first",
    )
    def get(self, request: Request) -> Response:
        query = validate(WantedQuerySerializer, request.query_params.dict()).validated_data
        entries = wanted.wanted_list(user=request_user(request), everyone=query["all_users"])
        limit, offset = query["limit"], query["offset"]
        return Response(
            {
                "items": [wanted.wanted_as_json(entry) for entry in entries[offset : offset + limit]],
                "total": entries.count(),
                "limit": limit,
                "offset": offset,
            }
        )


class WantedDeleteView(APIView):
    @extend_schema(
        operation_id="library_wanted_delete",
        tags=["library"],
        request=None,
        responses={204: None, **error_responses(_ERROR_TEXT, 401, 404)},
        summary="Drop a track from your wanted list",
    )
    def delete(self, request: Request, track_id: str) -> Response:
        wanted.wanted_delete(user=request_user(request), track_id=track_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WantedCheckView(APIView):
    @extend_schema(
        operation_id="library_wanted_check",
        tags=["library"],
        request=None,
        responses={202: WantedCheckSerializer, **error_responses(_ERROR_TEXT, 401)},
        summary="Look in the inbox for wanted tracks and better copies now (queued)",
    )
    def post(self, request: Request) -> Response:
        from downloads.tasks import wanted_check_enqueue

        request_user(request)
        wanted_check_enqueue()
        return Response({"queued": True}, status=status.HTTP_202_ACCEPTED)


urlpatterns = [
    path("library/wanted", WantedListView.as_view(), name="library-wanted"),
    path("library/wanted/check", WantedCheckView.as_view(), name="library-wanted-check"),
    path("library/wanted/<str:track_id>", WantedDeleteView.as_view(), name="library-wanted-delete"),
]
