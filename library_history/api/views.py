"""``/api/history/``: read the download history; admins may clean up old entries."""

from __future__ import annotations

import uuid
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsAdmin
from library_history import selectors, services
from library_history.api import serializers as s
from library_history.models import HistoryEntry
from spotizerr.api import error_responses, validate

_AUTH = error_responses({401: "Not logged in."})
_BAD = error_responses({400: "A parameter is missing, out of range or not allowed."})
_TASK_ID = OpenApiParameter(
    "task_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The download's task id."
)
_MISSING = error_responses({404: "No entry with that task id in your history."})


def _entries(entries: list[HistoryEntry]) -> list[dict[str, Any]]:
    return list(s.HistoryEntrySerializer(entries, many=True).data)


class HistoryListView(APIView):
    @extend_schema(
        operation_id="history_list",
        parameters=[s.HistoryListQuerySerializer],
        responses={200: s.HistoryListSerializer, **_BAD, **_AUTH},
        description="Your downloads (everyone's for admins), newest first unless `sort` says otherwise; "
        "`created_from`/`created_to` limit them to a range of days.",
    )
    def get(self, request: Request) -> Response:
        query = validate(s.HistoryListQuerySerializer, request.query_params).validated_data
        page = selectors.history_list(
            user=request.user,
            limit=query["limit"],
            offset=query["offset"],
            download_type=query.get("download_type"),
            status=query.get("status"),
            sort=query["sort"],
            created_from=query.get("created_from"),
            created_to=query.get("created_to"),
        )
        pagination = {
            "limit": query["limit"],
            "offset": query["offset"],
            "returned_count": len(page.entries),
            "total": page.total,
        }
        return Response({"downloads": _entries(page.entries), "pagination": pagination})


class HistoryStatsView(APIView):
    @extend_schema(operation_id="history_stats", responses={200: s.HistoryStatsSerializer, **_AUTH})
    def get(self, request: Request) -> Response:
        return Response(s.HistoryStatsSerializer(selectors.history_stats(user=request.user)).data)


class HistorySearchView(APIView):
    @extend_schema(
        operation_id="history_search",
        parameters=[s.HistorySearchQuerySerializer],
        responses={200: s.HistorySearchResultSerializer, **_BAD, **_AUTH},
        description="Entries whose name, artist or album contain every word of q.",
    )
    def get(self, request: Request) -> Response:
        query = validate(s.HistorySearchQuerySerializer, request.query_params).validated_data
        entries = selectors.history_search(user=request.user, query=query["q"], limit=query["limit"])
        return Response({"downloads": _entries(entries), "count": len(entries), "query": query["q"]})


class HistoryRecentView(APIView):
    @extend_schema(
        operation_id="history_recent",
        parameters=[s.HistoryRecentQuerySerializer],
        responses={200: s.HistoryEntriesSerializer, **_BAD, **_AUTH},
    )
    def get(self, request: Request) -> Response:
        query = validate(s.HistoryRecentQuerySerializer, request.query_params).validated_data
        entries = selectors.history_recent(user=request.user, limit=query["limit"])
        return Response({"downloads": _entries(entries), "count": len(entries)})


class HistoryFailedView(APIView):
    @extend_schema(
        operation_id="history_failed",
        parameters=[s.HistoryFailedQuerySerializer],
        responses={200: s.HistoryEntriesSerializer, **_BAD, **_AUTH},
    )
    def get(self, request: Request) -> Response:
        query = validate(s.HistoryFailedQuerySerializer, request.query_params).validated_data
        entries = selectors.history_failed(user=request.user, limit=query["limit"])
        return Response({"downloads": _entries(entries), "count": len(entries)})


class HistoryCleanupView(APIView):
    permission_classes = [IsAdmin]

    @extend_schema(
        operation_id="history_cleanup",
        request=s.HistoryCleanupRequestSerializer,
        responses={
            200: s.HistoryCleanupResultSerializer,
            **_BAD,
            **_AUTH,
            **error_responses({403: "Not an administrator."}),
        },
        description="Delete entries older than days_old. Library files are never touched.",
    )
    def post(self, request: Request) -> Response:
        days_old = validate(s.HistoryCleanupRequestSerializer, request.data).validated_data["days_old"]
        return Response({"deleted": services.history_cleanup(days_old=days_old), "days_old": days_old})


class HistoryDetailView(APIView):
    @extend_schema(
        operation_id="history_retrieve",
        parameters=[_TASK_ID],
        responses={200: s.HistoryEntrySerializer, **_MISSING, **_AUTH},
    )
    def get(self, request: Request, task_id: str) -> Response:
        entry = selectors.history_get(user=request.user, task_id=uuid.UUID(task_id))
        return Response(s.HistoryEntrySerializer(entry).data)


class HistoryChildrenView(APIView):
    @extend_schema(
        operation_id="history_children",
        parameters=[_TASK_ID],
        responses={200: s.HistoryChildrenSerializer, **_MISSING, **_AUTH},
        description="The per-track rows of an album or playlist download, in order.",
    )
    def get(self, request: Request, task_id: str) -> Response:
        entry, tracks = selectors.history_children(user=request.user, task_id=uuid.UUID(task_id))
        children = s.HistoryTrackSerializer(tracks, many=True).data
        return Response(
            {
                "task_id": entry.task_id,
                "download_type": entry.download_type,
                "children": children,
                "count": len(tracks),
                # the names the original Spotizerr web UI reads
                "title": entry.name,
                "tracks": children,
                "track_count": len(tracks),
            }
        )
