"""The Deezer preview source against a local fake of Deezer's API serving real MP3 previews."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from downloads import tag_reading
from downloads.sources.base import SourceError
from downloads.sources.deezer import DeezerPreviewSource
from spotizerr.lib.cancel import CancelToken
from tests.downloads.sources.helpers import make_track
from tests.fakes.audio import make_audio
from tests.fakes.deezer_api import QUOTA_EXCEEDED, json_reply
from tests.fakes.media_server import Reply

ISRC = "GBAYE0601498"


@pytest.fixture(scope="module")
def preview_mp3(tmp_path_factory) -> bytes:
    return make_audio(tmp_path_factory.mktemp("deezer") / "preview.mp3", seconds=3).read_bytes()


@pytest.fixture
def known(deezer_api, preview_mp3):
    deezer_api.add_track(ISRC, preview=preview_mp3)
    return deezer_api


def find(config: dict, isrc: str | None = ISRC):
    return DeezerPreviewSource().find(make_track(isrc=isrc), config=config)


def fetch(config: dict, temp_dir: Path) -> Path:
    source = DeezerPreviewSource()
    candidate = source.find(make_track(isrc=ISRC), config=config)
    assert candidate is not None
    return source.fetch(candidate, temp_dir, config=config, cancel=CancelToken())


def test_it_finds_the_preview_of_a_known_isrc(known, source_config) -> None:
    candidate = find(source_config)
    assert candidate is not None
    assert (candidate.source, candidate.is_preview, candidate.extension) == ("deezer", True, ".mp3")
    assert candidate.ref == known.url(known.preview_path(ISRC))


def test_it_finds_nothing_for_an_isrc_deezer_does_not_know(deezer_api, source_config) -> None:
    assert find(source_config) is None


def test_it_does_not_ask_deezer_without_an_isrc(deezer_api, source_config) -> None:
    assert find(source_config, isrc=None) is None
    assert deezer_api.requests == []


def test_it_does_not_put_a_malformed_isrc_in_a_url(deezer_api, source_config) -> None:
    assert find(source_config, isrc="../../infos") is None
    assert deezer_api.requests == []


def test_a_track_without_a_preview_is_not_found(deezer_api, source_config) -> None:
    deezer_api.add_track(ISRC)
    assert find(source_config) is None


def test_an_exceeded_quota_is_a_transient_error(known, source_config) -> None:
    known.lookup_replies(ISRC, json_reply(QUOTA_EXCEEDED))
    with pytest.raises(SourceError) as caught:
        find(source_config)
    assert not caught.value.permanent


def test_a_429_on_lookup_is_transient_and_says_when_to_retry(known, source_config) -> None:
    known.lookup_replies(ISRC, json_reply({}, status=429, **{"Retry-After": "3"}))
    with pytest.raises(SourceError) as caught:
        find(source_config)
    assert (caught.value.permanent, caught.value.retry_after) == (False, 3.0)


def test_a_lookup_answering_garbage_is_a_transient_error(known, source_config) -> None:
    known.lookup_replies(ISRC, Reply(body=b"<html>maintenance</html>"))
    with pytest.raises(SourceError) as caught:
        find(source_config)
    assert not caught.value.permanent


def test_a_preview_on_a_host_that_is_not_allowed_is_ignored(known, source_config) -> None:
    known.lookup_replies(ISRC, json_reply({"id": 1, "preview": "http://192.168.1.1/preview.mp3"}))
    assert find(source_config) is None


def test_fetch_downloads_a_real_mp3_into_the_work_folder(known, source_config, temp_dir, preview_mp3) -> None:
    result = fetch(source_config, temp_dir)
    assert result.parent == temp_dir and result.suffix == ".mp3"
    assert result.read_bytes() == preview_mp3
    assert tag_reading.audio_duration_ms(result) > 2500


def test_a_preview_that_is_not_audio_is_a_permanent_error_and_is_removed(
    known, source_config, temp_dir
) -> None:
    known.preview_replies(ISRC, Reply(body=b"\0" * 5000))
    with pytest.raises(SourceError) as caught:
        fetch(source_config, temp_dir)
    assert caught.value.permanent
    assert list(temp_dir.iterdir()) == []


@pytest.mark.parametrize("fault", ["reset", "truncate"])
def test_a_preview_broken_off_mid_body_is_a_transient_error_that_leaves_nothing(
    known, source_config, temp_dir, preview_mp3, fault: str
) -> None:
    known.preview_replies(ISRC, Reply(body=preview_mp3, fault=fault, fault_after=len(preview_mp3) // 2))
    with pytest.raises(SourceError) as caught:
        fetch(source_config, temp_dir)
    assert not caught.value.permanent
    assert list(temp_dir.iterdir()) == []


def test_a_preview_server_error_is_transient(known, source_config, temp_dir) -> None:
    known.preview_replies(ISRC, Reply(503))
    with pytest.raises(SourceError) as caught:
        fetch(source_config, temp_dir)
    assert not caught.value.permanent


def test_a_second_fetch_after_a_transient_failure_succeeds(
    known, source_config, temp_dir, preview_mp3
) -> None:
    known.preview_replies(ISRC, Reply(500))
    with pytest.raises(SourceError):
        fetch(source_config, temp_dir)
    assert fetch(source_config, temp_dir).read_bytes() == preview_mp3


def test_real_time_paces_the_download_to_playback_speed_times_the_multiplier(
    known, source_config, temp_dir, preview_mp3
) -> None:
    """GIVEN realTime with multiplier 4 WHEN a 3 s clip (128 kbit/s nominal) is fetched THEN it takes
    about size / (16 kB/s × 4)."""
    source_config.update(realTime=True, realTimeMultiplier=4)
    expected = len(preview_mp3) / (16_000 * 4)
    started = time.monotonic()
    fetch(source_config, temp_dir)
    assert expected * 0.8 <= time.monotonic() - started < expected + 1.5


def test_without_real_time_the_download_is_not_paced(known, source_config, temp_dir) -> None:
    source_config.update(realTime=False, realTimeMultiplier=1)
    started = time.monotonic()
    fetch(source_config, temp_dir)
    assert time.monotonic() - started < 0.5


def test_health_is_ok_when_the_api_answers(deezer_api, source_config) -> None:
    assert DeezerPreviewSource().health(config=source_config)["ok"] is True


def test_health_is_not_ok_when_the_api_fails(deezer_api, source_config) -> None:
    deezer_api.route("/infos", Reply(500))
    assert DeezerPreviewSource().health(config=source_config)["ok"] is False
