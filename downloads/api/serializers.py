"""Named input and output serializers of the download and progress API."""

from __future__ import annotations

import math
from typing import Any

from rest_framework import serializers

from downloads.models import DownloadType, TaskStatus
from spotizerr.api import ErrorResponseSerializer

MAX_PAGE_SIZE = 100


# ---------------------------------------------------------------------------------------------- requests
class DownloadOverridesSerializer(serializers.Serializer):
    """Settings a single download may change, as query parameters (unknown parameters are ignored)."""

    convertTo = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=10,
        help_text='An output format (MP3, AAC, OGG, OPUS, FLAC, WAV, ALAC) or "none".',
    )
    fileFormat = serializers.CharField(
        required=False, allow_blank=True, max_length=10, help_text="Same as convertTo."
    )
    bitrate = serializers.CharField(required=False, allow_blank=True, max_length=10, help_text='E.g. "320k".')
    customDirFormat = serializers.CharField(required=False, max_length=500)
    customTrackFormat = serializers.CharField(required=False, max_length=500)
    tracknumPadding = serializers.BooleanField(required=False)
    padNumberWidth = serializers.CharField(required=False, max_length=4, help_text='"auto" or 1-10.')
    saveCover = serializers.BooleanField(required=False)
    artistSeparator = serializers.CharField(required=False, max_length=10, trim_whitespace=False)
    explicitFilter = serializers.BooleanField(required=False)

    def overrides(self) -> dict[str, Any]:
        """The given settings typed as the configuration stores them."""
        values = dict(self.validated_data)
        for key in ("convertTo", "fileFormat", "bitrate"):
            if key in values and str(values[key]).strip().lower() in {"", "none", "null", "original"}:
                values[key] = None
        width = values.get("padNumberWidth")
        if width is not None and str(width).strip().isdigit():
            values["padNumberWidth"] = int(width)
        return values


class DownloadQuerySerializer(DownloadOverridesSerializer):
    missing_only = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Download missing: tracks your library holds in full are skipped at once "
        '("Already in the library."); previews, wanted and missing tracks are fetched.',
    )

    def overrides(self) -> dict[str, Any]:
        values = super().overrides()
        values.pop("missing_only", None)
        return values


class ArtistDownloadQuerySerializer(DownloadOverridesSerializer):
    album_type = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Comma-separated: album, single, compilation, appears_on.",
    )

    def album_types(self) -> list[str] | None:
        text = self.validated_data.get("album_type") or ""
        names = [name.strip().lower() for name in text.split(",") if name.strip()]
        return list(dict.fromkeys(names)) or None

    def overrides(self) -> dict[str, Any]:
        values = super().overrides()
        values.pop("album_type", None)
        return values


class DownloadAcceptedSerializer(serializers.Serializer):
    task_id = serializers.UUIDField()


class DownloadArtistSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()


class ArtistDownloadAcceptedSerializer(serializers.Serializer):
    status = serializers.CharField()
    message = serializers.CharField()
    artist = DownloadArtistSerializer()
    album_types = serializers.ListField(child=serializers.CharField())
    queued_albums = serializers.ListField(
        child=serializers.UUIDField(), help_text="Ids of the new album tasks."
    )
    duplicate_albums = serializers.ListField(
        child=serializers.UUIDField(), help_text="Ids of tasks already queued or running for these albums."
    )


class DownloadConflictSerializer(ErrorResponseSerializer):
    existing_task = serializers.UUIDField(help_text="The task already queued or running for this item.")


# ---------------------------------------------------------------------------------------------- control
class TaskIdQuerySerializer(serializers.Serializer):
    task_id = serializers.UUIDField()


class TaskCancelledSerializer(serializers.Serializer):
    status = serializers.CharField()
    task_id = serializers.UUIDField()
    message = serializers.CharField()


