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

from downloads.sources.registry import available_sources
from settings_app.config.main import (
    COMMAND_TIMEOUT_DEFAULT,
    DEEZER_QUALITIES,
    GENRE_SOURCES,
    INBOX_MODES,
    LYRICS_MODES,
    SPOTIFY_QUALITIES,
    registered_sources,
)
from settings_app.config.watch import ALBUM_GROUPS
from spotizerr.dashboard import config_labels as words
from spotizerr.lib import formats

BOOL, INT, TEXT, CHOICE, MULTI = "bool", "int", "text", "choice", "multi"
DURATION = "duration"  # seconds, shown as hours and minutes
BITRATE = "bitrate"  # a drop-down of the chosen format's bitrates
ORDER = "order"  # installed sources, ticked and ordered
COMMAND = "command"  # argv as one field per argument, and a timeout
TEMPLATE = "template"  # a naming template with a placeholder picker


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
    format_name: Any = None  # a BITRATE field's chosen output format

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def text(self) -> str:
        """The value as an input shows it."""
        return "" if self.value is None else str(self.value)

    @property
    def duration(self) -> dict[str, Any]:
        """Hours, minutes and (only when the value has some) seconds of a DURATION field."""
        if not isinstance(self.value, int):
            return {"hours": "", "minutes": self.value if self.value is not None else "", "seconds": None}
        hours, rest = divmod(self.value, 3600)
        minutes, seconds = divmod(rest, 60)
        return {"hours": hours, "minutes": minutes, "seconds": seconds or None}

    @property
    def sources(self) -> list[dict[str, Any]]:
        """An ORDER field's rows: the chosen sources in order (ticked), then the others."""
        chosen = [str(name) for name in self.value] if isinstance(self.value, list) else []
        installed = available_sources()
        names = chosen + [name for name in registered_sources() if name not in chosen]
        return [
            {
                "name": name,
                "label": installed[name].info.label if name in installed else name,
                "checked": name in chosen,
            }
            for name in names
        ]

    @property
    def command(self) -> dict[str, Any]:
        """A COMMAND field's arguments (two empty ones to add more without a script) and timeout."""
        value = self.value if isinstance(self.value, dict) else {}
        argv = [str(arg) for arg in value.get("argv") or []] if isinstance(value.get("argv"), list) else []
        return {
            "argv": [*argv, "", ""],
            "timeout": value.get("timeoutSeconds", COMMAND_TIMEOUT_DEFAULT) if value else "",
            "placeholders": words.COMMAND_PLACEHOLDERS,
        }

    @property
    def placeholders(self) -> list[tuple[str, str]]:
        return [(f"%{name}%", label) for name, label in words.PLACEHOLDER_LABELS.items()]

    @property
    def bitrate_map(self) -> str:
        return json.dumps(words.bitrates_by_format())

    @property
    def bitrate_options(self) -> list[dict[str, Any]]:
        """The bitrates the chosen format allows, after its default ("" when none is chosen)."""
        chosen = formats.get_format(self.format_name)
        if chosen is None or chosen.lossless:
            first = "Not used: lossless format" if chosen else "The source's own bitrate"
            values: list[str] = []
        else:
            first = f"Default ({words.bitrate_label(chosen.default_bitrate or '')})"
            values = list(chosen.bitrates)
        if self.value and self.value not in values:
            values.append(str(self.value))  # an invalid stored or submitted value stays visible
        options = [{"value": "", "label": first, "selected": not self.value}]
        options += [
            {"value": value, "label": words.bitrate_label(value), "selected": value == self.value}
            for value in values
        ]
        return options

    def submitted(self) -> dict[str, Any]:
        """What a browser sends for this field left unchanged (tests build forms with it)."""
        kind, key = self.spec.kind, self.key
        if kind == BOOL:
            return {key: "on"} if self.value else {}
        if kind in (MULTI, ORDER):
            return {key: list(self.value or [])}
        if kind == DURATION:
            parts = self.duration
            data = {f"{key}_hours": parts["hours"], f"{key}_minutes": parts["minutes"]}
            return data | ({f"{key}_seconds": parts["seconds"]} if parts["seconds"] else {})
        if kind == COMMAND:
            return {f"{key}_argv": self.command["argv"], f"{key}_timeout": self.command["timeout"]}
        return {key: self.text}

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


def _pairs(key: str, values: tuple[str, ...] | list[str]) -> Callable[[], list[tuple[str, str]]]:
    return lambda: words.enum_choices(key, values)


