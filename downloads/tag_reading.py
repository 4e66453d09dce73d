"""Reading audio tags into one normalised shape, whatever the container (see ``tagging`` for the
schemes: ID3v2.4, MP4 atoms, Vorbis comments)."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import mutagen
from mutagen.flac import Picture
from mutagen.mp3 import MP3, BitrateMode
from mutagen.mp4 import MP4Cover

from downloads.tagging import ADVISORY, FREEFORM, SOURCE_URL, open_audio, tag_family


def read_tags(path: Path) -> dict[str, Any]:
    """The tags of any audio file mutagen knows, normalised to one shape: ``title``, ``artists``,
    ``album``, ``album_artists``, ``track``, ``track_total``, ``disc``, ``disc_total``, ``date``,
    ``genre`` (the first), ``genres``, ``lyrics``, ``isrc``, ``label``, ``copyright``, ``explicit`` (None
    when not tagged), ``url``, ``comment``, ``has_cover``, ``cover_mime``, plus ``format``, ``codec``,
    ``duration_ms`` and ``length_estimated`` (an MP3 without a length header) from the stream. Missing
    text values are "" and missing numbers None. Raises TaggingError."""
    audio = open_audio(path)
    family = tag_family(audio)
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
    return round((open_audio(path).info.length or 0) * 1000)


_LOSSLESS_TYPES = ("FLAC", "WAVE", "AIFF")


def audio_bitrate_kbps(path: Path) -> int:
    """The stream's bitrate in kbit/s, 0 for lossless files (FLAC, WAV, AIFF, ALAC) and when mutagen
    cannot tell. Raises TaggingError."""
    audio = open_audio(path)
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
        return [bytes(value).decode("utf-8", errors="replace") for value in tags.get(FREEFORM + name, [])]

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
