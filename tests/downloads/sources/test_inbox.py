"""The inbox source with real audio files (ffmpeg), real tags (mutagen) and its real SQLite index."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from downloads import tagging
from downloads.sources.base import SourceError
from downloads.sources.inbox import InboxSource, index
from spotizerr.lib.cancel import Cancelled, CancelToken
from tests.downloads.sources.helpers import make_track
from tests.fakes.audio import make_audio

ISRC = "GBAAA8300001"


@pytest.fixture(autouse=True)
def private_index(settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()


@pytest.fixture
def inbox(source_config) -> Path:
    return Path(source_config["inboxPath"])


def song(
    path: Path,
    *,
    title: str = "Blue Monday",
    artist: str = "New Order",
    isrc: str | None = None,
    seconds: float = 2.0,
) -> Path:
    tags = {"title": title, "artist": artist} | ({"ISRC": isrc} if isrc else {})
    return make_audio(path, seconds=seconds, tags=tags)


def age(*paths: Path, seconds: float = 60) -> None:
    """Make timestamps old enough for the index to trust them."""
    past = time.time() - seconds
    for path in paths:
        os.utime(path, (past, past))


def test_it_finds_a_file_by_its_isrc_tag_whatever_its_title(inbox, source_config) -> None:
    song(inbox / "untitled.flac", title="Track 01", artist="Unknown", isrc=ISRC)
    candidate = InboxSource().find(make_track(isrc=ISRC), config=source_config)
    assert candidate is not None
    assert (Path(candidate.ref).name, candidate.is_preview, candidate.quality) == (
        "untitled.flac",
        False,
        "FLAC",
    )
    assert candidate.extension == ".flac" and candidate.duration_ms == 2000


def test_it_finds_an_isrc_in_mp4_freeform_tags(inbox, source_config) -> None:
    path = make_audio(inbox / "a.m4a")
    tagging.write_tags(path, tagging.TagData(title="Other", artists=["Someone"], isrc=ISRC))
    candidate = InboxSource().find(make_track(isrc=ISRC), config=source_config)
    assert candidate is not None and candidate.quality.startswith("AAC")


def test_it_matches_by_normalised_artist_and_title_when_no_isrc_matches(inbox, source_config) -> None:
    song(inbox / "x.mp3", title="Blue Monday (2015 Remaster)", artist="NEW ORDER feat. Someone")
    track = make_track(name="Blue Monday - Remastered 2015", artists=("New Order",), isrc="USXXX0000000")
    candidate = InboxSource().find(track, config=source_config)
    assert candidate is not None and Path(candidate.ref).name == "x.mp3"


def test_it_ignores_accents_and_punctuation(inbox, source_config) -> None:
    song(inbox / "x.ogg", title="Deja Vu!", artist="Beyonce")
    candidate = InboxSource().find(
        make_track(name="Déjà vu", artists=("Beyoncé", "Jay-Z")), config=source_config
    )
    assert candidate is not None


def test_a_title_match_with_a_length_off_by_more_than_three_seconds_is_not_a_match(
    inbox, source_config
) -> None:
    song(inbox / "x.mp3", seconds=2.0)
    assert InboxSource().find(make_track(duration_ms=5500), config=source_config) is None


def test_a_title_match_within_three_seconds_is_a_match(inbox, source_config) -> None:
    song(inbox / "x.mp3", seconds=2.0)
    assert InboxSource().find(make_track(duration_ms=4900), config=source_config) is not None


def test_a_different_artist_is_not_a_match(inbox, source_config) -> None:
    song(inbox / "x.mp3", artist="Orgy")
    assert InboxSource().find(make_track(), config=source_config) is None


def test_untagged_files_are_matched_by_their_name(inbox, source_config) -> None:
    make_audio(inbox / "01 - New Order - Blue Monday.wav")
    candidate = InboxSource().find(make_track(), config=source_config)
    assert candidate is not None and candidate.quality == "WAV"


def test_untagged_files_in_artist_album_folders_are_matched(inbox, source_config) -> None:
    make_audio(inbox / "New Order" / "Power Corruption" / "01 Blue Monday.wav")
    assert InboxSource().find(make_track(), config=source_config) is not None


def test_a_lossless_copy_is_preferred_over_a_lossy_one(inbox, source_config) -> None:
    song(inbox / "a.mp3", isrc=ISRC)
    song(inbox / "b.flac", isrc=ISRC)
    candidate = InboxSource().find(make_track(isrc=ISRC), config=source_config)
    assert candidate is not None and candidate.quality == "FLAC"


def test_files_that_are_not_audio_are_ignored(inbox, source_config) -> None:
    (inbox / "broken.mp3").write_bytes(b"not audio at all" * 100)
    (inbox / "notes.txt").write_text("Blue Monday")
    assert InboxSource().find(make_track(), config=source_config) is None


def test_a_missing_inbox_folder_finds_nothing(source_config, tmp_path) -> None:
    source_config["inboxPath"] = str(tmp_path / "nowhere")
    assert InboxSource().find(make_track(), config=source_config) is None


# ---------------------------------------------------------------- the index
def test_an_unchanged_folder_is_not_listed_again(inbox, source_config) -> None:
    song(inbox / "a" / "x.mp3")
    age(inbox / "a" / "x.mp3", inbox / "a", inbox)
    with index.connect() as conn:
        assert index.refresh(conn, inbox) == 2
        assert index.refresh(conn, inbox) == 0


def test_a_file_added_later_is_found_without_reading_the_others_again(inbox, source_config) -> None:
    """GIVEN an indexed inbox WHEN a new file arrives in one folder THEN only that folder is re-listed."""
    song(inbox / "a" / "x.mp3", title="Other")
    (inbox / "b").mkdir()
    age(inbox / "a" / "x.mp3", inbox / "a", inbox / "b", inbox)
    source = InboxSource()
    assert source.find(make_track(), config=source_config) is None
    song(inbox / "b" / "y.mp3")
    with index.connect() as conn:
        assert index.refresh(conn, inbox) == 1
    assert source.find(make_track(), config=source_config) is not None


def test_a_deleted_file_drops_out_of_the_index(inbox, source_config) -> None:
    path = song(inbox / "sub" / "x.mp3")
    source = InboxSource()
    assert source.find(make_track(), config=source_config) is not None
    path.unlink()
    assert source.find(make_track(), config=source_config) is None


def test_a_removed_folder_drops_its_files_out_of_the_index(inbox, source_config) -> None:
    path = song(inbox / "sub" / "deeper" / "x.mp3")
    source = InboxSource()
    assert source.find(make_track(), config=source_config) is not None
    path.unlink()
    path.parent.rmdir()
    path.parent.parent.rmdir()
    assert source.find(make_track(), config=source_config) is None


def test_health_reports_how_many_files_are_indexed(inbox, source_config) -> None:
    song(inbox / "x.mp3")
    assert InboxSource().health(config=source_config) == {"ok": True, "detail": "1 audio file(s) indexed"}


def test_health_reports_a_missing_folder_without_its_path(source_config, tmp_path) -> None:
    source_config["inboxPath"] = str(tmp_path / "nowhere")
    result = InboxSource().health(config=source_config)
    assert result["ok"] is False and str(tmp_path) not in result["detail"]


# ---------------------------------------------------------------- fetch and commit
def fetched(source_config, temp_dir: Path, *, mode: str = "copy") -> tuple[Path, Path]:
    source_config["inboxMode"] = mode
    source = InboxSource()
    candidate = source.find(make_track(), config=source_config)
    assert candidate is not None
    result = source.fetch(candidate, temp_dir, config=source_config, cancel=CancelToken())
    return Path(candidate.ref), result


def test_fetch_copies_the_file_into_the_work_folder_and_keeps_the_original(
    inbox, source_config, temp_dir
) -> None:
    original = song(inbox / "x.flac")
    _, result = fetched(source_config, temp_dir)
    assert result.parent == temp_dir and result.suffix == ".flac"
    assert result.read_bytes() == original.read_bytes()
    assert os.stat(result).st_ino != os.stat(original).st_ino
    assert original.exists()


def test_hardlink_mode_links_the_file(inbox, source_config, temp_dir) -> None:
    original = song(inbox / "x.flac")
    _, result = fetched(source_config, temp_dir, mode="hardlink")
    assert os.stat(result).st_ino == os.stat(original).st_ino


def test_move_mode_keeps_the_original_until_commit(inbox, source_config, temp_dir) -> None:
    original = song(inbox / "x.flac")
    _, result = fetched(source_config, temp_dir, mode="move")
    assert original.exists() and result.exists()


def test_move_mode_removes_the_original_on_commit(inbox, source_config, temp_dir) -> None:
    original = song(inbox / "x.flac")
    source_config["inboxMode"] = "move"
    source = InboxSource()
    candidate = source.find(make_track(), config=source_config)
    source.fetch(candidate, temp_dir, config=source_config, cancel=CancelToken())
    source.commit(candidate, config=source_config)
    assert not original.exists()
    assert source.find(make_track(), config=source_config) is None


def test_commit_in_copy_mode_leaves_the_original(inbox, source_config, temp_dir) -> None:
    original = song(inbox / "x.flac")
    source = InboxSource()
    candidate = source.find(make_track(), config=source_config)
    source.commit(candidate, config=source_config)
    assert original.exists()


def test_fetch_of_a_file_gone_since_it_was_found_is_a_transient_error(inbox, source_config, temp_dir) -> None:
    original = song(inbox / "x.flac")
    source = InboxSource()
    candidate = source.find(make_track(), config=source_config)
    original.unlink()
    with pytest.raises(SourceError) as caught:
        source.fetch(candidate, temp_dir, config=source_config, cancel=CancelToken())
    assert not caught.value.permanent
    assert list(temp_dir.iterdir()) == []


def test_fetch_refuses_a_candidate_outside_the_inbox(inbox, source_config, temp_dir, tmp_path) -> None:
    song(inbox / "x.flac")
    source = InboxSource()
    candidate = source.find(make_track(), config=source_config)
    forged = type(candidate)(**{**candidate.__dict__, "ref": str(inbox / ".." / "secret.flac")})
    with pytest.raises(SourceError) as caught:
        source.fetch(forged, temp_dir, config=source_config, cancel=CancelToken())
    assert caught.value.permanent


def test_a_cancelled_fetch_leaves_no_partial_file(inbox, source_config, temp_dir) -> None:
    song(inbox / "x.flac")
    source = InboxSource()
    candidate = source.find(make_track(), config=source_config)
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        source.fetch(candidate, temp_dir, config=source_config, cancel=cancel)
    assert list(temp_dir.iterdir()) == []
