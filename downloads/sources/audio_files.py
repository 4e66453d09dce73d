"""What a source needs to know about an audio file: is it real audio, how long, what quality.

Reads go through ``downloads.tag_reading`` (it and ``downloads.tagging`` are the only modules that import mutagen).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from downloads import tag_reading, tagging
from downloads.sources.base import SourceError

AUDIO_EXTENSIONS = frozenset(
    {
        ".mp3",
        ".flac",
        ".ogg",
        ".oga",
        ".opus",
        ".m4a",
        ".mp4",
        ".aac",
        ".wav",
        ".aif",
        ".aiff",
        ".wv",
        ".ape",
    }
)
# mutagen's class name → (label, extension, lossless); MP4 is decided by its codec
_FORMATS: dict[str, tuple[str, str, bool]] = {
    "MP3": ("MP3", ".mp3", False),
    "FLAC": ("FLAC", ".flac", True),
    "OggVorbis": ("OGG", ".ogg", False),
    "OggOpus": ("OPUS", ".opus", False),
    "OggFLAC": ("FLAC", ".oga", True),
    "WAVE": ("WAV", ".wav", True),
    "AIFF": ("AIFF", ".aiff", True),
    "AAC": ("AAC", ".aac", False),
    "WavPack": ("WavPack", ".wv", True),
    "MonkeysAudio": ("APE", ".ape", True),
}
_STANDARD_KBPS = (32, 48, 64, 96, 112, 128, 160, 192, 224, 256, 320)


@dataclass(frozen=True)
class AudioFacts:
    duration_ms: int
    label: str  # "MP3", "FLAC", "AAC", ...
    extension: str  # the extension the content calls for, with the dot
    lossless: bool
    kbps: int | None  # None for lossless
    tags: dict[str, Any] = field(default_factory=dict)  # tag_reading.read_tags' shape; {} when unreadable

    @property
    def quality(self) -> str:
        """``"FLAC"`` or ``"MP3 320k"``."""
        return self.label if self.lossless or not self.kbps else f"{self.label} {self.kbps}k"


def probe(path: Path) -> AudioFacts:
    """Facts about the audio file at ``path``. Raises SourceError (permanent) when it is not audio
    mutagen can read or plays for no time at all."""
    try:
        tags = tag_reading.read_tags(path)
    except tagging.TaggingError:
        tags = _untaggable(path)
    duration_ms = int(tags.get("duration_ms") or 0)
    if duration_ms <= 0:
        raise SourceError(f"{path.name} is not playable audio (no duration)", permanent=True)
    label, extension, lossless = _format_of(str(tags.get("format", "")), str(tags.get("codec", "")), path)
    kbps = None if lossless else _kbps(tags.get("bitrate"), path, duration_ms)
    return AudioFacts(duration_ms, label, extension, lossless, kbps, tags)


def _untaggable(path: Path) -> dict[str, Any]:
    """Formats tagging cannot tag (raw AAC, WavPack, ...) still have a duration."""
    try:
        return {"duration_ms": tag_reading.audio_duration_ms(path), "format": ""}
    except tagging.TaggingError as error:
        raise SourceError(f"{path.name} is not audio Spotizerr can read: {error}", permanent=True) from None


def _format_of(format_name: str, codec: str, path: Path) -> tuple[str, str, bool]:
    if format_name == "MP4":
        return ("ALAC", ".m4a", True) if codec == "alac" else ("AAC", ".m4a", False)
    if format_name in _FORMATS:
        return _FORMATS[format_name]
    suffix = path.suffix.lower()
    return (suffix.lstrip(".").upper() or "audio", suffix or ".bin", suffix in {".wav", ".flac", ".aiff"})


def _kbps(reported: Any, path: Path, duration_ms: int) -> int | None:
    """The bitrate as read, else estimated from the size and snapped to the nearest common rate."""
    if isinstance(reported, int | float) and reported > 0:
        estimate = reported / 1000 if reported > 10_000 else reported
    else:
        try:
            estimate = path.stat().st_size * 8 / duration_ms
        except OSError:
            return None
    return min(_STANDARD_KBPS, key=lambda rate: abs(rate - estimate))
