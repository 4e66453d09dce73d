"""``/api/{track,album,playlist,artist}/info``, ``/api/search/`` and ``/api/credentials/markets`` (ISO
country codes, no Spotify call): the Spotify catalog as the frontend reads it. Any user may read; errors leave in the one error shape
(unknown id 404, no credentials 400 ``spotify_not_configured``, rate limited 503 with Retry-After)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, NoReturn
from urllib.parse import urlencode

import pycountry
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.current import request_user
from accounts.permissions import IsAdmin
from accounts.spotify.services import spotify_user_token
from playlist_imports import selectors as imports
from spotizerr.api import error_responses, validate
from spotizerr.catalog import bodies
from spotizerr.catalog import serializers as s
from spotizerr.catalog.library_marks import mark_artist_releases, mark_playlist_entries
from spotizerr.catalog.library_state import mark_entries, mark_releases, mark_tracks
from spotizerr.integrations.catalog_types import Page, Playlist
from spotizerr.integrations.spotify import (
    LIKED_ID,
    SpotifyClient,
    SpotifyPlaylistForbidden,
    get_spotify_client,
    parse_playlist_id,
    parse_spotify_id,
)

# a page view waits this long at most for Spotify's rate-limit back-off, then answers 503 + Retry-After
VIEW_MAX_WAIT_SECONDS = 5.0

_ERRORS = error_responses(
    {
        400: "Bad id or parameter, or no Spotify credentials configured (code spotify_not_configured).",
        401: "Not logged in.",
        404: "Spotify does not know this id.",
        409: "id=liked without a linked Spotify account (spotify_account_not_linked).",
        502: "Spotify refused the request.",
        503: "Spotify rate limited (Retry-After) or unavailable.",
    }
)


def _client(request: Request | None = None) -> SpotifyClient:
    """The catalog client; with ``request``, playlists are read through the caller's linked account."""
    user = spotify_user_token(user=request_user(request)) if request is not None else None
    return get_spotify_client(max_wait=VIEW_MAX_WAIT_SECONDS, user=user)


_FORBIDDEN = error_responses(
    {
        403: "Spotify does not let us read this playlist's tracks (spotify_playlist_forbidden): "
        "link the owner's Spotify account or import the list; details.playlist holds its metadata."
    }
)


def _forbidden_with_metadata(
    client: SpotifyClient, error: SpotifyPlaylistForbidden, playlist_id: str
) -> NoReturn:
    """Re-raise ``error`` with the playlist's metadata in its details: the name still shows."""
    playlist = client.playlist(playlist_id)
    error.details = {
        **(error.details or {}),
        "playlist": {
            "id": playlist.id,
            "name": playlist.name,
            "owner": playlist.owner,
            "total_tracks": playlist.total_tracks,
        },
    }
    raise error


def _playlist(request: Request, given: str, *, include_entries: bool) -> tuple[str, Playlist]:
    """The playlist's id and the playlist: an imported one (``import:<uuid>``, the caller's own) or
    Spotify's, read through the caller's linked account (``SpotifyPlaylistForbidden`` with the metadata)."""
    if imports.is_import_id(given):
        found = imports.import_get(user=request_user(request), playlist_id=given)
        return found.playlist_id, imports.as_playlist(found, include_entries=include_entries)
    playlist_id = parse_playlist_id(given)
    client = _client(request)
    try:
        return playlist_id, client.playlist(playlist_id, include_entries=include_entries)
    except SpotifyPlaylistForbidden as error:
        _forbidden_with_metadata(client, error, playlist_id)


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


