"""The mutable catalog behind the fake Spotify Web API (``tests.fakes.spotify_api``).

Its records are the plain dataclasses of ``tests.fakes.spotify_records``, keyed by 22-character base62
ids; ``spotify_render`` turns them into Web API JSON. ``FakeCatalog.default()`` builds the fixture
catalog whose well-known ids are ``spotify_records.IDS``.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable

from tests.fakes.spotify_records import (
    IDS,
    FakeAlbum,
    FakeArtist,
    FakeEntry,
    FakeEpisode,
    FakePlaylist,
    FakeShow,
    FakeTrack,
    fake_id,
)

#: What ``GET /v1/markets`` lists (with extended quota).
MARKETS = "AD AR AT AU BE BR CA CH DE DK ES FI FR GB IE IT JP MX NL NO PL SE US".split()


class FakeCatalog:
    """Everything the fake API knows. Mutate it from tests through the methods below (thread-safe)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.artists: dict[str, FakeArtist] = {}
        self.albums: dict[str, FakeAlbum] = {}
        self.tracks: dict[str, FakeTrack] = {}
        self.playlists: dict[str, FakePlaylist] = {}
        self.shows: dict[str, FakeShow] = {}
        self.episodes: dict[str, FakeEpisode] = {}
        self.markets: list[str] = list(MARKETS)
        self._counter = itertools.count(1)
        self.listeners: list[Callable[[], None]] = []  # called after every change (the fixture clears caches)

    def changed(self) -> None:
        for listener in self.listeners:
            listener()

    # ------------------------------------------------------------ building
    def add_artist(self, name: str, *, artist_id: str | None = None, genres: list[str] | None = None) -> str:
        with self.lock:
            artist_id = artist_id or fake_id(f"artist:{name}:{next(self._counter)}")
            self.artists[artist_id] = FakeArtist(
                artist_id, name, genres=list(genres or ["test pop"]), image=f"artist-{artist_id[:6]}"
            )
            return artist_id

    def add_album(
        self,
        name: str,
        *,
        artist_ids: list[str],
        tracks: int | list[str] = 3,
        discs: int = 1,
        album_type: str = "album",
        release_date: str = "2021-05-14",
        album_id: str | None = None,
        album_group: str | None = None,
        track_artist_ids: list[str] | None = None,
        explicit: bool = False,
    ) -> str:
        """Create an album with ``tracks`` (a count, or explicit titles) spread over ``discs`` discs and
        list it in the releases of its artists (``album_group`` defaults to ``album_type``); artists in
        ``track_artist_ids`` that are not album artists get it as ``appears_on``."""
        with self.lock:
            album_id = album_id or fake_id(f"album:{name}:{next(self._counter)}")
            titles = tracks if isinstance(tracks, list) else [f"{name} {n + 1}" for n in range(tracks)]
            album = FakeAlbum(
                album_id,
                name,
                album_type,
                list(artist_ids),
                release_date,
                upc=f"{int.from_bytes(album_id.encode()[:6], 'big') % 10**12:012d}",
                genres=["test pop"],
                image=f"album-{album_id[:6]}",
                copyrights=[
                    (f"{release_date[:4]} Fixture Records", "C"),
                    (f"{release_date[:4]} Fixture", "P"),
                ],
            )
            self.albums[album_id] = album
            per_disc = max(1, -(-len(titles) // discs))
            performers = list(track_artist_ids or artist_ids)
            for index, title in enumerate(titles):
                self._add_track(album, title, index, per_disc, performers, explicit)
            for artist_id in artist_ids:
                self.artists[artist_id].releases.append((album_id, album_group or album_type))
            for artist_id in performers:
                if artist_id not in artist_ids:
                    self.artists[artist_id].releases.append((album_id, "appears_on"))
            return album_id

    def _add_track(
        self, album: FakeAlbum, title: str, index: int, per_disc: int, artist_ids: list[str], explicit: bool
    ) -> str:
        track_id = fake_id(f"{album.id}:track:{index}")
        track = FakeTrack(
            track_id,
            title,
            list(artist_ids),
            album.id,
            duration_ms=150_000 + (index * 7_919) % 120_000,
            track_number=index % per_disc + 1,
            disc_number=index // per_disc + 1,
            explicit=explicit,
            isrc=f"QZFIX{int.from_bytes(track_id.encode()[:5], 'big') % 10**7:07d}",
        )
        self.tracks[track_id] = track
        album.track_ids.append(track_id)
        return track_id

    def add_playlist(
        self,
        name: str,
        *,
        track_ids: list[str] = (),  # type: ignore[assignment]
        playlist_id: str | None = None,
        description: str = "",
        owner_id: str = "fixture-user",
        owner_name: str | None = None,
        collaborators: list[str] | None = None,
    ) -> str:
        """A playlist owned by Spotify user ``owner_id``; only the owner and ``collaborators`` may read its
        items with a user token (the 2026 development-mode rule)."""
        with self.lock:
            playlist_id = playlist_id or fake_id(f"playlist:{name}:{next(self._counter)}")
            playlist = FakePlaylist(
                playlist_id,
                name,
                owner_id=owner_id,
                owner_name=owner_name or ("Fixture User" if owner_id == "fixture-user" else owner_id),
                description=description,
                image=f"pl-{playlist_id[:6]}",
                collaborative=bool(collaborators),
                collaborators=list(collaborators or ()),
            )
            playlist.entries = [self._entry_for(track_id, n) for n, track_id in enumerate(track_ids)]
            self.playlists[playlist_id] = playlist
            return playlist_id

    def _entry_for(self, item_id: str, n: int) -> FakeEntry:
        kind = "episode" if item_id in self.episodes else "track"
        return FakeEntry(kind, item_id, added_at=f"2024-{1 + n // 28 % 12:02d}-{1 + n % 28:02d}T12:00:00Z")

    def generate_playlist(
        self,
        name: str,
        entries: int,
        *,
        specials: dict[int, str] | None = None,
        playlist_id: str | None = None,
    ) -> str:
        """A playlist of ``entries`` entries over freshly made albums of 25 tracks; ``specials`` maps a
        position to ``local``, ``unavailable`` or ``episode``."""
        with self.lock:
            artist_id = self.add_artist(f"{name} Artist")
            track_ids: list[str] = []
            for start in range(0, entries, 25):
                count = min(25, entries - start)
                album_id = self.add_album(
                    f"{name} Vol {start // 25 + 1}", artist_ids=[artist_id], tracks=count
                )
                track_ids.extend(self.albums[album_id].track_ids)
            playlist_id = self.add_playlist(name, track_ids=track_ids, playlist_id=playlist_id)
            for position, kind in (specials or {}).items():
                self.playlists[playlist_id].entries[position] = self._special_entry(kind, position)
            return playlist_id

    def _special_entry(self, kind: str, position: int) -> FakeEntry:
        if kind == "episode":
            return FakeEntry("episode", next(iter(self.episodes)))
        if kind == "local":
            return FakeEntry("local", None, local_name=f"Home Demo {position}")
        return FakeEntry("unavailable")

    def generate_artist(self, name: str, releases: dict[str, int], *, artist_id: str | None = None) -> str:
        """An artist with ``releases`` per album_group (album, single, compilation, appears_on)."""
        with self.lock:
            artist_id = self.add_artist(name, artist_id=artist_id)
            various = (
                IDS.various_artists if IDS.various_artists in self.artists else self.add_artist("Various")
            )
            for group, count in releases.items():
                for n in range(count):
                    self._generate_release(artist_id, various, group, n)
            return artist_id

    def _generate_release(self, artist_id: str, various: str, group: str, n: int) -> None:
        date = f"{2024 - n % 30}-{1 + n % 12:02d}-{1 + n % 28:02d}"
        name = f"{self.artists[artist_id].name} {group.title()} {n + 1}"
        if group == "appears_on":
            self.add_album(
                name,
                artist_ids=[various],
                tracks=2,
                album_type="compilation",
                release_date=date,
                track_artist_ids=[various, artist_id],
            )
        else:
            self.add_album(
                name,
                artist_ids=[artist_id],
                tracks=1 if group == "single" else 2,
                album_type=group,
                release_date=date,
            )

    def add_show(self, name: str, *, show_id: str | None = None, episodes: int = 2) -> str:
        with self.lock:
            show_id = show_id or fake_id(f"show:{name}")
            self.shows[show_id] = FakeShow(show_id, name)
            for n in range(episodes):
                episode_id = (
                    fake_id(f"show:fixture:episode:{n + 1}")
                    if show_id == IDS.show
                    else fake_id(f"{show_id}:episode:{n + 1}")
                )
                self.episodes[episode_id] = FakeEpisode(episode_id, f"{name} Episode {n + 1}", show_id)
            return show_id

    # ------------------------------------------------------------ mutating from tests
    def playlist_add(self, playlist_id: str, track_ids: list[str], *, position: int | None = None) -> str:
        """Insert tracks (at ``position``, default the end); returns the new snapshot_id."""
        with self.lock:
            playlist = self.playlists[playlist_id]
            new = [
                self._entry_for(track_id, len(playlist.entries) + n) for n, track_id in enumerate(track_ids)
            ]
            at = len(playlist.entries) if position is None else position
            playlist.entries[at:at] = new
            snapshot = self._bump(playlist)
        self.changed()
        return snapshot

    def playlist_rename(self, playlist_id: str, name: str) -> str:
        """Give the playlist a new name; returns the new snapshot_id (a rename is a new version)."""
        with self.lock:
            playlist = self.playlists[playlist_id]
            playlist.name = name
            snapshot = self._bump(playlist)
        self.changed()
        return snapshot

    def playlist_remove(self, playlist_id: str, track_id: str) -> str:
        """Remove every entry of ``track_id``; returns the new snapshot_id."""
        with self.lock:
            playlist = self.playlists[playlist_id]
            playlist.entries = [entry for entry in playlist.entries if entry.item_id != track_id]
            snapshot = self._bump(playlist)
        self.changed()
        return snapshot

    def playlist_move(self, playlist_id: str, from_position: int, to_position: int) -> str:
        with self.lock:
            playlist = self.playlists[playlist_id]
            playlist.entries.insert(to_position, playlist.entries.pop(from_position))
            snapshot = self._bump(playlist)
        self.changed()
        return snapshot

    @staticmethod
    def _bump(playlist: FakePlaylist) -> str:
        playlist.version += 1
        return playlist.snapshot_id

    def artist_add_release(
        self,
        artist_id: str,
        name: str,
        *,
        album_group: str = "album",
        tracks: int = 2,
        release_date: str = "2025-06-01",
    ) -> str:
        """A new release of ``artist_id`` (album, single, compilation or appears_on); returns its id."""
        if album_group == "appears_on":
            various = (
                IDS.various_artists if IDS.various_artists in self.artists else self.add_artist("Various")
            )
            album_id = self.add_album(
                name,
                artist_ids=[various],
                tracks=tracks,
                album_type="compilation",
                release_date=release_date,
                track_artist_ids=[various, artist_id],
            )
        else:
            album_id = self.add_album(
                name, artist_ids=[artist_id], tracks=tracks, album_type=album_group, release_date=release_date
            )
        self.changed()
        return album_id

    def set_preview(self, track_id: str, has_preview: bool = True) -> None:
        with self.lock:
            self.tracks[track_id].has_preview = has_preview
        self.changed()

    def remove(self, kind: str, object_id: str) -> None:
        """Make an object unknown (404): kind is track, album, artist or playlist."""
        with self.lock:
            getattr(self, f"{kind}s").pop(object_id)
        self.changed()

    # ------------------------------------------------------------ the fixture catalog
    @classmethod
    def default(cls) -> FakeCatalog:
        catalog = cls()
        catalog.add_artist("The Test Pattern", artist_id=IDS.artist, genres=["test pop", "sine wave"])
        catalog.add_artist("Guest Oscillator", artist_id=IDS.featured_artist, genres=["noise"])
        catalog.add_artist("Various Artists", artist_id=IDS.various_artists, genres=[])
        catalog.add_show("Fixture Radio Hour", show_id=IDS.show)
        catalog._default_albums()
        catalog.generate_artist(
            "Prolific Painter",
            {"album": 30, "single": 15, "compilation": 5, "appears_on": 10},
            artist_id=IDS.big_artist,
        )
        catalog._default_playlists()
        return catalog

    def _default_albums(self) -> None:
        self.add_album(
            "Sine Waves",
            artist_ids=[IDS.artist],
            album_id=IDS.small_album,
            tracks=["Four Forty", "Eight Eighty", "Either/Or: Live?"],
            release_date="2021-05-14",
        )
        small = self.albums[IDS.small_album]
        third = self.tracks[small.track_ids[2]]
        third.explicit, third.artist_ids = True, [IDS.artist, IDS.featured_artist]
        self.tracks[small.track_ids[0]].has_preview = True
        self.add_album(
            "Two Sides",
            artist_ids=[IDS.artist],
            album_id=IDS.two_disc_album,
            tracks=8,
            discs=2,
            release_date="2019-11",
        )
        self.add_album(
            "The Long Player", artist_ids=[IDS.artist], album_id=IDS.big_album, tracks=60, release_date="2015"
        )
        self.add_album(
            "Square Wave",
            artist_ids=[IDS.artist],
            album_id=IDS.single,
            tracks=["Square Wave"],
            album_type="single",
            release_date="2023-02-03",
        )

    def _default_playlists(self) -> None:
        small, two_disc = self.albums[IDS.small_album].track_ids, self.albums[IDS.two_disc_album].track_ids
        self.add_playlist(
            "Fixture Mix",
            track_ids=[*small, *two_disc[:2]],
            playlist_id=IDS.small_playlist,
            description="Five tracks for fast tests.",
        )
        self.generate_playlist(
            "Everything Long",
            120,
            playlist_id=IDS.big_playlist,
            specials={7: "local", 42: "unavailable", 100: "episode"},
        )
