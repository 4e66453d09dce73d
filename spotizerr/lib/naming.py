"""Library path templates: the placeholders Spotizerr knows, checking a template, and turning a track's
metadata into a safe path inside the library.

Rendering and sanitising are pure; placing the path on disk (the library root, symlinks on the way, a
free name) is ``spotizerr.lib.safe_paths``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from spotizerr.integrations.catalog_types import Album, AlbumRef, Track

#: Every placeholder a folder or file name template may use (``%name%``); ``%artist_N%`` and
#: ``%ar_album_N%`` take a 1-based index, e.g. ``%artist_2%``.
PLACEHOLDERS: frozenset[str] = frozenset(
    {
        "music",
        "artist",
        "album",
        "ar_album",
        "tracknum",
        "discnum",
        "year",
        "date",
        "genre",
        "isrc",
        "explicit",
        "duration",
        "playlist",
        "playlistnum",
        "label",
        "copyright",
        "upc",
        "quality",
    }
)
INDEXED_PLACEHOLDERS: frozenset[str] = frozenset({"artist", "ar_album"})

PLACEHOLDER_PATTERN = re.compile(r"%([a-z_]+?)(?:_(\d+))?%")

#: Most file systems allow 255 bytes per name.
MAX_COMPONENT_BYTES = 255
#: Room kept in a file name for the extension (up to 10 bytes) and a " (12345)" suffix.
MAX_STEM_BYTES = MAX_COMPONENT_BYTES - 20
MAX_EXTENSION_BYTES = 10
UNKNOWN = "Unknown"

DEFAULT_DIR_TEMPLATE = "%ar_album%/%album%"
DEFAULT_TRACK_TEMPLATE = "%tracknum%. %music%"
DEFAULT_ARTIST_SEPARATOR = "; "


def find_unknown_placeholders(template: str) -> list[str]:
    """Names of ``%...%`` placeholders in ``template`` that Spotizerr does not know."""
    unknown: list[str] = []
    for match in PLACEHOLDER_PATTERN.finditer(template):
        name, index = match.group(1), match.group(2)
        known = name in INDEXED_PLACEHOLDERS if index is not None else name in PLACEHOLDERS
        if not known:
            unknown.append(match.group(0))
    return unknown


def template_problems(template: str, *, allow_separators: bool) -> list[str]:
    """Reasons a template cannot be saved (empty list when it is fine)."""
    problems = [f"unknown placeholder {name}" for name in find_unknown_placeholders(template)]
    stripped = template.strip()
    if not stripped:
        problems.append("must not be empty")
    if stripped.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", stripped):
        problems.append("must be relative, not an absolute path")
    parts = re.split(r"[/\\]", stripped)
    if any(part.strip() in {".", ".."} for part in parts):
        problems.append("must not contain '.' or '..' components")
    if not allow_separators and len(parts) > 1:
        problems.append("must not contain path separators")
    if "\x00" in template:
        problems.append("must not contain NUL")
    return problems


# ----------------------------------------------------------------------------------------------------
# What a path is made of
# ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrackNaming:
    """Every value a placeholder can take, for one track."""

    music: str
    artists: tuple[str, ...] = ()
    album: str = ""
    album_artists: tuple[str, ...] = ()
    tracknum: int = 1
    tracks_total: int = 1
    discnum: int = 1
    discs_total: int = 1
    year: str = ""
    date: str = ""
    genre: str = ""
    isrc: str = ""
    explicit: bool = False
    duration_ms: int = 0
    playlist: str = ""
    playlistnum: int | None = None
    playlist_total: int | None = None
    label: str = ""
    copyright: str = ""
    upc: str = ""
    quality: str = ""

    @classmethod
    def from_track(
        cls,
        track: Track,
        album: Album | None = None,
        *,
        playlist_name: str | None = None,
        playlist_position: int | None = None,
        playlist_total: int | None = None,
        quality: str = "",
    ) -> TrackNaming:
        """Naming values for ``track``; ``album`` (the full album, when known) adds label, UPC, genre,
        copyright and the number of discs."""
        source: Album | AlbumRef = album if album is not None else track.album
        album_artists = tuple(artist.name for artist in source.artists) or tuple(track.artist_names)
        discs = [item.disc_number for item in album.tracks] if album is not None else []
        return cls(
            music=track.name,
            artists=tuple(track.artist_names),
            album=source.name,
            album_artists=album_artists,
            tracknum=track.track_number,
            tracks_total=source.total_tracks or track.track_number,
            discnum=track.disc_number,
            discs_total=max([*discs, track.disc_number]),
            year=source.release_date[:4],
            date=source.release_date,
            genre=album.genres[0] if album is not None and album.genres else "",
            isrc=track.isrc or "",
            explicit=track.explicit,
            duration_ms=track.duration_ms,
            playlist=playlist_name or "",
            playlistnum=playlist_position,
            playlist_total=playlist_total,
            label=(album.label or "") if album is not None else "",
            copyright=album.copyrights[0] if album is not None and album.copyrights else "",
            upc=(album.upc or "") if album is not None else "",
            quality=quality,
        )


@dataclass(frozen=True)
class NamingOptions:
    """How a track's values become a path: the two templates, number padding and the user folder."""

    dir_template: str = DEFAULT_DIR_TEMPLATE
    track_template: str = DEFAULT_TRACK_TEMPLATE
    tracknum_padding: bool = True
    pad_width: int | str = "auto"  # a number of digits, or "auto": the digits of the total, at least 2
    artist_separator: str = DEFAULT_ARTIST_SEPARATOR
    separate_by_user: str | None = None  # a username: that user's files go in a folder of their own

    @classmethod
    def from_config(cls, config: dict[str, Any], username: str | None) -> NamingOptions:
        """Options from the main configuration's camelCase keys; missing keys take the defaults."""
        separate = bool(config.get("separateTracksByUser", False))
        return cls(
            dir_template=str(config.get("customDirFormat") or DEFAULT_DIR_TEMPLATE),
            track_template=str(config.get("customTrackFormat") or DEFAULT_TRACK_TEMPLATE),
            tracknum_padding=bool(config.get("tracknumPadding", True)),
            pad_width=_parse_pad_width(config.get("padNumberWidth", "auto")),
            artist_separator=str(config.get("artistSeparator", DEFAULT_ARTIST_SEPARATOR)),
            separate_by_user=username if separate and username else None,
        )


