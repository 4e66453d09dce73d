"""Which ``Host`` names Spotizerr answers to: ``SPOTIZERR_ALLOWED_HOSTS`` when set, else loopback, the
host of ``SPOTIZERR_PUBLIC_URL`` and a specific ``HOST``; a forged ``Host`` gets a 400 and never
reaches the absolute ``next`` links the catalog builds from it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from spotizerr.env import default_allowed_hosts
from tests.fakes.spotify_records import IDS

LOOPBACK = ["localhost", "127.0.0.1", "[::1]"]


def _allowed_hosts_with(env: dict[str, str], data_dir: Path) -> list[str]:
    """``settings.ALLOWED_HOSTS`` of a fresh process started with only ``env`` set."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SPOTIZERR_", "DATABASE_URL", "REDIS_URL", "HOST", "PORT"))
    }
    code = "from django.conf import settings; import json; print(json.dumps(settings.ALLOWED_HOSTS))"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=django_settings.BASE_DIR,
        env={**base, "SPOTIZERR_DATA_DIR": str(data_dir), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_by_default_it_answers_to_loopback_names_only(tmp_path: Path) -> None:
    assert _allowed_hosts_with({}, tmp_path) == LOOPBACK


def test_the_public_urls_host_is_added_so_a_lan_address_works(tmp_path: Path) -> None:
    env = {"SPOTIZERR_PUBLIC_URL": "http://192.168.1.10:7171"}
    assert _allowed_hosts_with(env, tmp_path) == [*LOOPBACK, "192.168.1.10"]


def test_the_configured_list_replaces_the_default(tmp_path: Path) -> None:
    env = {"SPOTIZERR_ALLOWED_HOSTS": "music.example.org, .home.arpa", "HOST": "0.0.0.0"}
    assert _allowed_hosts_with(env, tmp_path) == ["music.example.org", ".home.arpa"]


def test_a_specific_bind_address_is_added_and_a_wildcard_is_not() -> None:
    assert default_allowed_hosts(public_url="", bind_host="10.0.0.5") == [*LOOPBACK, "10.0.0.5"]
    assert default_allowed_hosts(public_url="", bind_host="fd00::5") == [*LOOPBACK, "[fd00::5]"]
    assert default_allowed_hosts(public_url="http://localhost:7171", bind_host="0.0.0.0") == LOOPBACK
    assert default_allowed_hosts(public_url="https://Music.Example.org/", bind_host="::") == [
        *LOOPBACK,
        "music.example.org",
    ]


@pytest.fixture
def public_host(settings) -> None:
    settings.ALLOWED_HOSTS = default_allowed_hosts(public_url="https://music.example.org", bind_host="::")


@pytest.mark.django_db
def test_a_forged_host_gets_400_in_the_error_shape_and_no_link_to_it(
    public_host, spotify_api, auth_on, alice_client
) -> None:
    response = alice_client.get(
        "/api/album/info", {"id": IDS.big_album, "limit": 25}, HTTP_HOST="evil.example"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "disallowed_host" and "SPOTIZERR_ALLOWED_HOSTS" in body["error"]
    assert b"evil.example" not in response.content


@pytest.mark.django_db
def test_the_public_host_gets_next_links_on_itself(public_host, spotify_api, auth_on, alice_client) -> None:
    response = alice_client.get(
        "/api/album/info", {"id": IDS.big_album, "limit": 25}, HTTP_HOST="music.example.org"
    )
    assert response.status_code == 200
    assert response.json()["tracks"]["next"].startswith("http://music.example.org/api/album/info?")


@pytest.mark.django_db
def test_a_forged_host_on_a_dashboard_page_gets_a_page_saying_what_to_set(public_host) -> None:
    from django.test import Client

    response = Client().get("/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert b"SPOTIZERR_ALLOWED_HOSTS" in response.content and b"evil.example" not in response.content
