"""Named query, request and response bodies of ``/api/history/``."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from library_history.models import DownloadType, HistoryEntry, HistoryStatus, HistoryTrack
from library_history.selectors import SORTS

#: 100 years; larger values would overflow the date arithmetic
MAX_DAYS_OLD = 36500


class HistoryListQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=500, default=100)
    offset = serializers.IntegerField(min_value=0, max_value=2**31 - 1, default=0)
    download_type = serializers.ChoiceField(choices=DownloadType.choices, required=False)
    status = serializers.ChoiceField(choices=HistoryStatus.choices, required=False)
    sort = serializers.ChoiceField(
        choices=list(SORTS),
        default="-created_at",
        help_text="created_at or name; a leading - for descending. Default: newest first.",
    )
    created_from = serializers.DateField(
        required=False, help_text="Only downloads made on or after this day (YYYY-MM-DD, UTC)."
    )
    created_to = serializers.DateField(
        required=False, help_text="Only downloads made on or before this day (YYYY-MM-DD, UTC)."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        first, last = attrs.get("created_from"), attrs.get("created_to")
        if first and last and first > last:
            raise serializers.ValidationError({"created_to": ["must not be before created_from"]})
        return attrs


class HistorySearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200, help_text="Words to find in name, artist or album.")
    limit = serializers.IntegerField(min_value=1, max_value=200, default=50)


class HistoryRecentQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=100, default=20)


class HistoryFailedQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=500, default=50)


def _artists(artist: str) -> list[str]:
    """The stored artist names (joined with ", " when recorded) as a list."""
    return [name for name in (part.strip() for part in artist.split(", ")) if name]


def _spotify_ids(url: str) -> dict[str, str]:
    item_id = url.rstrip("/").rsplit("/", 1)[-1] if url else ""
    return {"spotify": item_id} if item_id else {}


class OriginalNamesSerializer(serializers.ModelSerializer):
    """The names the original Spotizerr web UI reads, next to ours (``title`` is ``name``,
    ``artists`` the ``artist`` names as a list, ``timestamp`` epoch seconds of completion or creation,
    ``quality`` split into ``quality_format`` and ``quality_bitrate``)."""

    title = serializers.CharField(source="name", help_text="Same as name (original Spotizerr).")
    artists = serializers.SerializerMethodField(help_text="The artist names as a list.")
    timestamp = serializers.SerializerMethodField(
        help_text="Unix time of completion (of creation while unfinished)."
    )
    quality_format = serializers.SerializerMethodField(help_text='The format part of quality ("MP3").')
    quality_bitrate = serializers.SerializerMethodField(help_text='The bitrate part of quality ("320k").')
    external_ids = serializers.SerializerMethodField(help_text='{"spotify": id} of the item.')

    def get_artists(self, row: HistoryEntry | HistoryTrack) -> list[str]:
        return _artists(row.artist)

    def get_timestamp(self, row: HistoryEntry | HistoryTrack) -> float | None:
        moment = row.completed_at or getattr(row, "created_at", None)
        return moment.timestamp() if moment else None

    def get_quality_format(self, row: HistoryEntry | HistoryTrack) -> str:
        return row.quality.partition(" ")[0]

    def get_quality_bitrate(self, row: HistoryEntry | HistoryTrack) -> str:
        return row.quality.partition(" ")[2]

    def get_external_ids(self, row: HistoryEntry | HistoryTrack) -> dict[str, str]:
        return _spotify_ids(row.spotify_url)


_ORIGINAL_NAMES = ["title", "artists", "timestamp", "quality_format", "quality_bitrate", "external_ids"]


class HistoryEntrySerializer(OriginalNamesSerializer):
    url = serializers.CharField(source="spotify_url")
    owner = serializers.CharField(source="owner.username")
    file_path = serializers.CharField(help_text="Relative to the library root.")
    images = serializers.SerializerMethodField(help_text="Always empty: cover art is not kept in history.")
    children_table = serializers.SerializerMethodField(
        help_text="Set (a marker, original Spotizerr) for albums and playlists: GET .../children lists "
        "their tracks; null for tracks."
    )

    def get_images(self, entry: HistoryEntry) -> list[dict[str, str]]:
        return []

    def get_children_table(self, entry: HistoryEntry) -> str | None:
        if entry.download_type == DownloadType.TRACK:
            return None
        return f"{entry.download_type}_{entry.task_id.hex}"

    class Meta:
        model = HistoryEntry
        fields = [
            "task_id",
            "download_type",
            "url",
            "name",
            "artist",
            "album",
            "status",
            "created_at",
            "completed_at",
            "file_path",
            "service",
            "quality",
            "is_preview",
            "total_tracks",
            "successful_tracks",
            "skipped_tracks",
            "failed_tracks",
            "size_bytes",
            "owner",
            "error",
            *_ORIGINAL_NAMES,
            "images",
            "children_table",
        ]
        read_only_fields = fields


class HistoryPaginationSerializer(serializers.Serializer):
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()
    returned_count = serializers.IntegerField()
    total = serializers.IntegerField(help_text="Entries matching the filters, all pages.")


class HistoryListSerializer(serializers.Serializer):
    downloads = HistoryEntrySerializer(many=True)
    pagination = HistoryPaginationSerializer()


class HistoryEntriesSerializer(serializers.Serializer):
    downloads = HistoryEntrySerializer(many=True)
    count = serializers.IntegerField()


class HistorySearchResultSerializer(HistoryEntriesSerializer):
    query = serializers.CharField()


class HistoryTrackSerializer(OriginalNamesSerializer):
    url = serializers.CharField(source="spotify_url")
    file_path = serializers.CharField(help_text="Relative to the library root.")
    album_title = serializers.CharField(source="album", help_text="Same as album (original Spotizerr).")

    class Meta:
        model = HistoryTrack
        fields = [
            "position",
            "track_id",
            "url",
            "name",
            "artist",
            "album",
            "status",
            "reason",
            "service",
            "quality",
            "is_preview",
            "lyrics",
            "file_path",
            "size_bytes",
            "duration_ms",
            "completed_at",
            *_ORIGINAL_NAMES,
            "album_title",
        ]
        read_only_fields = fields


class HistoryChildrenSerializer(serializers.Serializer):
    task_id = serializers.UUIDField()
    download_type = serializers.ChoiceField(choices=DownloadType.choices)
    children = HistoryTrackSerializer(many=True)
    count = serializers.IntegerField()
    title = serializers.CharField(help_text="The album or playlist name (original Spotizerr).")
    tracks = HistoryTrackSerializer(many=True, help_text="Same as children (original Spotizerr).")
    track_count = serializers.IntegerField(help_text="Same as count (original Spotizerr).")


class HistoryDayCountSerializer(serializers.Serializer):
    date = serializers.DateField()
    count = serializers.IntegerField()


class HistoryArtistCountSerializer(serializers.Serializer):
    artist = serializers.CharField()
    count = serializers.IntegerField()


class HistoryTypeCountsSerializer(serializers.Serializer):
    track = serializers.IntegerField()
    album = serializers.IntegerField()
    playlist = serializers.IntegerField()


class HistoryStatusCountsSerializer(serializers.Serializer):
    completed = serializers.IntegerField()
    partial = serializers.IntegerField()  # type: ignore[assignment]  # an API field named like a DRF attribute
    failed = serializers.IntegerField()
    skipped = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    in_progress = serializers.IntegerField()


class HistoryStatsSerializer(serializers.Serializer):
    total_downloads = serializers.IntegerField()
    by_type = HistoryTypeCountsSerializer()
    by_status = HistoryStatusCountsSerializer()
    tracks_downloaded = serializers.IntegerField()
    bytes_downloaded = serializers.IntegerField(help_text="Size of the files downloads put in the library.")
    downloads_per_day = HistoryDayCountSerializer(many=True, help_text="The last 30 days, oldest first.")
    top_artists = HistoryArtistCountSerializer(many=True, help_text="Most completed or partial downloads.")


class HistoryCleanupRequestSerializer(serializers.Serializer):
    days_old = serializers.IntegerField(
        min_value=1, max_value=MAX_DAYS_OLD, help_text="Delete entries created more than this many days ago."
    )


class HistoryCleanupResultSerializer(serializers.Serializer):
    deleted = serializers.IntegerField(help_text="History entries removed (library files are kept).")
    days_old = serializers.IntegerField()
