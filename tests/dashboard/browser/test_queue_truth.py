"""Issue 17 in Chromium: the queue tells what really happened (Partial with its counts, Retry only
where tracks failed, the real fraction of a cancelled album, the current track), live, on a desktop
and on a 390 px phone, light and dark, without a console error; and the README's queue screenshot."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from downloads.tagging import TagData, write_tags
from tests.fakes.audio import make_audio
from tests.fakes.spotify_api import IDS

pytestmark = pytest.mark.browser

WARN = {"light": "rgb(138, 90, 0)", "dark": "rgb(240, 192, 90)"}


def console_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def album_with_files(live_app, name: str, tracks: int, have: range) -> tuple[str, list[str]]:
    """A new album of ``tracks`` tracks on the fake Spotify, with the tracks at 1-based positions in
    ``have`` dropped into the inbox (a folder of their own, so the index sees them at once)."""
    catalog = live_app.spotify.catalog
    album_id = catalog.add_album(name, artist_ids=[IDS.artist], tracks=tracks)
    track_ids = list(catalog.albums[album_id].track_ids)
    drop_tracks(live_app, track_ids, have, folder=name)
    return album_id, track_ids


def drop_tracks(live_app, track_ids: list[str], positions: range, folder: str) -> None:
    catalog = live_app.spotify.catalog
    inbox = Path(live_app.env["SPOTIZERR_INBOX_DIR"]) / f"{folder}-{positions.start}"
    staging = live_app.root / "staging" / inbox.name
    staging.mkdir(parents=True)
    template = make_audio(live_app.root / "staging" / f"{inbox.name}.mp3", seconds=1.0)
    for position in positions:
        track = catalog.tracks[track_ids[position - 1]]
        path = staging / f"{position:02d}.mp3"
        shutil.copyfile(template, path)
        write_tags(path, TagData(title=track.name, artists=["The Test Pattern"], isrc=track.isrc or ""))
    shutil.move(staging, inbox)  # one rename: the index never sees a half-written folder


def give_each_track_a_guest(live_app, track_ids: list[str]) -> None:
    """A featured artist of its own on every track: each track then waits for a Spotify call of its
    own (the artist's genres), so with Spotify slowed to 1 s a call the album's tracks take about a
    second each (two at a time with the live app's two workers), not a few milliseconds."""
    catalog = live_app.spotify.catalog
    for number, track_id in enumerate(track_ids, start=1):
        catalog.tracks[track_id].artist_ids = [catalog.add_artist(f"Guest {number}")]


def track_number(page: Page, name: str) -> int:
    """The n of "Track n of N" in the row of ``name`` (0 when the row says no track)."""
    text = page.locator(".task", has_text=name).locator(".task-track").inner_text()
    return int(text.split()[1]) if text.startswith("Track ") else 0


def download_from_album_page(page: Page, album_id: str, name: str) -> None:
    page.goto(f"/album/{album_id}/")
    page.get_by_role("button", name=f"Download {name}").click()
    expect(page.locator(".messages")).to_contain_text(f"Queued album “{name}”.")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_partial_album_says_partial_live_and_retry_completes_it(
    page, log_in, live_app, readme_shot, scheme
) -> None:
    """GIVEN the queue open WHEN an album with 2 of its 5 tracks in no source is downloaded from
    another tab THEN the row turns Partial in the warning colour with "3 of 5 · 2 failed", its bar at
    60 % and a Retry button, without a reload; WHEN the files arrive and Retry is pressed THEN the
    same row turns Completed, 5 of 5, and Retry goes away."""
    name = "Half There" if scheme == "light" else "Half There (dark)"
    album_id, track_ids = album_with_files(live_app, name, 5, range(1, 4))
    page.emulate_media(color_scheme=scheme)
    errors = console_errors(page)
    log_in("admin")
    queue = page.context.new_page()
    queue.emulate_media(color_scheme=scheme)
    queue_errors = console_errors(queue)
    queue.goto("/queue/")
    expect(queue.locator("#live-state")).to_have_attribute("data-state", "live")

    download_from_album_page(page, album_id, name)
    page.get_by_role("link", name="See it in the queue").click()
    expect(page.locator(".task:target")).to_contain_text(name)

    row = queue.locator(".task", has_text=name)
    badge = row.locator(".task-status")
    expect(badge).to_have_text("Partial", timeout=60_000)
    expect(badge).to_have_css("color", WARN[scheme])
    expect(row.locator(".task-counts")).to_have_text("3 of 5 · 2 failed")
    expect(row.locator("progress")).to_have_attribute("value", "60")
    expect(row).not_to_contain_text("Complete")
    expect(row.get_by_role("button", name="Retry")).to_be_visible()
    expect(queue.locator("#finished-list").locator(".task", has_text=name)).to_be_visible()
    expect(queue.locator(".nav-count")).to_be_hidden()
    if scheme == "light":
        readme_shot(queue, "queue")

    drop_tracks(live_app, track_ids, range(4, 6), folder=name)
    row.get_by_role("button", name="Retry").click()
    expect(queue.locator(".messages")).to_contain_text(f"Retrying 2 failed tracks of “{name}”.")
    row = queue.locator(".task", has_text=name)
    expect(row.locator(".task-status")).to_have_text("Completed", timeout=60_000)
    expect(row.locator(".task-counts")).to_have_text("5 of 5")
    expect(row.get_by_role("button", name="Retry")).to_be_hidden()
    queue.goto("/history/")
    expect(queue.locator("tr", has_text=name)).to_contain_text("Completed")
    assert errors == [] and queue_errors == []


@contextmanager
def album_running_slowly(page: Page, live_app, name: str, tracks: int) -> Iterator[Locator]:
    """A ``tracks``-track album whose tracks take about a second each (Spotify slowed, a guest artist
    per track), queued from its page; yields its queue row once a track runs. Spotify is fast again
    when the block ends."""
    album_id, track_ids = album_with_files(live_app, name, tracks, range(1, tracks + 1))
    give_each_track_a_guest(live_app, track_ids)
    live_app.spotify.delay(1.0)
    try:
        download_from_album_page(page, album_id, name)
        page.goto("/queue/")
        row = page.locator(".task", has_text=name)
        expect(row.locator(".task-track")).to_contain_text(f"of {tracks}", timeout=30_000)
        yield row
    finally:
        live_app.spotify.delay(0)


def test_a_cancelled_album_keeps_its_bar_at_the_real_fraction_and_names_the_current_track(
    page, log_in, live_app
) -> None:
    """GIVEN a 40-track album downloading slowly WHEN it is cancelled part-way THEN its bar stays at
    the share of tracks in the library (not 100 %) and the row says how many were cancelled; while it
    ran, the row named the current track once."""
    name = "Forty Winks"
    album_id, track_ids = album_with_files(live_app, name, 40, range(1, 41))
    give_each_track_a_guest(live_app, track_ids)
    errors = console_errors(page)
    log_in("admin")
    elsewhere = page.context.new_page()  # another page than the queue: its count follows too
    elsewhere_errors = console_errors(elsewhere)
    elsewhere.goto("/history/")
    expect(elsewhere.locator(".nav-count")).to_be_hidden()
    live_app.spotify.delay(1.0)  # about 20 s for 40 tracks: longer than one 5 s count poll
    try:
        download_from_album_page(page, album_id, name)
        expect(elsewhere.locator(".nav-count")).to_have_text("1", timeout=15_000)
        expect(elsewhere.get_by_role("link", name="Queue 1")).to_be_visible()
        page.goto("/queue/")
        row = page.locator(".task", has_text=name)
        expect(row.locator(".task-track")).to_contain_text("of 40", timeout=30_000)
        expect(row.locator(".task-title")).to_contain_text(name)
        assert row.locator(".task-meta").inner_text().count(" of 40") == 1
        expect(page.locator(".nav-count")).to_have_text("1")
        expect(row.locator("progress")).not_to_have_attribute("value", "0", timeout=30_000)
        row.get_by_role("button", name="Cancel").click()
    finally:
        live_app.spotify.delay(0)
    row = page.locator(".task", has_text=name)
    expect(row.locator(".task-status")).to_have_text("Partial", timeout=30_000)
    counts = row.locator(".task-counts").inner_text()  # "n of 40 · m cancelled"
    got = int(counts.split(" of ")[0])
    assert 0 < got < 40 and "cancelled" in counts, counts
    expect(row.locator("progress")).to_have_attribute("value", str(int(100 * got / 40 + 0.5)))
    expect(row.get_by_role("button", name="Retry")).to_be_hidden()
    expect(elsewhere.locator(".nav-count")).to_be_hidden(timeout=15_000)
    assert errors == [] and elsewhere_errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_on_a_phone_a_failed_download_offers_retry_and_clear_finished_empties_the_list(
    page, log_in, scheme
) -> None:
    """GIVEN a 390 px phone WHEN an album no source has fails THEN its row fits the screen, says
    Failed with a Retry button; WHEN Clear finished is pressed THEN the finished list is gone and
    the history keeps the entry."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.emulate_media(color_scheme=scheme)
    errors = console_errors(page)
    log_in("alice")
    download_from_album_page(page, IDS.single, "Square Wave")
    page.goto("/queue/")
    row = page.locator(".task", has_text="Square Wave")
    expect(row.locator(".task-status")).to_have_text("Failed", timeout=60_000)
    expect(row.get_by_role("button", name="Retry")).to_be_visible()
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 390, width
    page.goto("/")
    expect(page.locator(".queue-counts")).to_contain_text(re.compile(r"[1-9]\d* failed"))
    page.goto("/queue/")

    page.get_by_role("button", name="Clear finished").click()
    expect(page.locator(".messages")).to_contain_text("finished task(s) from the queue; their history stays.")
    expect(page.locator("#finished-list")).to_have_count(0)
    page.goto("/history/")
    expect(page.locator("tbody")).to_contain_text("Square Wave")
    assert errors == []


def test_a_running_albums_focused_cancel_button_stays_the_same_node_and_cancels_it(
    page, log_in, live_app
) -> None:
    """GIVEN a 30-track album downloading at about two tracks a second, its row's Cancel button
    focused and marked WHEN another download is queued and cancelled from another tab (a row comes,
    then moves to the finished list) and two more of the album's tracks start THEN Cancel is the same
    element and still has the focus; WHEN it is clicked (no force: nothing is swapped under the
    pointer) THEN the album stops with the rest of its tracks cancelled."""
    name, other = "Steady Hands", "Side Door"
    other_id, _ = album_with_files(live_app, other, 1, range(1, 2))
    errors = console_errors(page)
    log_in("admin")
    elsewhere = page.context.new_page()
    with album_running_slowly(page, live_app, name, 30) as row:
        cancel = row.get_by_role("button", name="Cancel")
        cancel.focus()
        cancel.evaluate("button => { button.heldSince = 'focused'; window.heldCancel = button; }")
        bar = row.get_by_role("progressbar", name=f"Progress of {name}")
        bar.evaluate("bar => { window.heldBar = bar; }")
        started = track_number(page, name)

        download_from_album_page(elsewhere, other_id, other)
        expect(page.locator("#task-list").locator(".task", has_text=other)).to_be_visible()
        elsewhere.goto("/queue/")
        elsewhere.locator(".task", has_text=other).get_by_role("button", name="Cancel").click()
        finished = page.locator("#finished-list").locator(".task", has_text=other)
        expect(finished.locator(".task-status")).to_have_text("Cancelled", timeout=15_000)
        page.wait_for_function(
            "([name, at]) => { const row = [...document.querySelectorAll('.task')]"
            ".find((node) => node.textContent.includes(name));"
            " const shown = row && /Track (\\d+) of/.exec(row.querySelector('.task-track').textContent);"
            " return Boolean(shown) && Number(shown[1]) >= at; }",
            arg=[name, started + 2],
            timeout=30_000,
        )
        held = cancel.evaluate(
            "button => ({ same: button === window.heldCancel, marker: button.heldSince,"
            " connected: window.heldCancel.isConnected, focused: document.activeElement === button })"
        )
        assert held == {"same": True, "marker": "focused", "connected": True, "focused": True}, held
        assert bar.evaluate("bar => bar === window.heldBar && bar.value > 0")  # updated in place
        expect(row.get_by_role("button", name="Cancel")).to_be_focused()
        cancel.click()
    expect(page.locator(".messages")).to_contain_text(f"“{name}”")
    row = page.locator(".task", has_text=name)
    expect(row.locator(".task-counts")).to_contain_text("cancelled", timeout=30_000)
    got = int(row.locator(".task-counts").inner_text().split(" of ")[0])
    assert got < 30
    share = int(100 * got / 30 + 0.5)
    expect(row.get_by_role("progressbar")).to_match_aria_snapshot(
        f'- progressbar "Progress of {name}": {share}%'
    )
    expect(row.get_by_role("button", name="Cancel")).to_be_hidden()
    assert errors == []


def test_when_a_task_ends_under_the_keyboard_its_row_takes_the_focus(page, log_in, live_app) -> None:
    """GIVEN a running album's Cancel button focused WHEN the album is cancelled from another tab
    (Cancel is hidden and the row moves to the finished list) THEN the focus is on that row, not
    lost to the page and not on another button."""
    name = "Last Word"
    errors = console_errors(page)
    log_in("admin")
    elsewhere = page.context.new_page()
    with album_running_slowly(page, live_app, name, 20) as row:
        row.get_by_role("button", name="Cancel").focus()
        elsewhere.goto("/queue/")
        elsewhere.locator(".task", has_text=name).get_by_role("button", name="Cancel").click()
        expect(page.locator("#finished-list").locator(".task", has_text=name)).to_be_focused(timeout=30_000)
    expect(row.locator(".task-counts")).to_contain_text("cancelled")
    assert errors == []
