"""``POST /api/artist/watch/bulk``: watch many artists from ids, links or names."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.current import request_user
from spotizerr.api import ErrorResponseSerializer as Err
from watching.services.bulk import MAX_BULK_ARTISTS, watch_artists_bulk


class BulkArtistWatchRequestSerializer(serializers.Serializer):
    artists = serializers.ListField(
        child=serializers.CharField(max_length=300),
        min_length=1,
        max_length=MAX_BULK_ARTISTS,
        help_text="Spotify artist ids, links or URIs, or artist names (found by search).",
    )


class BulkArtistWatchedSerializer(serializers.Serializer):
    given = serializers.CharField()
    id = serializers.CharField()
    name = serializers.CharField()
    matched_by = serializers.ChoiceField(choices=["id", "search"], help_text="search: a name was looked up.")


class BulkArtistNotFoundSerializer(serializers.Serializer):
    given = serializers.CharField()
    reason = serializers.CharField()


class BulkArtistWatchResultSerializer(serializers.Serializer):
    added = BulkArtistWatchedSerializer(many=True)
    already_watched = BulkArtistWatchedSerializer(many=True)
    not_found = BulkArtistNotFoundSerializer(many=True)


class ArtistWatchBulkView(APIView):
    @extend_schema(
        operation_id="artist_watch_bulk",
        request=BulkArtistWatchRequestSerializer,
        responses={
            200: BulkArtistWatchResultSerializer,
            400: OpenApiResponse(Err, description="No artists, or more than 200."),
            401: OpenApiResponse(Err, description="Not logged in."),
            403: OpenApiResponse(Err, description="Watching is disabled."),
            503: OpenApiResponse(
                Err, description="Spotify is rate limiting or unavailable; try again later."
            ),
        },
        summary="Watch many artists from ids, links or names",
    )
    def post(self, request: Request) -> Response:
        body = BulkArtistWatchRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return Response(
            watch_artists_bulk(user=request_user(request), artists=body.validated_data["artists"])
        )