def _source_choices() -> list[tuple[str, str]]:
    installed = available_sources()
    return [
        (name, installed[name].info.label if name in installed else name) for name in registered_sources()
    ]


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
                TEMPLATE,
                "Folders separated by /, e.g. %ar_album%/%album% (%year%).",
            ),
            FieldSpec(
                "customTrackFormat",
                "File name template",
                TEMPLATE,
                "Without extension, e.g. %tracknum%. %music%",
            ),
            FieldSpec("tracknumPadding", "Pad track numbers with zeros", BOOL),
            FieldSpec("padNumberWidth", "Digits when padding", TEXT, '"auto" or a number from 1 to 10.'),
            FieldSpec("artistSeparator", "Between several artists", TEXT),
        ],
    ),
    "conversion": (
        "Conversion",
        "main",
        [
            FieldSpec("convertTo", "Convert to", CHOICE, choices=words.format_choices, nullable=True),
            FieldSpec("bitrate", "Bitrate", BITRATE, "The choices follow the format above.", nullable=True),
        ],
    ),
    "sources": (
        "Sources",
        "main",
        [
            FieldSpec("service", "First source", CHOICE, choices=_source_choices),
            FieldSpec("fallback", "Try the other sources when the first has nothing", BOOL),
            FieldSpec(
                "sourceOrder",
                "Order of the other sources",
                ORDER,
                "Tick the sources to use; drag them or use the arrows to set the order.",
            ),
            FieldSpec("inboxPath", "Inbox folder", TEXT),
            FieldSpec("inboxMode", "Take inbox files by", CHOICE, choices=_pairs("inboxMode", INBOX_MODES)),
            FieldSpec("inboxScanSeconds", "Look in the inbox for wanted tracks every", DURATION),
            FieldSpec("upgradeToLossless", "Replace lossy library files by lossless inbox files", BOOL),
            FieldSpec(
                "spotifyQuality",
                "Spotify quality",
                CHOICE,
                choices=_pairs("spotifyQuality", SPOTIFY_QUALITIES),
            ),
            FieldSpec(
                "deezerQuality", "Deezer quality", CHOICE, choices=_pairs("deezerQuality", DEEZER_QUALITIES)
            ),
            FieldSpec(
                "commandSource",
                "External command",
                COMMAND,
                "The program, then one argument a field (never run through a shell). Leave the "
                "program empty for none.",
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
                choices=_pairs("lyrics", LYRICS_MODES),
            ),
            FieldSpec(
                "genres",
                "Genres from",
                CHOICE,
                "both: Spotify, else MusicBrainz by ISRC.",
                choices=_pairs("genres", GENRE_SOURCES),
            ),
            FieldSpec("genresMax", "At most this many genres a file", INT),
        ],
    ),
    "watch": (
        "Watching",
        "watch",
        [
            FieldSpec("enabled", "Check watched playlists and artists", BOOL),
            FieldSpec("check_interval", "Check every", DURATION),
            FieldSpec("max_concurrent_checks", "Checks at once", INT),
            FieldSpec("retry_failed_after", "Retry a failed check after", DURATION),
            FieldSpec(
                "watchedArtistAlbumGroup",
                "Release types to follow",
                MULTI,
                choices=_pairs("watchedArtistAlbumGroup", ALBUM_GROUPS),
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


def _duration(spec: FieldSpec, data: QueryDict) -> Any:
    parts = [data.get(f"{spec.key}_{unit}", "").strip() for unit in ("hours", "minutes", "seconds")]
    if not any(parts):
        return data.get(spec.key, "")  # a client sending the plain number of seconds
    try:
        hours, minutes, seconds = (int(part or 0) for part in parts)
    except ValueError:
        return " ".join(parts)  # the service answers "must be a whole number"
    return hours * 3600 + minutes * 60 + seconds


def _command(spec: FieldSpec, data: QueryDict) -> Any:
    argv = [arg for arg in data.getlist(f"{spec.key}_argv") if arg.strip()]
    if not argv:
        return None
    timeout = data.get(f"{spec.key}_timeout", "").strip()
    return {"argv": argv, "timeoutSeconds": _integer(timeout) if timeout else COMMAND_TIMEOUT_DEFAULT}


def parse_value(spec: FieldSpec, data: QueryDict) -> Any:
    """One submitted value converted to the JSON type the configuration expects."""
    if spec.kind == BOOL:
        return data.get(spec.key) == "on"
    if spec.kind in (MULTI, ORDER):
        return data.getlist(spec.key)
    if spec.kind == DURATION:
        return _duration(spec, data)
    if spec.kind == COMMAND:
        return _command(spec, data)
    text = data.get(spec.key, "")
    if spec.nullable and not text.strip():
        return None
    if spec.kind == INT:
        return _integer(text)
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
    errors = human_errors(errors or {})
    return [
        BoundField(
            spec,
            values.get(spec.key),
            list(errors.get(spec.key, ())),
            format_name=values.get("convertTo") if spec.kind == BITRATE else None,
        )
        for spec in SECTIONS[section][2]
    ]


def labelled(problems: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """A ``{key: [message]}`` report keyed by field labels, key names in its messages replaced too."""
    known = labels()
    return {words.key_label(key, known): messages for key, messages in human_errors(problems).items()}


def labels() -> dict[str, str]:
    """Every shown configuration key with its field label (for messages), plus the command's parts."""
    found = {spec.key: spec.label for _, _, specs in SECTIONS.values() for spec in specs}
    return found | {"argv": "Program and arguments", "timeoutSeconds": "Timeout (seconds)"}


def human_errors(errors: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """``errors`` with key names inside the messages replaced by field labels."""
    known = labels()
    return {key: [words.humanize(message, known) for message in messages] for key, messages in errors.items()}


def unplaced_errors(section: str, errors: Mapping[str, list[str]]) -> list[str]:
    """Errors about keys the section does not show (cross-field checks, unknown names), each led by
    the field's label."""
    shown = {spec.key for spec in SECTIONS[section][2]}
    known = labels()
    return [
        f"{words.key_label(key, known)}: {message}"
        for key, messages in human_errors(errors).items()
        if key not in shown
        for message in messages
    ]