def _with_items(body: dict[str, Any], key: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """``body`` (a serializer's output) as a plain dict with ``items`` under ``body[key]``.

    The track lists are built by ``bodies`` and kept out of DRF's serializer objects: those hold their
    input and output in reference cycles, which only the collector's slowest sweep frees, and a
    500-track page then makes one request in four wait 20 ms or more for it."""
    return {**body, key: {**body[key], "items": items}}


class TrackInfoView(APIView):
    @extend_schema(
        operation_id="track_info",
        parameters=[s.IdQuerySerializer],
        responses={200: s.CatalogTrackSerializer, **_ERRORS},
    )
    def get(self, request: Request) -> Response:
        track_id = parse_spotify_id(
            validate(s.IdQuerySerializer, request.query_params).validated_data["id"], "track"
        )
        body = s.CatalogTrackSerializer(_client().track(track_id)).data
        mark_tracks(user=request_user(request), tracks=[body])
        return Response(body)


class AlbumInfoView(APIView):
    @extend_schema(
        operation_id="album_info",
        parameters=[s.AlbumInfoQuerySerializer],
        responses={200: s.CatalogAlbumSerializer, **_ERRORS},
    )
    def get(self, request: Request) -> Response:
        query = validate(s.AlbumInfoQuerySerializer, request.query_params).validated_data
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
        tracks = [bodies.album_track_body(track) for track in page.items]
        fields = {**_page_body(request, page), "items": ()}
        body = _with_items(s.CatalogAlbumSerializer(album, context={"tracks": fields}).data, "tracks", tracks)
        body["library"] = mark_tracks(user=request_user(request), tracks=tracks)
        return Response(body)


class ArtistInfoView(APIView):
    @extend_schema(
        operation_id="artist_info",
        parameters=[s.ArtistInfoQuerySerializer],
        responses={200: s.CatalogArtistSerializer, **_ERRORS},
    )
    def get(self, request: Request) -> Response:
        query = validate(s.ArtistInfoQuerySerializer, request.query_params).validated_data
        artist_id = parse_spotify_id(query["id"], "artist")
        client = _client()
        artist = client.artist(artist_id)
        page = client.artist_releases_page(artist_id, limit=query["limit"], offset=query["offset"])
        body = s.CatalogArtistSerializer(artist, context={"albums": _page_body(request, page)}).data
        mark_artist_releases(
            user=request_user(request), artist_id=artist_id, body=body, items=body["albums"]["items"]
        )
        mark_releases(user=request_user(request), releases=body["albums"]["items"])
        return Response(body)


class PlaylistInfoView(APIView):
    @extend_schema(
        operation_id="playlist_info",
        parameters=[s.PlaylistInfoQuerySerializer],
        responses={200: s.CatalogPlaylistSerializer, **_ERRORS, **_FORBIDDEN},
        description="The playlist (id=liked: your Liked Songs); with include_tracks=true every entry under "
        "tracks.items, read through your linked Spotify account.",
    )
    def get(self, request: Request) -> Response:
        query = validate(s.PlaylistInfoQuerySerializer, request.query_params).validated_data
        playlist_id, playlist = _playlist(request, query["id"], include_entries=query["include_tracks"])
        context: dict[str, Any] = {}
        if query["include_tracks"]:
            context["tracks"] = {
                "items": (),
                "total": playlist.total_tracks,
                "limit": len(playlist.entries),
                "offset": 0,
                "next": None,
                "next_offset": None,
            }
        body: dict[str, Any] = s.CatalogPlaylistSerializer(
            replace(playlist, entries=()), context=context
        ).data
        if query["include_tracks"]:
            items = [bodies.entry_body(entry) for entry in playlist.entries]
            body = _with_items(body, "tracks", items)
            body["library"] = mark_entries(user=request_user(request), entries=items)
        mark_playlist_entries(
            user=request_user(request),
            playlist_id=playlist_id,
            body=body,
            items=body["tracks"].get("items", []),
        )
        return Response(body)


class PlaylistMetadataView(APIView):
    METADATA_PAGE = 50

    @extend_schema(
        operation_id="playlist_metadata",
        parameters=[s.IdQuerySerializer],
        responses={200: s.CatalogPlaylistSerializer, **_ERRORS, **_FORBIDDEN},
        description="The playlist with its first page of entries; more via playlist/tracks.",
    )
    def get(self, request: Request) -> Response:
        given = validate(s.IdQuerySerializer, request.query_params).validated_data["id"]
        if imports.is_import_id(given):
            found = imports.import_get(user=request_user(request), playlist_id=given)
            playlist_id, playlist = found.playlist_id, imports.as_playlist(found, include_entries=False)
            page = imports.entries_page(found, limit=self.METADATA_PAGE, offset=0)
        else:
            playlist_id = parse_playlist_id(given)
            client = _client(request)
            playlist = client.playlist(playlist_id)
            try:
                page = client.playlist_entries_page(
                    playlist_id, limit=self.METADATA_PAGE, offset=0, snapshot_id=playlist.snapshot_id
                )
            except SpotifyPlaylistForbidden as error:
                _forbidden_with_metadata(client, error, playlist_id)
        body = _page_body(request, page)
        if body["next"]:
            params = urlencode({"id": playlist_id, "offset": page.next_offset, "limit": page.limit})
            body["next"] = request.build_absolute_uri(f"{request.path.rsplit('/', 1)[0]}/tracks?{params}")
        items = [bodies.entry_body(entry) for entry in page.items]
        fields = s.CatalogPlaylistSerializer(playlist, context={"tracks": {**body, "items": ()}}).data
        result = _with_items(fields, "tracks", items)
        result["library"] = mark_entries(user=request_user(request), entries=items)
        mark_playlist_entries(
            user=request_user(request),
            playlist_id=playlist_id,
            body=result,
            items=result["tracks"].get("items", []),
        )
        return Response(result)


class PlaylistTracksView(APIView):
    @extend_schema(
        operation_id="playlist_tracks",
        parameters=[s.PlaylistTracksQuerySerializer],
        responses={200: s.CatalogPlaylistEntriesPageSerializer, **_ERRORS, **_FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        query = validate(s.PlaylistTracksQuerySerializer, request.query_params).validated_data
        if imports.is_import_id(query["id"]):
            found = imports.import_get(user=request_user(request), playlist_id=query["id"])
            playlist_id = found.playlist_id
            page = imports.entries_page(found, limit=query["limit"], offset=query["offset"])
        else:
            playlist_id = parse_playlist_id(query["id"])
            client = _client(request)
            snapshot = client.playlist_snapshot(playlist_id) if playlist_id == LIKED_ID else None
            try:
                page = client.playlist_entries_page(
                    playlist_id, limit=query["limit"], offset=query["offset"], snapshot_id=snapshot
                )
            except SpotifyPlaylistForbidden as error:
                _forbidden_with_metadata(client, error, playlist_id)
        body = {**_page_body(request, page), "items": [bodies.entry_body(entry) for entry in page.items]}
        mark_entries(user=request_user(request), entries=body["items"])
        mark_playlist_entries(
            user=request_user(request), playlist_id=playlist_id, body={}, items=body["items"]
        )
        return Response(body)


class SearchView(APIView):
    @extend_schema(
        operation_id="search",
        parameters=[s.SearchQuerySerializer],
        responses={200: s.CatalogSearchResultsSerializer, **_ERRORS},
    )
    def get(self, request: Request) -> Response:
        query = validate(s.SearchQuerySerializer, request.query_params).validated_data
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
            **error_responses({403: "Not an administrator."}),
        },
        description="Every ISO 3166-1 alpha-2 country code (from pycountry; Spotify removed GET /markets "
        "for development-mode apps), so it needs no Spotify call.",
    )
    def get(self, request: Request) -> Response:
        codes = sorted(country.alpha_2 for country in pycountry.countries)
        return Response(s.CatalogMarketsSerializer({"markets": codes}).data)
