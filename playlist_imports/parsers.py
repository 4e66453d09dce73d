"""Reading track lists: Spotify links, Exportify-style CSV and M3U/M3U8. Pure but for reading inbox
files' tags; every refusal is a BadRequest naming the line that broke it."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from downloads.sources.inbox.matching import guess_from_path
from downloads.tag_reading import read_tags
from downloads.tagging import TaggingError
from playlist_imports.errors import ImportTooLarge
from spotizerr.errors import BadRequest
from spotizerr.integrations.spotify import parse_spotify_id

SPOTIFY_KINDS = ("track", "album", "playlist")


@dataclass
class ParsedEntry:
    """One entry as the list gave it; ``spotify`` is ``(kind, id)`` when it named a Spotify object."""

    line: int
    text: str
    title: str = ""
    artists: list[str] = field(default_factory=list)
    album: str = ""
    duration_ms: int | None = None
    isrc: str = ""
    spotify: tuple[str, str] | None = None
    reason: str = ""  # why it cannot be matched, when that is known already (an unreadable playlist)


def _bad(line: int, message: str, code: str = "invalid_import_file") -> BadRequest:
    return BadRequest(f"Line {line}: {message}", code=code, details={"line": line})


def check_size(entries: int) -> None:
    """Raises ImportTooLarge past ``IMPORT_MAX_ENTRIES``."""
    if entries > settings.IMPORT_MAX_ENTRIES:
        raise ImportTooLarge(
            f"{entries} entries; an import holds at most {settings.IMPORT_MAX_ENTRIES}. Split the list.",
            details={"entries": entries, "max_entries": settings.IMPORT_MAX_ENTRIES},
        )


def decode(data: bytes) -> str:
    """UTF-8 text (a BOM dropped). Raises ImportTooLarge past ``IMPORT_MAX_BYTES``, BadRequest for binary
    data or another encoding, naming the first line that is not text."""
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise ImportTooLarge(
            f"The list is {len(data)} bytes; an import takes at most {settings.IMPORT_MAX_BYTES}.",
            details={"bytes": len(data), "max_bytes": settings.IMPORT_MAX_BYTES},
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise _bad(data.count(b"\n", 0, nul) + 1, "binary data, not a text list.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise _bad(line, "not UTF-8 text; save the list as UTF-8.") from None


def spotify_ref(text: str) -> tuple[str, str] | None:
    """``(kind, id)`` of a Spotify track, album or playlist link, URI or bare id (a track); else None."""
    for kind in SPOTIFY_KINDS:
        try:
            return kind, parse_spotify_id(text, kind)
        except BadRequest:
            continue
    return None


def _lines(text: str) -> list[tuple[int, str]]:
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]


# ---------------------------------------------------------------------------------------------- links
def parse_links(text: str) -> list[ParsedEntry]:
    """One Spotify track, album or playlist link, URI or id per line; ``#`` lines are comments."""
    entries = []
    for number, line in _lines(text):
        if line.startswith("#"):
            continue
        ref = spotify_ref(line)
        if ref is None:
            raise _bad(number, f"not a Spotify track, album or playlist link, URI or id: {line[:80]!r}.")
        entries.append(ParsedEntry(line=number, text=line[:1000], spotify=ref))
    check_size(len(entries))
    return entries


# ---------------------------------------------------------------------------------------------- CSV
# loose header names (lower case, letters and digits only) -> our field
_COLUMNS = {
    "uri": ("trackuri", "spotifyuri", "uri", "spotifyid", "trackid", "spotifyurl", "trackurl", "url", "link"),
    "title": ("trackname", "title", "name", "track", "song", "songname", "tracktitle"),
    "artists": ("artistnames", "artistname", "artists", "artist", "trackartist", "trackartists"),
    "album": ("albumname", "album", "albumtitle"),
    "duration_ms": ("durationms", "trackdurationms", "durationmilliseconds", "lengthms"),
    "duration": ("duration", "length", "time", "durationseconds", "lengthseconds"),
    "isrc": ("isrc", "trackisrc"),
}
_LOOSE = re.compile(r"[^a-z0-9]")


def _columns(header: list[str]) -> dict[str, int]:
    names = [_LOOSE.sub("", name.lower()) for name in header]
    found: dict[str, int] = {}
    for ours, aliases in _COLUMNS.items():
        for alias in aliases:
            if alias in names:
                found[ours] = names.index(alias)
                break
    return found


def _seconds_to_ms(text: str) -> int | None:
    """ "215", "3:35" or "1:02:03" (seconds); a number past 36,000 is taken as milliseconds."""
    text = text.strip()
    if not text:
        return None
    try:
        parts = [float(part) for part in text.split(":")]
    except ValueError:
        return None
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return int(seconds) if len(parts) == 1 and seconds > 36_000 else int(seconds * 1000)


