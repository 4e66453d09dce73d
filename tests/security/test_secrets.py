"""A known Spotify client secret, set through the credentials API, never shows up anywhere but as
ciphertext: not in API responses, log lines, django-q2's stored tasks, progress events or any column."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.fakes.audio import make_audio
from tests.fakes.spotify_records import IDS
from tests.security.conftest import call
from tests.security.endpoints import ADMIN, MATRIX, PUBLIC, USER

SECRET = "known-test-secret-7f3a9c2e5b1d"
LOGGERS = (
    "",
    "spotizerr",
    "accounts",
    "settings_app",
    "downloads",
    "library_history",
    "watching",
    "django",
    "django_q",
    "spotipy",
    "urllib3",
    "requests",
)


@pytest.fixture
def secret_set(auth_on, admin_client, spotify_server, tmp_path, settings, caplog) -> str:
    """The fake Spotify accepts only SECRET, which the admin stores through the API; logs captured at DEBUG."""
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    spotify_server.client_secret = SECRET
    body = {"client_id": spotify_server.client_id, "client_secret": SECRET}
    response = admin_client.post("/api/credentials/spotify/main", body, format="json")
    assert response.status_code == 201, response.content
    assert SECRET not in response.content.decode()
    return SECRET


def _every_text(value: Any) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        raw = bytes(value)
        return raw.decode("utf-8", "replace") + repr(raw)
    return repr(value)


def _raw_database_cells() -> list[tuple[str, str]]:
    """(table.column, text) for every cell of every table, read with plain SQL."""
    cells = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            names = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                cells.extend(
                    (f"{table}.{name}", _every_text(value)) for name, value in zip(names, row, strict=True)
                )
    return cells


def _cache_and_sessions() -> list[str]:
    """Cache entries and sessions, unpacked: both are stored encoded (pickles, signed JSON)."""
    import base64
    import pickle

    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    texts = [repr(SessionStore().decode(s.session_data)) for s in Session.objects.all()]
    if settings.REDIS_URL:
        from django.core.cache import cache

        client = cache._cache.get_client()  # no public way to list keys
        for key in client.scan_iter():
            if client.type(key) != b"string":  # django-q2's queue list is read by queued_payloads()
                continue
            raw = client.get(key)
            try:
                texts.append(repr(pickle.loads(raw)))
            except Exception:
                texts.append(_every_text(raw))
        return texts
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM spotizerr_cache")
        for key, value in cursor.fetchall():
            texts.append(key + repr(pickle.loads(base64.b64decode(value.encode()))))
    return texts


def queued_payloads() -> list[Any]:
    """What waits in django-q2's queue (the ORM table, or the Redis list with REDIS_URL), unpacked."""
    from django.conf import settings
    from django_q.brokers import get_broker
    from django_q.models import OrmQ
    from django_q.signing import SignedPackage

    if settings.REDIS_URL:
        broker = get_broker()
        raw = broker.connection.lrange(broker.list_key, 0, -1)
    else:
        raw = [row.payload for row in OrmQ.objects.all()]
    return [SignedPackage.loads(payload) for payload in raw]


def _queued_and_finished_tasks() -> list[str]:
    """django-q2's queue and task tables, payloads unpacked (they are signed pickles, not plain text)."""
    from django_q.models import Schedule, Task

    texts = [repr(payload) for payload in queued_payloads()]
    texts += [repr((t.func, t.args, t.kwargs, t.result)) for t in Task.objects.all()]
    texts += [repr((s.func, s.args, s.kwargs)) for s in Schedule.objects.all()]
    return texts


def _assert_nowhere(secret: str, caplog) -> None:
    for where, text in _raw_database_cells():
        assert secret not in text, f"the secret is stored in plain text in {where}"
    for text in _queued_and_finished_tasks():
        assert secret not in text, f"a django-q2 task carries the secret: {text[:300]}"
    for text in _cache_and_sessions():
        assert secret not in text, f"the cache or a session holds the secret: {text[:300]}"
    for record in caplog.records:
        line = logging.Formatter("%(message)s %(exc_text)s").format(record) + repr(record.args)
        assert secret not in line, f"logged by {record.name}: {line[:300]}"


def _every_get_url() -> list[str]:
    return [
        row.url
        for (path, method), row in MATRIX.items()
        if method == "GET" and row.access in (PUBLIC, USER, ADMIN) and not row.pending
    ]


@pytest.mark.django_db
def test_the_secret_never_appears_in_api_responses_or_logs(secret_set, admin_client, caplog) -> None:
    """GIVEN the secret in use (catalog calls fetch tokens with it) WHEN an admin reads every endpoint
    THEN no response, log line or column holds it."""
    seen = 0
    for url in _every_get_url():
        response = call(admin_client, "GET", url)
        assert secret_set not in response.content.decode("utf-8", "replace"), url
        seen += response.status_code == 200
    assert seen > 20
    assert call(admin_client, "GET", f"/api/track/info?id={IDS.track}").status_code == 200  # the secret works
    assert call(admin_client, "POST", "/api/config/validate", {}).status_code < 500
    _assert_nowhere(secret_set, caplog)


