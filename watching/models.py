"""Watched playlists and artists.

A ``WatchTarget`` is one playlist or artist on Spotify, checked once however many users watch it: it
holds the schedule (``next_check_at``), the claim of a running check (``lease_holder``/``lease_until``),
where an interrupted check resumes (``cursor``) and what the last check found. Each user who watches it
has a ``Watch`` with their options. ``WatchItem`` rows are the target's entries (playlist tracks, artist
releases), shared by all watchers; ``WatchItemState`` says what was done with an item for one watch.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class WatchKind(models.TextChoices):
    PLAYLIST = "playlist", "Playlist"
    ARTIST = "artist", "Artist"


class WatchTarget(models.Model):
    """A playlist or artist somebody watches; checked once for all of its watchers."""

    kind = models.CharField(max_length=10, choices=WatchKind.choices)
    spotify_id = models.CharField(max_length=64)
    name = models.CharField(max_length=500, blank=True, default="")
    spotify_owner = models.CharField(max_length=500, blank=True, default="", help_text="A playlist's owner.")
    snapshot_id = models.CharField(max_length=200, blank=True, default="")
    entry_total = models.PositiveIntegerField(
        default=0, help_text="Entries Spotify lists, unusable ones too."
    )
    next_check_at = models.DateTimeField(default=timezone.now)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_result = models.CharField(max_length=300, blank=True, default="")
    last_error = models.TextField(blank=True, default="")
    check_count = models.PositiveIntegerField(default=0)
    cursor = models.JSONField(default=dict, blank=True, help_text="Where an interrupted check resumes.")
    lease_holder = models.CharField(max_length=64, blank=True, default="")
    lease_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "spotify_id"], name="watch_target_unique")]
        indexes = [models.Index(fields=["next_check_at"], name="watch_target_due")]

    def __str__(self) -> str:
        return f"{self.kind} {self.name or self.spotify_id}"


class Watch(models.Model):
    """One user's watch of a target, with that user's options.

    ``watch_new`` is ``watch_new_additions`` for playlists and ``watch_new_releases`` for artists;
    ``album_types`` applies to artists only.
    """

    target = models.ForeignKey(WatchTarget, on_delete=models.CASCADE, related_name="watches")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches")
    watch_new = models.BooleanField(default=True)
    download_existing = models.BooleanField(default=False)
    album_types = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["target", "user"], name="watch_one_per_user")]

    def __str__(self) -> str:
        return f"{self.user} watches {self.target}"


class WatchItem(models.Model):
    """A track of a watched playlist or a release of a watched artist, as last seen on Spotify.

    ``position`` is the 0-based place of the track's first entry in the playlist; None once removed
    (``removed_at`` says when). Items are never deleted by checks, and their files are kept.
    """

    target = models.ForeignKey(WatchTarget, on_delete=models.CASCADE, related_name="items")
    spotify_id = models.CharField(max_length=64)
    name = models.CharField(max_length=500, blank=True, default="")
    artists = models.CharField(max_length=500, blank=True, default="")
    duration_ms = models.PositiveIntegerField(default=0)
    album_group = models.CharField(max_length=20, blank=True, default="", help_text="Artist releases only.")
    release_date = models.CharField(max_length=10, blank=True, default="")
    position = models.PositiveIntegerField(null=True, blank=True)
    added_at = models.CharField(max_length=40, blank=True, default="", help_text="Spotify's added_at.")
    first_seen_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["target", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["target", "spotify_id"], name="watch_item_unique")]
        indexes = [models.Index(fields=["target", "removed_at", "position"], name="watch_item_current")]

    def __str__(self) -> str:
        return self.name or self.spotify_id


class ItemStatus(models.TextChoices):
    """What was done with an item for one watch. Allowed transitions:

    - (no state) → known (existed when watching began, marked known, or new while ``watch_new`` is off)
      | queued | failed (the download could not even be queued)
    - queued → downloaded | failed | cancelled (read from the download's outcome at each check)
    - failed → queued (retried at a check once ``retry_failed_after`` has passed)
    - any → known (the user marks it known); any → (no state) (the user forgets it: queued again)
    """

    KNOWN = "known", "Known"
    QUEUED = "queued", "Queued"
    DOWNLOADED = "downloaded", "Downloaded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class WatchItemState(models.Model):
    """An item's status for one watch. ``updated_at`` is the time of the last attempt or outcome."""

    watch = models.ForeignKey(Watch, on_delete=models.CASCADE, related_name="states")
    item_id = models.CharField(max_length=64, help_text="The track's or album's Spotify id.")
    status = models.CharField(max_length=12, choices=ItemStatus.choices)
    task_id = models.UUIDField(null=True, blank=True, help_text="The latest download task (may be deleted).")
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["watch", "item_id"], name="watch_item_state_unique")]
        indexes = [models.Index(fields=["watch", "status"], name="watch_state_status")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.status}"


class CheckSlot(models.Model):
    """One of ``max_concurrent_checks`` lanes. A lane holds its slot (with a lease it renews) while it
    runs due checks one after another, so no more checks than slots ever run at once and a crashed
    lane's slot frees itself when its lease expires."""

    id = models.PositiveSmallIntegerField(primary_key=True)
    holder = models.CharField(max_length=64, blank=True, default="")
    lease_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"check slot {self.id}"
