"""Download tasks, their per-track jobs, their progress events, and the index of library files.

A ``DownloadTask`` row is the truth about a download; workers, the API and the progress stream all
read it. Every state change is a conditional update (``move_to``) so that two workers, or a worker
and a cancel request, can never both win.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class DownloadType(models.TextChoices):
    TRACK = "track", "Track"
    ALBUM = "album", "Album"
    PLAYLIST = "playlist", "Playlist"


class TaskStatus(models.TextChoices):
    """Lifecycle of a download task. Allowed transitions:

    - queued → initializing | cancelled
    - initializing → downloading | queued (the reaper, when its worker vanished) | complete | error
      | cancelled | skipped
    - downloading → retrying | complete | error | cancelled | skipped
    - retrying → downloading | complete | error | cancelled
    - complete, error, cancelled, skipped: terminal; the ways out are a retry of its failed tracks
      (``downloads.requeue``: → downloading, or → queued when it never had tracks) and error →
      complete when the inbox scan later brings the tracks that failed (``downloads.fulfilment``);
      each a conditional update of its own, never ``move_to``.
    """

    QUEUED = "queued", "Queued"
    INITIALIZING = "initializing", "Initializing"
    DOWNLOADING = "downloading", "Downloading"
    RETRYING = "retrying", "Retrying"
    COMPLETE = "complete", "Complete"
    ERROR = "error", "Error"
    CANCELLED = "cancelled", "Cancelled"
    SKIPPED = "skipped", "Skipped"


ACTIVE_STATUSES: tuple[str, ...] = (
    TaskStatus.QUEUED,
    TaskStatus.INITIALIZING,
    TaskStatus.DOWNLOADING,
    TaskStatus.RETRYING,
)
TERMINAL_STATUSES: tuple[str, ...] = (
    TaskStatus.COMPLETE,
    TaskStatus.ERROR,
    TaskStatus.CANCELLED,
    TaskStatus.SKIPPED,
)
TASK_TRANSITIONS: dict[str, frozenset[str]] = {
    TaskStatus.QUEUED: frozenset({TaskStatus.INITIALIZING, TaskStatus.CANCELLED}),
    TaskStatus.INITIALIZING: frozenset(
        {
            TaskStatus.DOWNLOADING,
            TaskStatus.QUEUED,
            TaskStatus.COMPLETE,
            TaskStatus.ERROR,
            TaskStatus.CANCELLED,
            TaskStatus.SKIPPED,
        }
    ),
    TaskStatus.DOWNLOADING: frozenset(
        {
            TaskStatus.RETRYING,
            TaskStatus.COMPLETE,
            TaskStatus.ERROR,
            TaskStatus.CANCELLED,
            TaskStatus.SKIPPED,
        }
    ),
    TaskStatus.RETRYING: frozenset(
        {
            TaskStatus.DOWNLOADING,
            TaskStatus.COMPLETE,
            TaskStatus.ERROR,
            TaskStatus.CANCELLED,
        }
    ),
}


def _sources_of(target: str) -> list[str]:
    return [source for source, targets in TASK_TRANSITIONS.items() if target in targets]


class DownloadTask(models.Model):
    """One requested download (a track, an album or a playlist) and everything known about it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="download_tasks"
    )
    download_type = models.CharField(max_length=10, choices=DownloadType.choices)
    item_id = models.CharField(max_length=64)
    name = models.CharField(max_length=500, blank=True, default="")
    artist = models.CharField(max_length=500, blank=True, default="")
    status = models.CharField(max_length=15, choices=TaskStatus.choices, default=TaskStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    current_track = models.PositiveIntegerField(default=0)
    total_tracks = models.PositiveIntegerField(default=0)
    overrides = models.JSONField(default=dict, blank=True, help_text="Per-request setting overrides.")
    # A record of the effective settings at queue time, read by no engine code: the engine reads the
    # live configuration for every track (``pipeline.context.effective_config``), so an admin's change
    # applies from the next track on. Kept as the request's audit record (tests read it); see
    # docs/architecture.md, "Settings the engine reads".
    settings_snapshot = models.JSONField(
        default=dict, blank=True, help_text="Effective settings when queued."
    )
    context = models.JSONField(
        default=dict, blank=True, help_text="E.g. the playlist a watched track came from."
    )
    original_request = models.JSONField(default=dict, blank=True)
    metadata = models.JSONField(default=dict, blank=True, help_text="Album/playlist details found at start.")
    summary = models.JSONField(default=dict, blank=True)
    error_message = models.TextField(blank=True, default="")
    cancel_requested = models.BooleanField(default=False)
    # The task-level unit of work (initialising, finishing) is claimed with a lease like a track.
    lease_owner = models.CharField(max_length=100, blank=True, default="")
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    worker_seen_at = models.DateTimeField(null=True, blank=True, help_text="Last sign of a live worker.")
    workers_requested = models.PositiveSmallIntegerField(default=1, help_text="Deliveries asked for so far.")
    enqueued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "download_type", "item_id"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="download_one_active_per_item",
            ),
        ]
        indexes = [models.Index(fields=["owner", "status"]), models.Index(fields=["status", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.download_type} {self.name or self.item_id} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def spotify_url(self) -> str:
        """The item on Spotify; empty for playlists of ours (imported playlists, ``import:<uuid>``)."""
        if ":" in self.item_id:
            return ""
        return f"https://open.spotify.com/{self.download_type}/{self.item_id}"

    def move_to(self, status: str, **fields: Any) -> bool:
        """Change status to ``status`` if allowed from the current stored one; False when another
        writer got there first (the row is refreshed either way)."""
        now = timezone.now()
        values: dict[str, Any] = {"status": status, "updated_at": now, **fields}
        if status in TERMINAL_STATUSES:
            values.setdefault("finished_at", now)
        changed = DownloadTask.objects.filter(pk=self.pk, status__in=_sources_of(status)).update(**values)
        self.refresh_from_db()
        return bool(changed)


class TrackStatus(models.TextChoices):
    """Lifecycle of one track of a task. Allowed transitions:

    - pending → running | cancelled | skipped | failed
    - running → done | skipped | failed | cancelled | pending (the reaper, when its worker vanished)
    - done, skipped, cancelled: terminal; failed → pending only by a retry (``downloads.requeue``),
      and failed → done when the track's file arrives later (``downloads.fulfilment``: the inbox scan,
      or another download placing it).
    """

    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    SKIPPED = "skipped", "Skipped"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


TRACK_TERMINAL: tuple[str, ...] = (
    TrackStatus.DONE,
    TrackStatus.SKIPPED,
    TrackStatus.FAILED,
    TrackStatus.CANCELLED,
)


class TrackJob(models.Model):
    """One track of a task, claimed by one worker at a time through a lease."""

    task = models.ForeignKey(DownloadTask, on_delete=models.CASCADE, related_name="track_jobs")
    position = models.PositiveIntegerField(help_text="1-based place in the album or playlist.")
    track_id = models.CharField(max_length=64, blank=True, default="")
    name = models.CharField(max_length=500, blank=True, default="")
    artist = models.CharField(max_length=500, blank=True, default="")
    track_data = models.JSONField(default=dict, blank=True, help_text="The catalog track, as JSON.")
    status = models.CharField(max_length=10, choices=TrackStatus.choices, default=TrackStatus.PENDING)
    reason = models.TextField(blank=True, default="")
    lease_owner = models.CharField(max_length=100, blank=True, default="")
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0, help_text="Times a worker claimed it.")
    retries = models.PositiveIntegerField(default=0, help_text="Transient failures retried.")
    file_path = models.CharField(max_length=2000, blank=True, default="", help_text="Library-relative.")
    source = models.CharField(max_length=50, blank=True, default="")
    quality = models.CharField(max_length=50, blank=True, default="")
    is_preview = models.BooleanField(default=False)
    size_bytes = models.BigIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)
    lyrics = models.CharField(
        max_length=12,
        blank=True,
        default="",
        db_default="",
        help_text="What the lyrics lookup found (LyricsLookup.Status).",
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["task", "position"]
        constraints = [models.UniqueConstraint(fields=["task", "position"], name="track_job_unique_position")]
        indexes = [models.Index(fields=["status", "heartbeat_at"]), models.Index(fields=["task", "status"])]

    def __str__(self) -> str:
        return f"{self.position}. {self.name} ({self.status})"

    def is_stale(self, *, stale_after: timedelta) -> bool:
        return self.heartbeat_at is None or self.heartbeat_at < timezone.now() - stale_after


class TaskEvent(models.Model):
    """One progress event. Streams read the events after the last one they sent in the order of
    ``downloads.event_order`` (by id on SQLite; on PostgreSQL by the writing transaction, column
    ``xid`` outside the model, then id), so an event committed after a later id is not skipped.

    ``task`` is null for a deletion marker (the task is gone; ``task_uuid`` says which it was).
    """

    class Kind(models.TextChoices):
        STATUS = "status", "Status"
        TRACK = "track", "Track"
        DELETED = "deleted", "Deleted"

    id = models.BigAutoField(primary_key=True)
    task = models.ForeignKey(
        DownloadTask, on_delete=models.CASCADE, related_name="events", null=True, blank=True
    )
    task_uuid = models.UUIDField(db_index=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STATUS)
    status = models.CharField(max_length=15)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"event {self.id} {self.status}"


class LibraryFile(models.Model):
    """A track Spotizerr put in the library: how "already in the library?" is answered without a scan."""

    library_root = models.CharField(max_length=2000)
    relative_path = models.CharField(max_length=2000)
    spotify_id = models.CharField(max_length=64, blank=True, default="", db_index=True)
    isrc = models.CharField(max_length=20, blank=True, default="", db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    size_bytes = models.BigIntegerField(default=0)
    source = models.CharField(max_length=50, blank=True, default="")
    quality = models.CharField(max_length=50, blank=True, default="")
    is_preview = models.BooleanField(default=False)
    # The file's container/codec as a lower-case extension ("flac", "mp3", "m4a") and its bitrate in
    # kbit/s (0 when unknown or lossless), shown as the track's library state.
    format = models.CharField(max_length=16, blank=True, default="")
    bitrate = models.PositiveIntegerField(default=0)
    # The Spotify album of the track: how an artist page counts, per release, what the library holds.
    album_id = models.CharField(max_length=64, blank=True, default="", db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["library_root", "relative_path"], name="library_file_unique_path"
            ),
        ]

    def __str__(self) -> str:
        return self.relative_path


class StreamTicket(models.Model):
    """A short-lived, single-use pass to open the progress stream without sending a long-lived token
    in a URL. Only a hash of the ticket is stored."""

    key_hash = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # Where the ticket was asked for, so that logging out (or a password or role change) before it is
    # used makes it worthless, and a stream it opened ends with that session (StreamCredential).
    token_version = models.PositiveIntegerField(default=0)
    session_id = models.CharField(max_length=255, blank=True, default="")  # a bearer token's sid
    session_key = models.CharField(max_length=64, blank=True, default="")  # the dashboard's session


class ConcurrencyGate(models.Model):
    """A single row locked while a worker counts running tracks and claims the next one, so the
    ``maxConcurrentDownloads`` limit holds across workers on databases with row locks."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)


class LyricsLookup(models.Model):
    """The last LRCLIB answer for one track (Spotify id, else ISRC), so that a miss is asked again at
    most once every ``LYRICS_RETRY_DAYS`` and ``lyrics_backfill`` can resume where it stopped."""

    class Status(models.TextChoices):
        SYNCED = "synced", "Synced lyrics"
        PLAIN = "plain", "Plain lyrics"
        INSTRUMENTAL = "instrumental", "Instrumental"
        MISSING = "missing", "Not found"
        ERROR = "error", "Lookup failed"

    track_key = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=12, choices=Status.choices)
    checked_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.track_key}: {self.status}"


class WantedTrack(models.Model):
    """A track a user asked for that no source had yet: kept until a file for it arrives (inbox scan,
    ``POST /api/library/wanted/check``) or the user drops it. One row per user and Spotify track;
    ``task_id`` and ``position`` name the task child whose history turns completed on fulfilment."""

    class Context(models.TextChoices):
        TRACK = "track", "Track"
        ALBUM = "album", "Album"
        PLAYLIST = "playlist", "Playlist"
        WATCH = "watch", "Watch"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    track_id = models.CharField(max_length=64)
    isrc = models.CharField(max_length=20, blank=True, default="", db_index=True)
    name = models.CharField(max_length=500, blank=True, default="")
    artists = models.JSONField(default=list, blank=True)
    album = models.CharField(max_length=500, blank=True, default="")
    album_id = models.CharField(max_length=64, blank=True, default="")
    duration_ms = models.PositiveIntegerField(default=0)
    track_data = models.JSONField(default=dict, blank=True, help_text="The catalog track, as JSON.")
    context_type = models.CharField(max_length=10, choices=Context.choices, default=Context.TRACK)
    context_id = models.CharField(max_length=100, blank=True, default="")
    context_name = models.CharField(max_length=500, blank=True, default="")
    task_id = models.UUIDField(null=True, blank=True, db_index=True)
    position = models.PositiveIntegerField(default=0, help_text="The track's place in that task.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "track_id"], name="wanted_track_unique_per_owner"),
        ]
        indexes = [models.Index(fields=["track_id"], name="wanted_track_track_id")]

    def __str__(self) -> str:
        return f"wanted {self.track_id} ({self.name})"
