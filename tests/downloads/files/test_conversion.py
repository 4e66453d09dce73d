"""Conversion with the real ffmpeg: every output format, failures with ffmpeg's reason, cancel and timeout."""

from __future__ import annotations

import os
import struct
import threading
import time
from pathlib import Path

import mutagen
import pytest

from downloads.conversion import ConversionError, convert_audio, probe_duration_ms
from downloads.tag_reading import read_tags
from downloads.tagging import TagData, write_tags
from spotizerr.lib.atomic import TEMP_PREFIX
from spotizerr.lib.cancel import Cancelled, CancelToken

# format → (file suffix, codec as read_tags reports it)
EXPECTED = {
    "MP3": (".mp3", "mp3"),
    "AAC": (".m4a", "mp4a.40.2"),
    "OGG": (".ogg", "oggvorbis"),
    "OPUS": (".opus", "oggopus"),
    "FLAC": (".flac", "flac"),
    "WAV": (".wav", "wave"),
    "ALAC": (".m4a", "alac"),
}


def _convert(source: Path, folder: Path, format_name: str, bitrate: str | None = None, **kw) -> Path:
    destination = folder / "out" / f"converted{EXPECTED[format_name][0]}"
    return convert_audio(
        source,
        destination,
        format_name=format_name,
        bitrate=bitrate,
        cancel=kw.pop("cancel", CancelToken()),
        **kw,
    )


