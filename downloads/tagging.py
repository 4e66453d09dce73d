"""Writing audio tags (``tag_reading`` reads them). With it, the only modules that import mutagen.

``write_tags`` replaces whatever tags a file had with exactly the given ``TagData``, in the native
scheme of its container: ID3v2.4 (MP3, WAV), MP4 atoms (AAC and ALAC in .m4a), Vorbis comments (Ogg
Vorbis, Opus, FLAC) with the cover as a FLAC picture. Artists are written as multiple values where the
format has them; MP4 players show one ``©ART`` string, so there the names are joined with the
configured separator and the list goes in the ``ARTISTS`` freeform atom (the MusicBrainz convention).
The explicit flag uses iTunes' advisory values (1 explicit, 0 none). Tag a work file before it is moved
into the library: mutagen edits in place.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mutagen
from mutagen import id3 as frames
from mutagen.flac import FLAC, Picture
from mutagen.mp4 import MP4, MP4Cover, MP4FreeForm

from spotizerr.integrations.catalog_types import Album, Track

PREVIEW_COMMENT = "Preview clip (30 s), not the full song"
ADVISORY = "ITUNESADVISORY"
SOURCE_URL = "WWWAUDIOSOURCE"
FREEFORM = "----:com.apple.iTunes:"
_ID3_TYPES = ("MP3", "WAVE", "AIFF", "TrueAudio")


class TaggingError(Exception):
    """A file could not be tagged or read: not an audio file mutagen knows, or a broken one."""


@dataclass
class TagData:
    """Everything Spotizerr writes into a file's tags."""

    title: str
    artists: list[str] = field(default_factory=list)
    artist_separator: str = "; "
    album: str = ""
    album_artists: list[str] = field(default_factory=list)
    track_number: int | None = None
    track_total: int | None = None
    disc_number: int | None = None
    disc_total: int | None = None
    date: str = ""  # "2021-03-04", "2021-03" or "2021"
    year: str = ""
    genre: str = ""  # one genre; ``genres`` (several values) wins when given
    genres: list[str] = field(default_factory=list)
    isrc: str = ""
    label: str = ""
    copyright: str = ""
    explicit: bool = False
    url: str = ""  # the Spotify URL, as provenance
    comment: str = ""  # e.g. PREVIEW_COMMENT
    cover: bytes | None = None  # JPEG or PNG
    lyrics: str = ""  # unsynced text (USLT, ©lyr, LYRICS)

    @classmethod
    def from_track(
        cls,
        track: Track,
        album: Album | None = None,
        *,
        artist_separator: str = "; ",
        cover: bytes | None = None,
        comment: str = "",
    ) -> TagData:
        """Tags for ``track``; ``album`` (the full album, when known) adds label, genre, copyright and
        the number of discs."""
        credited = album.artists if album is not None else track.album.artists
        album_artists = [artist.name for artist in credited] or track.artist_names
        discs = [item.disc_number for item in album.tracks] if album is not None else []
        release = album.release_date if album is not None else track.album.release_date
        return cls(
            title=track.name,
            artists=track.artist_names,
            artist_separator=artist_separator,
            album=album.name if album is not None else track.album.name,
            album_artists=album_artists,
            track_number=track.track_number,
            track_total=(album.total_tracks if album is not None else track.album.total_tracks) or None,
            disc_number=track.disc_number,
            disc_total=max([*discs, track.disc_number]),
            date=release,
            year=release[:4],
            genres=list(album.genres) if album is not None else [],
            isrc=track.isrc or "",
            label=(album.label or "") if album is not None else "",
            copyright="; ".join(album.copyrights) if album is not None else "",
            explicit=track.explicit,
            url=track.url,
            comment=comment,
            cover=cover,
        )

    @property
    def release(self) -> str:
        return self.date or self.year

    @property
    def genre_list(self) -> list[str]:
        return [genre for genre in self.genres if genre] or ([self.genre] if self.genre else [])


