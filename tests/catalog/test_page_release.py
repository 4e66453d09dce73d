"""A sent catalog page is freed at once: no part of a 500-track body waits for the collector's full
sweep, which took 15-25 ms whenever it ran (``spotizerr.middleware.ReleaseRenderedViewMiddleware`` and
the plain-dict track lists of ``spotizerr.catalog.bodies``)."""

from __future__ import annotations

import gc
import json

import pytest

from tests.fakes.spotify_api import FakeSpotify

pytestmark = [pytest.mark.django_db]

TRACKS = 200  # a body of ~19 dicts and lists a track


def _unreachable_after(client, path: str) -> int:
    """Objects left in reference cycles by one request, found by a collection right after it."""
    gc.collect()
    gc.disable()
    try:
        response = client.get(path)
        assert response.status_code == 200, response.content[:300]
        body = json.loads(response.content)
        items = body["items"] if "items" in body else body["tracks"]["items"]
        assert len(items) == TRACKS
        del response.json  # the test client's own cycle (response.json holds the response)
        del response, body, items
        return gc.collect()
    finally:
        gc.enable()


@pytest.mark.usefixtures("spotify_owner_linked")
@pytest.mark.parametrize("endpoint", ["tracks?limit=500&id=", "info?include_tracks=true&id="])
def test_a_sent_playlist_page_leaves_no_cycle_holding_its_tracks(
    auth_on, alice_client, spotify_api: FakeSpotify, endpoint: str
) -> None:
    path = f"/api/playlist/{endpoint}{spotify_api.catalog.generate_playlist('Long', TRACKS)}"
    alice_client.get(path)  # fills the Spotify cache: the second request is the one measured
    assert _unreachable_after(alice_client, path) < TRACKS * 2
