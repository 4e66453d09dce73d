"""Fixtures of the security tests: objects alice owns, a request helper, and a leak scanner that every
collected response passes through."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from tests.fakes.spotify_records import IDS

#: config keys whose values are server paths by design (the admin sets them; only admins read them)
PATH_SETTINGS = ("downloadPath", "inboxPath")


def call(client: APIClient, method: str, url: str, body: Any = None) -> Any:
    """One request; JSON bodies for methods that carry one."""
    if body is None:
        return client.generic(method, url)
    return client.generic(method, url, json.dumps(body), content_type="application/json")


def _strip_path_settings(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: (None if k in PATH_SETTINGS else _strip_path_settings(v)) for k, v in data.items()}
    if isinstance(data, list):
        return [_strip_path_settings(v) for v in data]
    return data


def _host_names() -> list[str]:
    names = {socket.gethostname(), socket.getfqdn()}
    return sorted(n for n in names if n and len(n) >= 6 and n not in {"localhost", "localhost.localdomain"})


@pytest.fixture
def leak_markers(tmp_path: Path) -> list[str]:
    """Strings no response may contain: server paths, host names, tracebacks."""
    markers = {
        str(tmp_path),
        str(django_settings.BASE_DIR),
        str(Path(django_settings.DATA_DIR).resolve()),
        "Traceback (most recent call last)",
        'File "/',
        *_host_names(),
    }
    return sorted(markers)


@pytest.fixture
def assert_no_leaks(leak_markers: list[str]) -> Callable[..., None]:
    """``assert_no_leaks(response, extra=())``: the body holds no marker (config path settings aside)."""

    def check(response: Any, extra: tuple[str, ...] = ()) -> None:
        text = response.content.decode("utf-8", "replace")
        if "json" in response.get("Content-Type", ""):
            text = json.dumps(_strip_path_settings(response.json()))
        where = f"{response.request['REQUEST_METHOD']} {response.request['PATH_INFO']}"
        for marker in [*leak_markers, *extra]:
            assert marker not in text, f"{where} answered with {marker!r}: {text[:400]}"
        assert not re.search(r"traceback", text, re.IGNORECASE), f"{where} answered with a traceback"

    return check


# ---------------------------------------------------------------------------------------------- alice's things
def _task_for(user: Any) -> str:
    from downloads.services import download_request

    return str(download_request(user=user, download_type="album", item_id=IDS.small_album).pk)


def _history_for(user: Any) -> str:
    from tests.library_history.factories import record_download, record_track

    entry = record_download(user, download_type="album", name="Owned Album")
    record_track(entry, 1)
    return str(entry.task_id)


def _import_for(user: Any) -> str:
    from playlist_imports.services import ImportSource, import_create

    source = ImportSource(kind="links", name="Alice's import", text=IDS.track)
    return str(import_create(user=user, source=source).pk)


def _watch_for(client: APIClient, kind: str, spotify_id: str) -> str:
    from settings_app.services import watch_config_update

    watch_config_update(changes={"enabled": True})
    response = call(client, "PUT", f"/api/{kind}/watch/{spotify_id}", {})
    assert response.status_code < 300, response.content
    return spotify_id


@pytest.fixture
def owned(alice, client_for, spotify_owner_linked) -> Callable[[str], dict[str, str]]:
    """``owned(access)``: make alice's object for that access level; returns URL placeholders. The
    callers are linked to the Spotify account that owns the fixture playlists (2026 rules), so a
    playlist's tracks answer them."""

    def make(access: str) -> dict[str, str]:
        from tests.security.endpoints import OWN_HISTORY, OWN_IMPORT, OWN_TASK, OWN_WATCH

        if access == OWN_TASK:
            return {"task": _task_for(alice)}
        if access == OWN_HISTORY:
            return {"history": _history_for(alice)}
        if access == OWN_IMPORT:
            return {"import": _import_for(alice)}
        if access == OWN_WATCH:
            client = client_for(alice)
            return {
                "playlist_watch": _watch_for(client, "playlist", IDS.small_playlist),
                "artist_watch": _watch_for(client, "artist", IDS.artist),
            }
        return {}

    return make
