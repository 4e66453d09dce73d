"""The records of the fake Spotify catalog (``tests.fakes.spotify_catalog``): plain dataclasses keyed by
22-character base62 ids, ``fake_id`` that makes those ids, and ``IDS``, the well-known ids of the fixture
catalog (``FakeCatalog.default()``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def fake_id(seed: str) -> str:
    """A stable, valid-looking 22-character Spotify id derived from ``seed``."""
    number = int.from_bytes(hashlib.sha256(seed.encode()).digest(), "big")
    chars = []
    for _ in range(22):
        number, digit = divmod(number, 62)
        chars.append(_BASE62[digit])
    return "".join(chars)


@dataclass
class FakeArtist:
    id: str
    name: str
    genres: list[str] = field(default_factory=list)
    followers: int = 1000
    popularity: int = 50
    image: str | None = None
    releases: list[tuple[str, str]] = field(default_factory=list)  # (album id, album_group)


@dataclass
class FakeAlbum:
    id: str
    name: str
    album_type: str
    artist_ids: list[str]
    release_date: str
    label: str = "Fixture Records"
    upc: str | None = None
    genres: list[str] = field(default_factory=list)
    copyrights: list[tuple[str, str]] = field(default_factory=list)  # (text, type C|P)
    image: str | None = None
    track_ids: list[str] = field(default_factory=list)
    popularity: int = 40

    @property
    def release_date_precision(self) -> str:
        return {4: "year", 7: "month"}.get(len(self.release_date), "day")


@dataclass
class FakeTrack:
    id: str
    name: str
    artist_ids: list[str]
    album_id: str
    duration_ms: int
    track_number: int = 1
    disc_number: int = 1
    explicit: bool = False
    isrc: str | None = None
    has_preview: bool = False
    popularity: int = 30


@dataclass
class FakeShow:
    id: str
    name: str
    publisher: str = "Fixture Radio"
    description: str = "A show about test fixtures."


@dataclass
class FakeEpisode:
    id: str
    name: str
    show_id: str
    duration_ms: int = 1_800_000
    release_date: str = "2024-03-01"
    description: str = "An episode."


@dataclass
class FakeEntry:
    """One playlist entry: ``kind`` is track, local, unavailable or episode."""

    kind: str
    item_id: str | None = None
    added_at: str = "2024-01-01T00:00:00Z"
    local_name: str = ""


@dataclass
class FakePlaylist:
    id: str
    name: str
    owner_id: str = "fixture-user"
    owner_name: str = "Fixture User"
    description: str = ""
    public: bool = True
    collaborative: bool = False
    collaborators: list[str] = field(
        default_factory=list
    )  # user ids who may read its items besides the owner
    followers: int = 10
    image: str | None = None
    entries: list[FakeEntry] = field(default_factory=list)
    version: int = 0

    @property
    def snapshot_id(self) -> str:
        return "snap" + fake_id(f"{self.id}:{self.version}")[:20]


@dataclass(frozen=True)
class FixtureIds:
    """Well-known ids of ``FakeCatalog.default()``."""

    artist: str = fake_id("artist:test-pattern")
    featured_artist: str = fake_id("artist:guest")
    big_artist: str = fake_id("artist:prolific")
    various_artists: str = fake_id("artist:various")
    small_album: str = fake_id("album:small")  # 3 tracks, first has a preview
    two_disc_album: str = fake_id("album:two-disc")  # 2 discs x 4 tracks
    big_album: str = fake_id("album:big")  # 60 tracks
    single: str = fake_id("album:single")
    track: str = fake_id(f"{fake_id('album:small')}:track:0")  # with preview_url
    track_no_preview: str = fake_id(f"{fake_id('album:small')}:track:1")
    explicit_track: str = fake_id(f"{fake_id('album:small')}:track:2")  # explicit, 2 artists, "/" in name
    small_playlist: str = fake_id("playlist:small")  # 5 tracks
    big_playlist: str = fake_id("playlist:big")  # 120 entries: local file at 7, null at 42, episode at 100
    show: str = fake_id("show:fixture")
    episode: str = fake_id("show:fixture:episode:1")


IDS = FixtureIds()