def _csv_entry(number: int, row: list[str], columns: dict[str, int]) -> ParsedEntry:
    def cell(name: str) -> str:
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    duration = cell("duration_ms")
    duration_ms = int(float(duration)) if re.fullmatch(r"\d+(\.\d+)?", duration) else None
    if duration_ms is None:
        duration_ms = _seconds_to_ms(cell("duration"))
    uri = cell("uri")
    ref = spotify_ref(uri) if uri else None
    artists = [part.strip() for part in re.split(r"[;,]", cell("artists")) if part.strip()]
    title = cell("title")
    text = " - ".join(filter(None, (", ".join(artists), title))) or uri or ", ".join(row)
    return ParsedEntry(
        line=number,
        text=text[:1000],
        title=title[:500],
        artists=artists,
        album=cell("album")[:500],
        duration_ms=duration_ms,
        isrc=cell("isrc").upper()[:20],
        spotify=ref if ref and ref[0] == "track" else None,
    )


def parse_csv(text: str) -> list[ParsedEntry]:
    """The CSV Exportify and similar tools write: a header row naming the columns (any order, names
    matched loosely), comma or semicolon separated, quoted fields with commas or line breaks."""
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if not header:
            raise _bad(1, "empty file; a CSV needs a header row.")
        columns = _columns(header)
        if "uri" not in columns and "isrc" not in columns and not {"title", "artists"} <= columns.keys():
            raise _bad(
                1,
                "the header names none of the columns we read: a Spotify URI, an ISRC, or a track name "
                "with an artist name (for example Track URI, ISRC, Track Name, Artist Name(s)).",
                code="invalid_csv_columns",
            )
        entries = []
        for row in reader:
            if any(cell.strip() for cell in row):
                entries.append(_csv_entry(reader.line_num, row, columns))
                check_size(len(entries))
    except csv.Error as error:
        raise _bad(reader.line_num, f"not valid CSV ({error}).") from None
    return entries


# ---------------------------------------------------------------------------------------------- M3U
_EXTINF = re.compile(r"^#EXTINF:\s*(-?\d+(?:\.\d+)?)[^,]*,(.*)$")


def _extinf(number: int, line: str) -> tuple[int | None, str, list[str]]:
    match = _EXTINF.match(line)
    if match is None:
        raise _bad(number, "an #EXTINF line needs a duration and a comma: #EXTINF:215,Artist - Title.")
    seconds, display = float(match.group(1)), match.group(2).strip()
    artist, _, title = display.partition(" - ")
    artists, title = ([artist.strip()], title.strip()) if title else ([], display)
    return (int(seconds * 1000) if seconds > 0 else None), title, artists


def _inbox_file(location: str, inbox: Path | None) -> Path | None:
    """The file ``location`` names when it lies inside the inbox (absolute, or relative to it)."""
    if inbox is None or "://" in location:
        return None
    path = Path(location.removeprefix("file:"))
    path = (path if path.is_absolute() else inbox / path).resolve()
    if not path.is_relative_to(inbox.resolve()) or not path.is_file():
        return None
    return path


def _from_file(entry: ParsedEntry, path: Path, inbox: Path) -> None:
    """Fill what the entry lacks from the file's tags (or, untagged, its name)."""
    try:
        tags = read_tags(path)
    except TaggingError:
        tags = {}
    title, artists = tags.get("title") or "", list(tags.get("artists") or [])
    if not title:
        title, artists = guess_from_path(path, inbox)
    entry.title, entry.artists = title[:500] or entry.title, artists or entry.artists
    entry.album = (tags.get("album") or entry.album)[:500]
    entry.isrc = (tags.get("isrc") or entry.isrc).upper()[:20]
    entry.duration_ms = tags.get("duration_ms") or entry.duration_ms


def parse_m3u(text: str, *, inbox: Path | None) -> list[ParsedEntry]:
    """M3U/M3U8: ``#EXTINF:seconds,Artist - Title`` then the location. Locations inside the inbox are
    read for their tags; Spotify links count as such; other locations keep what #EXTINF says."""
    entries: list[ParsedEntry] = []
    pending: tuple[int, tuple[int | None, str, list[str]]] | None = None
    for number, line in _lines(text):
        if line.upper().startswith("#EXTINF"):
            pending = (number, _extinf(number, line))
            continue
        if line.startswith("#"):
            continue
        entries.append(_m3u_entry(number, line, pending, inbox))
        pending = None
        check_size(len(entries))
    return entries


def _m3u_entry(
    number: int, location: str, info: tuple[int, tuple[int | None, str, list[str]]] | None, inbox: Path | None
) -> ParsedEntry:
    line = info[0] if info else number
    duration, title, artists = info[1] if info else (None, "", [])
    entry = ParsedEntry(
        line=line, text=location[:1000], title=title[:500], artists=artists, duration_ms=duration
    )
    ref = spotify_ref(location) if "spotify" in location else None
    if ref and ref[0] == "track":
        entry.spotify = ref
    elif (path := _inbox_file(location, inbox)) is not None and inbox is not None:
        _from_file(entry, path, inbox)
    elif not title:
        guessed, guessed_artists = guess_from_path(Path(location), Path("/"))
        entry.title, entry.artists = guessed[:500], guessed_artists
    if info:
        entry.text = " - ".join(filter(None, (", ".join(artists), title))) or entry.text
    return entry
