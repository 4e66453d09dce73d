"""Named request and response bodies of the configuration and credential endpoints.

The configuration bodies document the schema; values are checked by ``settings_app.services``
so the API, the admin and commands share one set of rules.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from settings_app.config.main import (
    DEEZER_QUALITIES,
    GENRE_SOURCES,
    INBOX_MODES,
    LYRICS_MODES,
    SPOTIFY_QUALITIES,
)
from settings_app.config.watch import ALBUM_GROUPS
from settings_app.models import Credential
from settings_app.spotify_check import STATUSES
from spotizerr.lib.formats import FORMATS


@extend_schema_field(
    {"oneOf": [{"type": "integer", "minimum": 1, "maximum": 10}, {"type": "string", "enum": ["auto"]}]}
)
class PadWidthField(serializers.JSONField):
    pass


class CommandSourceSerializer(serializers.Serializer):
    argv = serializers.ListField(
        child=serializers.CharField(),
        help_text="Command and arguments; placeholders {isrc} {artist} {title} {album} {duration_ms} {output}.",
    )
    timeoutSeconds = serializers.IntegerField(min_value=1, max_value=86400, default=600)


@extend_schema_field({"type": "string", "enum": list(FORMATS), "nullable": True})
class OutputFormatField(serializers.CharField):
    """One schema for both names of the output format (avoids two enum components)."""


def _format_field() -> OutputFormatField:
    return OutputFormatField(
        allow_null=True,
        help_text="Output format (any case); null keeps the source format. fileFormat and convertTo are one setting.",
    )


class ConfigSerializer(serializers.Serializer):
    """The whole main configuration."""

    maxConcurrentDownloads = serializers.IntegerField(min_value=1, max_value=32)
    service = serializers.CharField(help_text="Preferred source (a registered source name).")
    fallback = serializers.BooleanField()
    spotifyQuality = serializers.ChoiceField(choices=list(SPOTIFY_QUALITIES))
    deezerQuality = serializers.ChoiceField(choices=list(DEEZER_QUALITIES))
    realTime = serializers.BooleanField()
    downloadPath = serializers.CharField(help_text="Absolute path of a writable directory.")
    fileFormat = _format_field()
    convertTo = _format_field()
    bitrate = serializers.CharField(allow_null=True, help_text='e.g. "320k"; null for lossless or default.')
    customDirFormat = serializers.CharField()
    customTrackFormat = serializers.CharField()
    tracknumPadding = serializers.BooleanField()
    padNumberWidth = PadWidthField()
    saveCover = serializers.BooleanField()
    maxRetries = serializers.IntegerField(min_value=0, max_value=20)
    retryDelaySeconds = serializers.IntegerField(min_value=0, max_value=3600)
    retryDelayIncrease = serializers.IntegerField(min_value=0, max_value=3600)
    artistSeparator = serializers.CharField(max_length=10)
    explicitFilter = serializers.BooleanField()
    separateTracksByUser = serializers.BooleanField()
    realTimeMultiplier = serializers.IntegerField(min_value=0, max_value=10)
    spotify = serializers.CharField(allow_null=True, help_text="Name of the active Spotify credential set.")
    deezer = serializers.CharField(allow_null=True, help_text="Name of the active Deezer credential set.")
    inboxPath = serializers.CharField()
    inboxMode = serializers.ChoiceField(choices=list(INBOX_MODES))
    sourceOrder = serializers.ListField(child=serializers.CharField())
    commandSource = CommandSourceSerializer(allow_null=True)
    recursiveQuality = serializers.BooleanField(help_text="Legacy (original web UI): stored, unused.")
    spotifyMetadata = serializers.BooleanField(help_text="Legacy (original web UI): stored, unused.")
    lyrics = serializers.ChoiceField(choices=list(LYRICS_MODES), help_text="off, embed, lrc or both.")
    genres = serializers.ChoiceField(
        choices=list(GENRE_SOURCES), help_text="off, spotify, musicbrainz or both."
    )
    genresMax = serializers.IntegerField(min_value=1, max_value=20)


class _AllOptional:
    """Every field optional: an update names only the settings it changes."""

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()  # type: ignore[misc]
        for field in fields.values():
            field.required = False
        return fields


class WatchConfigSerializer(serializers.Serializer):
    enabled = serializers.BooleanField()
    check_interval = serializers.IntegerField(min_value=60, help_text="Seconds between checks.")
    watchPollIntervalSeconds = serializers.IntegerField(
        min_value=60, help_text="Another name for check_interval."
    )
    max_concurrent_checks = serializers.IntegerField(min_value=1, max_value=16)
    retry_failed_after = serializers.IntegerField(min_value=0)
    watchedArtistAlbumGroup = serializers.ListField(child=serializers.ChoiceField(choices=list(ALBUM_GROUPS)))
    useSnapshotIdChecking = serializers.BooleanField()
    maxItemsPerRun = serializers.IntegerField(
        min_value=1, max_value=50, help_text="Legacy (original web UI): stored, unused."
    )


class WatchConfigUpdateSerializer(_AllOptional, WatchConfigSerializer):
    """A partial update of the watch configuration. Also accepts checkInterval,
    maxConcurrentChecks and retryFailedAfter (the original web UI's spelling of the snake_case names)."""


class ConfigUpdateSerializer(_AllOptional, ConfigSerializer):
    """A partial update of the main configuration; ``watch`` updates the watch configuration in
    the same request (the original Spotizerr web UI sends both as one body)."""

    watch = WatchConfigUpdateSerializer(required=False)


class ConfigValidationSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))  # type: ignore[assignment]  # an API field named like a DRF attribute


