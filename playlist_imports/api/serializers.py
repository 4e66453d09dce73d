"""Named input and output serializers of the import API."""

from __future__ import annotations

from rest_framework import serializers

from playlist_imports.models import EntryState, ImportKind, ImportStatus


class ImportRequestSerializer(serializers.Serializer):
    """``links`` take ``text`` (or a ``file``); ``csv`` and ``m3u`` a ``file``, ``text`` or an http(s)
    ``url`` to fetch the list from (re-read when the playlist is watched); ``deezer`` a ``url`` (the
    name comes from Deezer)."""

    kind = serializers.ChoiceField(choices=ImportKind.choices)
    name = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, default="")
    file = serializers.FileField(required=False, allow_empty_file=True)
    url = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")

    def validate(self, attrs: dict) -> dict:
        kind = attrs["kind"]
        if kind == ImportKind.DEEZER and not attrs.get("url"):
            raise serializers.ValidationError({"url": ["A Deezer playlist link is required."]})
        given = [key for key in ("text", "file", "url") if attrs.get(key)]
        if kind == ImportKind.LINKS and attrs.get("url"):
            raise serializers.ValidationError(
                {"url": ["Paste Spotify links as text; a URL is for CSV or M3U."]}
            )
        if kind != ImportKind.DEEZER and not given:
            raise serializers.ValidationError(
                {"file": ["Upload a file, paste the list as text or give a URL to a CSV or M3U file."]}
            )
        if kind != ImportKind.DEEZER and len(given) > 1:
            raise serializers.ValidationError({"url": ["Give one of file, text or url, not several."]})
        return attrs


class UnmatchedEntrySerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="Line of the source the entry came from.")
    position = serializers.IntegerField(help_text="1-based place in the playlist (for the fix endpoint).")
    text = serializers.CharField()
    reason = serializers.CharField()


class MatchedTrackSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    artists = serializers.ListField(child=serializers.CharField())
    album = serializers.CharField()
    duration_ms = serializers.IntegerField(allow_null=True)


class ImportEntrySerializer(serializers.Serializer):
    position = serializers.IntegerField()
    line = serializers.IntegerField()
    text = serializers.CharField()
    state = serializers.ChoiceField(choices=EntryState.choices)
    reason = serializers.CharField()
    track = MatchedTrackSerializer(allow_null=True)


class ImportResultSerializer(serializers.Serializer):
    playlist_id = serializers.CharField(help_text="import:<uuid>; works wherever a playlist id does.")
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=ImportKind.choices)
    status = serializers.ChoiceField(choices=ImportStatus.choices, help_text="matching until every entry is.")
    total = serializers.IntegerField()
    matched = serializers.IntegerField()
    pending = serializers.IntegerField(help_text="Entries not matched yet (status matching).")
    unmatched = UnmatchedEntrySerializer(many=True)
    entries = ImportEntrySerializer(many=True, required=False)


class EntryFixSerializer(serializers.Serializer):
    track = serializers.CharField(max_length=300, help_text="A Spotify track link, URI or id.")
