"""The original Spotizerr web UI (spotizerr-ui at 8b90c7b) works unchanged against this API (issue 22).

Its requests and the fields it reads are fixtures in ``fixtures/`` (derived from its source; no code of
it is kept). Each test replays one of the five breaks the issue lists: settings saves lost to a 301,
settings bodies refused, a live queue that never moves, a blank history whose "Details" crashes, and
tasks without ``original_url`` / with ``last_line.track: null`` / stream-ripping account bodies.
The UI runs with auth off (its default), so every request here is anonymous with auth off.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from downloads import services as download_services
from downloads.progress import progress_publish
from library_history.models import HistoryEntry
from settings_app import selectors
from settings_app.models import Credential
from tests.downloads import test_streaming as streams
from tests.fakes.spotify_api import IDS
from tests.library_history.factories import record_download, record_track

FIXTURES = Path(__file__).parent / "fixtures"
open_stream = streams.open_stream  # the stream tests' fixture


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text())


@pytest.fixture
def ui(auth_off: None, library_root: Path, inbox_root: Path) -> APIClient:
    """The UI's HTTP client: anonymous, auth off (the original's default), JSON bodies."""
    return APIClient()


# ---------------------------------------------------------------------------------------------- settings
def _camel(value: Any) -> Any:
    """The UI's convertKeysToCamelCase: ``_x`` becomes ``X`` in every key, at every depth."""
    if isinstance(value, list):
        return [_camel(item) for item in value]
    if isinstance(value, dict):
        return {re.sub(r"_\w", lambda m: m.group(0)[1].upper(), k): _camel(v) for k, v in value.items()}
    return value


def ui_settings(ui: APIClient) -> dict[str, Any]:
    """What the UI's fetchSettings builds from GET /config and GET /config/watch (no slashes)."""
    spec = fixture("settings_save")
    general, watch = ui.get("/api/config"), ui.get("/api/config/watch")
    assert general.status_code == watch.status_code == 200
    merged = _camel({**general.json(), "watch": watch.json()})
    for key, fallback in spec["frontend_fallbacks"].items():
        merged[key] = merged.get(key, fallback) if merged.get(key) is not None else fallback
    merged["watch"] = {
        **merged["watch"],
        **{k: v for k, v in spec["watch_fallbacks"].items() if merged["watch"].get(k) is None},
    }
    return merged


@pytest.mark.django_db
@pytest.mark.parametrize("tab", ["general", "downloads", "downloads_no_conversion", "formatting"])
def test_every_settings_tab_saves_its_whole_body_through_post_config_without_a_slash(
    ui: APIClient, tab: str
) -> None:
    """Breaks 1 and 2: the 301 (the browser repeats it as a GET that saves nothing) and the 400
    ``unknown setting`` for ``watch``, ``recursiveQuality`` and the camelCased watch names."""
    spec = fixture("settings_save")
    body = {**ui_settings(ui), **spec["tabs"][tab]}

    response = getattr(ui, spec["method"])(spec["path"], body, format="json")

    assert response.status_code == 200, response.content
    saved = ui.get("/api/config").json()
    for key, value in spec["tabs"][tab].items():
        expected = None if value == "" else value
        assert saved[key] == expected, key


@pytest.mark.django_db
def test_settings_saved_by_the_ui_read_back_as_the_ui_sent_them(ui: APIClient) -> None:
    spec = fixture("settings_save")
    ui.post("/api/config", {**ui_settings(ui), **spec["tabs"]["downloads"]}, format="json")

    again = ui_settings(ui)

    assert again["recursiveQuality"] is True  # a legacy value round-trips, so the checkbox stays set
    assert again["maxConcurrentDownloads"] == 4 and again["convertTo"] == "MP3"


