"""Normalising titles and artists so that a file tagged by hand matches the catalog's track.

"Blue Monday - 2015 Remaster", "Blue Monday (Remastered)" and "blue monday" are one song; so are
"Beyoncé" and "Beyonce"; "Song (feat. X)" is "Song" by its main artist (X is still credited).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

DURATION_TOLERANCE_MS = 3000

_BRACKETED = re.compile(r"[\(\[\{]([^\)\]\}]*)[\)\]\}]")
_DROP_IN_BRACKETS = re.compile(r"^\s*(feat\.?|ft\.?|featuring|with)\s|remaster", re.IGNORECASE)
_DASH_SUFFIX = re.compile(r"\s+[-\u2013\u2014]\s+[^-\u2013\u2014]*remaster[^-\u2013\u2014]*$", re.IGNORECASE)
_INLINE_FEAT = re.compile(r"\s(feat\.?|ft\.|featuring)\s.*$", re.IGNORECASE)
_ARTIST_SEPARATORS = re.compile(
    r"\s*(?:[,;/]|\s&\s|\sand\s|\sx\s|\s(?:feat\.?|ft\.?|featuring|vs\.?)\s)\s*", re.IGNORECASE
)
_NOT_WORD = re.compile(r"[^\w]+")
_LEADING_NUMBER = re.compile(r"^\s*\d{1,3}\s*[-_.)]?\s+")


def fold(text: str) -> str:
    """Lower case, accents removed, "&" as "and", punctuation as spaces, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    plain = plain.replace("&", " and ").replace("_", " ")
    return " ".join(_NOT_WORD.sub(" ", plain).split())


def title_key(title: str) -> str:
    """The part of a title that names the song: no featured artists, no remaster notes."""
    text = _BRACKETED.sub(
        lambda match: "" if _DROP_IN_BRACKETS.search(match.group(1)) else match.group(0), title
    )
    text = _DASH_SUFFIX.sub("", text)
    text = _INLINE_FEAT.sub("", " " + text)
    return fold(text)


def artist_keys(names: Iterable[str]) -> frozenset[str]:
    """Every individual artist named, folded: "A feat. B", "A & B" and ["A", "B"] all give {a, b}."""
    keys: set[str] = set()
    for name in names:
        keys.update(filter(None, (fold(part) for part in _ARTIST_SEPARATORS.split(name))))
    return frozenset(keys)


def is_match(
    *,
    file_title: str,
    file_artists: frozenset[str],
    file_duration_ms: int,
    title: str,
    artists: frozenset[str],
    duration_ms: int,
) -> bool:
    """Same song title, at least one artist in common, lengths within three seconds."""
    return (
        bool(file_title)
        and file_title == title
        and bool(file_artists & artists)
        and abs(file_duration_ms - duration_ms) <= DURATION_TOLERANCE_MS
    )


def guess_from_path(path: Path, root: Path) -> tuple[str, list[str]]:
    """Title and artists of an untagged file from its name: "Artist - Title.flac",
    "01 - Artist - Title.mp3", or "Artist/Album/01 Title.wav" inside the inbox."""
    parts = [part.strip() for part in _LEADING_NUMBER.sub("", path.stem).split(" - ") if part.strip()]
    if len(parts) >= 2:
        return parts[-1], [parts[-2]]
    title = parts[0] if parts else path.stem
    try:
        folders = path.parent.relative_to(root).parts
    except ValueError:
        folders = ()
    return title, [folders[-2]] if len(folders) >= 2 else []
