"""The seed's download paths, one per kind, each its own operation in the schema (so a generated
client has ``download_track(track_id)``), answering with and without a trailing slash as before."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

from downloads.models import DownloadTask
from tests.fakes.spotify_records import IDS

pytestmark = pytest.mark.django_db

SEED_OPERATIONS = {
    ("/api/track/download/{track_id}", "get"): "download_track",
    ("/api/album/download/{album_id}", "get"): "download_album",
    ("/api/playlist/download/{playlist_id}", "get"): "download_playlist",
    ("/api/artist/download/{artist_id}", "get"): "download_artist",
    ("/api/track/download/cancel/", "get"): "download_track_cancel",
    ("/api/album/download/cancel/", "get"): "download_album_cancel",
    ("/api/playlist/download/cancel/", "get"): "download_playlist_cancel",
}


def test_the_schema_has_one_operation_per_seed_download_path() -> None:
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    found = {
        (path, method): operation["operationId"]
        for path, operations in paths.items()
        if "/download/" in path
        for method, operation in operations.items()
    }
    assert found == SEED_OPERATIONS


@pytest.mark.parametrize(
    ("kind", "item_id"), [("track", IDS.track), ("album", IDS.small_album), ("playlist", IDS.small_playlist)]
)
@pytest.mark.parametrize("slash", ["", "/"])
def test_each_kind_queues_its_download_with_or_without_a_trailing_slash(
    spotify_owner_linked, auth_on, library_root, alice, alice_client, kind, item_id, slash
) -> None:
    response = alice_client.get(f"/api/{kind}/download/{item_id}{slash}")
    assert response.status_code == 202, response.content
    task = DownloadTask.objects.get(pk=response.json()["task_id"])
    assert (task.download_type, task.item_id) == (kind, item_id)


@pytest.mark.parametrize("slash", ["", "/"])
def test_a_kinds_cancel_route_cancels_only_that_kind(
    spotify_api, auth_on, library_root, alice_client, slash
) -> None:
    task_id = alice_client.get(f"/api/album/download/{IDS.small_album}").json()["task_id"]
    assert alice_client.get(f"/api/track/download/cancel{slash}?task_id={task_id}").status_code == 404
    response = alice_client.get(f"/api/album/download/cancel{slash}?task_id={task_id}")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
