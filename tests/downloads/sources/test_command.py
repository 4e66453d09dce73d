"""The command source, running a real Python script that makes audio with ffmpeg (or misbehaves)."""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path

import pytest

from downloads import tag_reading
from downloads.sources.base import SourceError
from downloads.sources.command import CommandSource, render_argv
from spotizerr.lib.cancel import Cancelled, CancelToken
from tests.downloads.sources.helpers import make_track
from tests.fakes.audio import ffmpeg_exe

SCRIPT = r"""
import json, os, subprocess, sys, time
mode, output, record = sys.argv[1], sys.argv[2], sys.argv[3]
with open(record, "w") as f:
    json.dump({"argv": sys.argv[1:], "env": sorted(os.environ)}, f)
def tone(path, fmt):
    subprocess.run([FFMPEG, "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=duration=1",
                    "-f", fmt, path], check=True)
if mode == "flac":
    tone(output, "flac")
elif mode == "appends-extension":
    tone(output + ".ogg", "ogg")
elif mode == "fails":
    print("warming up", file=sys.stderr)
    print("error: the server said no", file=sys.stderr)
    sys.exit(2)
elif mode == "unavailable":
    print("not in the catalogue", file=sys.stderr)
    sys.exit(69)
elif mode == "garbage":
    open(output, "wb").write(b"this is not audio" * 100)
elif mode == "nothing":
    pass
elif mode == "sleeps":
    open(output, "wb").write(b"partial")
    time.sleep(60)
"""


@pytest.fixture
def script(tmp_path: Path) -> Path:
    path = tmp_path / "get_track.py"
    path.write_text(f"FFMPEG = {ffmpeg_exe()!r}\n" + SCRIPT)
    return path


@pytest.fixture
def record(tmp_path: Path) -> Path:
    return tmp_path / "record.json"


def configure(config: dict, script: Path, record: Path, mode: str, *extra: str, timeout: int = 30) -> dict:
    argv = [sys.executable, str(script), mode, "{output}", str(record), *extra]
    return {**config, "commandSource": {"argv": argv, "timeoutSeconds": timeout}}


def run(config: dict, temp_dir: Path, *, cancel: CancelToken | None = None, **track) -> Path:
    source = CommandSource()
    candidate = source.find(make_track(**track), config=config)
    assert candidate is not None
    return source.fetch(candidate, temp_dir, config=config, cancel=cancel or CancelToken())


def test_without_a_configured_command_nothing_is_found(source_config) -> None:
    assert CommandSource().find(make_track(), config=source_config) is None


def test_with_a_command_every_track_is_a_full_track_candidate(source_config, script, record) -> None:
    candidate = CommandSource().find(make_track(), config=configure(source_config, script, record, "flac"))
    assert candidate is not None and candidate.source == "command" and not candidate.is_preview


def test_the_programs_audio_file_is_returned_inside_the_work_folder(
    source_config, script, record, temp_dir
) -> None:
    result = run(configure(source_config, script, record, "flac"), temp_dir)
    assert result.parent == temp_dir and result.suffix == ".flac"
    assert tag_reading.audio_duration_ms(result) == 1000
    assert [path.name for path in temp_dir.iterdir()] == [result.name]


def test_an_extension_the_program_appends_is_accepted(source_config, script, record, temp_dir) -> None:
    result = run(configure(source_config, script, record, "appends-extension"), temp_dir)
    assert result.suffix == ".ogg" and result.exists()


def test_placeholders_are_filled_per_argument_and_never_split_or_interpreted(
    source_config, script, record, temp_dir
) -> None:
    config = configure(
        source_config,
        script,
        record,
        "flac",
        "{artist}",
        "--title={title}",
        "{isrc}",
        "{album}",
        "{duration_ms}",
    )
    title = 'Song; rm -rf / $(whoami) `id` "quoted" {album}'
    run(
        config,
        temp_dir,
        name=title,
        artists=("A & B", "C"),
        isrc="GBAAA0000001",
        album="It's *",
        duration_ms=1234,
    )
    argv = json.loads(record.read_text())["argv"]
    assert argv[3:] == ["A & B, C", f"--title={title}", "GBAAA0000001", "It's *", "1234"]


def test_the_program_does_not_see_spotizerrs_secrets(
    source_config, script, record, temp_dir, monkeypatch
) -> None:
    monkeypatch.setenv("SPOTIZERR_SPOTIFY_CLIENT_SECRET", "hunter2")
    run(configure(source_config, script, record, "flac"), temp_dir)
    assert "SPOTIZERR_SPOTIFY_CLIENT_SECRET" not in json.loads(record.read_text())["env"]


def test_a_failing_program_is_a_transient_error_with_its_last_stderr_lines(
    source_config, script, record, temp_dir
) -> None:
    with pytest.raises(SourceError) as caught:
        run(configure(source_config, script, record, "fails"), temp_dir)
    assert not caught.value.permanent
    assert "status 2" in caught.value.reason and "the server said no" in caught.value.reason
    assert list(temp_dir.iterdir()) == []


def test_exit_status_69_means_the_track_is_permanently_unavailable(
    source_config, script, record, temp_dir
) -> None:
    with pytest.raises(SourceError) as caught:
        run(configure(source_config, script, record, "unavailable"), temp_dir)
    assert caught.value.permanent and "not in the catalogue" in caught.value.reason


def test_an_output_that_is_not_audio_is_refused_and_removed(source_config, script, record, temp_dir) -> None:
    with pytest.raises(SourceError) as caught:
        run(configure(source_config, script, record, "garbage"), temp_dir)
    assert caught.value.permanent
    assert list(temp_dir.iterdir()) == []


def test_success_without_an_output_file_is_an_error(source_config, script, record, temp_dir) -> None:
    with pytest.raises(SourceError, match="did not write"):
        run(configure(source_config, script, record, "nothing"), temp_dir)


def test_a_program_running_past_its_timeout_is_killed(source_config, script, record, temp_dir) -> None:
    started = time.monotonic()
    with pytest.raises(SourceError, match="longer than 1 s") as caught:
        run(configure(source_config, script, record, "sleeps", timeout=1), temp_dir)
    assert time.monotonic() - started < 3
    assert not caught.value.permanent
    assert list(temp_dir.iterdir()) == []


def test_cancel_kills_the_program_and_leaves_nothing(source_config, script, record, temp_dir) -> None:
    cancel = CancelToken()
    threading.Timer(0.5, cancel.cancel).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        run(configure(source_config, script, record, "sleeps"), temp_dir, cancel=cancel)
    assert time.monotonic() - started < 2
    assert list(temp_dir.iterdir()) == []


def test_a_missing_program_is_a_permanent_error(source_config, temp_dir) -> None:
    config = {
        **source_config,
        "commandSource": {"argv": ["/nonexistent/fetcher", "{output}"], "timeoutSeconds": 5},
    }
    with pytest.raises(SourceError) as caught:
        run(config, temp_dir)
    assert caught.value.permanent


def test_an_unknown_placeholder_is_refused() -> None:
    with pytest.raises(SourceError):
        render_argv(["{password}"], {"title": "x"})


def test_health_is_ok_when_the_program_exists(source_config, script, record) -> None:
    assert CommandSource().health(config=configure(source_config, script, record, "flac"))["ok"] is True


def test_health_is_not_ok_when_the_program_is_missing(source_config) -> None:
    missing = {**source_config, "commandSource": {"argv": ["/nonexistent/fetcher"], "timeoutSeconds": 5}}
    assert CommandSource().health(config=missing)["ok"] is False
