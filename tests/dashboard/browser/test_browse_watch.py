"""Issue 17's search, browsing and watching in a real browser: Top results and More, pasted links, the
artist page's groups and discography dialog, disc headers, the Watch dialog and the watchlist cards. Each
runs on a desktop and a 390 px phone (light and dark where colours matter) without a console error."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.fakes.spotify_api import IDS

pytestmark = pytest.mark.browser

DESKTOP, PHONE = {"width": 1200, "height": 900}, {"width": 390, "height": 844}
SCREENS = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")]
THEMES = [pytest.param("light", id="light"), pytest.param("dark", id="dark")]
SURFACE = {"light": "rgb(255, 255, 255)", "dark": "rgb(28, 30, 34)"}  # app.css --surface


@pytest.fixture
def console_errors(page) -> Iterator[list[str]]:
    """Console errors and uncaught exceptions of ``page``; the test fails if any occurred."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield errors
    assert errors == []


def _screen(page, screen: dict, theme: str = "light") -> None:
    page.set_viewport_size(screen)
    page.emulate_media(color_scheme=theme)


def _search(page, text: str) -> None:
    page.goto("/search/")
    page.get_by_label("Search the catalog").fill(text)
    page.get_by_role("button", name="Search", exact=True).click()


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("screen", SCREENS)
def test_search_shows_top_results_then_a_type_with_more(page, log_in, console_errors, screen, theme) -> None:
    log_in("alice")
    _screen(page, screen, theme)
    _search(page, "Test Pattern")
    expect(page.get_by_role("link", name="Top results")).to_have_attribute("aria-current", "page")
    for heading in ("Tracks", "Artists", "Albums"):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    track = page.get_by_role("list", name="Tracks").locator(".card", has_text="Four Forty")
    expect(track.locator(".track-album")).to_have_text("from Sine Waves")

    page.get_by_role("link", name="More album results").click()
    expect(page.get_by_role("link", name="Albums", exact=True)).to_have_attribute("aria-current", "page")
    _search(page, "Prolific")
    page.get_by_role("link", name="Albums", exact=True).click()
    results = page.get_by_role("list", name="Results").locator(".card")
    expect(results).to_have_count(10)
    page.get_by_role("link", name="More albums").click()
    expect(results).to_have_count(20)


@pytest.mark.parametrize("screen", SCREENS)
def test_a_pasted_spotify_link_opens_the_item(page, log_in, console_errors, screen) -> None:
    log_in("alice")
    _screen(page, screen)
    _search(page, f"https://open.spotify.com/intl-fr/album/{IDS.small_album}?si=0a1b2c3d")
    expect(page).to_have_url(re.compile(f"/album/{IDS.small_album}/$"))
    expect(page.get_by_role("heading", name="Sine Waves")).to_be_visible()
    _search(page, f"spotify:artist:{IDS.artist}")
    expect(page.get_by_role("heading", name="The Test Pattern", level=1)).to_be_visible()


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("screen", SCREENS)
def test_the_artist_page_groups_releases_and_the_dialog_counts_them(
    page, log_in, console_errors, readme_shot, screen, theme
) -> None:
    log_in("alice")
    _screen(page, screen, theme)
    page.goto(f"/artist/{IDS.big_artist}/")
    for group in ("Albums", "Singles", "Compilations", "Appears on"):
        expect(page.get_by_role("heading", name=re.compile(f"^{group} \\d+$"))).to_be_visible()
    expect(page.get_by_role("list", name="Albums").locator(".card")).to_have_count(10)
    expect(page.get_by_role("link", name="All 30 albums →")).to_be_visible()
    if screen == DESKTOP and theme == "light":
        _artist_shot(page, readme_shot)

    page.get_by_role("button", name="Download discography").click()
    dialog = page.get_by_role("dialog", name="Download discography")
    expect(dialog).to_be_visible()
    expect(dialog).to_have_css("background-color", SURFACE[theme])
    expect(
        dialog.get_by_role("checkbox", name=re.compile("^Albums"))
    ).to_be_checked()  # the watch settings' groups
    expect(dialog.get_by_role("checkbox", name=re.compile("^Singles"))).to_be_checked()
    expect(dialog.get_by_role("checkbox", name=re.compile("^Compilations"))).not_to_be_checked()
    summary = dialog.locator(".dialog-summary")
    expect(summary).to_have_text(re.compile(r"^Queues 45 releases · at least \d+ tracks\.$"))
    dialog.get_by_role("checkbox", name=re.compile("^Singles")).uncheck()
    expect(summary).to_have_text(re.compile(r"^Queues 30 releases · at least \d+ tracks\.$"))
    dialog.get_by_role("checkbox", name=re.compile("^Albums")).uncheck()
    expect(summary).to_have_text("Choose at least one group.")
    expect(dialog.get_by_role("button", name="Queue downloads")).to_be_disabled()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()