class TaskCancelAllSerializer(serializers.Serializer):
    status = serializers.CharField()
    cancelled_count = serializers.IntegerField()
    task_ids = serializers.ListField(child=serializers.UUIDField())


class TaskDeletedSerializer(serializers.Serializer):
    status = serializers.CharField()
    task_id = serializers.UUIDField()


class TaskRetriedSerializer(serializers.Serializer):
    task_id = serializers.UUIDField()
    retried = serializers.IntegerField(
        help_text="Failed tracks queued again (0 when nothing had failed; 1 for a task that failed "
        "before it had tracks and starts again)."
    )


class TasksRetriedSerializer(serializers.Serializer):
    retried = serializers.IntegerField(help_text="Failed tracks queued again, over all tasks.")
    tasks = TaskRetriedSerializer(many=True, help_text="Each task reopened, with its count.")


class TasksClearedSerializer(serializers.Serializer):
    status = serializers.CharField()
    deleted_count = serializers.IntegerField()


class StreamTicketSerializer(serializers.Serializer):
    ticket = serializers.CharField()
    expires_in = serializers.IntegerField(help_text="Seconds the ticket stays valid; it works once.")
    stream_url = serializers.CharField()


# ---------------------------------------------------------------------------------------------- progress
class TrackRefSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    track_id = serializers.CharField()
    name = serializers.CharField()
    artist = serializers.CharField()
    status = serializers.CharField()
    reason = serializers.CharField(required=False)
    file_path = serializers.CharField(required=False)
    source = serializers.CharField(required=False)  # type: ignore[assignment]  # an API field named like a DRF attribute
    quality = serializers.CharField(required=False)
    is_preview = serializers.BooleanField(required=False)


class StatusInfoSerializer(serializers.Serializer):
    status = serializers.CharField()
    message = serializers.CharField(allow_blank=True)
    error = serializers.CharField(allow_null=True)
    retry_count = serializers.IntegerField(required=False)
    max_retries = serializers.IntegerField(required=False)
    seconds_left = serializers.IntegerField(required=False)
    summary = serializers.JSONField(required=False)


class LastLineSerializer(serializers.Serializer):
    """The newest event of a task."""

    event_id = serializers.IntegerField()
    status = serializers.CharField(
        help_text="The event's status; on an event about one track of an album or playlist, the task's "
        "(the track's own is in track.status and status_info.status)."
    )
    status_info = StatusInfoSerializer()
    type = serializers.CharField()
    name = serializers.CharField(allow_blank=True)
    artist = serializers.CharField(allow_blank=True)
    current_track = serializers.IntegerField()
    total_tracks = serializers.IntegerField()
    progress = serializers.IntegerField()
    task_status = serializers.CharField()
    track = TrackRefSerializer(
        required=False, help_text="The track the event is about; absent (never null) otherwise."
    )
    parent = serializers.JSONField(  # type: ignore[assignment]  # an API field named like a DRF attribute
        required=False, help_text="The album or playlist task of a track event; absent otherwise."
    )
    timestamp = serializers.FloatField()


class TaskSummarySerializer(serializers.Serializer):
    """How the task went so far, in the history's words; the same on every task document."""

    status = serializers.ChoiceField(
        choices=["in_progress", "complete", "partial", "failed", "cancelled", "skipped"],
        help_text="As history says it (history's completed spelled complete, like the task status): "
        "partial = some tracks in the library, some failed or cancelled; in_progress while active.",
    )
    completed = serializers.IntegerField(help_text="Tracks downloaded (previews included).")
    failed = serializers.IntegerField()
    skipped = serializers.IntegerField(help_text="Already in the library, or not downloadable.")
    cancelled = serializers.IntegerField()
    previews = serializers.IntegerField(help_text="Completed tracks that are 30-second previews.")
    total_tracks = serializers.IntegerField()
    total_successful = serializers.IntegerField(required=False, help_text="Same as completed.")
    total_skipped = serializers.IntegerField(required=False)
    total_failed = serializers.IntegerField(required=False)
    total_cancelled = serializers.IntegerField(required=False)
    m3u_file = serializers.CharField(required=False, allow_null=True, help_text="A playlist's M3U.")
    successful_tracks = TrackRefSerializer(
        many=True, required=False, help_text="GET /api/prgs/{task_id} only."
    )
    skipped_tracks = TrackRefSerializer(many=True, required=False, help_text="GET /api/prgs/{task_id} only.")
    failed_tracks = TrackRefSerializer(many=True, required=False, help_text="GET /api/prgs/{task_id} only.")


