"""Named query and response bodies of the catalog endpoints (track, album, playlist, artist, search).

Responses follow Spotify's field names so existing frontends keep working, plus paging fields
(``total``, ``limit``, ``offset``, ``next`` as a URL of this API, ``next_offset``).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from spotizerr.catalog import bodies
from spotizerr.integrations.spotify import MAX_OFFSET, SEARCH_TYPES

MAX_PAGE = 500


class CatalogConstantField(serializers.CharField):
    """A fixed string in every representation (e.g. ``type: "track"``)."""

    def __init__(self, value: str, **kwargs: Any) -> None:
        self.value = value
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance: Any) -> str:
        return self.value


# ------------------------------------------------------------------ queries
class IdQuerySerializer(serializers.Serializer):
    id = serializers.CharField(help_text="A Spotify id, open.spotify.com link or spotify: URI.")


class PageQuerySerializer(IdQuerySerializer):
    limit = serializers.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)
    offset = serializers.IntegerField(min_value=0, max_value=MAX_OFFSET, default=0)


class AlbumInfoQuerySerializer(PageQuerySerializer):
    limit = serializers.IntegerField(
        min_value=1,
        max_value=MAX_PAGE,
        required=False,
        help_text="Tracks page size; all tracks when omitted.",
    )


class ArtistInfoQuerySerializer(PageQuerySerializer):
    limit = serializers.IntegerField(
        min_value=1, max_value=MAX_PAGE, default=10, help_text="Releases page size."
    )


class PlaylistTracksQuerySerializer(PageQuerySerializer):
    limit = serializers.IntegerField(min_value=1, max_value=MAX_PAGE, default=100)


class PlaylistInfoQuerySerializer(IdQuerySerializer):
    include_tracks = serializers.BooleanField(default=False, help_text="Include every entry of the playlist.")


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=500)
    search_type = serializers.ChoiceField(
        choices=SEARCH_TYPES, required=False, help_text="Content type (default track)."
    )
    type = serializers.CharField(required=False, help_text="Alias of search_type (same values).")
    limit = serializers.IntegerField(min_value=1, max_value=50, default=20)
    main = serializers.CharField(required=False, help_text="Accepted for compatibility; ignored.")

    def validate_type(self, value: str) -> str:
        # a plain string in the schema: a second enum of the same choices would get a second name
        if value not in SEARCH_TYPES:
            raise serializers.ValidationError(f"must be one of {', '.join(SEARCH_TYPES)}")
        return value


# ------------------------------------------------------------------ shared pieces
class CatalogImageSerializer(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)


class CatalogExternalUrlsSerializer(serializers.Serializer):
    spotify = serializers.CharField(source="url", allow_null=True)


class CatalogArtistRefSerializer(serializers.Serializer):
    id = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    external_urls = CatalogExternalUrlsSerializer(source="*")


class CatalogAlbumRefSerializer(serializers.Serializer):
    id = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    album_type = serializers.CharField()
    release_date = serializers.CharField()
    total_tracks = serializers.IntegerField()
    images = CatalogImageSerializer(many=True)
    artists = CatalogArtistRefSerializer(many=True)
    external_urls = CatalogExternalUrlsSerializer(source="*")


class CatalogExternalIdsIsrcSerializer(serializers.Serializer):
    isrc = serializers.CharField(allow_null=True)


class CatalogExternalIdsUpcSerializer(serializers.Serializer):
    upc = serializers.CharField(allow_null=True)


class CatalogPageFieldsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()
    next = serializers.URLField(allow_null=True, help_text="This endpoint's URL for the next page.")
    next_offset = serializers.IntegerField(allow_null=True)


class CatalogLibraryStateSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=["present", "preview", "wanted", "missing"],
        help_text="present: a full file; preview: only a preview clip; wanted: you asked for it and no "
        "source had it yet; missing: never asked for.",
    )
    format = serializers.CharField(
        help_text='The file\'s extension, lower case ("flac", "mp3"); "" when none.'
    )
    bitrate = serializers.IntegerField(help_text="kbit/s; 0 when lossless, unknown or no file.")
    file_path = serializers.CharField(help_text='Relative to the library root; "" when no file.')


class CatalogLibrarySummarySerializer(serializers.Serializer):
    present = serializers.IntegerField()
    preview = serializers.IntegerField()
    wanted = serializers.IntegerField()
    missing = serializers.IntegerField()


_LIBRARY_HELP = "Your library's copy of this track (per user; never cached)."
_SUMMARY_HELP = "How many of the tracks in this response your library has, by state."


# ------------------------------------------------------------------ tracks and albums
class CatalogAlbumTrackSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    type = CatalogConstantField("track")
    artists = CatalogArtistRefSerializer(many=True)
    duration_ms = serializers.IntegerField()
    explicit = serializers.BooleanField()
    track_number = serializers.IntegerField()
    disc_number = serializers.IntegerField()
    isrc = serializers.CharField(allow_null=True)
    external_ids = CatalogExternalIdsIsrcSerializer(source="*")
    preview_url = serializers.URLField(allow_null=True)
    is_playable = serializers.BooleanField()
    external_urls = CatalogExternalUrlsSerializer(source="*")
    library = CatalogLibraryStateSerializer(required=False, help_text=_LIBRARY_HELP)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return bodies.album_track_body(instance)  # the declared fields, built fast (bodies.py)


class CatalogTrackSerializer(CatalogAlbumTrackSerializer):
    album = CatalogAlbumRefSerializer()
    popularity = serializers.IntegerField(allow_null=True)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return bodies.track_body(instance)


class CatalogAlbumTracksPageSerializer(CatalogPageFieldsSerializer):
    items = CatalogAlbumTrackSerializer(many=True)


class CatalogAlbumSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    type = CatalogConstantField("album")
    album_type = serializers.CharField()
    artists = CatalogArtistRefSerializer(many=True)
    release_date = serializers.CharField()
    year = serializers.CharField()
    total_tracks = serializers.IntegerField()
    images = CatalogImageSerializer(many=True)
    label = serializers.CharField(allow_null=True)  # type: ignore[assignment]  # an API field named like a DRF attribute
    upc = serializers.CharField(allow_null=True)
    external_ids = CatalogExternalIdsUpcSerializer(source="*")
    genres = serializers.ListField(child=serializers.CharField())
    copyrights = serializers.ListField(child=serializers.CharField())
    external_urls = CatalogExternalUrlsSerializer(source="*")
    tracks = serializers.SerializerMethodField()
    library = CatalogLibrarySummarySerializer(required=False, help_text=_SUMMARY_HELP)

    @extend_schema_field(CatalogAlbumTracksPageSerializer)
    def get_tracks(self, album: Any) -> dict[str, Any]:
        return CatalogAlbumTracksPageSerializer(self.context["tracks"]).data


# ------------------------------------------------------------------ artists
class CatalogArtistReleaseSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    type = CatalogConstantField("album")
    album_type = serializers.CharField()
    album_group = serializers.CharField()
    release_date = serializers.CharField()
    total_tracks = serializers.IntegerField()
    artists = CatalogArtistRefSerializer(many=True)
    images = CatalogImageSerializer(many=True)
    external_urls = CatalogExternalUrlsSerializer(source="*")
    in_library = serializers.BooleanField(
        required=False,
        help_text="Only when you watch this artist: whether the release is already in the library.",
    )
    library = CatalogLibrarySummarySerializer(
        required=False,
        help_text="The release's tracks by library state: files and wanted tracks recorded for this "
        "album; missing is the rest of total_tracks.",
    )


class CatalogArtistReleasesPageSerializer(CatalogPageFieldsSerializer):
    items = CatalogArtistReleaseSerializer(many=True)


class CatalogFollowersSerializer(serializers.Serializer):
    total = serializers.IntegerField(source="followers", allow_null=True)


class CatalogArtistSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    type = CatalogConstantField("artist")
    genres = serializers.ListField(child=serializers.CharField())
    images = CatalogImageSerializer(many=True)
    followers = CatalogFollowersSerializer(source="*")
    popularity = serializers.IntegerField(allow_null=True)
    external_urls = CatalogExternalUrlsSerializer(source="*")
    albums = serializers.SerializerMethodField()
    is_watched = serializers.BooleanField(required=False, help_text="Whether you watch this artist.")

    @extend_schema_field(CatalogArtistReleasesPageSerializer)
    def get_albums(self, artist: Any) -> dict[str, Any]:
        return CatalogArtistReleasesPageSerializer(self.context["albums"]).data


# ------------------------------------------------------------------ playlists
class CatalogPlaylistEntrySerializer(serializers.Serializer):
    position = serializers.IntegerField()
    added_at = serializers.CharField(allow_null=True)
    is_local = serializers.SerializerMethodField()
    skip_reason = serializers.CharField(
        allow_null=True,
        help_text="local_file, unavailable, episode, removed, or unmatched (imported playlists).",
    )
    track = CatalogTrackSerializer(allow_null=True)
    in_library = serializers.BooleanField(
        required=False,
        help_text="Only when you watch this playlist: whether the track is already in the library.",
    )

    def get_is_local(self, entry: Any) -> bool:
        return entry.skip_reason == "local_file"

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return bodies.entry_body(instance)  # the declared fields, built fast (bodies.py)


class CatalogPlaylistEntriesPageSerializer(CatalogPageFieldsSerializer):
    items = CatalogPlaylistEntrySerializer(many=True)


class CatalogPlaylistOwnerSerializer(serializers.Serializer):
    display_name = serializers.CharField(source="owner")


class CatalogPlaylistTracksSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    limit = serializers.IntegerField(required=False)
    offset = serializers.IntegerField(required=False)
    next = serializers.URLField(allow_null=True, required=False)
    next_offset = serializers.IntegerField(allow_null=True, required=False)
    items = CatalogPlaylistEntrySerializer(
        many=True, required=False, help_text="Present when entries were asked for."
    )


class CatalogPlaylistSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    type = CatalogConstantField("playlist")
    description = serializers.CharField(allow_blank=True)
    owner = CatalogPlaylistOwnerSerializer(source="*")
    snapshot_id = serializers.CharField()
    images = CatalogImageSerializer(many=True)
    public = serializers.BooleanField(allow_null=True)
    collaborative = serializers.BooleanField()
    followers = CatalogFollowersSerializer(source="*")
    external_urls = CatalogExternalUrlsSerializer(source="*")
    tracks = serializers.SerializerMethodField()
    is_watched = serializers.BooleanField(required=False, help_text="Whether you watch this playlist.")
    library = CatalogLibrarySummarySerializer(
        required=False, help_text=_SUMMARY_HELP + " Only when entries are included."
    )

    @extend_schema_field(CatalogPlaylistTracksSerializer)
    def get_tracks(self, playlist: Any) -> dict[str, Any]:
        return CatalogPlaylistTracksSerializer(
            self.context.get("tracks") or {"total": playlist.total_tracks}
        ).data


# ------------------------------------------------------------------ search and markets
class CatalogSearchItemSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    type = serializers.CharField()
    uri = serializers.SerializerMethodField()
    artists = CatalogArtistRefSerializer(many=True)
    images = CatalogImageSerializer(many=True)
    album = CatalogAlbumRefSerializer(allow_null=True)
    release_date = serializers.CharField(allow_null=True)
    duration_ms = serializers.IntegerField(allow_null=True)
    explicit = serializers.BooleanField(allow_null=True)
    total_tracks = serializers.IntegerField(allow_null=True)
    owner = serializers.CharField(allow_null=True)
    publisher = serializers.CharField(allow_null=True)
    description = serializers.CharField(allow_null=True)
    isrc = serializers.CharField(allow_null=True)
    external_urls = CatalogExternalUrlsSerializer(source="*")

    def get_uri(self, item: Any) -> str:
        return f"spotify:{item.type}:{item.id}"


class CatalogSearchResultsSerializer(serializers.Serializer):
    items = CatalogSearchItemSerializer(many=True)


class CatalogMarketsSerializer(serializers.Serializer):
    markets = serializers.ListField(child=serializers.CharField(), help_text="ISO 3166-1 alpha-2 codes.")
