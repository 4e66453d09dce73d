"""What was downloaded, by whom, when, from where, and where the file went.

History outlives the download task that wrote it: there is no foreign key to ``downloads``
(that app sits above this one). Rows are written only by ``library_history.services``, which
also keeps the counter tables below exact so that list totals and stats never have to count a
million rows per request.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DownloadType(models.TextChoices):
    TRACK = "track", "Track"
    ALBUM = "album", "Album"
    PLAYLIST = "playlist", "Playlist"


class HistoryStatus(models.TextChoices):
    """How a download (or one track of it) ended.

    ``in_progress`` is written when the engine starts; it may become any other status, and a
    re-run of an at-least-once task may rewrite a final status with the same or another one.
    ``cancelled``: the user cancelled it before anything of it reached the library (a cancelled
    download with some tracks in the library is ``partial``).
    """

    COMPLETED = "completed", "Completed"
    PARTIAL = "partial", "Partial"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped"
    CANCELLED = "cancelled", "Cancelled"
    IN_PROGRESS = "in_progress", "In progress"


class HistoryEntry(models.Model):
    """One download (a track, an album or a playlist), upserted by ``task_id``."""

    task_id = models.UUIDField(unique=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="history")
    download_type = models.CharField(max_length=10, choices=DownloadType.choices)
    status = models.CharField(max_length=12, choices=HistoryStatus.choices)
    spotify_url = models.CharField(max_length=500, blank=True, default="")
    name = models.CharField(max_length=500)
    artist = models.CharField(max_length=500, blank=True, default="")
    album = models.CharField(max_length=500, blank=True, default="")
    service = models.CharField(max_length=32, blank=True, default="")
    quality = models.CharField(max_length=32, blank=True, default="")
    is_preview = models.BooleanField(default=False)
    file_path = models.CharField(
        max_length=1024, blank=True, default="", help_text="Relative to the library root."
    )
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    total_tracks = models.PositiveIntegerField(default=0)
    successful_tracks = models.PositiveIntegerField(default=0)
    skipped_tracks = models.PositiveIntegerField(default=0)
    failed_tracks = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, default="")
    size_bytes = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name_plural = "history entries"
        ordering = ["-created_at", "-id"]
        # One index per list shape: newest first, optionally per owner, type or status.
        indexes = [
            models.Index(fields=["created_at"], name="hist_created"),
            models.Index(fields=["status", "created_at"], name="hist_status_created"),
            models.Index(fields=["download_type", "created_at"], name="hist_type_created"),
            models.Index(fields=["owner", "created_at"], name="hist_owner_created"),
            models.Index(fields=["owner", "status", "created_at"], name="hist_owner_status_created"),
            models.Index(fields=["owner", "download_type", "created_at"], name="hist_owner_type_created"),
        ]

    def __str__(self) -> str:
        return f"{self.download_type} {self.name} ({self.status})"


class HistoryTrack(models.Model):
    """One track of an album or playlist download, upserted by (parent, position)."""

    parent = models.ForeignKey(HistoryEntry, on_delete=models.CASCADE, related_name="tracks")
    position = models.PositiveIntegerField()
    track_id = models.CharField(max_length=64, blank=True, default="")
    spotify_url = models.CharField(max_length=500, blank=True, default="")
    name = models.CharField(max_length=500)
    artist = models.CharField(max_length=500, blank=True, default="")
    album = models.CharField(max_length=500, blank=True, default="")
    status = models.CharField(max_length=12, choices=HistoryStatus.choices)
    reason = models.TextField(blank=True, default="")
    service = models.CharField(max_length=32, blank=True, default="")
    quality = models.CharField(max_length=32, blank=True, default="")
    is_preview = models.BooleanField(default=False)
    file_path = models.CharField(
        max_length=1024, blank=True, default="", help_text="Relative to the library root."
    )
    size_bytes = models.PositiveBigIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)
    lyrics = models.CharField(
        max_length=12,
        blank=True,
        default="",
        db_default="",
        help_text="synced, plain, instrumental, missing, error or empty.",
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["parent", "position"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "position"], name="hist_track_parent_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name} ({self.status})"


class HistoryCounter(models.Model):
    """Exact per (owner, type, status) totals, maintained by the services: list totals and stats."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    download_type = models.CharField(max_length=10, choices=DownloadType.choices)
    status = models.CharField(max_length=12, choices=HistoryStatus.choices)
    entries = models.BigIntegerField(default=0)
    tracks = models.BigIntegerField(default=0)
    size_bytes = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "download_type", "status"], name="hist_counter_key"),
        ]


class HistoryDailyCounter(models.Model):
    """Entries created per owner and local calendar day: the stats' downloads-per-day chart."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    entries = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "day"], name="hist_daily_key")]
        indexes = [models.Index(fields=["day"], name="hist_daily_day")]


class HistoryArtistCounter(models.Model):
    """Completed or partial downloads per owner and artist: the stats' top artists."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    artist = models.CharField(max_length=500)
    entries = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "artist"], name="hist_artist_key")]
        indexes = [models.Index(fields=["owner", "entries"], name="hist_artist_owner_entries")]


class HistoryArtistTotal(models.Model):
    """Completed or partial downloads per artist over all owners: the admins' top artists."""

    artist = models.CharField(max_length=500, unique=True)
    entries = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["entries"], name="hist_artist_total_entries")]