@pytest.mark.django_db
def test_the_nested_watch_object_updates_the_watch_settings_with_the_same_checks(ui: APIClient) -> None:
    body = ui_settings(ui)
    body["watch"] = {**body["watch"], "watchPollIntervalSeconds": 900, "maxItemsPerRun": 10}

    assert ui.post("/api/config", body, format="json").status_code == 200
    watch = selectors.get_watch_config()
    assert (watch["check_interval"], watch["maxItemsPerRun"]) == (900, 10)

    body = {**ui_settings(ui), "maxConcurrentDownloads": 6}
    body["watch"] = {**body["watch"], "checkInterval": 5}
    refused = ui.post("/api/config", body, format="json")
    assert refused.status_code == 400
    assert "watch.checkInterval" in refused.json()["details"]
    assert selectors.get_config()["maxConcurrentDownloads"] != 6  # nothing saved


@pytest.mark.django_db
def test_an_unknown_setting_is_still_refused(ui: APIClient) -> None:
    response = ui.post("/api/config", {**ui_settings(ui), "colour": "blue"}, format="json")

    assert response.status_code == 400
    assert response.json()["details"] == {"colour": ["unknown setting"]}


@pytest.mark.django_db
def test_the_watch_form_saves_its_interval_and_max_items_per_run(ui: APIClient) -> None:
    """Break 2 (watch): the form sends GET /config/watch back with its edits, so ``check_interval``
    (unchanged) and ``watchPollIntervalSeconds`` (edited) disagree; and it needs ``maxItemsPerRun``."""
    spec = fixture("watch_save")
    shown = ui.get("/api/config/watch").json()
    limits = spec["reads"]["maxItemsPerRun"]
    assert limits["minimum"] <= shown["maxItemsPerRun"] <= limits["maximum"]  # else the form won't save

    response = getattr(ui, spec["method"])(spec["path"], {**shown, **spec["edits"]}, format="json")

    assert response.status_code == 200, response.content
    watch = selectors.get_watch_config()
    assert watch["check_interval"] == 7200 and watch["maxItemsPerRun"] == 25
    assert watch["watchedArtistAlbumGroup"] == ["album", "single", "compilation"]


# ---------------------------------------------------------------------------------------------- accounts
@pytest.mark.django_db
@pytest.mark.parametrize("service", ["spotify", "deezer"])
def test_a_stream_ripping_account_body_gets_a_plain_400_saying_what_to_configure(
    ui: APIClient, service: str
) -> None:
    """Break 5: not "client_id is required", but that Spotizerr does not use such logins, and what to
    configure instead (the UI shows ``error`` in its toast)."""
    spec = fixture("accounts_add")[service]

    response = getattr(ui, spec["method"])(spec["path"], spec["body"], format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "account_login_not_supported"
    assert "does not use" in body["error"] and "client_id" in body["error"] and "source" in body["error"]
    assert not Credential.objects.exists()


# ---------------------------------------------------------------------------------------------- tasks
def _assert_task_reads(task: dict[str, Any], reads: dict[str, Any]) -> None:
    assert set(reads["task_reads"]) <= set(task), set(reads["task_reads"]) - set(task)
    assert task["original_url"].split("/")[-1] == task["item_id"]
    line = task["last_line"]
    if line is not None:
        assert isinstance(line["status"], str)
        for key in reads["last_line_objects_when_present"]:
            assert isinstance(line.get(key, {}), dict), f"last_line.{key} is {line.get(key)!r}"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("engine", "queued_only")
def test_task_documents_carry_original_url_and_no_null_track(ui: APIClient) -> None:
    """Break 5: the UI takes the item id from ``original_url`` and reads ``last_line.track.title``
    whenever ``"track" in last_line``."""
    reads = fixture("queue_reads")
    started = ui.get(f"/api/album/download/{IDS.small_album}")
    assert started.status_code == 202

    listed = ui.get(reads["list"]["path"]).json()

    assert set(reads["list"]["reads"]) - {"total_tasks"} <= set(listed)
    assert "has_more" in listed["pagination"]
    [task] = listed["tasks"]
    assert task["last_line"] is not None and "track" not in task["last_line"]
    _assert_task_reads(task, reads)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("engine", "queued_only")
def test_the_live_queue_gets_unnamed_frames_in_the_original_shape(daphne_server, open_stream) -> None:
    """Break 3: ``EventSource.onmessage`` only sees unnamed frames (Stream.next asserts there is no
    ``event:`` line), shaped {change_type, trigger_reason, tasks, task_counts, total_tasks}."""
    reads = fixture("queue_reads")
    task = download_services.download_request(
        user=_system_user(), download_type="album", item_id=IDS.small_album
    )
    stream = open_stream(f"{daphne_server()}/api/prgs/stream")

    snapshot = stream.next()
    # the first track is done, the album goes on: the UI must not read the album as finished
    progress_publish(
        task, status="done", track={"position": 1, "name": "One", "artist": "A", "status": "done"}
    )
    update = stream.next()

    for frame in (snapshot, update):
        assert set(reads["frame_reads"]) <= set(frame["data"])
        assert set(reads["task_counts_reads"]) <= set(frame["data"]["task_counts"])
        assert frame["data"]["change_type"] not in ("heartbeat", "error")
        [document] = frame["data"]["tasks"]
        _assert_task_reads(document, reads)
        assert document["last_line"]["status"] in reads["active_statuses"]
    assert int(update["id"]) > int(snapshot["id"])  # Last-Event-ID still works
    line = update["data"]["tasks"][0]["last_line"]
    assert line["track"]["name"] == "One" and line["status_info"]["status"] == "done"


def _system_user() -> Any:
    from accounts.authentication import get_system_user

    return get_system_user()


# ---------------------------------------------------------------------------------------------- history
def _is(value: Any, kind: str) -> bool:
    return {
        "string": lambda v: isinstance(v, str),
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "list": lambda v: isinstance(v, list),
        "list of strings": lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v),
        "object": lambda v: isinstance(v, dict),
    }[kind](value)


