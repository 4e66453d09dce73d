"""Real audio files generated for tests with the ffmpeg binary from imageio-ffmpeg."""

from __future__ import annotations

import subprocess
from pathlib import Path

import imageio_ffmpeg

# container/codec arguments per file extension
_CODECS: dict[str, list[str]] = {
    ".mp3": ["-c:a", "libmp3lame", "-b:a", "128k"],
    ".flac": ["-c:a", "flac"],
    ".ogg": ["-c:a", "libvorbis", "-q:a", "2"],
    ".opus": ["-c:a", "libopus", "-b:a", "64k"],
    ".m4a": ["-c:a", "aac", "-b:a", "128k"],
    ".wav": ["-c:a", "pcm_s16le"],
}


def ffmpeg_exe() -> str:
    return imageio_ffmpeg.get_ffmpeg_exe()


def make_audio(
    path: Path, *, seconds: float = 2.0, frequency: int = 440, tags: dict[str, str] | None = None
) -> Path:
    """Write a sine tone of ``seconds`` to ``path`` (format from the extension), with optional tags
    (e.g. ``{"title": ..., "artist": ..., "ISRC": ...}``)."""
    suffix = path.suffix.lower()
    if suffix not in _CODECS:
        raise ValueError(f"no codec for {suffix}")
    path.parent.mkdir(parents=True, exist_ok=True)
    command = [
        ffmpeg_exe(),
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        f"sine=frequency={frequency}:duration={seconds}:sample_rate=44100",
        "-ac",
        "2",
        *_CODECS[suffix],
    ]
    for key, value in (tags or {}).items():
        command += ["-metadata", f"{key}={value}"]
    command.append(str(path))
    subprocess.run(command, check=True, capture_output=True, timeout=60)
    return path


def make_jpeg(path: Path, *, size: int = 64, color: str = "red") -> Path:
    """Write a small real JPEG (used as cover art)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    command = [
        ffmpeg_exe(),
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        f"color=c={color}:s={size}x{size}:d=1",
        "-frames:v",
        "1",
        str(path),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=60)
    return path
