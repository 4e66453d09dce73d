"""The settings pages' forms: which configuration keys each section shows, how a submitted HTML
form becomes the JSON values the configuration services take, and errors back next to fields.

There are no rules here: values are only converted (text to number, checkbox to true/false,
empty to null); whether a value is allowed is decided by ``settings_app`` and reported in its words.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from settings_app.config.main import (
    DEEZER_QUALITIES,
    GENRE_SOURCES,
    INBOX_MODES,
    LYRICS_MODES,
    SPOTIFY_QUALITIES,
    registered_sources,
)
from settings_app.config.watch import ALBUM_GROUPS
from spotizerr.lib import formats
from spotizerr.parsers import loads_bounded

BOOL, INT, TEXT, CHOICE, MULTI, LIST, JSON = "bool", "int", "text", "choice", "multi", "list", "json"


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    kind: str
    help: str = ""
    choices: Callable[[], list[tuple[str, str]]] | None = None
    nullable: bool = False  # an empty input means null ("keep", "none")


@dataclass
class BoundField:
    spec: FieldSpec
    value: Any
    errors: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def text(self) -> str:
        """The value as an input shows it."""
        value = self.value
        if value is None:
            return ""
        if self.spec.kind == LIST and isinstance(value, list):
            return ", ".join(str(item) for item in value)
        if self.spec.kind == JSON and not isinstance(value, str):
            return json.dumps(value, indent=2)
        return str(value)

    @property
    def options(self) -> list[dict[str, Any]]:
        chosen = self.value if isinstance(self.value, list) else [self.value]
        choices = self.spec.choices() if self.spec.choices else []
        return [
            {
                "value": value,
                "label": label,
                "selected": value in chosen or (value == "" and self.value is None),
            }
            for value, label in choices
        ]


def _pairs(values: tuple[str, ...] | list[str]) -> Callable[[], list[tuple[str, str]]]:
    return lambda: [(value, value) for value in values]


def _formats() -> list[tuple[str, str]]:
    return [("", "Keep the source's format")] + [(name, name) for name in formats.FORMATS]


SECTIONS: dict[str, tuple[str, str, list[FieldSpec]]] = {
    "downloads": (
        "Downloads",
        "main",
        [
            FieldSpec("maxConcurrentDownloads", "Tracks downloaded at once", INT),
            FieldSpec("maxRetries", "Retries of a failed track", INT),
            FieldSpec("retryDelaySeconds", "First retry after (seconds)", INT),
            FieldSpec("retryDelayIncrease", "Each later retry waits longer by (seconds)", INT),
            FieldSpec("downloadPath", "Library folder", TEXT, "An absolute path the service can write to."),
            FieldSpec("saveCover", "Save cover.jpg next to albums", BOOL),
            FieldSpec("explicitFilter", "Hide and skip explicit tracks", BOOL),
            FieldSpec("separateTracksByUser", "A folder of their own for each user", BOOL),
            FieldSpec("realTime", "Pace network sources in real time", BOOL),
            FieldSpec("realTimeMultiplier", "Real-time speed multiplier (0 = as fast as allowed)", INT),
        ],
    ),
    "formatting": (
        "Formatting",
        "main",
        [
            FieldSpec(
                "customDirFormat",
                "Folder template",
                TEXT,
                "Placeholders such as %ar_album%, %album%, %year%.",
            ),
            FieldSpec("customTrackFormat", "File name template", TEXT, "E.g. %tracknum%. %music%"),
            FieldSpec("tracknumPadding", "Pad track numbers with zeros", BOOL),
            FieldSpec("padNumberWidth", "Digits when padding", TEXT, '"auto" or a number from 1 to 10.'),
            FieldSpec("artistSeparator", "Between several artists", TEXT),
        ],
    ),
    "conversion": (
        "Conversion",
        "main",
        [
            FieldSpec("convertTo", "Convert to", CHOICE, choices=_formats, nullable=True),
            FieldSpec(
                "bitrate",
                "Bitrate",
                TEXT,
                "E.g. 320k; empty for the format's default or lossless.",
                nullable=True,
            ),
        ],
    ),
    "sources": (
        "Sources",
        "main",
        [
            FieldSpec("service", "First source", CHOICE, choices=lambda: _pairs(registered_sources())()),
            FieldSpec("fallback", "Try the other sources when the first has nothing", BOOL),
            FieldSpec("sourceOrder", "Order of the other sources", LIST, "Names separated by commas."),
            FieldSpec("inboxPath", "Inbox folder", TEXT),
            FieldSpec("inboxMode", "Take inbox files by", CHOICE, choices=_pairs(INBOX_MODES)),
            FieldSpec("inboxScanSeconds", "Look in the inbox for wanted tracks every (seconds)", INT),
            FieldSpec("upgradeToLossless", "Replace lossy library files by lossless inbox files", BOOL),
            FieldSpec("spotifyQuality", "Spotify quality", CHOICE, choices=_pairs(SPOTIFY_QUALITIES)),
            FieldSpec("deezerQuality", "Deezer quality", CHOICE, choices=_pairs(DEEZER_QUALITIES)),
            FieldSpec(
                "commandSource",
                "External command",
                JSON,
                'JSON such as {"argv": ["fetch", "{isrc}", "{output}"], "timeoutSeconds": 600}; empty for none.',
                nullable=True,
            ),
        ],
    ),
    "integrations": (
        "Integrations",
        "main",
        [
            FieldSpec(
                "lyrics",
                "Lyrics from LRCLIB",
                CHOICE,
                "embed: in the file's tags; lrc: a synced .lrc file next to it.",
                choices=_pairs(LYRICS_MODES),
            ),
            FieldSpec(
                "genres",
                "Genres from",
                CHOICE,
                "both: Spotify, else MusicBrainz by ISRC.",
                choices=_pairs(GENRE_SOURCES),
            ),
            FieldSpec("genresMax", "At most this many genres a file", INT),
        ],
    ),
    "watch": (
        "Watching",
        "watch",
        [
            FieldSpec("enabled", "Check watched playlists and artists", BOOL),
            FieldSpec("check_interval", "Check every (seconds)", INT),
            FieldSpec("max_concurrent_checks", "Checks at once", INT),
            FieldSpec("retry_failed_after", "Retry a failed check after (seconds)", INT),
            FieldSpec(
                "watchedArtistAlbumGroup", "Release types to follow", MULTI, choices=_pairs(ALBUM_GROUPS)
            ),
            FieldSpec("useSnapshotIdChecking", "Skip unchanged playlists (snapshot id)", BOOL),
        ],
    ),
}


def _integer(text: str) -> Any:
    try:
        return int(text.strip())
    except ValueError:
        return text  # the service answers "must be a whole number"


def parse_value(spec: FieldSpec, data: QueryDict) -> Any:
    """One submitted value converted to the JSON type the configuration expects."""
    if spec.kind == BOOL:
        return data.get(spec.key) == "on"
    if spec.kind == MULTI:
        return data.getlist(spec.key)
    text = data.get(spec.key, "")
    if spec.nullable and not text.strip():
        return None
    if spec.kind == INT:
        return _integer(text)
    if spec.kind == LIST:
        return [item.strip() for item in text.split(",") if item.strip()]
    if spec.kind == JSON:
        try:
            return loads_bounded(text)
        except ValueError:  # malformed or nested too deep
            return text  # the service answers with what the value must look like
    if spec.key == "padNumberWidth" and text.strip().isdigit():
        return int(text.strip())
    return text


def section_changes(section: str, data: QueryDict, current: Mapping[str, Any]) -> dict[str, Any]:
    """The submitted values of ``section`` that differ from ``current`` (unchanged ones are not sent,
    so a setting nobody touched cannot block saving another)."""
    changes: dict[str, Any] = {}
    for spec in SECTIONS[section][2]:
        value = parse_value(spec, data)
        if value != current.get(spec.key):
            changes[spec.key] = value
    return changes


def bind(
    section: str, values: Mapping[str, Any], errors: Mapping[str, list[str]] | None = None
) -> list[BoundField]:
    errors = errors or {}
    return [
        BoundField(spec, values.get(spec.key), list(errors.get(spec.key, ())))
        for spec in SECTIONS[section][2]
    ]


def unplaced_errors(section: str, errors: Mapping[str, list[str]]) -> list[str]:
    """Errors about keys the section does not show (cross-field checks, unknown names)."""
    shown = {spec.key for spec in SECTIONS[section][2]}
    return [
        f"{key}: {message}" for key, messages in errors.items() if key not in shown for message in messages
    ]
