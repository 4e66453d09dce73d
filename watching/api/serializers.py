"""Input and output shapes of the watch API (named, so generated clients get stable type names)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from spotizerr.integrations.spotify import RELEASE_GROUPS
from watching.models import WatchKind
from watching.services.subscriptions import MAX_ITEM_IDS


# ---------------------------------------------------------------------------------------------- input
class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, so a typo is a 400 rather than silently ignored."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        unknown = (
            sorted(set(self.initial_data) - set(self.fields)) if isinstance(self.initial_data, dict) else []
        )
        if unknown:
            raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        return attrs


class PlaylistWatchRequestSerializer(StrictSerializer):
    watch_new_additions = serializers.BooleanField(
        required=False, help_text="Queue tracks added later (default true)."
    )
    download_existing = serializers.BooleanField(
        required=False, help_text="Queue the tracks already in the playlist (default false: mark them known)."
    )


class ArtistWatchRequestSerializer(StrictSerializer):
    watch_new_releases = serializers.BooleanField(
        required=False, help_text="Queue new releases (default true)."
    )
    album_types = serializers.ListField(
        child=serializers.ChoiceField(choices=RELEASE_GROUPS),
        allow_empty=False,
        required=False,
        help_text="Release groups to download (default: the watchedArtistAlbumGroup setting).",
    )
    download_existing = serializers.BooleanField(
        required=False, help_text="Queue the existing releases (default false: mark them known)."
    )


class TrackIdsSerializer(StrictSerializer):
    track_ids = serializers.ListField(
        child=serializers.CharField(max_length=200), allow_empty=False, max_length=MAX_ITEM_IDS
    )


class AlbumIdsSerializer(StrictSerializer):
    album_ids = serializers.ListField(
        child=serializers.CharField(max_length=200), allow_empty=False, max_length=MAX_ITEM_IDS
    )


# ---------------------------------------------------------------------------------------------- output
class PlaylistWatchOptionsSerializer(serializers.Serializer):
    watch_new_additions = serializers.BooleanField()
    download_existing = serializers.BooleanField()


class ArtistWatchOptionsSerializer(serializers.Serializer):
    watch_new_releases = serializers.BooleanField()
    album_types = serializers.ListField(child=serializers.ChoiceField(choices=RELEASE_GROUPS))
    download_existing = serializers.BooleanField()


class WatchCountsSerializer(serializers.Serializer):
    items = serializers.IntegerField(help_text="Tracks (or releases) Spotify lists now.")
    removed = serializers.IntegerField(help_text="Tracks (or releases) no longer listed; their files stay.")
    known = serializers.IntegerField()
    queued = serializers.IntegerField()
    downloaded = serializers.IntegerField()
    failed = serializers.IntegerField()
    cancelled = serializers.IntegerField()


class _WatchSerializer(serializers.Serializer):
    spotify_id = serializers.CharField()
    type = serializers.ChoiceField(choices=WatchKind.choices)
    name = serializers.CharField()
    owner = serializers.CharField(help_text="The user this watch belongs to.")
    spotify_owner = serializers.CharField(help_text="The playlist's owner on Spotify (empty for artists).")
    counts = WatchCountsSerializer()
    snapshot_id = serializers.CharField()
    watched_since = serializers.DateTimeField()
    last_checked = serializers.DateTimeField(allow_null=True)
    next_check = serializers.DateTimeField()
    check_running = serializers.BooleanField()
    last_result = serializers.CharField()
    last_error = serializers.CharField(help_text="The last check's error, else the latest failing item's.")


class PlaylistWatchSerializer(_WatchSerializer):
    options = PlaylistWatchOptionsSerializer()


class ArtistWatchSerializer(_WatchSerializer):
    options = ArtistWatchOptionsSerializer()


class FailedItemSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    attempts = serializers.IntegerField()
    error = serializers.CharField()
    failed_at = serializers.DateTimeField()


class RemovedItemSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    removed_at = serializers.DateTimeField()


class _StatusMixin(serializers.Serializer):
    is_watched = serializers.BooleanField()
    failed_items = FailedItemSerializer(many=True, required=False)
    removed_items = RemovedItemSerializer(many=True, required=False)


class PlaylistWatchStatusSerializer(_StatusMixin, PlaylistWatchSerializer):
    """``is_watched`` false comes with ``spotify_id`` only."""


class ArtistWatchStatusSerializer(_StatusMixin, ArtistWatchSerializer):
    """``is_watched`` false comes with ``spotify_id`` only."""


class PlaylistWatchAddedSerializer(PlaylistWatchStatusSerializer):
    message = serializers.CharField()


class ArtistWatchAddedSerializer(ArtistWatchStatusSerializer):
    message = serializers.CharField()


class WatchMessageSerializer(serializers.Serializer):
    message = serializers.CharField()


class WatchItemsChangedSerializer(serializers.Serializer):
    message = serializers.CharField()
    item_ids = serializers.ListField(child=serializers.CharField())


class WatchTriggerSerializer(serializers.Serializer):
    message = serializers.CharField()
    checks = serializers.IntegerField(help_text="How many watched targets will be checked now.")
