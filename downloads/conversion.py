"""Converting audio with the ffmpeg binary shipped by imageio-ffmpeg.

ffmpeg writes to a temporary name next to the destination, which is renamed into place only when the
conversion succeeded, so a half-converted file never carries the final name. The result is not flushed
to disk: it is a work file that is tagged (rewritten) next, and whoever puts it in the library makes it
durable then (``spotizerr.lib.atomic.atomic_move``), so the audio is synced once, not twice. Source
metadata and any picture or video stream are dropped: tags come only from ``downloads.tagging``.

Every run of ffmpeg here decodes the whole input and reports what it saw (``DecodeReport``: how much
audio came out, what the decoder complained about), so a conversion doubles as the playability check
of ``downloads.playability`` and a file kept in its format needs one plain decode (``decode_audio``).
"""

from __future__ import annotations

import os
import secrets
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import imageio_ffmpeg

from downloads.tag_reading import audio_duration_ms
from downloads.tagging import TaggingError
from spotizerr.lib.atomic import TEMP_PREFIX
from spotizerr.lib.cancel import Cancelled, CancelToken
from spotizerr.lib.formats import OutputFormat, get_format, normalise_bitrate

#: How often a running conversion looks at its cancel token, in seconds.
POLL_INTERVAL_S = 0.2
_STDERR_LINES = 8

_CODECS: dict[str, str] = {
    "MP3": "libmp3lame",
    "AAC": "aac",
    "OGG": "libvorbis",
    "OPUS": "libopus",
    "FLAC": "flac",
    "WAV": "pcm_s16le",
    "ALAC": "alac",
}


def _ffmpeg_start() -> list[str]:
    return [ffmpeg_executable(), "-hide_banner", "-nostdin", "-loglevel", "error", "-nostats"]


