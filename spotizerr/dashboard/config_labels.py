"""Words for the settings pages: labels of enum values, the naming placeholders, and error messages
with field labels instead of configuration key names. The values themselves stay the API's."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from spotizerr.lib import formats

ENUM_LABELS: dict[str, dict[str, str]] = {
    "deezerQuality": {
        "MP3_128": "Deezer · MP3 128 kbit/s",
        "MP3_320": "Deezer · MP3 320 kbit/s",
        "FLAC": "Deezer · FLAC (lossless)",
    },
    "spotifyQuality": {
        "NORMAL": "Spotify · Normal (about 96 kbit/s)",
        "HIGH": "Spotify · High (about 160 kbit/s)",
        "VERY_HIGH": "Spotify · Very high (about 320 kbit/s)",
    },
    "inboxMode": {
        "copy": "Copy (the inbox keeps its files)",
        "move": "Move (the inbox empties)",
        "hardlink": "Hard link (same disk; saves the work copy when converting)",
    },
    "lyrics": {
        "off": "Off",
        "embed": "In the file's tags (plain text)",
        "lrc": "Synced .lrc file next to the track",
        "both": "Both: tags and .lrc file",
    },
    "genres": {
        "off": "Off",
        "spotify": "Spotify",
        "musicbrainz": "MusicBrainz (by ISRC)",
        "both": "Spotify, else MusicBrainz",
    },
    "watchedArtistAlbumGroup": {
        "album": "Albums",
        "single": "Singles and EPs",
        "compilation": "Compilations",
        "appears_on": "Appears on",
    },
}

FORMAT_LABELS: dict[str, str] = {
    "MP3": "MP3",
    "AAC": "AAC (.m4a)",
    "OGG": "Ogg Vorbis",
    "OPUS": "Opus",
    "FLAC": "FLAC (lossless)",
    "WAV": "WAV (lossless, large)",
    "ALAC": "Apple Lossless (.m4a)",
}

#: What each naming placeholder stands for, in the order the picker lists them.
PLACEHOLDER_LABELS: dict[str, str] = {
    "music": "Track title",
    "artist": "Track artists",
    "artist_1": "First track artist",
    "album": "Album title",
    "ar_album": "Album artists",
    "ar_album_1": "First album artist",
    "tracknum": "Track number",
    "discnum": "Disc number",
    "year": "Release year",
    "date": "Release date",
    "genre": "Genre",
    "isrc": "ISRC",
    "explicit": "Explicit mark",
    "duration": "Duration",
    "playlist": "Playlist name",
    "playlistnum": "Position in the playlist",
    "label": "Record label",
    "copyright": "Copyright",
    "upc": "UPC (barcode)",
    "quality": "Audio quality",
}

COMMAND_PLACEHOLDERS: dict[str, str] = {
    "{isrc}": "ISRC",
    "{artist}": "artist",
    "{title}": "title",
    "{album}": "album",
    "{duration_ms}": "duration in ms",
    "{output}": "the file to write",
}


def enum_choices(key: str, values: Iterable[str]) -> list[tuple[str, str]]:
    labels = ENUM_LABELS.get(key, {})
    return [(value, labels.get(value, value.replace("_", " ").capitalize())) for value in values]


def format_choices() -> list[tuple[str, str]]:
    return [("", "Keep the source's format")] + [
        (name, FORMAT_LABELS.get(name, name)) for name in formats.FORMATS
    ]


def bitrates_by_format() -> dict[str, dict[str, object]]:
    """Per output format: its bitrates and default, for the bitrate drop-down that follows the format."""
    return {
        name: {"bitrates": list(chosen.bitrates), "default": chosen.default_bitrate}
        for name, chosen in formats.FORMATS.items()
    }


def bitrate_label(value: str) -> str:
    return f"{value.removesuffix('k')} kbit/s"


def humanize(message: str, labels: Mapping[str, str]) -> str:
    """``message`` with configuration key names (``sourceOrder``, ``check_interval``) replaced by
    their field labels in quotes; plain words (``bitrate``) stay, since they read as words."""
    names = [key for key in labels if re.search(r"[A-Z_]", key) or key == "argv"]
    if not names:
        return message
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, names), key=len, reverse=True)) + r")\b")
    text = pattern.sub(lambda match: f"“{labels[match.group(1)]}”", message)
    return text.replace(" to null", " to empty")


def key_label(key: str, labels: Mapping[str, str]) -> str:
    """A detail key (``watch.check_interval``, ``commandSource``) as its field label."""
    return labels.get(key) or labels.get(key.rsplit(".", 1)[-1]) or key