def _wrong(body: dict[str, Any], reads: dict[str, str]) -> dict[str, Any]:
    return {key: body.get(key, "<missing>") for key, kind in reads.items() if not _is(body.get(key), kind)}


@pytest.fixture
def album_history(db: None) -> HistoryEntry:
    owner = _system_user()
    album = record_download(
        owner,
        download_type="album",
        spotify_url=f"https://open.spotify.com/album/{IDS.small_album}",
        name="An Album",
        artist="First Artist, Second Artist",
        quality="MP3 320k",
        file_path="",
        total_tracks=2,
        successful_tracks=2,
    )
    record_track(album, 1, quality="MP3 320k", completed_at=album.completed_at)
    record_track(album, 2, quality="MP3 320k", completed_at=album.completed_at)
    return album


@pytest.mark.django_db
def test_history_lists_titles_and_artists_and_details_and_tracks_open(
    ui: APIClient, album_history: HistoryEntry
) -> None:
    """Break 4: ``entry.artists.join`` threw on the seed's names; the list showed nothing."""
    reads = fixture("history_reads")

    listed = ui.get(reads["list_path"]).json()
    [entry] = listed["downloads"]
    detail = ui.get(f"/api/history/{album_history.task_id}").json()
    children = ui.get(f"/api/history/{album_history.task_id}/children").json()

    assert _wrong(listed, reads["list_reads"]) == {}
    assert _wrong(listed["pagination"], reads["pagination_reads"]) == {}
    for body in (entry, detail):
        assert _wrong(body, {**reads["entry_reads"], **reads["parent_entry_reads"]}) == {}
        assert body["title"] == "An Album" and body["artists"] == ["First Artist", "Second Artist"]
        assert (body["quality_format"], body["quality_bitrate"]) == ("MP3", "320k")
        assert body["external_ids"] == {"spotify": IDS.small_album}
    assert _wrong(children, reads["children_reads"]) == {}
    assert children["track_count"] == 2 and children["title"] == "An Album"
    for child in children["tracks"]:
        assert _wrong(child, reads["child_reads"]) == {}