@pytest.mark.django_db
def test_the_stored_column_is_ciphertext_that_decrypts_to_the_secret(secret_set) -> None:
    from settings_app.selectors import active_spotify_credentials

    with connection.cursor() as cursor:
        cursor.execute("SELECT client_secret_encrypted FROM settings_app_credential")
        (stored,) = cursor.fetchone()
    assert stored and secret_set not in stored
    assert active_spotify_credentials().client_secret == secret_set


@pytest.mark.django_db
def test_queued_download_tasks_carry_ids_not_secrets(
    secret_set, alice_client, library_root, monkeypatch, django_capture_on_commit_callbacks, caplog
) -> None:
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", False)  # only store what would be sent to the workers
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.get(f"/api/album/download/{IDS.small_album}")
    assert response.status_code == 202
    assert queued_payloads()
    _assert_nowhere(secret_set, caplog)


@pytest.mark.django_db(transaction=True)
def test_a_whole_download_leaves_the_secret_in_no_event_task_or_log(
    secret_set, alice_client, library_root, inbox_root, spotify_server, monkeypatch, caplog, assert_no_leaks
) -> None:
    """GIVEN the album's files in the inbox WHEN alice downloads it with the worker run inline
    THEN progress events, django-q2's task rows, history and logs hold no trace of the secret, and
    what alice reads about it names no server path."""
    from django_q.conf import Conf

    from downloads.models import DownloadTask, TaskEvent
    from settings_app.services import config_update

    monkeypatch.setattr(Conf, "SYNC", True)
    config_update(
        changes={
            "service": "inbox",
            "fallback": True,
            "sourceOrder": ["inbox", "spotify"],
            "maxRetries": 1,
            "retryDelaySeconds": 0,
            "retryDelayIncrease": 0,
        }
    )
    catalog = spotify_server.catalog
    for track_id in catalog.albums[IDS.small_album].track_ids:
        track = catalog.tracks[track_id]
        make_audio(
            Path(inbox_root) / f"{track_id}.mp3",
            seconds=0.5,
            tags={
                "title": track.name,
                "artist": catalog.artists[track.artist_ids[0]].name,
                "ISRC": track.isrc,
            },
        )

    response = alice_client.get(f"/api/album/download/{IDS.small_album}")

    assert response.status_code == 202, response.content
    task = DownloadTask.objects.get(pk=response.json()["task_id"])
    assert task.status == "complete", task.error_message
    assert TaskEvent.objects.filter(task=task).count() > 1
    for event in TaskEvent.objects.all():
        assert secret_set not in repr(event.payload)
    for url in (
        f"/api/prgs/{task.pk}",
        f"/api/history/{task.pk}",
        f"/api/history/{task.pk}/children",
        "/api/prgs/updates?since=0",
    ):
        response = alice_client.get(url)
        assert secret_set not in response.content.decode()
        assert_no_leaks(response)  # library-relative paths only, even in progress and history
    _assert_nowhere(secret_set, caplog)


# ---------------------------------------------------------------------------------------------- the scanner itself
@pytest.mark.django_db
def test_the_scanner_finds_a_secret_in_a_log_line(secret_set, caplog) -> None:
    logging.getLogger("spotizerr.anything").debug("token request with %s", secret_set)
    with pytest.raises(AssertionError, match="logged by"):
        _assert_nowhere(secret_set, caplog)


@pytest.mark.django_db
def test_the_scanner_finds_a_secret_in_a_plain_column(secret_set, caplog) -> None:
    from accounts.models import User

    User.objects.filter(username="admin").update(first_name=secret_set)
    with pytest.raises(AssertionError, match=r"accounts_user\.first_name"):
        _assert_nowhere(secret_set, caplog)


@pytest.mark.django_db
def test_the_scanner_finds_a_secret_in_the_cache(secret_set, caplog) -> None:
    from django.core.cache import cache

    cache.set("some-key", {"nested": [secret_set]})
    with pytest.raises(AssertionError, match="the cache"):
        _assert_nowhere(secret_set, caplog)


@pytest.mark.django_db
def test_the_scanner_finds_a_secret_in_a_queued_task(secret_set, caplog, monkeypatch) -> None:
    from django_q.conf import Conf
    from django_q.tasks import async_task

    monkeypatch.setattr(Conf, "SYNC", False)
    async_task("math.floor", 1, note=secret_set)
    with pytest.raises(AssertionError, match="django-q2 task"):
        _assert_nowhere(secret_set, caplog)
