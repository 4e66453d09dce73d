"""The main configuration section: downloads, naming, formats, sources and active credentials."""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any

from django.conf import settings

from settings_app.config import checks
from settings_app.config.checks import Invalid
from settings_app.config.section import Errors, Key, Section
from spotizerr.lib import formats, naming

SOURCE_ENTRY_POINT_GROUP = "spotizerr.sources"
SPOTIFY_QUALITIES = ("NORMAL", "HIGH", "VERY_HIGH")
DEEZER_QUALITIES = ("MP3_128", "MP3_320", "FLAC")
INBOX_MODES = ("copy", "move", "hardlink")
DEFAULT_SOURCE_ORDER = ["inbox", "deezer", "spotify", "command"]
COMMAND_PLACEHOLDERS = frozenset({"isrc", "artist", "title", "album", "duration_ms", "output"})
COMMAND_TIMEOUT_DEFAULT = 600
LYRICS_MODES = ("off", "embed", "lrc", "both")
GENRE_SOURCES = ("off", "spotify", "musicbrainz", "both")


def registered_sources() -> list[str]:
    """Names in the ``spotizerr.sources`` entry-point group (read without importing them)."""
    return sorted({point.name for point in entry_points(group=SOURCE_ENTRY_POINT_GROUP)})


def _source(value: Any) -> str:
    return checks.choice(registered_sources(), case=str.lower)(value)


def _source_order(value: Any) -> list[str]:
    return checks.subset(registered_sources())(value)


def _template(*, allow_separators: bool) -> checks.Check:
    def check(value: Any) -> str:
        template = checks.text(max_length=500)(value)
        problems = naming.template_problems(template, allow_separators=allow_separators)
        if problems:
            raise Invalid("; ".join(problems))
        return template

    return check


def _output_format(value: Any) -> str:
    chosen = formats.get_format(value) if isinstance(value, str) else None
    if chosen is None:
        raise Invalid(f"must be null (keep the source format) or one of {', '.join(formats.FORMATS)}")
    return chosen.name