class ConversionError(Exception):
    """A conversion failed. ``reason`` is what ffmpeg said (its last lines of output);
    ``permanent`` is False when trying again later could help (a timeout)."""

    def __init__(self, reason: str, *, permanent: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


@dataclass(frozen=True)
class DecodeReport:
    """One full decode: the audio that came out, in milliseconds, and ffmpeg's error lines (file
    names only, never server paths)."""

    decoded_ms: int
    errors: tuple[str, ...]


def ffmpeg_executable() -> str:
    return imageio_ffmpeg.get_ffmpeg_exe()


def convert_audio(
    source: Path,
    destination: Path,
    *,
    format_name: str,
    bitrate: str | None,
    cancel: CancelToken,
    timeout: float = 1800,
) -> Path:
    """Convert ``source`` to ``destination`` in the named output format (see ``spotizerr.lib.formats``)
    at ``bitrate`` (the format's default when None; ignored for lossless formats) and return
    ``destination``.

    Raises ConversionError (unknown format, bad bitrate, ffmpeg failed or timed out) and Cancelled
    (``cancel`` fired: ffmpeg is killed within ``POLL_INTERVAL_S``). Either way no file is left behind.
    """
    convert_audio_report(
        source, destination, format_name=format_name, bitrate=bitrate, cancel=cancel, timeout=timeout
    )
    return Path(destination)


def convert_audio_report(
    source: Path,
    destination: Path,
    *,
    format_name: str,
    bitrate: str | None,
    cancel: CancelToken,
    timeout: float = 1800,
) -> DecodeReport:
    """``convert_audio``, returning what decoding ``source`` showed (same errors)."""
    cancel.raise_if_cancelled()
    output_format = _output_format(format_name)
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    temp = destination.parent / f"{TEMP_PREFIX}{secrets.token_hex(6)}{output_format.extension}"
    command = [
        *_ffmpeg_start(),
        "-progress",
        "pipe:1",
        "-y",
        "-i",
        str(source),
        "-map",
        "0:a:0",
        "-map_metadata",
        "-1",
        "-map_chapters",
        "-1",
        "-vn",
        "-sn",
        "-dn",
        *_codec_arguments(output_format, bitrate),
        str(temp),
    ]
    try:
        # ffmpeg names the files it failed on; reasons reach users, so they get names, never server paths
        hidden = {str(source): Path(source).name, str(temp): destination.name}
        report = _run_ffmpeg(command, cancel=cancel, timeout=timeout, hidden=hidden)
        if not temp.is_file() or temp.stat().st_size == 0:
            raise ConversionError("ffmpeg finished without writing any audio")
        os.replace(temp, destination)
        return report
    finally:
        temp.unlink(missing_ok=True)


def decode_audio(source: Path, *, cancel: CancelToken, timeout: float = 1800) -> DecodeReport:
    """Decode ``source``'s first audio stream to nowhere and report what came out. Raises
    ConversionError when ffmpeg cannot read it at all, Cancelled when ``cancel`` fires."""
    cancel.raise_if_cancelled()
    command = [
        *_ffmpeg_start(),
        "-progress",
        "pipe:1",
        "-i",
        str(source),
        "-map",
        "0:a:0",
        "-vn",
        "-sn",
        "-dn",
        "-f",
        "null",
        "-",
    ]
    return _run_ffmpeg(command, cancel=cancel, timeout=timeout, hidden={str(source): Path(source).name})


def probe_duration_ms(path: Path) -> int:
    """The playing time of an audio file in milliseconds. Raises ConversionError when it is unreadable."""
    try:
        return audio_duration_ms(path)
    except TaggingError as error:
        raise ConversionError(str(error)) from error


def _output_format(format_name: str) -> OutputFormat:
    output_format = get_format(format_name)
    if output_format is None:
        raise ConversionError(f"unknown output format {format_name!r}")
    return output_format


def _codec_arguments(output_format: OutputFormat, bitrate: str | None) -> list[str]:
    arguments = ["-c:a", _CODECS[output_format.name]]
    if output_format.lossless:
        return arguments
    try:
        chosen = normalise_bitrate(bitrate) or output_format.default_bitrate
    except ValueError as error:
        raise ConversionError(str(error)) from error
    if chosen not in output_format.bitrates:
        allowed = ", ".join(output_format.bitrates)
        raise ConversionError(f"{output_format.name} does not support {chosen}; choose one of {allowed}")
    return [*arguments, "-b:a", str(chosen)]


def _run_ffmpeg(
    command: list[str], *, cancel: CancelToken, timeout: float, hidden: dict[str, str]
) -> DecodeReport:
    """Run ffmpeg to the end, killing it on cancel or timeout. Raises Cancelled or ConversionError."""
    # files, not pipes: a chatty ffmpeg can never block on them
    with tempfile.TemporaryFile() as stderr, tempfile.TemporaryFile() as progress:
        try:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=progress, stderr=stderr)
        except OSError as error:
            raise ConversionError(f"could not start ffmpeg: {error}") from error
        try:
            _wait(process, cancel=cancel, timeout=timeout)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        stderr.seek(0)
        errors = _lines(stderr.read(), hidden)
        if process.returncode != 0:
            reason = "\n".join(errors[-_STDERR_LINES:]) or f"ffmpeg exited with code {process.returncode}"
            raise ConversionError(reason)
        progress.seek(0)
        return DecodeReport(_decoded_ms(progress.read()), tuple(errors))


def _decoded_ms(progress: bytes) -> int:
    """The last ``out_time_us`` of ffmpeg's ``-progress`` report: how much audio it wrote out."""
    found = 0
    for line in progress.decode("ascii", errors="replace").splitlines():
        key, _, value = line.partition("=")
        if key == "out_time_us" and value.strip().lstrip("-").isdigit():
            found = max(0, int(value)) // 1000
    return found


def _wait(process: subprocess.Popen[bytes], *, cancel: CancelToken, timeout: float) -> None:
    """Wait for ffmpeg while watching ``cancel``. A helper thread blocks in ``wait()`` so the end of
    the conversion is noticed at once (``Popen.wait(timeout=...)`` polls with growing sleeps)."""
    finished = threading.Event()

    def wait_then_flag() -> None:
        process.wait()
        finished.set()

    threading.Thread(target=wait_then_flag, daemon=True).start()
    deadline = time.monotonic() + timeout
    while not finished.wait(POLL_INTERVAL_S):
        if cancel.is_cancelled():
            raise Cancelled()
        if time.monotonic() > deadline:
            raise ConversionError(f"conversion timed out after {timeout:g} s", permanent=False)


def _lines(output: bytes, hidden: dict[str, str]) -> list[str]:
    text = output.decode("utf-8", errors="replace")
    for secret, shown in hidden.items():
        text = text.replace(secret, shown)
    return [line.strip() for line in text.splitlines() if line.strip()]
