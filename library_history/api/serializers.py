"""Named query, request and response bodies of ``/api/history/``."""

from __future__ import annotations

from rest_framework import serializers

from library_history.models import DownloadType, HistoryEntry, HistoryStatus, HistoryTrack

#: 100 years; larger values would overflow the date arithmetic
MAX_DAYS_OLD = 36500


class HistoryErrorSerializer(serializers.Serializer):
    """The one error shape: ``details`` maps each bad parameter to its messages."""

    error = serializers.CharField()
    details = serializers.JSONField(allow_null=True)
    code = serializers.CharField()


class HistoryListQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=500, default=100)
    offset = serializers.IntegerField(min_value=0, max_value=2**31 - 1, default=0)
    download_type = serializers.ChoiceField(choices=DownloadType.choices, required=False)
    status = serializers.ChoiceField(choices=HistoryStatus.choices, required=False)


class HistorySearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200, help_text="Words to find in name, artist or album.")
    limit = serializers.IntegerField(min_value=1, max_value=200, default=50)


class HistoryRecentQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=100, default=20)


class HistoryFailedQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=500, default=50)


class HistoryEntrySerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="spotify_url")
    owner = serializers.CharField(source="owner.username")
    file_path = serializers.CharField(help_text="Relative to the library root.")

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


class HistoryTrackSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="spotify_url")
    file_path = serializers.CharField(help_text="Relative to the library root.")

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
        ]
        read_only_fields = fields


class HistoryChildrenSerializer(serializers.Serializer):
    task_id = serializers.UUIDField()
    download_type = serializers.ChoiceField(choices=DownloadType.choices)
    children = HistoryTrackSerializer(many=True)
    count = serializers.IntegerField()


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
    partial = serializers.IntegerField()
    failed = serializers.IntegerField()
    skipped = serializers.IntegerField()
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
