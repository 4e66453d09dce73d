"""``/api/playlist/watch/*`` and ``/api/artist/watch/*``: thin views over ``watching.services``.

The two kinds share their views; each concrete class only names its kind, its serializers and its
schema. Users see and change their own watches; admins see everyone's.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.current import request_user
from spotizerr.api import error_responses, validate
from spotizerr.errors import BadRequest
from watching import selectors, services
from watching.api import serializers as s
from watching.liked import client_playlist_id
from watching.models import Watch, WatchKind

_AUTH = error_responses({401: "Not logged in."})
_BAD = error_responses({400: "A malformed id or body."})
_MISSING = error_responses({404: "Not on your watch list."})
_DISABLED = error_responses({403: 'Watching is disabled (PUT /api/config/watch {"enabled": true}).'})
_SPOTIFY = error_responses(
    {404: "Spotify does not know this id.", 503: "Spotify is rate limiting or unavailable; see Retry-After."}
)

LABEL: dict[str, str] = {WatchKind.PLAYLIST: "Playlist", WatchKind.ARTIST: "Artist"}
ITEMS: dict[str, tuple[str, str]] = {
    WatchKind.PLAYLIST: ("track_ids", "tracks"),
    WatchKind.ARTIST: ("album_ids", "albums"),
}


def _id_param(kind: str) -> OpenApiParameter:
    return OpenApiParameter(
        "spotify_id",
        OpenApiTypes.STR,
        OpenApiParameter.PATH,
        description=f"The {kind}'s Spotify id (or spotify: URI).",
    )


def _body(
    request: Request, serializer_class: type[serializers.Serializer], list_key: str | None = None
) -> dict:
    """The validated body; an empty body is ``{}``, a bare JSON list is ``{list_key: list}``."""
    data: Any = request.data
    if list_key is not None and isinstance(data, list):
        data = {list_key: data}
    if data is None or data == "":
        data = {}
    if not isinstance(data, dict):
        raise BadRequest("The body must be a JSON object.", code="invalid_body")
    return dict(validate(serializer_class, data).validated_data)


class _KindView(APIView):
    kind: str = WatchKind.PLAYLIST
    watch_serializer: type[serializers.Serializer] = s.PlaylistWatchSerializer
    status_serializer: type[serializers.Serializer] = s.PlaylistWatchStatusSerializer

    def _status(self, watch: Watch) -> dict[str, Any]:
        return dict(self.status_serializer(selectors.watch_status(watch, now=timezone.now())).data)


class _ListView(_KindView):
    def get(self, request: Request) -> Response:
        watches = selectors.watches_visible_to(user=request_user(request), kind=self.kind).order_by(
            "created_at", "pk"
        )
        details = selectors.watch_details(watches, now=timezone.now())
        return Response(self.watch_serializer(details, many=True).data)


class _StatusView(_KindView):
    def get(self, request: Request, spotify_id: str) -> Response:
        user = request_user(request)
        stored_id = services.watch_target_id(user, self.kind, spotify_id)
        watch = selectors.watch_find(user=user, kind=self.kind, spotify_id=stored_id)
        if watch is None:  # the id as the API names it ("liked", not the stored "liked:<pk>")
            return Response({"is_watched": False, "spotify_id": client_playlist_id(stored_id)})
        return Response(self._status(watch))


class _WatchView(_KindView):
    def _add(self, request: Request, spotify_id: str) -> tuple[Watch, bool]:
        raise NotImplementedError

    def put(self, request: Request, spotify_id: str) -> Response:
        watch, created = self._add(request, spotify_id)
        label = LABEL[self.kind]
        if created:
            message = f"{label} added to watch list"
            if watch.download_existing:
                message += "; everything it holds now is being queued"
        else:
            message = f"{label} is already on your watch list"
        body = {"message": message, **self._status(watch)}
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def delete(self, request: Request, spotify_id: str) -> Response:
        services.watch_remove(user=request_user(request), kind=self.kind, spotify_id=spotify_id)
        return Response({"message": f"{LABEL[self.kind]} removed from watch list"})


class _ItemsView(_KindView):
    ids_serializer: type[serializers.Serializer] = s.TrackIdsSerializer

    def post(self, request: Request, spotify_id: str) -> Response:
        key, noun = ITEMS[self.kind]
        ids = _body(request, self.ids_serializer, list_key=key)[key]
        done = services.watch_items_mark_known(
            user=request_user(request), kind=self.kind, spotify_id=spotify_id, item_ids=ids
        )
        return Response(
            {"message": f"{len(done)} {noun} marked as known; they will not be downloaded", "item_ids": done}
        )

    def delete(self, request: Request, spotify_id: str) -> Response:
        key, noun = ITEMS[self.kind]
        ids = _body(request, self.ids_serializer, list_key=key)[key]
        done = services.watch_items_forget(
            user=request_user(request), kind=self.kind, spotify_id=spotify_id, item_ids=ids
        )
        return Response(
            {"message": f"{len(done)} {noun} forgotten; the next check treats them as new", "item_ids": done}
        )


class _TriggerView(_KindView):
    def post(self, request: Request, spotify_id: str | None = None) -> Response:
        count = services.watch_checks_trigger(
            user=request_user(request), kind=self.kind, spotify_id=spotify_id
        )
        noun = LABEL[self.kind].lower()
        message = (
            f"{LABEL[self.kind]} check started" if spotify_id else f"Checking {count} watched {noun}s now"
        )
        return Response({"message": message, "checks": count})


# ---------------------------------------------------------------------------------------------- playlists
_PL = _id_param("playlist")


@extend_schema_view(
    get=extend_schema(
        operation_id="playlist_watch_list",
        responses={200: s.PlaylistWatchSerializer(many=True), **_AUTH},
        description="Your watched playlists (everyone's for admins).",
    )
)
class PlaylistWatchListView(_ListView):
    pass


@extend_schema_view(
    get=extend_schema(
        operation_id="playlist_watch_status",
        parameters=[_PL],
        responses={200: s.PlaylistWatchStatusSerializer, **_BAD, **_AUTH},
    )
)
class PlaylistWatchStatusView(_StatusView):
    pass


@extend_schema_view(
    put=extend_schema(
        operation_id="playlist_watch_add",
        parameters=[_PL],
        request=s.PlaylistWatchRequestSerializer,
        responses={
            201: s.PlaylistWatchAddedSerializer,
            200: s.PlaylistWatchAddedSerializer,
            **_BAD,
            **_AUTH,
            **_DISABLED,
            **_SPOTIFY,
        },
        description="Watch a playlist (201); one already watched answers 200 with its state. The "
        "body is optional.",
    ),
    delete=extend_schema(
        operation_id="playlist_watch_remove",
        parameters=[_PL],
        responses={200: s.WatchMessageSerializer, **_BAD, **_AUTH, **_MISSING},
    ),
)
class PlaylistWatchView(_WatchView):
    def _add(self, request: Request, spotify_id: str) -> tuple[Watch, bool]:
        body = _body(request, s.PlaylistWatchRequestSerializer)
        return services.watch_playlist_add(user=request_user(request), playlist_id=spotify_id, **body)


_ITEMS_DOC = "The body may also be a bare JSON list of ids."


@extend_schema_view(
    post=extend_schema(
        operation_id="playlist_watch_tracks_mark_known",
        parameters=[_PL],
        request=s.TrackIdsSerializer,
        description=f"Never download these tracks. {_ITEMS_DOC}",
        responses={200: s.WatchItemsChangedSerializer, **_BAD, **_AUTH, **_MISSING},
    ),
    delete=extend_schema(
        operation_id="playlist_watch_tracks_forget",
        parameters=[_PL],
        request=s.TrackIdsSerializer,
        description=f"Treat these tracks as new at the next check (queued again). {_ITEMS_DOC}",
        responses={200: s.WatchItemsChangedSerializer, **_BAD, **_AUTH, **_MISSING},
    ),
)
class PlaylistWatchTracksView(_ItemsView):
    pass


@extend_schema_view(
    post=extend_schema(
        operation_id="playlist_watch_trigger_all",
        request=None,
        responses={200: s.WatchTriggerSerializer, **_AUTH, **_DISABLED},
        description="Check all your watched playlists now.",
    )
)
class PlaylistWatchTriggerAllView(_TriggerView):
    pass


@extend_schema_view(
    post=extend_schema(
        operation_id="playlist_watch_trigger",
        parameters=[_PL],
        request=None,
        responses={200: s.WatchTriggerSerializer, **_BAD, **_AUTH, **_DISABLED, **_MISSING},
    )
)
class PlaylistWatchTriggerView(_TriggerView):
    pass


# ---------------------------------------------------------------------------------------------- artists
_AR = _id_param("artist")


class _ArtistKind:
    kind: str = WatchKind.ARTIST
    watch_serializer: type[serializers.Serializer] = s.ArtistWatchSerializer
    status_serializer: type[serializers.Serializer] = s.ArtistWatchStatusSerializer


@extend_schema_view(
    get=extend_schema(
        operation_id="artist_watch_list",
        responses={200: s.ArtistWatchSerializer(many=True), **_AUTH},
        description="Your watched artists (everyone's for admins).",
    )
)
class ArtistWatchListView(_ArtistKind, _ListView):
    pass


@extend_schema_view(
    get=extend_schema(
        operation_id="artist_watch_status",
        parameters=[_AR],
        responses={200: s.ArtistWatchStatusSerializer, **_BAD, **_AUTH},
    )
)
class ArtistWatchStatusView(_ArtistKind, _StatusView):
    pass


@extend_schema_view(
    put=extend_schema(
        operation_id="artist_watch_add",
        parameters=[_AR],
        request=s.ArtistWatchRequestSerializer,
        responses={
            201: s.ArtistWatchAddedSerializer,
            200: s.ArtistWatchAddedSerializer,
            **_BAD,
            **_AUTH,
            **_DISABLED,
            **_SPOTIFY,
        },
        description="Watch an artist's new releases (201); one already watched answers 200 with its "
        "state, after applying the options given. The body is optional.",
    ),
    delete=extend_schema(
        operation_id="artist_watch_remove",
        parameters=[_AR],
        responses={200: s.WatchMessageSerializer, **_BAD, **_AUTH, **_MISSING},
    ),
)
class ArtistWatchView(_ArtistKind, _WatchView):
    def _add(self, request: Request, spotify_id: str) -> tuple[Watch, bool]:
        body = _body(request, s.ArtistWatchRequestSerializer)
        return services.watch_artist_add(user=request_user(request), artist_id=spotify_id, **body)


@extend_schema_view(
    post=extend_schema(
        operation_id="artist_watch_albums_mark_known",
        parameters=[_AR],
        request=s.AlbumIdsSerializer,
        description=f"Never download these albums. {_ITEMS_DOC}",
        responses={200: s.WatchItemsChangedSerializer, **_BAD, **_AUTH, **_MISSING},
    ),
    delete=extend_schema(
        operation_id="artist_watch_albums_forget",
        parameters=[_AR],
        request=s.AlbumIdsSerializer,
        description=f"Treat these albums as new at the next check (queued again). {_ITEMS_DOC}",
        responses={200: s.WatchItemsChangedSerializer, **_BAD, **_AUTH, **_MISSING},
    ),
)
class ArtistWatchAlbumsView(_ArtistKind, _ItemsView):
    ids_serializer = s.AlbumIdsSerializer


@extend_schema_view(
    post=extend_schema(
        operation_id="artist_watch_trigger_all",
        request=None,
        responses={200: s.WatchTriggerSerializer, **_AUTH, **_DISABLED},
        description="Check all your watched artists now.",
    )
)
class ArtistWatchTriggerAllView(_ArtistKind, _TriggerView):
    pass


@extend_schema_view(
    post=extend_schema(
        operation_id="artist_watch_trigger",
        parameters=[_AR],
        request=None,
        responses={200: s.WatchTriggerSerializer, **_BAD, **_AUTH, **_DISABLED, **_MISSING},
    )
)
class ArtistWatchTriggerView(_ArtistKind, _TriggerView):
    pass
