"""A local MusicBrainz web service (XML, as musicbrainzngs reads it): ISRC lookups, release groups
browsed by release with tags, artists with tags. ``isrcs`` maps an ISRC to (release id, artist id)."""

from __future__ import annotations

from tests.fakes.http_service import Answer, HttpService, Seen

NS = 'xmlns="http://musicbrainz.org/ns/mmd-2.0#"'


def _tags(tags: dict[str, int]) -> str:
    items = "".join(f'<tag count="{count}"><name>{name}</name></tag>' for name, count in tags.items())
    return f"<tag-list>{items}</tag-list>"


class FakeMusicBrainz(HttpService):
    name = "musicbrainz"

    def __init__(self) -> None:
        super().__init__()
        self.isrcs: dict[str, tuple[str, str]] = {}
        self.group_tags: dict[str, dict[str, int]] = {}  # by release id
        self.artist_tags: dict[str, dict[str, int]] = {}

    def add(
        self, isrc: str, *, release: str, artist: str, group_tags: dict[str, int], artist_tags: dict[str, int]
    ) -> None:
        self.isrcs[isrc.upper()] = (release, artist)
        self.group_tags[release] = group_tags
        self.artist_tags[artist] = artist_tags

    def answer(self, seen: Seen) -> Answer:
        parts = seen.path.strip("/").split("/")  # ws, 2, entity, id
        if parts[:2] != ["ws", "2"] or len(parts) < 3:
            return 404, b"<error/>"
        entity, ident = parts[2], (parts[3] if len(parts) > 3 else "")
        if entity == "isrc" and ident.upper() in self.isrcs:
            release, artist = self.isrcs[ident.upper()]
            recording = (
                f'<recording id="rec-{ident}"><title>t</title><artist-credit><name-credit>'
                f'<artist id="{artist}"><name>a</name><sort-name>a</sort-name></artist></name-credit>'
                f'</artist-credit><release-list count="1"><release id="{release}"><title>r</title>'
                "</release></release-list></recording>"
            )
            body = f'<metadata {NS}><isrc id="{ident}"><recording-list count="1">{recording}</recording-list></isrc></metadata>'
            return 200, body
        if entity == "release-group" and seen.query.get("release") in self.group_tags:
            tags = _tags(self.group_tags[seen.query["release"]])
            group = f'<release-group id="rg-{seen.query["release"]}" type="Album"><title>r</title>{tags}</release-group>'
            return (
                200,
                f'<metadata {NS}><release-group-list count="1">{group}</release-group-list></metadata>',
            )
        if entity == "artist" and ident in self.artist_tags:
            tags = _tags(self.artist_tags[ident])
            return 200, f'<metadata {NS}><artist id="{ident}"><name>a</name>{tags}</artist></metadata>'
        if entity == "artist" and not ident:
            return 200, f'<metadata {NS}><artist-list count="0" offset="0"></artist-list></metadata>'
        return 404, '<?xml version="1.0"?><error><text>Not Found</text></error>'
