"""Thin views of the download and progress API: parse, call a service or selector, render."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.current import request_user
from accounts.no_store import NoStoreMixin
from accounts.permissions import BearerOnlyForGetCommands, IsAuthenticatedUser
from accounts.selectors import stream_credential
from downloads import cancelling, requeue, selectors, services
from downloads.api import serializers as s
from downloads.models import DownloadTask, TaskStatus
from spotizerr.api import error_responses, validate

_ERROR_TEXT = {
    400: "Invalid input; details name the fields.",
    401: "Not logged in.",
    404: "No such item or task.",
    403: "Cookie sessions cannot use GET commands; use a bearer token or the dashboard.",
    409: "The task is in a state that does not allow this.",
    502: "Spotify answered with an error.",
    503: "Spotify is unavailable or rate limiting; try again later.",
}


_ID_DESCRIPTION = "A Spotify id, open.spotify.com link or spotify: URI."
_EXTRA_IDS = {
    "playlist": " `liked` is your Liked Songs (a linked Spotify account) and `import:<uuid>` one of your "
    "imported playlists (its matched tracks, in order).",
}


class DownloadRequestView(APIView):
    """Queue a download of one kind; ``urls.py`` mounts one subclass per kind (``download_kinds``)."""

    # GET commands: a link on another site must not start or cancel downloads with a cookie session.
    permission_classes = [IsAuthenticatedUser, BearerOnlyForGetCommands]
    download_type = ""

    def get(self, request: Request, **ids: str) -> Response:
        query = validate(s.DownloadQuerySerializer, request.query_params.dict())
        task = services.download_request(
            user=request_user(request),
            download_type=self.download_type,
            item_id=ids[f"{self.download_type}_id"].rstrip("/"),  # "/api/track/download/<id>/" too
            overrides=query.overrides(),
            missing_only=query.validated_data["missing_only"],
        )
        return Response({"task_id": str(task.pk)}, status=status.HTTP_202_ACCEPTED)


class ArtistDownloadView(APIView):
    # GET commands: a link on another site must not start or cancel downloads with a cookie session.
    permission_classes = [IsAuthenticatedUser, BearerOnlyForGetCommands]

    @extend_schema(
        operation_id="download_artist",
        tags=["downloads"],
        parameters=[
            OpenApiParameter("artist_id", OpenApiTypes.STR, OpenApiParameter.PATH),
            s.ArtistDownloadQuerySerializer,
        ],
        responses={
            202: s.ArtistDownloadAcceptedSerializer,
            **error_responses(_ERROR_TEXT, 400, 401, 403, 404, 502, 503),
        },
        summary="Queue one album download per release of an artist",
    )
    def get(self, request: Request, artist_id: str) -> Response:
        query = validate(s.ArtistDownloadQuerySerializer, request.query_params.dict())
        result = services.download_artist_request(
            user=request_user(request),
            artist_id=artist_id,
            album_types=query.album_types(),
            overrides=query.overrides(),
        )
        return Response(result, status=status.HTTP_202_ACCEPTED)


def _cancel_answer(task: DownloadTask) -> dict[str, str]:
    """ "cancelled" once the task has ended; "cancelling" while a track in progress is still stopping."""
    if task.status == TaskStatus.CANCELLED:
        return {"status": "cancelled", "task_id": str(task.pk), "message": "Download cancelled."}
    return {
        "status": "cancelling",
        "task_id": str(task.pk),
        "message": "Stopping the track in progress; the task shows as cancelled once it has stopped.",
    }


class DownloadCancelView(APIView):
    """Cancel a task of one kind; mounted once per kind like ``DownloadRequestView``."""

    # GET commands: a link on another site must not start or cancel downloads with a cookie session.
    permission_classes = [IsAuthenticatedUser, BearerOnlyForGetCommands]
    download_type = ""

    def get(self, request: Request) -> Response:
        query = validate(s.TaskIdQuerySerializer, request.query_params.dict())
        task = cancelling.task_cancel(
            user=request_user(request),
            task_id=query.validated_data["task_id"],
            download_type=self.download_type,
        )
        return Response(_cancel_answer(task))


def _download_view(kind: str) -> type[APIView]:
    """``download_<kind>``: the seed's ``GET /api/<kind>/download/{<kind>_id}`` as its own operation,
    so a generated client has ``download_track(track_id)`` and not a kind parameter."""
    view = type(f"{kind.title()}DownloadView", (DownloadRequestView,), {"download_type": kind})
    schema = extend_schema(
        operation_id=f"download_{kind}",
        tags=["downloads"],
        parameters=[
            OpenApiParameter(
                f"{kind}_id", OpenApiTypes.STR, OpenApiParameter.PATH, description=_ID_DESCRIPTION
            ),
            s.DownloadQuerySerializer,
        ],
        responses={
            202: s.DownloadAcceptedSerializer,
            409: OpenApiResponse(
                s.DownloadConflictSerializer, description="Already queued or running for you."
            ),
            **error_responses(_ERROR_TEXT, 400, 401, 403, 404, 502, 503),
        },
        summary=f"Queue a download of this {kind}",
        description=f"Queue a download of a {kind}. 409 with `existing_task` when it is already queued."
        + _EXTRA_IDS.get(kind, ""),
    )
    return extend_schema_view(get=schema)(view)


def _cancel_view(kind: str) -> type[APIView]:
    view = type(f"{kind.title()}DownloadCancelView", (DownloadCancelView,), {"download_type": kind})
    schema = extend_schema(
        operation_id=f"download_{kind}_cancel",
        tags=["downloads"],
        parameters=[s.TaskIdQuerySerializer],
        responses={200: s.TaskCancelledSerializer, **error_responses(_ERROR_TEXT, 400, 401, 403, 404, 409)},
        summary=f"Cancel a {kind} download task",
        description=f"Cancel one of your {kind} download tasks (`task_id` in the query).",
    )
    return extend_schema_view(get=schema)(view)


DOWNLOAD_KINDS = ("track", "album", "playlist")
#: kind -> (download view, cancel view), one pair per kind the seed names in its paths
download_kinds: dict[str, tuple[type[APIView], type[APIView]]] = {
    kind: (_download_view(kind), _cancel_view(kind)) for kind in DOWNLOAD_KINDS
}


class TaskCancelView(APIView):
    @extend_schema(
        operation_id="progress_cancel",
        tags=["progress"],
        request=None,
        responses={200: s.TaskCancelledSerializer, **error_responses(_ERROR_TEXT, 401, 404, 409)},
        summary="Cancel a task",
    )
    def post(self, request: Request, task_id: str) -> Response:
        task = cancelling.task_cancel(user=request_user(request), task_id=task_id)
        return Response(_cancel_answer(task))


class TaskCancelAllView(APIView):
    @extend_schema(
        operation_id="progress_cancel_all",
        tags=["progress"],
        request=None,
        responses={200: s.TaskCancelAllSerializer, **error_responses(_ERROR_TEXT, 401)},
        summary="Cancel every task you can see",
    )
    def post(self, request: Request) -> Response:
        cancelled = cancelling.task_cancel_all(user=request_user(request))
        return Response({"status": "cancelled", "cancelled_count": len(cancelled), "task_ids": cancelled})


class TaskDeleteView(APIView):
    @extend_schema(
        operation_id="progress_delete",
        tags=["progress"],
        request=None,
        responses={200: s.TaskDeletedSerializer, **error_responses(_ERROR_TEXT, 401, 404, 409)},
        summary="Delete a finished task (history and files stay)",
    )
    def delete(self, request: Request, task_id: str) -> Response:
        requeue.task_delete(user=request_user(request), task_id=task_id)
        return Response({"status": "deleted", "task_id": task_id})


class TaskRetryView(APIView):
    @extend_schema(
        operation_id="progress_retry",
        tags=["progress"],
        request=None,
        responses={200: s.TaskRetriedSerializer, **error_responses(_ERROR_TEXT, 401, 404, 409)},
        summary="Queue a finished task's failed tracks again",
        description="Reopens the task (same id, same history entry): only its failed tracks are "
        "downloaded again. 409 `task_active` while it is queued or running; asking twice is harmless.",
    )
    def post(self, request: Request, task_id: str) -> Response:
        retried = requeue.task_retry_failed(user=request_user(request), task_id=task_id)
        return Response({"task_id": task_id, "retried": retried})


class TaskRetryFailedView(APIView):
    @extend_schema(
        operation_id="progress_retry_failed",
        tags=["progress"],
        request=None,
        responses={200: s.TasksRetriedSerializer, **error_responses(_ERROR_TEXT, 401)},
        summary="Queue the failed tracks of all your finished tasks again",
    )
    def post(self, request: Request) -> Response:
        done = requeue.tasks_retry_failed(user=request_user(request))
        return Response(
            {
                "retried": sum(count for _, count in done),
                "tasks": [{"task_id": task_id, "retried": count} for task_id, count in done],
            }
        )


class TaskClearView(APIView):
    @extend_schema(
        operation_id="progress_clear",
        tags=["progress"],
        request=None,
        responses={200: s.TasksClearedSerializer, **error_responses(_ERROR_TEXT, 401)},
        summary="Delete all your finished tasks (history and files stay)",
    )
    def post(self, request: Request) -> Response:
        deleted = requeue.tasks_clear_finished(user=request_user(request))
        return Response({"status": "cleared", "deleted_count": deleted})


class TaskProgressView(APIView):
    @extend_schema(
        operation_id="progress_get",
        tags=["progress"],
        responses={200: s.TaskProgressSerializer, **error_responses(_ERROR_TEXT, 401, 404)},
        summary="One task's progress",
    )
    def get(self, request: Request, task_id: str) -> Response:
        return Response(selectors.task_progress(user=request_user(request), task_id=task_id))


class TaskListView(APIView):
    @extend_schema(
        operation_id="progress_list",
        tags=["progress"],
        parameters=[s.PageQuerySerializer],
        responses={200: s.TaskListSerializer, **error_responses(_ERROR_TEXT, 400, 401)},
        summary="Tasks, newest first",
    )
    def get(self, request: Request) -> Response:
        query = validate(s.PageQuerySerializer, request.query_params.dict()).validated_data
        return Response(
            selectors.tasks_list(
                user=request_user(request),
                page=query["page"],
                limit=query["limit"],
                active_only=query["active_only"],
            )
        )


class TaskUpdatesView(APIView):
    @extend_schema(
        operation_id="progress_updates",
        tags=["progress"],
        parameters=[s.UpdatesQuerySerializer],
        responses={200: s.TaskUpdatesSerializer, **error_responses(_ERROR_TEXT, 400, 401)},
        summary="What changed since a moment (or a snapshot)",
    )
    def get(self, request: Request) -> Response:
        query = validate(s.UpdatesQuerySerializer, request.query_params.dict()).validated_data
        return Response(
            selectors.tasks_updates(
                user=request_user(request),
                since=query.get("since"),
                page=query["page"],
                limit=query["limit"],
                active_only=query["active_only"],
            )
        )


class StreamTicketView(NoStoreMixin, APIView):
    @extend_schema(
        operation_id="progress_stream_ticket",
        tags=["progress"],
        request=None,
        responses={201: s.StreamTicketSerializer, **error_responses(_ERROR_TEXT, 401)},
        summary="A single-use ticket to open the progress stream (for EventSource)",
    )
    def post(self, request: Request) -> Response:
        credential = stream_credential(
            user=request_user(request), token=request.auth, session_key=request.session.session_key
        )
        ticket, lifetime = services.stream_ticket_issue(credential=credential)
        return Response(
            {"ticket": ticket, "expires_in": lifetime, "stream_url": f"/api/prgs/stream?ticket={ticket}"},
            status=status.HTTP_201_CREATED,
        )
