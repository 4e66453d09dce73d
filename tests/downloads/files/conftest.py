"""Real audio files, made once per session with ffmpeg and copied for each test that changes them."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fakes.audio import ffmpeg_exe, make_audio, make_jpeg

#: name → file suffix; "alac" is Apple Lossless in .m4a, the rest are make_audio's formats.
AUDIO_KINDS = {
    "mp3": ".mp3",
    "aac": ".m4a",
    "alac": ".m4a",
    "ogg": ".ogg",
    "opus": ".opus",
    "flac": ".flac",
    "wav": ".wav",
}


OLD_TAGS = {"title": "Old title", "artist": "Old artist", "ISRC": "OLD000000001"}


@pytest.fixture(scope="session")
def audio_originals(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("audio-originals")
    made: dict[str, Path] = {}
    for kind, suffix in AUDIO_KINDS.items():
        path = folder / f"{kind}{suffix}"
        if kind == "alac":  # make_audio has no ALAC: encode its WAV
            wav = make_audio(folder / "for-alac.wav", seconds=1.0)
            subprocess.run(
                [
                    ffmpeg_exe(),
                    "-hide_banner",
                    "-loglevel",
                    "error",
                    "-i",
                    str(wav),
                    "-c:a",
                    "alac",
                    str(path),
                ],
                check=True,
                capture_output=True,
                timeout=60,
            )
        else:
            make_audio(path, seconds=1.0, tags=OLD_TAGS)
        made[kind] = path
    return made


@pytest.fixture
def audio_copy(audio_originals, tmp_path) -> Callable[[str], Path]:
    """``audio_copy("mp3")``: a fresh copy of the generated file of that kind."""

    def copy(kind: str) -> Path:
        source = audio_originals[kind]
        return Path(shutil.copy(source, tmp_path / source.name))

    return copy


@pytest.fixture(scope="session")
def cover_jpeg(tmp_path_factory) -> bytes:
    return make_jpeg(tmp_path_factory.mktemp("cover") / "cover.jpg").read_bytes()


@pytest.fixture(scope="session")
def cover_png(tmp_path_factory) -> bytes:
    return make_jpeg(tmp_path_factory.mktemp("cover-png") / "cover.png", color="blue").read_bytes()
