"""Library path templates: the placeholders Spotizerr knows, and checking a template.

Pure functions, no I/O except the "find a free name" helper.
"""

from __future__ import annotations

import re

#: Every placeholder a folder or file name template may use (``%name%``); ``%artist_N%`` and
#: ``%ar_album_N%`` take a 1-based index, e.g. ``%artist_2%``.
PLACEHOLDERS: frozenset[str] = frozenset({
    "music", "artist", "album", "ar_album", "tracknum", "discnum", "year", "date", "genre", "isrc",
    "explicit", "duration", "playlist", "playlistnum", "label", "copyright", "upc", "quality",
})
INDEXED_PLACEHOLDERS: frozenset[str] = frozenset({"artist", "ar_album"})

PLACEHOLDER_PATTERN = re.compile(r"%([a-z_]+?)(?:_(\d+))?%")


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
