"""Issue 17 in a real browser: first-run setup and the credentials Test button, settings in human
words, the styled 404, what operators get, the history page, and our own header mark. Each runs on a
desktop and a 390 px phone, in the light and the dark theme, and fails on any console error.

The live app is shared with the other browser tests, so every test puts back what it changes."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.dashboard.browser.server import _manage

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1200, "height": 900}
PHONE = {"width": 390, "height": 844}
FLASH = "div.messages[role='status']"  # the flash messages, not the Spotify banner
LOOKS = [
    pytest.param(DESKTOP, "light", id="desktop-light"),
    pytest.param(PHONE, "dark", id="phone-dark"),
]
ALL_LOOKS = [
    *LOOKS,
    pytest.param(DESKTOP, "dark", id="desktop-dark"),
    pytest.param(PHONE, "light", id="phone-light"),
]


@pytest.fixture
def console_errors(page: Page) -> Iterator[list[str]]:
    """Console errors and uncaught exceptions of the page; the test fails if there are any."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield errors
    assert errors == []


def _expected_status(errors: list[str], status: str) -> None:
    """Drop Chromium's note about a page answered with ``status`` on purpose (a 404 page, a refused form)."""
    errors[:] = [error for error in errors if f"status of {status}" not in error]


def _look(page: Page, viewport: dict[str, int], scheme: str) -> None:
    page.set_viewport_size(viewport)
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]


def _nav(page: Page):
    """The main navigation, opened first on a phone."""
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible() and menu.get_attribute("aria-expanded") == "false":
        menu.click()
    return page.locator("#site-nav")


def _shell(live_app, script: str) -> None:
    _manage(live_app.env, live_app.log_dir, "shell", "-c", script)


# ------------------------------------------------------------------ first run


@pytest.mark.parametrize(("viewport", "scheme"), LOOKS)
def test_refused_credentials_show_a_setup_banner_and_test_tells_good_from_bad(
    page, log_in, live_app, console_errors, viewport, scheme
) -> None:
    """GIVEN the credentials page WHEN values are tried with Test THEN a wrong secret fails and the
    right one passes, nothing being stored; once a refused set is stored and made active, every page
    shows the setup banner linking back to the credentials page, until it is deleted."""
    _look(page, viewport, scheme)
    log_in("admin")
    name = f"broken-{viewport['width']}-{scheme}"
    page.goto("/settings/credentials/")
    expect(page.locator("#spotify-setup-help")).to_contain_text(
        "Where the Spotify client id and secret come from"
    )
    expect(page.get_by_role("link", name="developer.spotify.com/dashboard")).to_have_attribute(
        "href", "https://developer.spotify.com/dashboard"
    )
    expect(page.locator("#spotify-setup-help code")).to_have_text(
        f"{live_app.base_url}/api/spotify/account/callback"
    )
    expect(page.get_by_text("Your own label for this set")).to_be_visible()
    page.get_by_label("Service").select_option("spotify")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Client id", exact=True).fill(live_app.spotify.client_id)
    page.get_by_label("Client secret", exact=True).fill("not-the-secret")
    page.get_by_role("button", name="Test", exact=True).click()
    expect(page.locator("#credential-test-result")).to_contain_text("Test failed: Spotify rejected")
    page.get_by_label("Client secret", exact=True).fill(live_app.spotify.client_secret)
    page.get_by_role("button", name="Test", exact=True).click()
    expect(page.locator("#credential-test-result")).to_contain_text(
        "Test passed: Spotify accepted the client id and secret"
    )
    expect(page.get_by_label("Name", exact=True)).to_have_value(name)  # the form kept what was typed
    try:
        page.get_by_label("Client secret", exact=True).fill("not-the-secret")
        page.get_by_role("button", name="Store").click()
        expect(page.locator(FLASH)).to_contain_text(f"Stored the spotify credential set '{name}'.")
        page.locator(".credential", has_text=name).get_by_role("button", name="Make active").click()
        expect(page.locator(FLASH)).to_contain_text(f"'{name}' is now the active spotify credential set.")
        page.goto("/history/")
        banner = page.locator(".setup-banner")
        expect(banner).to_contain_text("Spotify refuses the stored client id and secret.")
        banner.get_by_role("link", name="Fix the Spotify credentials").click()
        expect(page).to_have_url(re.compile(r"/settings/credentials/$"))
        page.get_by_role("button", name=f"Test {name}").click()
        expect(page.locator(FLASH)).to_contain_text(f"Test of '{name}': Spotify rejected")
        page.get_by_role("button", name=f"Delete {name}").click()
        expect(page.locator(FLASH)).to_contain_text(f"Deleted the spotify credential set '{name}'.")
        page.goto("/queue/")
        expect(page.locator(".spotify-banner")).to_have_count(0)
    finally:
        _shell(
            live_app,
            "from settings_app.models import Credential; from settings_app.spotify_check import "
            f"spotify_check_forget; Credential.objects.filter(name={name!r}).delete(); "
            "from settings_app.services import config_update; config_update(changes={'spotify': 'default'}); "
            "spotify_check_forget()",
        )


