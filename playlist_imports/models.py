"""Imported playlists and their entries, in the order of the list they came from."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

ID_PREFIX = "import:"


class ImportKind(models.TextChoices):
    LINKS = "links", "Spotify links"
    CSV = "csv", "CSV file"
    M3U = "m3u", "M3U playlist"
    DEEZER = "deezer", "Deezer playlist"


class ImportStatus(models.TextChoices):
    """matching → ready (every entry matched or unmatched); ready → matching (a fix or a re-read)."""

    MATCHING = "matching", "Matching"
    READY = "ready", "Ready"


class PlaylistImport(models.Model):
    """A playlist of ours made from a track list; its API id is ``import:<uuid>``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="playlist_imports"
    )
    name = models.CharField(max_length=500)
    kind = models.CharField(max_length=10, choices=ImportKind.choices)
    source_ref = models.CharField(max_length=2000, blank=True, default="", help_text="Deezer link.")
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.MATCHING)
    revision = models.PositiveIntegerField(default=1, help_text="Bumped whenever the entries change.")
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="Last sign of the matcher.")
    requeued_at = models.DateTimeField(null=True, blank=True, help_text="Last time matching was (re)queued.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def playlist_id(self) -> str:
        return f"{ID_PREFIX}{self.pk}"

    @property
    def snapshot_id(self) -> str:
        return f"rev{self.revision}"


class EntryState(models.TextChoices):
    """pending → matched | unmatched; unmatched → matched (fixed by hand)."""

    PENDING = "pending", "Pending"
    MATCHED = "matched", "Matched"
    UNMATCHED = "unmatched", "Unmatched"


class ImportEntry(models.Model):
    """One line of the imported list: what it said, and the Spotify track it matched (if any)."""

    playlist = models.ForeignKey(PlaylistImport, on_delete=models.CASCADE, related_name="entries")
    position = models.PositiveIntegerField(help_text="1-based place in the playlist.")
    line = models.PositiveIntegerField(help_text="Line of the source it came from.")
    text = models.CharField(max_length=1000, blank=True, default="")
    title = models.CharField(max_length=500, blank=True, default="")
    artists = models.CharField(max_length=500, blank=True, default="")
    album = models.CharField(max_length=500, blank=True, default="")
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    isrc = models.CharField(max_length=20, blank=True, default="")
    spotify_id = models.CharField(max_length=64, blank=True, default="", help_text="Given by the source.")
    state = models.CharField(max_length=10, choices=EntryState.choices, default=EntryState.PENDING)
    reason = models.CharField(max_length=500, blank=True, default="")
    track_id = models.CharField(max_length=64, blank=True, default="")
    track_data = models.JSONField(default=dict, blank=True, help_text="The matched catalog track.")
    match_key = models.CharField(max_length=500, blank=True, default="", db_index=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["playlist", "position"], name="import_entry_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"
