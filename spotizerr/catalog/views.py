"""``/api/{track,album,playlist,artist}/info``, ``/api/search/`` and ``/api/credentials/markets``: the
Spotify catalog as the frontend reads it. Any user may read; errors leave in the one error shape
(unknown id 404, no credentials 400 ``spotify_not_configured``, rate limited 503 with Retry-After)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsAdmin
from playlist_imports import selectors as imports
from spotizerr.catalog import serializers as s
from spotizerr.catalog.library_marks import mark_artist_releases, mark_playlist_entries
from spotizerr.integrations.catalog_types import Page, Playlist
from spotizerr.integrations.spotify import SpotifyClient, get_spotify_client, parse_spotify_id

# a page view waits this long at most for Spotify's rate-limit back-off, then answers 503 + Retry-After
VIEW_MAX_WAIT_SECONDS = 5.0

_ERR = s.CatalogErrorSerializer
_ERRORS = {
    400: OpenApiResponse(
        _ERR,
        description="Bad id or parameter, or no Spotify credentials configured "
        "(code spotify_not_configured).",
    ),
    401: OpenApiResponse(_ERR, description="Not logged in."),
    404: OpenApiResponse(_ERR, description="Spotify does not know this id."),
    502: OpenApiResponse(_ERR, description="Spotify refused the request."),
    503: OpenApiResponse(_ERR, description="Spotify rate limited (Retry-After) or unavailable."),
}


def _client() -> SpotifyClient:
    return get_spotify_client(max_wait=VIEW_MAX_WAIT_SECONDS)


def _query(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _playlist(request: Request, given: str, *, include_entries: bool) -> tuple[str, Playlist]:
    """The playlist's id and the playlist: an imported one (``import:<uuid>``, the caller's own) or
    Spotify's."""
    if imports.is_import_id(given):
        found = imports.import_get(user=request.user, playlist_id=given)
        return found.playlist_id, imports.as_playlist(found, include_entries=include_entries)
    playlist_id = parse_spotify_id(given, "playlist")
    return playlist_id, _client().playlist(playlist_id, include_entries=include_entries)


def _page_body(request: Request, page: Page) -> dict[str, Any]:
    """Spotify-style paging fields; ``next`` is this endpoint's URL for the following page."""
    next_url = None
    if page.next_offset is not None:
        params = {**request.query_params.dict(), "offset": page.next_offset, "limit": page.limit}
        next_url = request.build_absolute_uri(f"{request.path}?{urlencode(params)}")
    return {
        "items": page.items,
        "total": page.total,
        "limit": page.limit,
        "offset": page.offset,
        "next": next_url,
        "next_offset": page.next_offset,
    }


class TrackInfoView(APIView):
    @extend_schema(
        operation_id="track_info",
        parameters=[s.IdQuerySerializer],
        responses={200: s.CatalogTrackSerializer, **_ERRORS},
    )
    def get(self, request: Request) -> Response:
        track_id = parse_spotify_id(_query(s.IdQuerySerializer, request)["id"], "track")
        return Response(s.CatalogTrackSerializer(_client().track(track_id)).data)


class AlbumInfoView(APIView):
    @extend_schema(
        operation_id="album_info",
        parameters=[s.AlbumInfoQuerySerializer],
        responses={200: s.CatalogAlbumSerializer, **_ERRORS},
    )
    def get(self, request: Request) -> Response:
        query = _query(s.AlbumInfoQuerySerializer, request)
        album_id = parse_spotify_id(query["id"], "album")
        client = _client()
        if query.get("limit") is None and query["offset"] == 0:
            album = client.album(album_id)
            page = Page(
                items=album.tracks,
                total=len(album.tracks),
                limit=len(album.tracks),
                offset=0,
                next_offset=None,
            )
        else:
            album, page = client.album_tracks_page(
                album_id, limit=query.get("limit") or s.MAX_PAGE, offset=query["offset"]
            )
        body = s.CatalogAlbumSerializer(album, context={"tracks": _page_body(request, page)}).data
        return Response(body)


class ArtistInfoView(APIView):
    @extend_schema(
        operation_id="artist_info",
        parameters=[s.ArtistInfoQuerySerializer],
        responses={200: s.CatalogArtistSerializer, **_ERRORS},
    )
    def get(self, request: Request) -> Response:
        query = _query(s.ArtistInfoQuerySerializer, request)
        artist_id = parse_spotify_id(query["id"], "artist")
        client = _client()
        artist = client.artist(artist_id)
        page = client.artist_releases_page(artist_id, limit=query["limit"], offset=query["offset"])
        body = s.CatalogArtistSerializer(artist, context={"albums": _page_body(request, page)}).data
        mark_artist_releases(user=request.user, artist_id=artist_id, body=body, items=body["albums"]["items"])
        return Response(body)