# ------------------------------------------------------------------ the styled 404


@pytest.mark.parametrize(("viewport", "scheme"), ALL_LOOKS)
def test_unknown_addresses_get_a_styled_404_with_the_navigation(
    page, log_in, console_errors, viewport, scheme
) -> None:
    _look(page, viewport, scheme)
    log_in("admin")
    for url in ("/no-such-page/", "/settings/nonsense/"):
        response = page.goto(url)
        assert response is not None and response.status == 404
        expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
        expect(_nav(page).get_by_role("link", name="Search", exact=True)).to_be_visible()
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == ("rgb(18, 19, 22)" if scheme == "dark" else "rgb(247, 247, 248)")
    api = page.request.get("/api/no-such-endpoint")
    assert api.status == 404 and api.json()["code"] == "not_found"
    _expected_status(console_errors, "404 (Not Found)")


# ------------------------------------------------------------------ operators and the header mark


@pytest.mark.parametrize(("viewport", "scheme"), LOOKS)
def test_admins_reach_the_branded_admin_from_the_navigation(
    page, log_in, console_errors, viewport, scheme
) -> None:
    _look(page, viewport, scheme)
    log_in("admin")
    mark = page.locator(".brand img.brand-mark")
    expect(mark).to_have_attribute("src", "/static/dashboard/logo.svg")
    expect(mark).to_have_js_property("complete", True)
    assert mark.evaluate("image => image.naturalWidth") > 0
    _nav(page).get_by_role("link", name="Admin", exact=True).click()
    expect(page).to_have_title("Operator tools | Spotizerr admin")
    expect(page.locator("#site-name")).to_have_text("Spotizerr administration")
    expect(page.get_by_role("link", name="Users and sign-in")).to_be_visible()
    for hidden in ("Sites", "Token Blacklist", "Email addresses", "Social applications"):
        expect(page.get_by_text(hidden, exact=True)).to_have_count(0)


def test_users_get_no_admin_link(page, log_in, console_errors) -> None:
    log_in("alice")
    expect(page.locator("#site-nav").get_by_role("link", name="Admin")).to_have_count(0)


@pytest.mark.parametrize(("viewport", "scheme"), LOOKS)
def test_the_users_page_deactivates_and_shows_last_logins(
    page, log_in, live_app, console_errors, viewport, scheme
) -> None:
    _look(page, viewport, scheme)
    log_in("admin")
    page.goto("/settings/users/")
    rows = page.locator("table.users tbody tr")
    row = rows.filter(has=page.get_by_role("button", name="Delete alice", exact=True))
    expect(page.get_by_role("columnheader", name="Last login")).to_be_visible()
    admin_row = rows.filter(has=page.get_by_role("button", name="Delete admin", exact=True))
    expect(admin_row.locator(".last-login")).to_contain_text("ago")
    try:
        row.get_by_role("button", name="Deactivate alice").click()
        expect(page.locator(FLASH)).to_contain_text("'alice' is deactivated")
        expect(row.locator(".badge", has_text="deactivated")).to_be_visible()
        row.get_by_role("button", name="Activate alice").click()
        expect(page.locator(FLASH)).to_contain_text("'alice' is active again.")
    finally:
        _shell(
            live_app,
            "from accounts.models import User; User.objects.filter(username='alice').update(is_active=True)",
        )


