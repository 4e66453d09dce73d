"""Rate limits, server errors and timeouts: the client backs off, retries, and says whether retrying helps."""

from __future__ import annotations

import pytest

from spotizerr.integrations.spotify import (
    SpotifyClient,
    SpotifyRateLimited,
    SpotifyUnavailable,
    blocked_for,
    get_spotify_client,
)
from spotizerr.integrations.spotify.transport import Credentials, SpotifyTransport
from tests.fakes.spotify_api import IDS, FakeSpotify


def _api_times(fake: FakeSpotify) -> list[tuple[float, int]]:
    return [(record.time, record.status) for record in fake.requests if record.path.startswith("/v1/")]


def test_it_sends_nothing_until_retry_after_has_passed(spotify_api: FakeSpotify) -> None:
    """GIVEN Spotify answers 429 with Retry-After: 1 WHEN a track is read THEN the next request comes no
    sooner than one second later, and the read succeeds."""
    spotify_api.fail_next(429, retry_after=1)
    track = get_spotify_client().track(IDS.track)
    (limited_at, first_status), (retried_at, second_status) = _api_times(spotify_api)
    assert (first_status, second_status) == (429, 200)
    assert retried_at - limited_at >= 1.0
    assert track.id == IDS.track


def test_a_second_client_instance_honours_the_same_back_off(spotify_api: FakeSpotify, settings) -> None:
    """GIVEN one client hit a 429 and gave up WHEN a separate client (own connection pool, as in another
    worker) reads THEN it waits for the shared Retry-After before its first request."""
    spotify_api.fail_next(429, retry_after=1)
    with pytest.raises(SpotifyRateLimited):
        get_spotify_client(max_wait=0).track(IDS.track)
    limited_at = _api_times(spotify_api)[0][0]
    other = SpotifyClient(
        SpotifyTransport(
            Credentials(spotify_api.client_id, spotify_api.client_secret),
            api_url=settings.SPOTIFY_API_URL,
            token_url=settings.SPOTIFY_TOKEN_URL,
        ),
        max_wait=5,
    )
    other.album(IDS.small_album)
    next_at, status = _api_times(spotify_api)[1]
    assert status == 200 and next_at - limited_at >= 1.0


def test_it_raises_rate_limited_when_the_wait_is_longer_than_the_caller_allows(
    spotify_api: FakeSpotify,
) -> None:
    spotify_api.fail_next(429, retry_after=30)
    with pytest.raises(SpotifyRateLimited) as caught:
        get_spotify_client(max_wait=2).track(IDS.track)
    assert caught.value.permanent is False and caught.value.retry_after == 30
    assert 29 < blocked_for() <= 30


def test_it_makes_no_request_while_a_long_back_off_is_running(spotify_api: FakeSpotify) -> None:
    spotify_api.fail_next(429, retry_after=30)
    with pytest.raises(SpotifyRateLimited):
        get_spotify_client(max_wait=0).track(IDS.track)
    with pytest.raises(SpotifyRateLimited):
        get_spotify_client(max_wait=0).album(IDS.small_album)
    assert spotify_api.api_calls() == 1


def test_it_retries_server_errors_and_then_succeeds(spotify_api: FakeSpotify) -> None:
    spotify_api.fail_next(503, count=2)
    assert get_spotify_client().track(IDS.track).id == IDS.track
    assert [status for _, status in _api_times(spotify_api)] == [503, 503, 200]


def test_it_gives_up_after_its_retries_saying_a_later_retry_may_help(
    spotify_api: FakeSpotify, settings
) -> None:
    settings.SPOTIFY_RETRIES = 2
    spotify_api.fail_next(500, count=10)
    with pytest.raises(SpotifyUnavailable) as caught:
        get_spotify_client().track(IDS.track)
    assert caught.value.permanent is False
    assert spotify_api.api_calls() == 3


def test_it_backs_off_exponentially_between_retries(spotify_api: FakeSpotify, settings) -> None:
    settings.SPOTIFY_RETRY_BACKOFF_MS = 100
    spotify_api.fail_next(502, count=2)
    get_spotify_client().track(IDS.track)
    times = [at for at, _ in _api_times(spotify_api)]
    assert times[1] - times[0] >= 0.08 and times[2] - times[1] >= 0.16


def test_it_retries_a_request_that_times_out(spotify_api: FakeSpotify, settings) -> None:
    get_spotify_client().check()  # fetch the token before slowing the server down
    settings.SPOTIFY_TIMEOUT_SECONDS = 0.3
    spotify_api.delay(0.6, count=1)
    assert get_spotify_client().track(IDS.track).id == IDS.track
    assert len([r for r in spotify_api.requests if r.path == f"/v1/tracks/{IDS.track}"]) == 2


def test_it_gives_up_on_a_server_that_keeps_timing_out(spotify_api: FakeSpotify, settings) -> None:
    get_spotify_client().check()
    settings.SPOTIFY_TIMEOUT_SECONDS, settings.SPOTIFY_RETRIES = 0.2, 1
    spotify_api.delay(0.4)
    with pytest.raises(SpotifyUnavailable) as caught:
        get_spotify_client().track(IDS.track)
    assert caught.value.permanent is False


def test_it_does_not_retry_a_request_spotify_refuses(spotify_api: FakeSpotify) -> None:
    spotify_api.fail_next(403)
    from spotizerr.integrations.spotify import SpotifyError

    with pytest.raises(SpotifyError) as caught:
        get_spotify_client().track(IDS.track)
    assert caught.value.permanent is True and caught.value.upstream_status == 403
    assert spotify_api.api_calls() == 1


def test_it_retries_when_the_token_endpoint_fails(spotify_api: FakeSpotify) -> None:
    spotify_api.fail_next(503, path_prefix="/api/token")
    assert get_spotify_client().track(IDS.track).id == IDS.track
    assert spotify_api.api_calls("/api/token") == 2