def _artist_shot(page, readme_shot) -> None:
    """The README's artist page: The Test Pattern, whose releases fill two groups."""
    page.goto(f"/artist/{IDS.artist}/")
    page.set_viewport_size({"width": 1200, "height": 1150})
    expect(page.get_by_role("heading", name="Singles 1")).to_be_visible()
    for image in page.locator("img.cover").all():
        expect(image).to_have_js_property("complete", True)
    readme_shot(page, "artist")
    page.set_viewport_size(DESKTOP)
    page.goto(f"/artist/{IDS.big_artist}/")


def test_the_discography_dialog_queues_the_chosen_group(page, log_in, console_errors) -> None:
    log_in("alice")
    page.goto(f"/artist/{IDS.big_artist}/")
    page.get_by_role("button", name="Download discography").click()
    dialog = page.get_by_role("dialog", name="Download discography")
    dialog.get_by_role("checkbox", name=re.compile("^Albums")).uncheck()
    dialog.get_by_role("checkbox", name=re.compile("^Singles")).uncheck()
    dialog.get_by_role("checkbox", name=re.compile("^Compilations")).check()
    expect(dialog.locator(".dialog-summary")).to_have_text(re.compile(r"^Queues 5 releases · \d+ tracks\.$"))
    dialog.get_by_role("button", name="Queue downloads").click()
    expect(page.locator(".messages")).to_contain_text("5 albums queued")


@pytest.mark.parametrize("screen", SCREENS)
def test_a_two_disc_album_shows_disc_headers(page, log_in, console_errors, screen) -> None:
    log_in("alice")
    _screen(page, screen)
    page.goto(f"/album/{IDS.two_disc_album}/")
    rows = page.locator("table.tracks tbody tr")
    expect(rows).to_have_count(10)  # 2 headers + 8 tracks
    expect(rows.nth(0)).to_have_text("Disc 1")
    expect(rows.nth(5)).to_have_text("Disc 2")
    expect(page.get_by_role("columnheader", name="Disc 2")).to_be_visible()


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("screen", SCREENS)
def test_watching_an_artist_asks_what_to_download_and_the_card_says_what_happened(
    page, log_in, console_errors, screen, theme
) -> None:
    log_in("alice")
    _screen(page, screen, theme)
    page.goto(f"/artist/{IDS.artist}/")
    page.get_by_role("button", name="Watch", exact=True).click()
    dialog = page.get_by_role("dialog", name="Watch this artist")
    expect(dialog).to_have_css("background-color", SURFACE[theme])
    expect(dialog.get_by_role("radio", name=re.compile("^New releases only"))).to_be_checked()
    expect(
        dialog.get_by_role("radio", name=re.compile("^Everything now and new releases"))
    ).not_to_be_checked()
    expect(dialog.get_by_role("checkbox", name="Albums", exact=True)).to_be_checked()
    dialog.get_by_role("checkbox", name="Singles", exact=True).uncheck()
    dialog.get_by_role("button", name="Start watching").click()
    expect(page.locator(".messages")).to_contain_text("Watching “The Test Pattern”: new releases")

    page.goto("/watchlist/")
    card = page.locator(".watch", has_text="The Test Pattern")
    expect(card.locator(".watch-result")).to_have_text(re.compile("^(Watching started|No new releases)$"))
    expect(card.locator(".watch-counts")).to_contain_text("downloaded")
    expect(card.locator(".watch-counts")).to_contain_text("0 wanted")
    card.locator(".watch-cover").scroll_into_view_if_needed()
    expect(card.locator(".watch-cover")).to_have_js_property("complete", True)
    assert card.locator(".watch-cover").evaluate("img => img.naturalWidth") > 0
    card.get_by_role("button", name=re.compile("Remove")).click()
    expect(page.locator(".messages")).to_contain_text("Stopped watching this artist.")