# ------------------------------------------------------------------ settings in human words


def test_sources_are_labelled_and_reordered_by_keyboard(page, log_in, console_errors) -> None:
    log_in("admin")
    page.goto("/settings/sources/")
    expect(page.get_by_label("Deezer quality").locator("option:checked")).to_have_text(
        "Deezer · MP3 128 kbit/s"
    )
    expect(page.get_by_label("First source").locator("option:checked")).to_have_text(
        "Your own files (inbox folder)"
    )
    rows = page.locator("[data-order-list] > li")
    before = rows.evaluate_all("items => items.map(item => item.dataset.name)")
    first_label = rows.first.get_attribute("data-label")
    button = page.get_by_role("button", name=f"Move {first_label} down")
    button.focus()
    page.keyboard.press("Enter")
    after = rows.evaluate_all("items => items.map(item => item.dataset.name)")
    assert after == [before[1], before[0], *before[2:]]
    expect(button).to_be_focused()
    expect(page.locator("#f-sourceOrder-status")).to_have_text(f"{first_label} moved to position 2.")
    page.get_by_role("button", name="Move " + first_label + " up").press("Enter")  # back where it was
    assert rows.evaluate_all("items => items.map(item => item.dataset.name)") == before


def test_the_command_is_typed_as_arguments_and_saved(page, log_in, live_app, console_errors) -> None:
    log_in("admin")
    page.goto("/settings/sources/")
    try:
        page.get_by_role("textbox", name="Program", exact=True).fill("fetch-audio")
        page.get_by_label("Argument 1", exact=True).fill("{isrc}")
        page.get_by_role("button", name="Add an argument").click()
        expect(page.get_by_label("Argument 2", exact=True)).to_be_focused()
        page.get_by_label("Argument 2", exact=True).fill("{output}")
        page.get_by_role("button", name="Save sources settings").click()
        expect(page.locator(FLASH)).to_contain_text("Saved the sources settings (1 changed).")
        expect(page.get_by_label("Argument 2", exact=True)).to_have_value("{output}")
        page.get_by_label("Argument 1", exact=True).fill("{nope}")
        page.get_by_role("button", name="Save sources settings").click()
        expect(page.locator(".field-command .field-error")).to_contain_text(
            "“Program and arguments” uses unknown placeholder {nope}"
        )
        _expected_status(console_errors, "400 (Bad Request)")
    finally:
        _shell(
            live_app,
            "from settings_app.services import config_update; config_update(changes={'commandSource': None})",
        )


@pytest.mark.parametrize(("viewport", "scheme"), LOOKS)
def test_the_bitrate_list_follows_the_format(page, log_in, console_errors, viewport, scheme) -> None:
    _look(page, viewport, scheme)
    log_in("admin")
    page.goto("/settings/conversion/")
    bitrate = page.get_by_label("Bitrate")
    page.get_by_label("Convert to").select_option(label="Opus")
    expect(bitrate.locator("option").first).to_have_text("Default (128 kbit/s)")
    expect(bitrate.locator("option")).to_have_count(9)
    expect(bitrate.locator('option[value="320k"]')).to_have_count(0)
    page.get_by_label("Convert to").select_option(label="MP3")
    expect(bitrate.locator('option[value="320k"]')).to_have_text("320 kbit/s")
    page.get_by_label("Convert to").select_option(label="FLAC (lossless)")
    expect(bitrate).to_be_disabled()
    expect(bitrate.locator("option")).to_have_text(["Not used: lossless format"])


def test_placeholders_are_picked_into_the_template(page, log_in, console_errors) -> None:
    log_in("admin")
    page.goto("/settings/formatting/")
    template = page.get_by_label("File name template")
    template.fill("%music% - ")
    picker = page.locator(".field", has=template).locator("details.placeholder-picker")
    picker.locator("summary").click()
    picker.get_by_role("button", name="%album% Album title").click()
    expect(template).to_have_value("%music% - %album%")
    expect(page.locator("#path-preview")).to_have_text(
        "The Test Pattern/Sine Waves/Four Forty - Sine Waves.mp3"
    )


