"""Typed catalog data returned by the Spotify client to the rest of Spotizerr.

Only ``spotizerr.integrations.spotify`` builds these from API JSON; everyone else reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Image:
    url: str
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class ArtistRef:
    id: str | None
    name: str

    @property
    def url(self) -> str | None:
        return f"https://open.spotify.com/artist/{self.id}" if self.id else None


@dataclass(frozen=True)
class AlbumRef:
    """The album a track belongs to, as embedded in a track object."""

    id: str | None
    name: str
    album_type: str = "album"
    release_date: str = ""
    total_tracks: int = 0
    images: tuple[Image, ...] = ()
    artists: tuple[ArtistRef, ...] = ()

    @property
    def url(self) -> str | None:
        return f"https://open.spotify.com/album/{self.id}" if self.id else None


@dataclass(frozen=True)
class Track:
    id: str
    name: str
    artists: tuple[ArtistRef, ...]
    album: AlbumRef
    duration_ms: int
    explicit: bool = False
    track_number: int = 1
    disc_number: int = 1
    isrc: str | None = None
    preview_url: str | None = None
    is_playable: bool = True
    popularity: int | None = None

    @property
    def url(self) -> str:
        return f"https://open.spotify.com/track/{self.id}"

    @property
    def artist_names(self) -> list[str]:
        return [artist.name for artist in self.artists]


@dataclass(frozen=True)
class Album:
    id: str
    name: str
    album_type: str
    artists: tuple[ArtistRef, ...]
    release_date: str
    total_tracks: int
    images: tuple[Image, ...] = ()
    label: str | None = None
    upc: str | None = None
    genres: tuple[str, ...] = ()
    copyrights: tuple[str, ...] = ()
    tracks: tuple[Track, ...] = ()  # every track, all pages followed, each with this album as AlbumRef

    @property
    def url(self) -> str:
        return f"https://open.spotify.com/album/{self.id}"

    @property
    def year(self) -> str:
        return self.release_date[:4]


@dataclass(frozen=True)
class Artist:
    id: str
    name: str
    genres: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    followers: int | None = None
    popularity: int | None = None

    @property
    def url(self) -> str:
        return f"https://open.spotify.com/artist/{self.id}"


@dataclass(frozen=True)
class ArtistRelease:
    """One entry of an artist's albums listing (album, single, compilation, appears_on)."""

    id: str
    name: str
    album_type: str
    album_group: str
    release_date: str
    total_tracks: int
    artists: tuple[ArtistRef, ...] = ()
    images: tuple[Image, ...] = ()

    @property
    def url(self) -> str:
        return f"https://open.spotify.com/album/{self.id}"


@dataclass(frozen=True)
class PlaylistEntry:
    """One playlist item. ``track`` is None when the entry cannot be downloaded; ``skip_reason`` says why
    (``local_file``, ``unavailable``, ``episode``, ``removed``)."""

    position: int
    added_at: str | None
    track: Track | None
    skip_reason: str | None = None


@dataclass(frozen=True)
class Playlist:
    id: str
    name: str
    owner: str
    description: str
    snapshot_id: str
    total_tracks: int
    images: tuple[Image, ...] = ()
    public: bool | None = None
    collaborative: bool = False
    followers: int | None = None
    entries: tuple[PlaylistEntry, ...] = field(default_factory=tuple)  # filled only when asked for

    @property
    def url(self) -> str:
        return f"https://open.spotify.com/playlist/{self.id}"


@dataclass(frozen=True)
class Page:
    """A page of any listing, with Spotify's paging fields."""

    items: tuple
    total: int
    limit: int
    offset: int
    next_offset: int | None


@dataclass(frozen=True)
class SearchItem:
    """One search hit of any type (track, album, artist, playlist, show, episode); fields that do not apply
    to the type stay None/empty."""

    id: str
    name: str
    type: str
    artists: tuple[ArtistRef, ...] = ()
    images: tuple[Image, ...] = ()
    album: AlbumRef | None = None  # tracks
    release_date: str | None = None  # albums, episodes
    duration_ms: int | None = None  # tracks, episodes
    explicit: bool | None = None
    total_tracks: int | None = None  # albums, playlists
    owner: str | None = None  # playlists
    publisher: str | None = None  # shows
    description: str | None = None  # playlists, shows, episodes
    isrc: str | None = None  # tracks

    @property
    def url(self) -> str:
        return f"https://open.spotify.com/{self.type}/{self.id}"
