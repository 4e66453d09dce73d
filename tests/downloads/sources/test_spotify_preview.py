"""The Spotify preview source: a track's ``preview_url``, served here by a local stand-in for Spotify."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from downloads.sources.base import SourceError
from downloads.sources.spotify_preview import SpotifyPreviewSource
from spotizerr.lib.cancel import CancelToken
from tests.downloads.sources.helpers import make_track
from tests.fakes.audio import make_audio
from tests.fakes.media_server import MediaServer, Reply


@pytest.fixture
def spotify_host(settings) -> Iterator[MediaServer]:
    with MediaServer() as server:
        settings.SPOTIFY_API_URL = server.url("/v1/")
        yield server


def test_a_track_without_a_preview_url_is_not_found(source_config) -> None:
    assert SpotifyPreviewSource().find(make_track(preview_url=None), config=source_config) is None


def test_a_preview_url_on_a_host_that_is_not_allowed_is_not_found(source_config) -> None:
    track = make_track(preview_url="http://10.0.0.5/preview.mp3")
    assert SpotifyPreviewSource().find(track, config=source_config) is None


def test_a_preview_url_on_spotifys_preview_host_is_a_preview_candidate(source_config) -> None:
    track = make_track(preview_url="https://p.scdn.co/mp3-preview/abc")
    candidate = SpotifyPreviewSource().find(track, config=source_config)
    assert candidate is not None
    assert (candidate.source, candidate.is_preview, candidate.ref) == ("spotify", True, track.preview_url)


def test_fetch_downloads_the_preview(spotify_host, source_config, temp_dir, tmp_path) -> None:
    mp3 = make_audio(tmp_path / "p.mp3").read_bytes()
    spotify_host.route("/mp3-preview/abc", Reply(body=mp3, content_type="audio/mpeg"))
    source = SpotifyPreviewSource()
    candidate = source.find(
        make_track(preview_url=spotify_host.url("/mp3-preview/abc")), config=source_config
    )
    result = source.fetch(candidate, temp_dir, config=source_config, cancel=CancelToken())
    assert result.parent == temp_dir and result.read_bytes() == mp3


def test_a_vanished_preview_is_a_permanent_error(spotify_host, source_config, temp_dir) -> None:
    spotify_host.route("/mp3-preview/abc", Reply(404))
    source = SpotifyPreviewSource()
    candidate = source.find(
        make_track(preview_url=spotify_host.url("/mp3-preview/abc")), config=source_config
    )
    with pytest.raises(SourceError) as caught:
        source.fetch(candidate, temp_dir, config=source_config, cancel=CancelToken())
    assert caught.value.permanent
    assert list(temp_dir.iterdir()) == []
