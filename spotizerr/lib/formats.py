"""Output formats Spotizerr can convert to, with their file extensions and allowed bitrates."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OutputFormat:
    name: str
    extension: str
    lossless: bool
    bitrates: tuple[str, ...] = ()  # allowed values like "320k"; empty for lossless formats
    default_bitrate: str | None = None


def _kbps(*values: int) -> tuple[str, ...]:
    return tuple(f"{value}k" for value in values)


FORMATS: dict[str, OutputFormat] = {
    "MP3": OutputFormat("MP3", ".mp3", False, _kbps(32, 64, 96, 128, 160, 192, 224, 256, 320), "320k"),
    "AAC": OutputFormat("AAC", ".m4a", False, _kbps(32, 64, 96, 128, 160, 192, 224, 256, 320), "256k"),
    "OGG": OutputFormat("OGG", ".ogg", False, _kbps(64, 96, 128, 160, 192, 224, 256, 320), "256k"),
    "OPUS": OutputFormat("OPUS", ".opus", False, _kbps(32, 64, 96, 128, 160, 192, 224, 256), "128k"),
    "FLAC": OutputFormat("FLAC", ".flac", True),
    "WAV": OutputFormat("WAV", ".wav", True),
    "ALAC": OutputFormat("ALAC", ".m4a", True),
}


def get_format(name: str | None) -> OutputFormat | None:
    """The format called ``name`` (any case), or None for "keep the source format"."""
    if name is None or str(name).strip() == "":
        return None
    return FORMATS.get(str(name).strip().upper())


def normalise_bitrate(value: str | int | None) -> str | None:
    """``320``, ``"320"``, ``"320K"`` and ``"320k"`` all become ``"320k"``."""
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip().lower().removesuffix("kbps").removesuffix("k")
    if not text.isdigit():
        raise ValueError(f"bitrate {value!r} is not a number of kbit/s")
    return f"{int(text)}k"
