"""The dashboard in a real browser against the running app: the flows issue 8 asks for."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.dashboard.browser.conftest import PASSWORDS
from tests.fakes.spotify_api import IDS

pytestmark = pytest.mark.browser


def test_an_admin_downloads_an_album_and_watches_it_finish_live(page, log_in, live_app, readme_shot) -> None:
    """GIVEN the queue open in one tab WHEN an album is searched and downloaded from its page in
    another THEN the queue shows the task and its bar reaches 100% without a reload, and its history
    entry lists every track."""
    log_in("admin")
    queue = page.context.new_page()
    queue.goto("/queue/")
    expect(queue.locator("#live-state")).to_have_attribute("data-state", "live")

    page.get_by_role("link", name="Search", exact=True).click()
    page.get_by_label("Search the catalog").fill("Sine")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("link", name="Albums").click()
    page.get_by_role("link", name="Sine Waves").click()
    expect(page.get_by_role("heading", name="Sine Waves")).to_be_visible()
    expect(page.locator("table.tracks")).to_contain_text("Eight Eighty")
    expect(page.locator("img.cover-large")).to_have_js_property("complete", True)
    readme_shot(page, "album")
    live_app.spotify.delay(0.15)  # slow enough that the progress is seen moving
    try:
        page.get_by_role("button", name="Download Sine Waves").click()
        expect(page.locator(".messages")).to_contain_text("Queued album “Sine Waves”.")

        task = queue.locator(".task", has_text="Sine Waves")
        expect(task).to_be_visible()
        expect(task.locator("progress")).to_have_attribute("value", "100", timeout=60_000)
    finally:
        live_app.spotify.delay(0)
    expect(task.locator(".task-status")).to_have_text("Completed")
    expect(task.locator(".task-counts")).to_have_text("3 of 3")
    expect(queue.locator(".queue-summary")).to_contain_text("completed")

    task.get_by_role("link", name="History entry").click()
    expect(queue.get_by_role("heading", name="Sine Waves")).to_be_visible()
    expect(queue.locator("table.tracks tbody tr")).to_have_count(3)
    expect(queue.locator("dl.details")).to_contain_text("Completed")

    queue.goto("/history/stats/")
    expect(queue.get_by_role("img", name="Top artists").locator("rect")).to_have_count(1)
    readme_shot(queue, "stats")


def link_spotify(page, live_app) -> None:
    """Link the logged-in user's Spotify account from the profile page (unless it is linked already): the
    fake Accounts service signs in as "fixture-user", who owns the fixture playlists."""
    live_app.spotify.accounts.add_user("fixture-user", "Fixture User")
    live_app.spotify.accounts.login_as("fixture-user")
    page.goto("/profile/")
    if page.locator("#spotify-unlink").count():
        return
    page.get_by_role("button", name="Link Spotify account").click()
    expect(page.locator(".messages")).to_contain_text("Linked Spotify account Fixture User.")


def test_a_user_links_spotify_sees_it_and_unlinks(page, log_in, live_app) -> None:
    """GIVEN alice's profile WHEN she links Spotify (PKCE against the fake Accounts service, the browser
    follows the redirects) THEN the profile shows the account; unlinking removes it; linking again works."""
    log_in("alice")
    page.goto("/profile/")
    expect(page.locator("#spotify-redirect-uri")).to_have_text(
        f"{live_app.base_url}/api/spotify/account/callback"
    )
    expect(page.locator("#spotify")).to_contain_text("loopback IP address")
    link_spotify(page, live_app)
    expect(page.locator("#spotify")).to_contain_text("Linked as Fixture User")
    state = page.evaluate("fetch('/api/spotify/account').then(r => r.json())")
    assert state["linked"] is True and state["spotify_user"]["id"] == "fixture-user"
    assert not any("token" in key for key in state)

    page.get_by_role("button", name="Unlink").click()
    expect(page.locator(".messages")).to_contain_text("Unlinked Spotify")
    expect(page.locator("#spotify")).to_contain_text("Not linked.")
    link_spotify(page, live_app)  # leaves alice linked for the playlist flow
    expect(page.locator("#spotify")).to_contain_text("Linked as Fixture User")


def test_a_user_watches_a_playlist_and_removes_it(page, log_in, live_app) -> None:
    log_in("alice")
    link_spotify(page, live_app)  # Spotify shows a playlist's tracks only to its owner's account (2026)
    page.goto(f"/playlist/{IDS.small_playlist}/")
    page.get_by_role("button", name="Watch").click()
    page.get_by_role("dialog", name="Watch this playlist").get_by_role(
        "button", name="Start watching"
    ).click()
    expect(page.locator(".messages")).to_contain_text("Watching “Fixture Mix”")
    expect(page.get_by_role("button", name=re.compile("Watching"))).to_have_attribute("aria-pressed", "true")

    page.get_by_role("link", name="Watchlist").click()
    watch = page.locator(".watch", has_text="Fixture Mix")
    expect(watch).to_be_visible()
    expect(watch.locator(".watch-counts")).to_contain_text("5 tracks")
    watch.get_by_role("button", name="Check now").click()
    expect(page.locator(".messages")).to_contain_text("A check was asked for")
    page.locator(".watch", has_text="Fixture Mix").get_by_role("button", name=re.compile("Remove")).click()
    expect(page.locator(".messages")).to_contain_text("Stopped watching this playlist.")
    expect(page.locator(".watch", has_text="Fixture Mix")).to_have_count(0)


def test_an_admin_fixes_a_setting_after_a_validation_error(page, log_in) -> None:
    log_in("admin")
    page.get_by_role("link", name="Settings").click()
    field = page.get_by_label("Tracks downloaded at once")
    field.fill("0")
    page.get_by_role("button", name="Save downloads settings").click()
    expect(page.locator("#f-maxConcurrentDownloads-error")).to_have_text("must be at least 1")
    expect(page.get_by_label("Tracks downloaded at once")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Tracks downloaded at once").fill("4")
    page.get_by_role("button", name="Save downloads settings").click()
    expect(page.locator(".messages")).to_contain_text("Saved the downloads settings (1 changed).")
    expect(page.get_by_label("Tracks downloaded at once")).to_have_value("4")


def test_the_formatting_preview_follows_the_template_as_it_is_typed(page, log_in) -> None:
    log_in("admin")
    page.goto("/settings/formatting/")
    expect(page.locator("#path-preview")).to_have_text("The Test Pattern/Sine Waves/03. Four Forty.mp3")
    page.get_by_label("File name template").fill("%artist% - %music%")
    expect(page.locator("#path-preview")).to_have_text(
        "The Test Pattern/Sine Waves/The Test Pattern; Guest Oscillator - Four Forty.mp3"
    )
    page.get_by_label("File name template").fill("%bogus%")
    expect(page.locator("#preview-problems")).to_contain_text("unknown placeholder %bogus%")


def test_a_plain_user_is_refused_admin_pages(page, log_in) -> None:
    log_in("alice")
    expect(page.get_by_role("link", name="Settings")).to_have_count(0)
    response = page.goto("/settings/users/")
    assert response is not None and response.status == 403
    expect(page.locator("main")).to_contain_text("Only administrators may open this page.")


def test_the_menu_folds_on_a_phone_and_opens_by_keyboard(page, log_in) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    log_in("alice")
    menu = page.get_by_role("button", name="Menu")
    queue_link = page.locator("#site-nav").get_by_role("link", name="Queue", exact=True)
    expect(queue_link).to_be_hidden()
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(queue_link).to_be_visible()


def test_the_queue_catches_up_after_losing_its_connection(page, log_in, chromium_browser, live_app) -> None:
    """GIVEN the queue open WHEN the web server goes away while a download fails in the worker THEN,
    once the server is back, the queue reconnects and shows the task with its error reason and Retry,
    without a reload."""
    log_in("admin")
    page.goto("/queue/")
    expect(page.locator("#live-state")).to_have_attribute("data-state", "live")
    other = chromium_browser.new_context(base_url=live_app.base_url)
    live_app.spotify.delay(0.5)  # the worker is still busy while the web server restarts
    try:
        admin = other.new_page()
        admin.goto("/login/")
        admin.get_by_label("User name").fill("admin")
        admin.get_by_label("Password").fill(PASSWORDS["admin"])
        admin.get_by_role("button", name="Log in").click()
        admin.goto(f"/album/{IDS.single}/")
        admin.get_by_role("button", name="Download Square Wave").click()
        expect(admin.locator(".messages")).to_contain_text("Queued album “Square Wave”.")
        live_app.web_restart()
    finally:
        live_app.spotify.delay(0)
        other.close()

    task = page.locator(".task", has_text="Square Wave")
    expect(task.locator(".task-status")).to_have_text("Failed", timeout=30_000)
    expect(task.locator(".task-error")).to_be_visible()
    expect(task.get_by_role("button", name="Retry")).to_be_visible()
    expect(page.locator("#live-state")).to_have_attribute("data-state", "live")
