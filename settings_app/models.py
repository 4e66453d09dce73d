"""Stored settings: one JSON row per configuration section, and encrypted API credential sets."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from spotizerr.lib import crypto


class ConfigSection(models.Model):
    """The values an admin changed in one section (``main`` or ``watch``); defaults are not stored,
    so a new default reaches every installation that never overrode it."""

    class Name(models.TextChoices):
        MAIN = "main", "Main"
        WATCH = "watch", "Watch"

    name = models.CharField(max_length=20, primary_key=True, choices=Name.choices)
    values = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} configuration"


class Credential(models.Model):
    """A named API client id and secret for one service. The secret is stored encrypted."""

    class Service(models.TextChoices):
        SPOTIFY = "spotify", "Spotify"
        DEEZER = "deezer", "Deezer"

    service = models.CharField(max_length=20, choices=Service.choices)
    name = models.CharField(max_length=100)
    client_id = models.CharField(max_length=255)
    client_secret_encrypted = models.TextField(help_text="Fernet ciphertext; never the secret itself.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["service", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "name"], name="credential_unique_name_per_service"),
        ]

    def __str__(self) -> str:
        return f"{self.service}/{self.name}"

    @property
    def client_secret(self) -> str:
        return crypto.decrypt(self.client_secret_encrypted)

    @property
    def masked_secret(self) -> str:
        try:
            return crypto.mask(self.client_secret)
        except crypto.DecryptionError:
            return crypto.MASK_PREFIX

    def set_client_secret(self, secret: str) -> None:
        self.client_secret_encrypted = crypto.encrypt(secret)


class NotificationEvent(models.TextChoices):
    DOWNLOAD_COMPLETE = "download_complete", "Download complete"
    DOWNLOAD_PARTIAL = "download_partial", "Download partly done"
    DOWNLOAD_FAILED = "download_failed", "Download failed"
    WATCH_NEW_ITEMS = "watch_new_items", "A watch found new items"
    HEALTH_PROBLEM = "health_problem", "Spotify or a source has a problem"


class NotificationTarget(models.Model):
    """An Apprise URL (stored encrypted: it holds tokens) and the events it wants. ``owner`` None: an
    operator-wide target, told about everyone's events; otherwise only its owner's."""

    FAILING_AFTER = 3  # consecutive failed messages before the target is shown as failing

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notification_targets",
    )
    name = models.CharField(max_length=100)
    url_encrypted = models.TextField(help_text="Fernet ciphertext of the Apprise URL.")
    scheme = models.CharField(max_length=40, blank=True, default="", help_text="Shown instead of the URL.")
    events = models.JSONField(default=list)
    enabled = models.BooleanField(default=True)
    failures = models.PositiveIntegerField(default=0, help_text="Consecutive messages that failed.")
    last_error = models.TextField(blank=True, default="")
    last_sent_at = models.DateTimeField(null=True, blank=True)
    last_failed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.scheme})"

    @property
    def url(self) -> str:
        return crypto.decrypt(self.url_encrypted)

    @property
    def failing(self) -> bool:
        return self.failures >= self.FAILING_AFTER


class MediaServer(models.Model):
    """A media server told to rescan after downloads land. The secret (password, API key or token) is
    stored encrypted. ``refresh_due_at`` is when the next rescan is owed (None: nothing owed); every
    landing pushes it back, so a burst of downloads costs one rescan."""

    class Kind(models.TextChoices):
        SUBSONIC = "subsonic", "Subsonic / Navidrome"
        JELLYFIN = "jellyfin", "Jellyfin"
        PLEX = "plex", "Plex"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=100, unique=True)
    url = models.CharField(max_length=500)
    username = models.CharField(max_length=200, blank=True, default="", help_text="Subsonic only.")
    secret_encrypted = models.TextField(help_text="Fernet ciphertext of the password, API key or token.")
    section = models.CharField(max_length=50, blank=True, default="", help_text="Plex: one section key.")
    enabled = models.BooleanField(default=True)
    sync_playlists = models.BooleanField(
        default=False, help_text="Subsonic only: keep a native playlist in step with each playlist M3U."
    )
    refresh_due_at = models.DateTimeField(null=True, blank=True)
    last_refresh_at = models.DateTimeField(null=True, blank=True)
    refresh_count = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0, help_text="Consecutive failed rescans.")
    last_error = models.TextField(blank=True, default="")
    last_failed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["refresh_due_at"], name="media_server_due")]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"

    @property
    def secret(self) -> str:
        return crypto.decrypt(self.secret_encrypted)


class MediaServerPlaylist(models.Model):
    """A native playlist on a Subsonic server kept in step with one of our M3U files (``m3u_file``,
    read again at each sync). ``sync_due_at`` is when the next sync is owed (None: nothing owed);
    ``unmatched`` lists the library-relative paths the server did not know at the last sync."""

    server = models.ForeignKey(MediaServer, on_delete=models.CASCADE, related_name="playlists")
    name = models.CharField(max_length=500)
    m3u_file = models.CharField(max_length=4096)
    playlist_id = models.CharField(max_length=200, blank=True, default="")
    sync_due_at = models.DateTimeField(null=True, blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    matched = models.PositiveIntegerField(default=0)
    unmatched = models.JSONField(default=list, blank=True)
    failures = models.PositiveIntegerField(default=0, help_text="Consecutive failed syncs.")
    last_error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["server", "name"]
        constraints = [
            models.UniqueConstraint(fields=["server", "name"], name="media_server_playlist_unique")
        ]
        indexes = [models.Index(fields=["sync_due_at"], name="media_playlist_due")]

    def __str__(self) -> str:
        return f"{self.name} on {self.server_id}"