def cover_mime(data: bytes) -> str:
    """``image/jpeg`` or ``image/png`` from the magic bytes; TaggingError for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    raise TaggingError("cover art is neither a JPEG nor a PNG image")


def open_audio(path: Path) -> Any:
    """The mutagen object for ``path``; TaggingError when it is not an audio file mutagen knows."""
    try:
        audio = mutagen.File(path)
    except (mutagen.MutagenError, OSError) as error:
        raise TaggingError(f"{Path(path).name}: {error}") from error
    if audio is None:
        raise TaggingError(f"{Path(path).name}: not an audio file Spotizerr can tag")
    return audio


def tag_family(audio: Any) -> str:
    """Which tag scheme a file uses: ``id3``, ``mp4``, ``flac`` or ``vorbis``."""
    name = type(audio).__name__
    if name in _ID3_TYPES:
        return "id3"
    if isinstance(audio, MP4):
        return "mp4"
    if isinstance(audio, FLAC):
        return "flac"
    if hasattr(audio, "tags") and name.startswith("Ogg"):
        return "vorbis"
    raise TaggingError(f"cannot tag {name} files")


# ----------------------------------------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------------------------------------


def write_tags(path: Path, tags: TagData) -> None:
    """Replace the tags of the audio file at ``path`` with ``tags`` (format from the file's content).
    Raises TaggingError for a file mutagen cannot read or a cover that is not a JPEG or PNG."""
    mime = cover_mime(tags.cover) if tags.cover is not None else None
    audio = open_audio(path)
    family = tag_family(audio)
    try:
        if family == "id3":
            _write_id3(audio, tags, mime)
        elif family == "mp4":
            _write_mp4(audio, tags, mime)
        else:
            _write_vorbis(audio, tags, mime, flac=family == "flac")
    except (mutagen.MutagenError, OSError) as error:
        raise TaggingError(f"{Path(path).name}: {error}") from error


def write_lyrics(path: Path, lyrics: str) -> None:
    """Set (or replace) only the unsynced lyrics of the file at ``path``, keeping its other tags.
    Edits in place: callers tag a copy and rename it into the library. Raises TaggingError."""
    audio = open_audio(path)
    family = tag_family(audio)
    try:
        if audio.tags is None:
            audio.add_tags()
        if family == "id3":
            audio.tags.delall("USLT")
            audio.tags.add(frames.USLT(encoding=3, lang="eng", desc="", text=lyrics))
            audio.save(v2_version=4)
            return
        audio.tags["©lyr" if family == "mp4" else "LYRICS"] = [lyrics]
        audio.save()
    except (mutagen.MutagenError, OSError) as error:
        raise TaggingError(f"{Path(path).name}: {error}") from error


def _number_pair(number: int | None, total: int | None) -> str:
    if not number:
        return ""
    return f"{number}/{total}" if total else str(number)


def _write_id3(audio: Any, tags: TagData, mime: str | None) -> None:
    if audio.tags is None:
        audio.add_tags()
    id3: frames.ID3 = audio.tags
    id3.clear()
    texts = [
        (frames.TIT2, [tags.title]),
        (frames.TPE1, tags.artists),
        (frames.TALB, [tags.album]),
        (frames.TPE2, tags.album_artists),
        (frames.TRCK, [_number_pair(tags.track_number, tags.track_total)]),
        (frames.TPOS, [_number_pair(tags.disc_number, tags.disc_total)]),
        (frames.TDRC, [tags.release]),
        (frames.TCON, tags.genre_list),
        (frames.TSRC, [tags.isrc]),
        (frames.TPUB, [tags.label]),
        (frames.TCOP, [tags.copyright]),
    ]
    for frame, values in texts:
        values = [value for value in values if value]
        if values:
            id3.add(frame(encoding=3, text=values))
    id3.add(frames.TXXX(encoding=3, desc=ADVISORY, text=["1" if tags.explicit else "0"]))
    if tags.url:
        id3.add(frames.WOAS(url=tags.url))
    if tags.comment:
        id3.add(frames.COMM(encoding=3, lang="eng", desc="", text=[tags.comment]))
    if tags.lyrics:
        id3.add(frames.USLT(encoding=3, lang="eng", desc="", text=tags.lyrics))
    if tags.cover is not None:
        id3.add(frames.APIC(encoding=3, mime=mime, type=3, desc="Cover", data=tags.cover))
    audio.save(v2_version=4)


def _write_mp4(audio: Any, tags: TagData, mime: str | None) -> None:
    if audio.tags is None:
        audio.add_tags()
    audio.tags.clear()
    values: dict[str, Any] = {
        "©nam": tags.title,
        "©ART": tags.artist_separator.join(tags.artists),
        "©alb": tags.album,
        "aART": tags.artist_separator.join(tags.album_artists),
        "©day": tags.release,
        "cprt": tags.copyright,
        "©cmt": tags.comment,
        "©lyr": tags.lyrics,
    }
    for key, value in values.items():
        if value:
            audio.tags[key] = [value]
    if tags.genre_list:
        audio.tags["©gen"] = tags.genre_list
    if tags.track_number:
        audio.tags["trkn"] = [(tags.track_number, tags.track_total or 0)]
    if tags.disc_number:
        audio.tags["disk"] = [(tags.disc_number, tags.disc_total or 0)]
    audio.tags["rtng"] = [1 if tags.explicit else 0]
    freeform = {"ISRC": [tags.isrc], "LABEL": [tags.label], SOURCE_URL: [tags.url], "ARTISTS": tags.artists}
    for name, texts in freeform.items():
        forms = [MP4FreeForm(text.encode("utf-8")) for text in texts if text]
        if forms:
            audio.tags[FREEFORM + name] = forms
    if tags.cover is not None:
        kind = MP4Cover.FORMAT_PNG if mime == "image/png" else MP4Cover.FORMAT_JPEG
        audio.tags["covr"] = [MP4Cover(tags.cover, imageformat=kind)]
    audio.save()


def _write_vorbis(audio: Any, tags: TagData, mime: str | None, *, flac: bool) -> None:
    if audio.tags is None:
        audio.add_tags()
    audio.tags.clear()
    if flac:
        audio.clear_pictures()
    values: dict[str, list[str]] = {
        "TITLE": [tags.title],
        "ARTIST": tags.artists,
        "ALBUM": [tags.album],
        "ALBUMARTIST": tags.album_artists,
        "TRACKNUMBER": [str(tags.track_number or "")],
        "TRACKTOTAL": [str(tags.track_total or "")],
        "DISCNUMBER": [str(tags.disc_number or "")],
        "DISCTOTAL": [str(tags.disc_total or "")],
        "DATE": [tags.release],
        "GENRE": tags.genre_list,
        "ISRC": [tags.isrc],
        "LABEL": [tags.label],
        "COPYRIGHT": [tags.copyright],
        ADVISORY: ["1" if tags.explicit else "0"],
        SOURCE_URL: [tags.url],
        "COMMENT": [tags.comment],
        "LYRICS": [tags.lyrics],
    }
    for key, texts in values.items():
        texts = [text for text in texts if text]
        if texts:
            audio.tags[key] = texts
    if tags.cover is not None:
        picture = Picture()
        picture.type, picture.mime, picture.desc, picture.data = 3, mime or "", "Cover", tags.cover
        if flac:
            audio.add_picture(picture)
        else:
            audio.tags["METADATA_BLOCK_PICTURE"] = [base64.b64encode(picture.write()).decode("ascii")]
    audio.save()