def _parse_pad_width(value: Any) -> int | str:
    try:
        width = int(value)
    except (TypeError, ValueError):
        return "auto"
    return min(max(width, 1), 10)


# ----------------------------------------------------------------------------------------------------
# Rendering
# ----------------------------------------------------------------------------------------------------


def render_relative_path(naming: TrackNaming, options: NamingOptions) -> PurePosixPath:
    """The library-relative path of a track, without extension. Every component is sanitised, so
    no metadata can add, remove or climb out of folders."""
    parts: list[str] = []
    if options.separate_by_user:
        parts.append(sanitize_component(options.separate_by_user))
    for template in _template_parts(options.dir_template):
        parts.append(sanitize_component(render_component(template, naming, options)))
    track_parts = _template_parts(options.track_template) or ["%music%"]
    for template in track_parts[:-1]:
        parts.append(sanitize_component(render_component(template, naming, options)))
    stem = render_component(track_parts[-1], naming, options)
    parts.append(sanitize_component(stem, max_bytes=MAX_STEM_BYTES))
    return PurePosixPath(*parts)


def _template_parts(template: str) -> list[str]:
    return [part for part in re.split(r"[/\\]", template) if part.strip()]


def render_component(template: str, naming: TrackNaming, options: NamingOptions) -> str:
    """One template component with its placeholders filled in (not yet sanitised)."""

    def replace(match: re.Match[str]) -> str:
        value = placeholder_value(match.group(1), match.group(2), naming, options)
        return match.group(0) if value is None else value

    return PLACEHOLDER_PATTERN.sub(replace, template)


