"""Serializers of the integrations' endpoints (notification targets, media servers, Test buttons)."""

from __future__ import annotations

from rest_framework import serializers

from settings_app.models import MediaServer, MediaServerPlaylist, NotificationEvent, NotificationTarget


class NotificationTargetSerializer(serializers.ModelSerializer):
    """A target as shown: the URL itself (it holds tokens) is never returned, only its scheme."""

    scope = serializers.SerializerMethodField()
    failing = serializers.BooleanField(read_only=True)

    class Meta:
        model = NotificationTarget
        fields = [
            "id",
            "name",
            "scheme",
            "scope",
            "events",
            "enabled",
            "failing",
            "failures",
            "last_error",
            "last_sent_at",
            "last_failed_at",
        ]
        read_only_fields = fields

    def get_scope(self, target: NotificationTarget) -> str:
        return "operator" if target.owner_id is None else "user"


class NotificationTargetCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    url = serializers.CharField(
        max_length=2000, help_text="An Apprise URL, e.g. ntfy://topic or json://host/path."
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=NotificationEvent.values), min_length=1
    )
    scope = serializers.ChoiceField(
        choices=["user", "operator"], default="user", help_text="operator: everyone's events (admins only)."
    )


class IntegrationTestResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    detail = serializers.CharField(help_text="What the service answered, or why it failed and what to do.")


class MediaServerPlaylistSerializer(serializers.ModelSerializer):
    """A playlist kept in step on a Subsonic server: when it was last synced and which paths of its
    M3U the server did not know then."""

    class Meta:
        model = MediaServerPlaylist
        fields = [
            "name",
            "playlist_id",
            "sync_due_at",
            "last_synced_at",
            "matched",
            "unmatched",
            "failures",
            "last_error",
        ]
        read_only_fields = fields


class MediaServerSerializer(serializers.ModelSerializer):
    """A media server as shown: never its secret."""

    playlists = MediaServerPlaylistSerializer(many=True, read_only=True)

    class Meta:
        model = MediaServer
        fields = [
            "id",
            "kind",
            "name",
            "url",
            "username",
            "section",
            "enabled",
            "sync_playlists",
            "refresh_due_at",
            "last_refresh_at",
            "refresh_count",
            "failures",
            "last_error",
            "last_failed_at",
            "playlists",
        ]
        read_only_fields = fields


class MediaServerCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MediaServer.Kind.values)
    name = serializers.CharField(max_length=100)
    url = serializers.CharField(
        max_length=500, help_text="The server's http(s) base URL, e.g. http://navidrome:4533/."
    )
    username = serializers.CharField(
        required=False, max_length=200, help_text="Subsonic only (required there)."
    )
    secret = serializers.CharField(help_text="Subsonic password, Jellyfin API key or Plex token.")
    section = serializers.CharField(
        required=False, max_length=50, help_text="Plex: one section key (default: all music)."
    )
    sync_playlists = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Subsonic only: keep a native playlist in step with each watched or imported playlist's M3U.",
    )
