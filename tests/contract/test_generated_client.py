"""A Python client generated from /api/schema/ with openapi-python-client does the whole user journey
against the live service with a real worker cluster: register, log in, search, download an album,
follow it to completion, read its history entry.

The client is generated into the test's temporary directory and imported from there; it is never
committed. The album's audio is generated into the service's inbox with ISRC tags matching the fake
Spotify catalog, so the inbox source finds every track.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from uuid import UUID

import pytest
import requests

from tests.contract.live import LiveService
from tests.fakes.audio import make_audio
from tests.fakes.spotify_records import IDS

pytestmark = pytest.mark.contract

PACKAGE = "spotizerr_client"
DOWNLOAD_TIMEOUT = 120.0


@pytest.fixture(scope="module")
def service(tmp_path_factory, fake_spotify) -> Iterator[LiveService]:
    """The live service with its django-q2 cluster, set to take music from the inbox."""
    live = LiveService(tmp_path_factory.mktemp("journey"), spotify=fake_spotify)
    try:
        live.start(workers=True)
        config = {
            "service": "inbox",
            "fallback": True,
            "sourceOrder": ["inbox", "spotify"],
            "maxRetries": 1,
            "retryDelaySeconds": 0,
            "retryDelayIncrease": 0,
        }
        response = requests.put(
            f"{live.url}/api/config/",
            json=config,
            timeout=30,
            headers={"Authorization": f"Bearer {live.token()}"},
        )
        assert response.status_code == 200, response.text
        yield live
    finally:
        live.stop()


@pytest.fixture(scope="module")
def client_package(service, tmp_path_factory) -> Iterator[ModuleType]:
    """``spotizerr_client``, generated from the running service's schema and importable for this module."""
    root = tmp_path_factory.mktemp("generated")
    schema = requests.get(f"{service.url}/api/schema/?format=json", timeout=30)
    schema.raise_for_status()
    (root / "schema.json").write_text(schema.text, encoding="utf-8")
    (root / "config.yaml").write_text(
        f"project_name_override: spotizerr-client\npackage_name_override: {PACKAGE}\npost_hooks: []\n",
        encoding="utf-8",
    )
    generator = Path(sys.executable).with_name("openapi-python-client")
    result = subprocess.run(
        [
            str(generator),
            "generate",
            "--path",
            "schema.json",
            "--config",
            "config.yaml",
            "--meta",
            "none",
            "--output-path",
            str(root / "packages" / PACKAGE),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(root / "packages"))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root / "packages"))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def _album_in_inbox(service: LiveService, album_id: str) -> list[str]:
    catalog = service.spotify.catalog
    names = []
    for track_id in catalog.albums[album_id].track_ids:
        track = catalog.tracks[track_id]
        artist = catalog.artists[track.artist_ids[0]].name
        make_audio(
            service.root / "inbox" / f"{track_id}.mp3",
            seconds=0.5,
            tags={"title": track.name, "artist": artist, "ISRC": track.isrc},
        )
        names.append(track.name)
    return names


def _module(package: ModuleType, name: str) -> ModuleType:
    return importlib.import_module(f"{package.__name__}.{name}")


def test_a_generated_client_logs_in_searches_downloads_an_album_and_reads_its_history(
    service, client_package
) -> None:
    """GIVEN the live service with the album's files in its inbox
    WHEN a client generated from the schema registers, logs in, searches, starts the album's download
    and follows it
    THEN the task completes and the history entry names the album with every track done."""

    def api(name: str):
        return _module(client_package, f"api.{name}")

    models = _module(client_package, "models")
    album = service.spotify.catalog.albums[IDS.small_album]
    _album_in_inbox(service, IDS.small_album)
    anonymous = client_package.Client(base_url=service.url, raise_on_unexpected_status=True)

    registered = api("auth.auth_register").sync(
        client=anonymous,
        body=models.AuthRegisterRequestRequest(username="journey", password="tapir-horse-battery-9"),
    )
    assert registered is not None and registered.user.username == "journey"
    login = api("auth.auth_login").sync(
        client=anonymous,
        body=models.AuthLoginRequestRequest(username="journey", password="tapir-horse-battery-9"),
    )
    assert isinstance(login, models.AuthLoginResponse), login
    client = client_package.AuthenticatedClient(
        base_url=service.url, token=login.access_token, raise_on_unexpected_status=True
    )

    found = api("search.search").sync(client=client, q=album.name, search_type=models.SearchSearchType.ALBUM)
    assert IDS.small_album in [item.id for item in found.items]

    assert {"download_track", "download_album", "download_playlist", "download_artist"} <= {
        path.stem for path in Path(api("downloads").__file__).parent.glob("download_*.py")
    }
    accepted = api("downloads.download_album").sync(IDS.small_album, client=client)
    task_id = str(accepted.task_id)

    deadline = time.monotonic() + DOWNLOAD_TIMEOUT
    progress = api("progress.progress_get").sync(task_id, client=client)
    while progress.status.value not in {"complete", "error", "cancelled", "skipped"}:
        assert time.monotonic() < deadline, f"still {progress.status.value} after {DOWNLOAD_TIMEOUT} s"
        time.sleep(0.5)
        progress = api("progress.progress_get").sync(task_id, client=client)
    assert progress.status.value == "complete", (progress.error, service.logs())
    assert progress.total_tracks == len(album.track_ids)

    entry = api("history.history_retrieve").sync(UUID(task_id), client=client)
    assert isinstance(entry, models.HistoryEntry), entry
    assert (entry.name, entry.status.value, entry.successful_tracks) == (album.name, "completed", 3)
    assert entry.owner == "journey" and not entry.file_path.startswith("/")
