"""The inbox never follows a symbolic link: not when indexing, not when fetching a file that was
replaced by a link after it was indexed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from downloads.sources.base import SourceError
from downloads.sources.inbox import InboxSource
from spotizerr.lib.cancel import CancelToken
from tests.downloads.sources.helpers import make_track
from tests.downloads.sources.test_inbox import song

ISRC = "GBAAA8300001"


@pytest.fixture(autouse=True)
def private_index(settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()


@pytest.fixture
def inbox(source_config) -> Path:
    return Path(source_config["inboxPath"])


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    return song(tmp_path / "outside" / "private.flac", isrc=ISRC)


def test_a_symlink_to_a_file_outside_the_inbox_is_not_indexed(inbox, outside, source_config) -> None:
    (inbox / "link.flac").symlink_to(outside)
    assert InboxSource().find(make_track(isrc=ISRC), config=source_config) is None


def test_a_symlink_to_a_file_inside_the_inbox_is_not_indexed_twice(inbox, source_config) -> None:
    real = song(inbox / "real.flac", isrc=ISRC)
    (inbox / "link.flac").symlink_to(real)
    candidate = InboxSource().find(make_track(isrc=ISRC), config=source_config)
    assert candidate is not None and Path(candidate.ref).name == "real.flac"
    assert InboxSource().health(config=source_config)["detail"] == "1 audio file(s) indexed"


def test_a_symlinked_folder_is_not_descended_into(inbox, outside, source_config) -> None:
    (inbox / "elsewhere").symlink_to(outside.parent, target_is_directory=True)
    assert InboxSource().find(make_track(isrc=ISRC), config=source_config) is None


@pytest.mark.parametrize("mode", ["copy", "hardlink", "move"])
def test_a_file_replaced_by_a_symlink_after_indexing_is_refused(
    inbox, outside, source_config, temp_dir, mode
) -> None:
    indexed = song(inbox / "x.flac", isrc=ISRC)
    source_config["inboxMode"] = mode
    candidate = InboxSource().find(make_track(isrc=ISRC), config=source_config)
    indexed.unlink()
    indexed.symlink_to(outside)

    with pytest.raises(SourceError) as caught:
        InboxSource().fetch(candidate, temp_dir, config=source_config, cancel=CancelToken())

    assert caught.value.permanent and "link" in caught.value.reason
    assert list(temp_dir.iterdir()) == []


def test_a_file_under_a_folder_replaced_by_a_symlink_is_refused(
    inbox, outside, source_config, temp_dir
) -> None:
    song(inbox / "Album" / "x.flac", isrc=ISRC)
    candidate = InboxSource().find(make_track(isrc=ISRC), config=source_config)
    os.rename(inbox / "Album", inbox / "gone")
    os.rename(outside, outside.with_name("x.flac"))
    (inbox / "Album").symlink_to(outside.parent, target_is_directory=True)

    with pytest.raises(SourceError) as caught:
        InboxSource().fetch(candidate, temp_dir, config=source_config, cancel=CancelToken())

    assert caught.value.permanent and list(temp_dir.iterdir()) == []
