"""``/api/spotify/me/playlists`` and ``/api/artist/watch/followed``: the linked user's own Spotify library,
with what of it is watched here. Both answer 409 ``spotify_account_not_linked`` without a linked account."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.current import request_user
from accounts.spotify.services import spotify_user_token_require
from spotizerr.api import ErrorResponseSerializer as _ERR
from spotizerr.integrations.spotify import get_spotify_client
from watching.models import Watch, WatchKind
from watching.services.common import REQUEST_SPOTIFY_MAX_WAIT
from watching.services.spotify_library import watch_followed_artists_add

_NOT_LINKED = {
    401: OpenApiResponse(_ERR, description="Not logged in."),
    409: OpenApiResponse(_ERR, description="No Spotify account linked (spotify_account_not_linked)."),
    503: OpenApiResponse(_ERR, description="Spotify is rate limiting or unavailable; see Retry-After."),
}


class SpotifyMePlaylistSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    owner = serializers.CharField()
    owned = serializers.BooleanField(help_text="Your linked account owns it (its tracks can be read).")
    collaborative = serializers.BooleanField()
    total_tracks = serializers.IntegerField()
    image = serializers.CharField(allow_null=True)
    is_watched = serializers.BooleanField()


class SpotifyMePlaylistsSerializer(serializers.Serializer):
    items = SpotifyMePlaylistSerializer(many=True)


class FollowedArtistSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()


class ArtistWatchFollowedSerializer(serializers.Serializer):
    added = FollowedArtistSerializer(many=True)
    already_watched = FollowedArtistSerializer(many=True)
    not_found = FollowedArtistSerializer(many=True, help_text="Followed artists Spotify no longer knows.")


class SpotifyMePlaylistsView(APIView):
    @extend_schema(
        tags=["spotify"],
        operation_id="spotify_me_playlists",
        responses={200: SpotifyMePlaylistsSerializer, **_NOT_LINKED},
        summary="The playlists of your linked Spotify account, and whether you watch them",
    )
    def get(self, request: Request) -> Response:
        client = get_spotify_client(
            max_wait=REQUEST_SPOTIFY_MAX_WAIT, user=spotify_user_token_require(user=request_user(request))
        )
        playlists = client.my_playlists()
        watched = set(
            Watch.objects.filter(user=request_user(request), target__kind=WatchKind.PLAYLIST).values_list(
                "target__spotify_id", flat=True
            )
        )
        items = [{**vars(playlist), "is_watched": playlist.id in watched} for playlist in playlists]
        return Response(SpotifyMePlaylistsSerializer({"items": items}).data)


class ArtistWatchFollowedView(APIView):
    @extend_schema(
        tags=["watch"],
        operation_id="artist_watch_followed",
        request=None,
        responses={
            200: ArtistWatchFollowedSerializer,
            403: OpenApiResponse(_ERR, description="Watching is disabled."),
            **_NOT_LINKED,
        },
        summary="Watch every artist your linked Spotify account follows",
    )
    def post(self, request: Request) -> Response:
        result = watch_followed_artists_add(user=request_user(request))
        return Response(ArtistWatchFollowedSerializer(vars(result)).data)