class ConfigCheckQuerySerializer(serializers.Serializer):
    fresh = serializers.BooleanField(
        default=False, help_text="Administrators: ask Spotify now instead of the cached answer."
    )


class SpotifyCheckSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=STATUSES, help_text="ok, or what is wrong with Spotify.")
    ok = serializers.BooleanField()
    message = serializers.CharField(help_text="What the status means and what to do about it.")
    retry_after = serializers.IntegerField(
        allow_null=True, help_text="Seconds until Spotify accepts requests again (quota, rate limit)."
    )
    checked_at = serializers.DateTimeField(help_text="When Spotify was asked (answers are cached briefly).")


class ConfigCheckSerializer(serializers.Serializer):
    """Administrators get the whole report; other users only ``spotify``."""

    valid = serializers.BooleanField(required=False)
    errors = serializers.DictField(  # type: ignore[assignment]  # an API field named like a DRF attribute
        child=serializers.ListField(child=serializers.CharField()), required=False
    )
    warnings = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )
    spotify = SpotifyCheckSerializer()


class CredentialSerializer(serializers.Serializer):
    """A credential set; the secret is masked (``****`` and its last 4 characters)."""

    service = serializers.CharField()
    name = serializers.CharField()
    client_id = serializers.CharField()
    client_secret = serializers.CharField(source="masked_secret")
    active = serializers.SerializerMethodField(help_text="Whether this is the set in use for its service.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_active(self, credential: Credential) -> bool:
        return credential.pk == self.context.get("active_pk")


class CredentialCreateSerializer(serializers.Serializer):
    client_id = serializers.CharField(max_length=255)
    client_secret = serializers.CharField(max_length=1000, write_only=True)


class CredentialUpdateSerializer(serializers.Serializer):
    """Fields left out, or a secret sent back in its masked form, stay unchanged."""

    client_id = serializers.CharField(max_length=255, required=False)
    client_secret = serializers.CharField(max_length=1000, required=False, write_only=True)


class CredentialTestRequestSerializer(serializers.Serializer):
    """Values to try instead of the stored ones (a set not yet saved needs both); a masked secret
    means the stored one."""

    client_id = serializers.CharField(max_length=255, required=False)
    client_secret = serializers.CharField(max_length=1000, required=False, write_only=True)


class CredentialTestResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField(help_text="Whether Spotify issued a token and answered one search.")
    message = serializers.CharField(help_text="What happened, in words to show a person.")


class SpotifyApiConfigSerializer(serializers.Serializer):
    """The Spotify API credentials in use; all null when none are configured."""

    client_id = serializers.CharField(allow_null=True)
    client_secret = serializers.CharField(allow_null=True, help_text="Masked.")
    name = serializers.CharField(allow_null=True, help_text='"environment" when taken from the environment.')


class SpotifyApiConfigUpdateSerializer(serializers.Serializer):
    client_id = serializers.CharField(max_length=255)
    client_secret = serializers.CharField(
        max_length=1000,
        required=False,
        write_only=True,
        help_text="Required when no Spotify set exists yet; left out or masked keeps the stored one.",
    )