class PlaylistInfoView(APIView):
    @extend_schema(
        operation_id="playlist_info",
        parameters=[s.PlaylistInfoQuerySerializer],
        responses={200: s.CatalogPlaylistSerializer, **_ERRORS},
        description="The playlist; with include_tracks=true every entry under tracks.items.",
    )
    def get(self, request: Request) -> Response:
        query = _query(s.PlaylistInfoQuerySerializer, request)
        playlist_id, playlist = _playlist(request, query["id"], include_entries=query["include_tracks"])
        context: dict[str, Any] = {}
        if query["include_tracks"]:
            count = len(playlist.entries)
            context["tracks"] = {
                "items": playlist.entries,
                "total": playlist.total_tracks,
                "limit": count,
                "offset": 0,
                "next": None,
                "next_offset": None,
            }
        body = s.CatalogPlaylistSerializer(playlist, context=context).data
        mark_playlist_entries(
            user=request.user, playlist_id=playlist_id, body=body, items=body["tracks"].get("items", [])
        )
        return Response(body)


class PlaylistMetadataView(APIView):
    METADATA_PAGE = 50

    @extend_schema(
        operation_id="playlist_metadata",
        parameters=[s.IdQuerySerializer],
        responses={200: s.CatalogPlaylistSerializer, **_ERRORS},
        description="The playlist with its first page of entries; more via playlist/tracks.",
    )
    def get(self, request: Request) -> Response:
        given = _query(s.IdQuerySerializer, request)["id"]
        if imports.is_import_id(given):
            found = imports.import_get(user=request.user, playlist_id=given)
            playlist_id, playlist = found.playlist_id, imports.as_playlist(found, include_entries=False)
            page = imports.entries_page(found, limit=self.METADATA_PAGE, offset=0)
        else:
            playlist_id = parse_spotify_id(given, "playlist")
            client = _client()
            playlist = client.playlist(playlist_id)
            page = client.playlist_entries_page(
                playlist_id, limit=self.METADATA_PAGE, offset=0, snapshot_id=playlist.snapshot_id
            )
        body = _page_body(request, page)
        if body["next"]:
            params = urlencode({"id": playlist_id, "offset": page.next_offset, "limit": page.limit})
            body["next"] = request.build_absolute_uri(f"{request.path.rsplit('/', 1)[0]}/tracks?{params}")
        result = s.CatalogPlaylistSerializer(playlist, context={"tracks": body}).data
        mark_playlist_entries(
            user=request.user, playlist_id=playlist_id, body=result, items=result["tracks"].get("items", [])
        )
        return Response(result)


class PlaylistTracksView(APIView):
    @extend_schema(
        operation_id="playlist_tracks",
        parameters=[s.PlaylistTracksQuerySerializer],
        responses={200: s.CatalogPlaylistEntriesPageSerializer, **_ERRORS},
    )
    def get(self, request: Request) -> Response:
        query = _query(s.PlaylistTracksQuerySerializer, request)
        if imports.is_import_id(query["id"]):
            found = imports.import_get(user=request.user, playlist_id=query["id"])
            playlist_id = found.playlist_id
            page = imports.entries_page(found, limit=query["limit"], offset=query["offset"])
        else:
            playlist_id = parse_spotify_id(query["id"], "playlist")
            page = _client().playlist_entries_page(playlist_id, limit=query["limit"], offset=query["offset"])
        body = s.CatalogPlaylistEntriesPageSerializer(_page_body(request, page)).data
        mark_playlist_entries(user=request.user, playlist_id=playlist_id, body={}, items=body["items"])
        return Response(body)


class SearchView(APIView):
    @extend_schema(
        operation_id="search",
        parameters=[s.SearchQuerySerializer],
        responses={200: s.CatalogSearchResultsSerializer, **_ERRORS},
    )
    def get(self, request: Request) -> Response:
        query = _query(s.SearchQuerySerializer, request)
        search_type = query.get("search_type") or query.get("type") or "track"
        items = _client().search(query["q"], search_type, limit=query["limit"])
        return Response(s.CatalogSearchResultsSerializer({"items": items}).data)


class MarketsView(APIView):
    permission_classes = (IsAdmin,)

    @extend_schema(
        operation_id="credentials_markets",
        responses={
            200: s.CatalogMarketsSerializer,
            **_ERRORS,
            403: OpenApiResponse(_ERR, description="Not an administrator."),
        },
    )
    def get(self, request: Request) -> Response:
        return Response(s.CatalogMarketsSerializer({"markets": _client().markets()}).data)
