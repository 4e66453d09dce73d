"""Reading and writing audio tags. The only module that imports mutagen.

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
from mutagen.mp3 import MP3, BitrateMode
from mutagen.mp4 import MP4, MP4Cover, MP4FreeForm

from spotizerr.integrations.catalog_types import Album, Track

PREVIEW_COMMENT = "Preview clip (30 s), not the full song"
ADVISORY = "ITUNESADVISORY"
SOURCE_URL = "WWWAUDIOSOURCE"
_FREEFORM = "----:com.apple.iTunes:"
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


def _open(path: Path) -> Any:
    try:
        audio = mutagen.File(path)
    except (mutagen.MutagenError, OSError) as error:
        raise TaggingError(f"{Path(path).name}: {error}") from error
    if audio is None:
        raise TaggingError(f"{Path(path).name}: not an audio file Spotizerr can tag")
    return audio


def _family(audio: Any) -> str:
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
    audio = _open(path)
    family = _family(audio)
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
    audio = _open(path)
    family = _family(audio)
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
            audio.tags[_FREEFORM + name] = forms
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


# ----------------------------------------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------------------------------------


def read_tags(path: Path) -> dict[str, Any]:
    """The tags of any audio file mutagen knows, normalised to one shape: ``title``, ``artists``,
    ``album``, ``album_artists``, ``track``, ``track_total``, ``disc``, ``disc_total``, ``date``,
    ``genre`` (the first), ``genres``, ``lyrics``, ``isrc``, ``label``, ``copyright``, ``explicit`` (None
    when not tagged), ``url``, ``comment``, ``has_cover``, ``cover_mime``, plus ``format``, ``codec``,
    ``duration_ms`` and ``length_estimated`` (an MP3 without a length header) from the stream. Missing
    text values are "" and missing numbers None. Raises TaggingError."""
    audio = _open(path)
    family = _family(audio)
    readers = {"id3": _read_id3, "mp4": _read_mp4, "flac": _read_vorbis, "vorbis": _read_vorbis}
    result = _empty_result()
    if audio.tags is not None:
        result.update(readers[family](audio))
    result["format"] = type(audio).__name__
    result["codec"] = _codec(audio)
    result["duration_ms"] = round((audio.info.length or 0) * 1000)
    # an MP3 without a Xing/VBRI header states no length: mutagen estimated it from the bitrate
    result["length_estimated"] = isinstance(audio, MP3) and (
        getattr(audio.info, "bitrate_mode", None) == BitrateMode.UNKNOWN
    )
    return result


def audio_duration_ms(path: Path) -> int:
    """The playing time of the audio file at ``path``, in milliseconds. Raises TaggingError."""
    return round((_open(path).info.length or 0) * 1000)


_LOSSLESS_TYPES = ("FLAC", "WAVE", "AIFF")


def audio_bitrate_kbps(path: Path) -> int:
    """The stream's bitrate in kbit/s, 0 for lossless files (FLAC, WAV, AIFF, ALAC) and when mutagen
    cannot tell. Raises TaggingError."""
    audio = _open(path)
    if type(audio).__name__ in _LOSSLESS_TYPES or getattr(audio.info, "codec", None) == "alac":
        return 0
    return max(0, round((getattr(audio.info, "bitrate", 0) or 0) / 1000))


def _empty_result() -> dict[str, Any]:
    return {
        "title": "",
        "artists": [],
        "album": "",
        "album_artists": [],
        "track": None,
        "track_total": None,
        "disc": None,
        "disc_total": None,
        "date": "",
        "genre": "",
        "genres": [],
        "lyrics": "",
        "isrc": "",
        "label": "",
        "copyright": "",
        "explicit": None,
        "url": "",
        "comment": "",
        "has_cover": False,
        "cover_mime": None,
    }


def _codec(audio: Any) -> str:
    codec = getattr(audio.info, "codec", None)  # MP4: "mp4a.40.2" or "alac"
    return str(codec) if codec else type(audio).__name__.lower()


def _split_pair(text: str) -> tuple[int | None, int | None]:
    number, _, total = str(text).partition("/")
    return _to_int(number), _to_int(total)


def _to_int(text: Any) -> int | None:
    try:
        return int(str(text).strip())
    except ValueError:
        return None


def _advisory(value: str | None) -> bool | None:
    return None if value in (None, "") else str(value).strip() in {"1", "4"}


def _read_id3(audio: Any) -> dict[str, Any]:
    id3 = audio.tags

    def text(frame: str) -> list[str]:
        return [str(value) for value in id3[frame].text] if frame in id3 else []

    track, track_total = _split_pair((text("TRCK") or [""])[0])
    disc, disc_total = _split_pair((text("TPOS") or [""])[0])
    comments = [frame for key, frame in id3.items() if key.startswith("COMM")]
    covers = [frame for key, frame in id3.items() if key.startswith("APIC")]
    urls = [frame for key, frame in id3.items() if key.startswith("WOAS")]
    advisory = id3.get(f"TXXX:{ADVISORY}")
    return {
        "title": (text("TIT2") or [""])[0],
        "artists": text("TPE1"),
        "album": (text("TALB") or [""])[0],
        "album_artists": text("TPE2"),
        "track": track,
        "track_total": track_total,
        "disc": disc,
        "disc_total": disc_total,
        "date": (text("TDRC") or [""])[0],
        "genre": (text("TCON") or [""])[0],
        "genres": text("TCON"),
        "lyrics": next((str(frame.text) for key, frame in id3.items() if key.startswith("USLT")), ""),
        "isrc": (text("TSRC") or text("TXXX:ISRC") or [""])[0],
        "label": (text("TPUB") or [""])[0],
        "copyright": (text("TCOP") or [""])[0],
        "explicit": _advisory(advisory.text[0] if advisory else None),
        "url": urls[0].url if urls else "",
        "comment": str(comments[0].text[0]) if comments else "",
        "has_cover": bool(covers),
        "cover_mime": covers[0].mime if covers else None,
    }


def _read_mp4(audio: Any) -> dict[str, Any]:
    tags = audio.tags

    def first(key: str) -> str:
        values = tags.get(key) or [""]
        value = values[0]
        return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else str(value)

    def freeform(name: str) -> list[str]:
        return [bytes(value).decode("utf-8", errors="replace") for value in tags.get(_FREEFORM + name, [])]

    track, track_total = (tags.get("trkn") or [(None, None)])[0]
    disc, disc_total = (tags.get("disk") or [(None, None)])[0]
    covers = tags.get("covr") or []
    rating = tags.get("rtng")
    return {
        "title": first("©nam"),
        "artists": freeform("ARTISTS") or [str(v) for v in tags.get("©ART", [])],
        "album": first("©alb"),
        "album_artists": [str(v) for v in tags.get("aART", [])],
        "track": track,
        "track_total": track_total or None,
        "disc": disc,
        "disc_total": disc_total or None,
        "date": first("©day"),
        "genre": first("©gen"),
        "genres": [str(value) for value in tags.get("©gen", [])],
        "lyrics": first("©lyr"),
        "isrc": (freeform("ISRC") or [""])[0],
        "label": (freeform("LABEL") or [""])[0],
        "copyright": first("cprt"),
        "explicit": _advisory(str(rating[0]) if rating else None),
        "url": (freeform(SOURCE_URL) or [""])[0],
        "comment": first("©cmt"),
        "has_cover": bool(covers),
        "cover_mime": ("image/png" if covers[0].imageformat == MP4Cover.FORMAT_PNG else "image/jpeg")
        if covers
        else None,
    }


def _read_vorbis(audio: Any) -> dict[str, Any]:
    tags = audio.tags

    def values(key: str) -> list[str]:
        return [str(value) for value in tags.get(key, [])]

    def first(*keys: str) -> str:
        for key in keys:
            if values(key):
                return values(key)[0]
        return ""

    track, track_total = _split_pair(first("TRACKNUMBER"))
    disc, disc_total = _split_pair(first("DISCNUMBER"))
    pictures = list(getattr(audio, "pictures", []))
    for encoded in values("METADATA_BLOCK_PICTURE"):
        try:
            pictures.append(Picture(base64.b64decode(encoded)))
        except (ValueError, mutagen.MutagenError):
            continue
    return {
        "title": first("TITLE"),
        "artists": values("ARTIST"),
        "album": first("ALBUM"),
        "album_artists": values("ALBUMARTIST"),
        "track": track,
        "track_total": _to_int(first("TRACKTOTAL", "TOTALTRACKS")) or track_total,
        "disc": disc,
        "disc_total": _to_int(first("DISCTOTAL", "TOTALDISCS")) or disc_total,
        "date": first("DATE"),
        "genre": first("GENRE"),
        "genres": values("GENRE"),
        "lyrics": first("LYRICS", "UNSYNCEDLYRICS"),
        "isrc": first("ISRC"),
        "label": first("LABEL", "ORGANIZATION"),
        "copyright": first("COPYRIGHT"),
        "explicit": _advisory(first(ADVISORY) or None),
        "url": first(SOURCE_URL),
        "comment": first("COMMENT", "DESCRIPTION"),
        "has_cover": bool(pictures),
        "cover_mime": pictures[0].mime if pictures else None,
    }
