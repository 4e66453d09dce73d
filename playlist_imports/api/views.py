"""Thin views of the import API: parse, call a service or selector, render."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.current import request_user
from accounts.permissions import BearerOnlyForGetCommands, IsAuthenticatedUser
from downloads.api.serializers import DownloadAcceptedSerializer, DownloadOverridesSerializer
from downloads.services import download_given_playlist_request
from playlist_imports import selectors, services
from playlist_imports.api import serializers as s
from playlist_imports.errors import ImportTooLarge
from spotizerr.api import ErrorResponseSerializer as Err
from spotizerr.errors import PayloadTooLarge
from spotizerr.parsers import SafeJSONParser

_E = {
    400: OpenApiResponse(
        Err,
        description="Not a list of its kind (details.line names the line), a refused list URL "
        "(import_url_refused), or bad input.",
    ),
    401: OpenApiResponse(Err, description="Not logged in."),
    403: OpenApiResponse(Err, description="The Deezer playlist is private (deezer_playlist_private)."),
    404: OpenApiResponse(Err, description="No such import or entry, or an unknown Deezer playlist."),
    409: OpenApiResponse(Err, description="Still matching, or already downloading."),
    413: OpenApiResponse(Err, description="More than 10,000 entries or 5 MB (import_too_large)."),
    502: OpenApiResponse(
        Err, description="Spotify, Deezer or the list's URL answered with an error (import_url_unavailable)."
    ),
    503: OpenApiResponse(Err, description="Spotify is rate limiting or unavailable; try again later."),
}


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: _E[code] for code in codes}


def _source(request: Request) -> services.ImportSource:
    try:
        data = request.data
    except RequestDataTooBig:
        # the one 413 of every endpoint (code too_large, details.limit_bytes); docs/api.md says to
        # upload a longer list as a file (multipart)
        raise PayloadTooLarge() from None
    serializer = s.ImportRequestSerializer(data=data)
    serializer.is_valid(raise_exception=True)
    given = serializer.validated_data
    upload = given.get("file")
    if upload is not None and upload.size > services.settings.IMPORT_MAX_BYTES:
        raise ImportTooLarge(f"The file is {upload.size} bytes; an import takes at most 5 MB.")
    return services.ImportSource(
        kind=given["kind"],
        name=given["name"],
        text=given["text"],
        data=upload.read() if upload is not None else b"",
        url=given["url"],
    )


class ImportCreateView(APIView):
    parser_classes = [SafeJSONParser, MultiPartParser]

    @extend_schema(
        operation_id="playlist_import",
        tags=["imports"],
        request={
            "application/json": s.ImportRequestSerializer,
            "multipart/form-data": s.ImportRequestSerializer,
        },
        responses={201: s.ImportResultSerializer, **_errors(400, 401, 403, 404, 413, 502, 503)},
        summary="Import a playlist from Spotify links, a CSV or M3U (file, text or URL) or a public Deezer playlist",
    )
    def post(self, request: Request) -> Response:
        playlist = services.import_create(user=request_user(request), source=_source(request))
        return Response(selectors.import_summary(playlist), status=status.HTTP_201_CREATED)


class ImportDetailView(APIView):
    @extend_schema(
        operation_id="playlist_import_get",
        tags=["imports"],
        responses={200: s.ImportResultSerializer, **_errors(401, 404)},
        summary="An import's progress and every entry with its match",
    )
    def get(self, request: Request, playlist_id: str) -> Response:
        playlist = selectors.import_get(user=request_user(request), playlist_id=playlist_id)
        return Response(selectors.import_summary(playlist, with_entries=True))


class ImportEntryFixView(APIView):
    @extend_schema(
        operation_id="playlist_import_entry_fix",
        tags=["imports"],
        request=s.EntryFixSerializer,
        responses={200: s.ImportEntrySerializer, **_errors(400, 401, 404, 503)},
        summary="Match one entry to a Spotify track by hand",
    )
    def put(self, request: Request, playlist_id: str, position: int) -> Response:
        serializer = s.EntryFixSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.entry_fix(
            user=request_user(request),
            playlist_id=playlist_id,
            position=position,
            track=serializer.validated_data["track"],
        )
        return Response(selectors.entry_body(entry))


class ImportDownloadView(APIView):
    # GET commands: a link on another site must not start downloads with a cookie session.
    permission_classes = [IsAuthenticatedUser, BearerOnlyForGetCommands]

    # Not a schema operation of its own: clients call the seed's download_playlist with an import:<uuid>
    # id (its description says so), and this route takes those ids before the downloads app sees them.
    @extend_schema(
        exclude=True,
        operation_id="playlist_import_download",
        tags=["imports"],
        parameters=[DownloadOverridesSerializer],
        responses={202: DownloadAcceptedSerializer, **_errors(400, 401, 404, 409)},
        summary="Download an imported playlist (matched entries; the M3U lists them in order)",
    )
    def get(self, request: Request, item_id: str) -> Response:
        query = DownloadOverridesSerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        playlist = selectors.import_get(user=request_user(request), playlist_id=item_id)
        selectors.ensure_ready(playlist)
        task = download_given_playlist_request(
            user=request_user(request),
            playlist_id=playlist.playlist_id,
            name=playlist.name,
            owner=playlist.owner.username,
            tracks=selectors.tracks_of(playlist),
            overrides=query.overrides(),
        )
        return Response({"task_id": str(task.pk)}, status=status.HTTP_202_ACCEPTED)
