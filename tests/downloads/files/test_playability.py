"""The playability check on real files: one full decode (ffmpeg) set against what the header states."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from downloads.conversion import ConversionError, decode_audio
from downloads.playability import playability_problem
from downloads.sources.audio_files import probe
from spotizerr.lib.cancel import NEVER_CANCELLED, Cancelled, CancelToken
from tests.fakes.audio import ffmpeg_exe, make_audio


def problem(path: Path, *, preview: bool = False) -> str | None:
    return playability_problem(decode_audio(path, cancel=NEVER_CANCELLED), probe(path), preview=preview)


def cut(path: Path, share: float) -> Path:
    path.write_bytes(path.read_bytes()[: int(path.stat().st_size * share)])
    return path


@pytest.mark.parametrize("suffix", [".flac", ".mp3", ".ogg", ".m4a", ".wav"])
def test_a_whole_file_decodes_to_its_stated_length(tmp_path: Path, suffix: str) -> None:
    path = make_audio(tmp_path / f"whole{suffix}", seconds=3.0)
    report = decode_audio(path, cancel=NEVER_CANCELLED)
    assert abs(report.decoded_ms - 3000) < 100 and report.errors == ()
    assert problem(path) is None


@pytest.mark.parametrize("suffix", [".flac", ".mp3", ".wav"])
def test_a_file_cut_to_40_percent_is_not_playable(tmp_path: Path, suffix: str) -> None:
    path = cut(make_audio(tmp_path / f"cut{suffix}", seconds=5.0), 0.4)
    assert "damaged" in (problem(path) or "")


def test_a_preview_a_little_short_of_its_header_is_still_playable(tmp_path: Path) -> None:
    path = cut(make_audio(tmp_path / "preview.mp3", seconds=30.0), 0.97)  # 0.9 s missing
    assert problem(path, preview=True) is None
    assert problem(cut(path, 0.9), preview=True) is not None  # 3.8 s missing


def test_an_mp3_without_a_length_header_is_judged_on_decoding_only(tmp_path: Path) -> None:
    """Its length is only estimated from the bitrate, so a short decode proves nothing."""
    source = make_audio(tmp_path / "source.mp3", seconds=5.0)
    bare = tmp_path / "bare.mp3"
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(source), "-c", "copy", "-write_xing", "0", str(bare)],
        check=True,
    )
    assert probe(bare).tags["length_estimated"] and not probe(source).tags["length_estimated"]
    assert problem(cut(bare, 0.4)) is None


def test_a_file_that_is_not_audio_cannot_be_decoded(tmp_path: Path) -> None:
    path = tmp_path / "noise.flac"
    path.write_bytes(b"fLaC" + b"\x00" * 4000)
    with pytest.raises(ConversionError):
        decode_audio(path, cancel=NEVER_CANCELLED)


def test_a_cancelled_decode_stops(tmp_path: Path) -> None:
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        decode_audio(make_audio(tmp_path / "a.flac", seconds=1.0), cancel=cancel)