class TaskProgressSerializer(serializers.Serializer):
    task_id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=TaskStatus.choices)
    progress = serializers.IntegerField(min_value=0, max_value=100)
    name = serializers.CharField(allow_blank=True)
    artist = serializers.CharField(allow_blank=True)
    type = serializers.ChoiceField(choices=DownloadType.choices)
    download_type = serializers.ChoiceField(choices=DownloadType.choices)
    item_id = serializers.CharField()
    original_url = serializers.URLField(help_text="The item's Spotify link (as in the original Spotizerr).")
    owner = serializers.CharField()
    original_request = serializers.JSONField()
    created_at = serializers.FloatField(help_text="Unix timestamp.")
    timestamp = serializers.FloatField(help_text="Unix timestamp of the last change.")
    started_at = serializers.FloatField(allow_null=True)
    finished_at = serializers.FloatField(allow_null=True)
    current_track = serializers.IntegerField()
    total_tracks = serializers.IntegerField()
    status_count = serializers.IntegerField(help_text="How many progress events the task has.")
    summary = TaskSummarySerializer(
        help_text="Counts per outcome and the outcome so far (status); in GET /api/prgs/{task_id} also "
        "the per-track lists (successful_tracks, skipped_tracks, failed_tracks).",
    )
    error = serializers.CharField(allow_null=True)
    last_line = LastLineSerializer(allow_null=True)


class TaskCountsSerializer(serializers.Serializer):
    queued = serializers.IntegerField()
    initializing = serializers.IntegerField()
    downloading = serializers.IntegerField()
    retrying = serializers.IntegerField()
    complete = serializers.IntegerField()
    error = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    skipped = serializers.IntegerField()
    active = serializers.IntegerField()


class PageQuerySerializer(serializers.Serializer):
    page = serializers.IntegerField(required=False, min_value=1, max_value=1_000_000, default=1)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=50)
    active_only = serializers.BooleanField(required=False, default=False)


class UpdatesQuerySerializer(PageQuerySerializer):
    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=20)
    since = serializers.FloatField(required=False, min_value=0, help_text="Unix timestamp.")

    def validate_since(self, value: float) -> float:
        if not math.isfinite(value) or value > 32503680000:  # year 3000
            raise serializers.ValidationError("must be a Unix timestamp")
        return value


class PaginationSerializer(serializers.Serializer):
    page = serializers.IntegerField()
    limit = serializers.IntegerField()
    total_count = serializers.IntegerField()
    total_pages = serializers.IntegerField()
    has_more = serializers.BooleanField()


class TaskListSerializer(serializers.Serializer):
    tasks = TaskProgressSerializer(many=True)
    pagination = PaginationSerializer()
    task_counts = TaskCountsSerializer()
    timestamp = serializers.FloatField()


class TaskUpdatesSerializer(serializers.Serializer):
    tasks = TaskProgressSerializer(many=True)
    deleted_tasks = serializers.ListField(child=serializers.UUIDField())
    task_counts = TaskCountsSerializer()
    since = serializers.FloatField(allow_null=True)
    current_timestamp = serializers.FloatField(help_text="Pass as since next time.")
    changes_count = serializers.IntegerField()
    truncated = serializers.BooleanField()
    pagination = PaginationSerializer(allow_null=True)