def _bitrate(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise Invalid('must be a bitrate such as "320k", or null')
    try:
        normalised = formats.normalise_bitrate(value)
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    return str(normalised)


def _pad_width(value: Any) -> int | str:
    if isinstance(value, str) and value.strip().lower() == "auto":
        return "auto"
    try:
        return checks.integer(1, 10)(value)
    except Invalid:
        raise Invalid('must be "auto" or a whole number from 1 to 10') from None


def _command_source(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid('must be an object {"argv": [...], "timeoutSeconds": n} or null')
    unknown = sorted(set(value) - {"argv", "timeoutSeconds"})
    if unknown:
        raise Invalid(f"unknown field(s) {', '.join(unknown)}")
    argv = value.get("argv")
    if not isinstance(argv, list) or not argv or not all(isinstance(arg, str) and arg for arg in argv):
        raise Invalid("argv must be a non-empty list of non-empty strings")
    if any("\x00" in arg for arg in argv):
        raise Invalid("argv must not contain NUL")
    for arg in argv:
        bad = [name for name in checks.format_fields(arg) if name not in COMMAND_PLACEHOLDERS]
        if bad:
            allowed = ", ".join("{" + name + "}" for name in sorted(COMMAND_PLACEHOLDERS))
            raise Invalid(f"argv uses unknown placeholder {{{bad[0]}}}; allowed: {allowed}")
    try:
        timeout = checks.integer(1, 86400)(value.get("timeoutSeconds", COMMAND_TIMEOUT_DEFAULT))
    except Invalid as exc:
        raise Invalid(f"timeoutSeconds {exc}") from None
    return {"argv": list(argv), "timeoutSeconds": timeout}


def _cross_check(merged: dict[str, Any], changed: set[str]) -> Errors:
    errors: Errors = {}
    if changed & {"bitrate", "convertTo"}:
        problem = bitrate_problem(merged.get("convertTo"), merged.get("bitrate"))
        if problem:
            errors["bitrate"] = [problem]
    for service in ("spotify", "deezer"):
        name = merged.get(service)
        if service in changed and name is not None and not _credential_exists(service, name):
            errors[service] = [f"no {service} credential set is named {name!r}"]
    return errors


def bitrate_problem(format_name: str | None, bitrate: str | None) -> str | None:
    """Why ``bitrate`` cannot go with ``format_name`` (None when it can)."""
    if bitrate is None:
        return None
    chosen = formats.get_format(format_name)
    if chosen is None:
        lossy = {rate for fmt in formats.FORMATS.values() for rate in fmt.bitrates}
        return None if bitrate in lossy else f"{bitrate} is not a bitrate any output format allows"
    if chosen.lossless:
        return f"{chosen.name} is lossless and takes no bitrate; set bitrate to null"
    if bitrate not in chosen.bitrates:
        return f"{bitrate} is not allowed for {chosen.name}; allowed: {', '.join(chosen.bitrates)}"
    return None


def _credential_exists(service: str, name: str) -> bool:
    from settings_app.models import Credential

    return Credential.objects.filter(service=service, name=name).exists()


MAIN = Section(
    name="main",
    keys={
        "maxConcurrentDownloads": Key(checks.integer(1, 32), 3),
        "service": Key(_source, "inbox"),
        "fallback": Key(checks.boolean, True),
        "spotifyQuality": Key(checks.choice(SPOTIFY_QUALITIES), "NORMAL"),
        "deezerQuality": Key(checks.choice(DEEZER_QUALITIES), "MP3_128"),
        "realTime": Key(checks.boolean, False),
        "downloadPath": Key(
            checks.directory(writable=True), default_factory=lambda: str(settings.DOWNLOAD_DIR)
        ),
        "convertTo": Key(checks.nullable(_output_format), None),
        "bitrate": Key(checks.nullable(_bitrate), None),
        "customDirFormat": Key(_template(allow_separators=True), "%ar_album%/%album%"),
        "customTrackFormat": Key(_template(allow_separators=False), "%tracknum%. %music%"),
        "tracknumPadding": Key(checks.boolean, True),
        "padNumberWidth": Key(_pad_width, "auto"),
        "saveCover": Key(checks.boolean, True),
        "maxRetries": Key(checks.integer(0, 20), 3),
        "retryDelaySeconds": Key(checks.integer(0, 3600), 5),
        "retryDelayIncrease": Key(checks.integer(0, 3600), 5),
        "artistSeparator": Key(checks.text(max_length=10), "; "),
        "explicitFilter": Key(checks.boolean, False),
        "separateTracksByUser": Key(checks.boolean, False),
        "realTimeMultiplier": Key(checks.integer(0, 10), 0),
        "spotify": Key(checks.nullable(checks.text(max_length=100)), None),
        "deezer": Key(checks.nullable(checks.text(max_length=100)), None),
        "inboxPath": Key(checks.directory(writable=False), default_factory=lambda: str(settings.INBOX_DIR)),
        "inboxMode": Key(checks.choice(INBOX_MODES, case=str.lower), "copy"),
        # how often the worker looks for inbox files of wanted tracks and better copies (downloads.fulfilment)
        "inboxScanSeconds": Key(checks.integer(1, 86400), 60),
        "upgradeToLossless": Key(checks.boolean, False),
        "sourceOrder": Key(_source_order, default_factory=lambda: list(DEFAULT_SOURCE_ORDER)),
        "commandSource": Key(checks.nullable(_command_source), None),
        # Inert, kept for the original Spotizerr web UI, which sends them back with every save
        # (docs/configuration.md "Legacy settings"): stored and returned, used by nothing.
        "recursiveQuality": Key(checks.boolean, False),
        "spotifyMetadata": Key(checks.boolean, True),
        # integrations run on every track (docs/integrations.md); per-request overrides apply
        "lyrics": Key(checks.choice(LYRICS_MODES, case=str.lower), "both"),
        "genres": Key(checks.choice(GENRE_SOURCES, case=str.lower), "both"),
        "genresMax": Key(checks.integer(1, 20), 5),
    },
    aliases={"fileFormat": "convertTo"},
    cross_check=_cross_check,
)