def test_intervals_are_in_hours_and_minutes_and_errors_use_labels(
    page, log_in, live_app, console_errors
) -> None:
    log_in("admin")
    page.goto("/settings/watch/")
    group = page.get_by_role("group", name="Check every")
    expect(group.get_by_label("hours")).to_have_value("1")
    expect(group.get_by_label("minutes")).to_have_value("0")
    expect(page.get_by_label("Appears on")).to_be_visible()
    page.goto("/settings/sources/")
    try:
        page.locator("[data-order-list] input[value='inbox']").uncheck()
        page.get_by_role("button", name="Save sources settings").click()
        expect(
            page.get_by_text(
                "First source: 'inbox' is not in “Order of the other sources”, so it is never tried"
            )
        ).to_be_visible()
    finally:
        _shell(
            live_app,
            "from settings_app.services import config_update; "
            "config_update(changes={'sourceOrder': ['inbox', 'deezer', 'spotify', 'command']})",
        )


# ------------------------------------------------------------------ history


@pytest.fixture
def history_rows(live_app) -> Iterator[None]:
    script = """
import uuid
from datetime import datetime, UTC
from accounts.models import User
from library_history.services import history_record_download
alice = User.objects.get(username='alice')
for key, name, day in (('1', 'zulu Sorting Probe', 3), ('2', 'Alpha Sorting Probe', 9)):
    history_record_download(task_id=uuid.UUID(int=int(key)), owner_id=alice.id, download_type='album',
        spotify_url='https://open.spotify.com/album/x', name=name, artist='Probe Artist', status='completed',
        created_at=datetime(2025, 6, day, 12, tzinfo=UTC), total_tracks=2, successful_tracks=2)
"""
    _shell(live_app, script)
    yield
    _shell(
        live_app,
        "import uuid; from library_history.services import history_delete; "
        "history_delete(task_ids=[uuid.UUID(int=1), uuid.UUID(int=2)])",
    )


@pytest.mark.parametrize(("viewport", "scheme"), ALL_LOOKS)
def test_history_sorts_filters_by_days_and_stacks_on_a_phone(
    page, log_in, history_rows, console_errors, viewport, scheme
) -> None:
    _look(page, viewport, scheme)
    log_in("alice")
    page.goto("/history/?q=Sorting+Probe")
    names = page.locator("table.history tbody td.cell-name")
    expect(names).to_have_text(["Alpha Sorting Probe", "zulu Sorting Probe"])  # newest first
    page.get_by_role("link", name="Name").click()
    expect(page.get_by_role("columnheader", name="Name")).to_have_attribute("aria-sort", "ascending")
    expect(names).to_have_text(["Alpha Sorting Probe", "zulu Sorting Probe"])
    page.get_by_role("link", name="Name").click()
    expect(page.get_by_role("columnheader", name="Name")).to_have_attribute("aria-sort", "descending")
    expect(names).to_have_text(["zulu Sorting Probe", "Alpha Sorting Probe"])
    page.get_by_label("From").fill("2025-06-01")
    page.get_by_label("To").fill("2025-06-05")
    page.get_by_role("button", name="Filter").click()
    expect(names).to_have_text(["zulu Sorting Probe"])
    if viewport["width"] == PHONE["width"]:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        cell = page.locator("table.history tbody tr").first.locator("td[data-label='Status']")
        assert cell.evaluate("cell => getComputedStyle(cell).display") == "grid"
        label = cell.evaluate("cell => getComputedStyle(cell, '::before').content")
        assert label == '"Status"'
    page.goto("/history/stats/")
    expect(
        page.get_by_role("img", name="By status").locator("title", has_text="In progress: ")
    ).to_have_count(1)
    expect(page.get_by_role("img", name="By kind").locator("title", has_text="Albums: ")).to_have_count(1)