def placeholder_value(
    name: str,
    index: str | None,
    naming: TrackNaming,
    options: NamingOptions,
) -> str | None:
    """The text for ``%name%`` (or ``%name_index%``); None for a placeholder Spotizerr does not know."""
    album_artists = naming.album_artists or naming.artists
    if index is not None:
        if name not in INDEXED_PLACEHOLDERS:
            return None
        values = naming.artists if name == "artist" else album_artists
        position = int(index)
        return values[position - 1] if 1 <= position <= len(values) else ""
    simple: dict[str, str] = {
        "music": naming.music,
        "artist": options.artist_separator.join(naming.artists),
        "album": naming.album,
        "ar_album": options.artist_separator.join(album_artists),
        "tracknum": pad_number(naming.tracknum, naming.tracks_total, options),
        "discnum": pad_number(naming.discnum, naming.discs_total, options),
        "year": naming.year,
        "date": naming.date,
        "genre": naming.genre,
        "isrc": naming.isrc,
        "explicit": "Explicit" if naming.explicit else "",
        "duration": str(round(naming.duration_ms / 1000)),
        "playlist": naming.playlist,
        "playlistnum": (
            pad_number(naming.playlistnum, naming.playlist_total or naming.playlistnum, options)
            if naming.playlistnum is not None
            else ""
        ),
        "label": naming.label,
        "copyright": naming.copyright,
        "upc": naming.upc,
        "quality": naming.quality,
    }
    return simple.get(name)


def pad_number(number: int, total: int | None, options: NamingOptions) -> str:
    """``number`` zero-padded as the options say: to a fixed width, or ("auto") to the digits of
    ``total``, at least 2."""
    if not options.tracknum_padding:
        return str(number)
    if isinstance(options.pad_width, int):
        width = options.pad_width
    else:
        width = max(2, len(str(max(total or 0, number))))
    return str(number).zfill(width)


# ----------------------------------------------------------------------------------------------------
# Sanitising
# ----------------------------------------------------------------------------------------------------

_WINDOWS_RESERVED_CHARS = frozenset('<>:"/\\|?*')
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_REPLACED_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})
_WINDOWS_RESERVED_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{device}{n}" for device in ("COM", "LPT") for n in [*"0123456789", "¹", "²", "³"]}
)
#: Leading and trailing dots and white space, which no file or folder name may keep.
EDGE_JUNK = re.compile(r"^[\s.]+|[\s.]+$")


def sanitize_component(value: str, *, max_bytes: int = MAX_COMPONENT_BYTES, fallback: str = UNKNOWN) -> str:
    """``value`` made safe as one file or folder name on Linux, macOS and Windows: no separators,
    control, bidi-override or Windows-reserved characters or names, no leading or trailing dots and
    spaces, at most ``max_bytes`` of UTF-8, never empty, ``.`` or ``..``."""
    text = "".join(_safe_char(char) for char in unicodedata.normalize("NFC", value))
    text = EDGE_JUNK.sub("", truncate_utf8(EDGE_JUNK.sub("", text), max_bytes))
    if not text:
        text = fallback
    if _is_reserved_name(text):
        text = "_" + truncate_utf8(text, max_bytes - 1)
    return text


def _safe_char(char: str) -> str:
    if char in _BIDI_CONTROLS:
        return ""
    if char in _WINDOWS_RESERVED_CHARS or unicodedata.category(char) in _REPLACED_CATEGORIES:
        return "_"
    return char


def _is_reserved_name(text: str) -> bool:
    return text.split(".", 1)[0].rstrip(" ").upper() in _WINDOWS_RESERVED_NAMES


def truncate_utf8(text: str, max_bytes: int) -> str:
    """The longest prefix of ``text`` that fits in ``max_bytes`` of UTF-8, never splitting a character."""
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    return encoded[:max_bytes].decode("utf-8", errors="ignore")