def _ffmpeg_children() -> list[int]:
    """Processes started by this test process whose command is ffmpeg."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name, fields = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == os.getpid() and "ffmpeg" in name:
            found.append(int(entry.name))
    return found


@pytest.mark.parametrize("format_name", list(EXPECTED))
def test_each_format_really_converts(format_name, audio_originals, tmp_path) -> None:
    result = _convert(audio_originals["flac"], tmp_path, format_name)
    assert read_tags(result)["codec"] == EXPECTED[format_name][1]


@pytest.mark.parametrize(("format_name", "bitrate"), [("MP3", "192k"), ("AAC", "96k"), ("OGG", "128")])
def test_lossy_formats_use_the_requested_bitrate(format_name, bitrate, audio_originals, tmp_path) -> None:
    result = _convert(audio_originals["wav"], tmp_path, format_name, bitrate)
    kbps = mutagen.File(result).info.bitrate / 1000
    assert abs(kbps - int(bitrate.rstrip("k"))) <= int(bitrate.rstrip("k")) * 0.25


def test_mp3_defaults_to_320k(audio_originals, tmp_path) -> None:
    assert round(mutagen.File(_convert(audio_originals["wav"], tmp_path, "MP3")).info.bitrate / 1000) == 320


def test_opus_at_a_lower_bitrate_makes_a_smaller_file(audio_originals, tmp_path) -> None:
    small = _convert(audio_originals["wav"], tmp_path / "a", "OPUS", "32k").stat().st_size
    large = _convert(audio_originals["wav"], tmp_path / "b", "OPUS", "256k").stat().st_size
    assert small < large / 2


def test_wav_output_is_16_bit_pcm(audio_originals, tmp_path) -> None:
    assert mutagen.File(_convert(audio_originals["mp3"], tmp_path, "WAV")).info.bits_per_sample == 16


def test_a_bitrate_the_format_does_not_offer_is_refused(audio_originals, tmp_path) -> None:
    with pytest.raises(ConversionError, match="OPUS does not support 320k"):
        _convert(audio_originals["wav"], tmp_path, "OPUS", "320k")


def test_an_unknown_format_is_refused(audio_originals, tmp_path) -> None:
    with pytest.raises(ConversionError, match="unknown output format"):
        convert_audio(
            audio_originals["wav"], tmp_path / "x.xyz", format_name="XYZ", bitrate=None, cancel=CancelToken()
        )


def test_conversion_drops_the_source_tags(audio_originals, tmp_path) -> None:
    tags = read_tags(_convert(audio_originals["mp3"], tmp_path, "FLAC"))
    assert (tags["title"], tags["artists"], tags["isrc"]) == ("", [], "")


def test_conversion_drops_embedded_pictures(audio_copy, cover_jpeg, tmp_path) -> None:
    source = audio_copy("mp3")
    write_tags(source, TagData(title="x", cover=cover_jpeg))
    assert read_tags(_convert(source, tmp_path, "FLAC"))["has_cover"] is False


def test_conversion_keeps_the_duration(audio_originals, tmp_path) -> None:
    assert abs(probe_duration_ms(_convert(audio_originals["ogg"], tmp_path, "AAC")) - 1000) < 100


def test_conversion_replaces_an_existing_destination_and_leaves_no_temp(audio_originals, tmp_path) -> None:
    destination = tmp_path / "out" / "converted.mp3"
    destination.parent.mkdir()
    destination.write_bytes(b"old")
    result = _convert(audio_originals["wav"], tmp_path, "MP3")
    assert result.stat().st_size > 1000 and list(tmp_path.rglob(f"{TEMP_PREFIX}*")) == []


def test_a_broken_input_fails_with_ffmpegs_reason_and_no_file(tmp_path) -> None:
    broken = tmp_path / "broken.mp3"
    broken.write_bytes(b"this is not audio at all" * 100)
    with pytest.raises(ConversionError) as caught:
        _convert(broken, tmp_path, "FLAC")
    assert "Invalid data found" in caught.value.reason and list((tmp_path / "out").iterdir()) == []


def test_ffmpegs_reason_names_files_without_server_paths(tmp_path) -> None:
    broken = tmp_path / "broken.mp3"
    broken.write_bytes(b"garbage" * 100)
    with pytest.raises(ConversionError) as caught:
        _convert(broken, tmp_path, "FLAC")
    assert str(tmp_path) not in caught.value.reason and "broken.mp3" in caught.value.reason


@pytest.fixture
def stalled_source(tmp_path):
    """A FIFO that delivers a WAV header and a little audio, then nothing: ffmpeg waits for more."""
    fifo = tmp_path / "stalled.wav"
    os.mkfifo(fifo)
    release = threading.Event()

    def feed() -> None:
        with open(fifo, "wb") as writer:
            header = (
                b"RIFF"
                + struct.pack("<I", 0xFFFFFFFF)
                + b"WAVEfmt "
                + struct.pack("<IHHIIHH", 16, 1, 2, 44100, 44100 * 4, 4, 16)
                + b"data"
                + struct.pack("<I", 0xFFFFFFFF)
            )
            writer.write(header + b"\0" * 44100 * 4)
            writer.flush()
            release.wait(10)

    thread = threading.Thread(target=feed, daemon=True)
    thread.start()
    yield fifo
    release.set()
    try:  # unblock the writer if ffmpeg never opened the FIFO
        os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
    except OSError:
        pass
    thread.join(5)


def test_cancel_kills_ffmpeg_within_a_second_and_leaves_no_file(stalled_source, tmp_path) -> None:
    token = CancelToken()
    threading.Timer(0.5, token.cancel).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        _convert(stalled_source, tmp_path, "MP3", cancel=token)
    assert time.monotonic() - started < 1.5
    assert _ffmpeg_children() == [] and list((tmp_path / "out").iterdir()) == []


def test_a_conversion_past_its_timeout_is_killed_and_may_be_retried(stalled_source, tmp_path) -> None:
    with pytest.raises(ConversionError, match="timed out") as caught:
        _convert(stalled_source, tmp_path, "MP3", timeout=0.5)
    assert caught.value.permanent is False and _ffmpeg_children() == []


def test_an_already_cancelled_token_starts_nothing(audio_originals, tmp_path) -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        _convert(audio_originals["wav"], tmp_path, "MP3", cancel=token)
    assert not (tmp_path / "out").exists()


def test_probe_duration_ms_refuses_a_file_that_is_not_audio(tmp_path) -> None:
    path = tmp_path / "x.mp3"
    path.write_text("nope")
    with pytest.raises(ConversionError):
        probe_duration_ms(path)
