"""Settings in human words: labelled enum values, intervals in hours and minutes, a bitrate list that
follows the format, ordered sources, the command as argument fields, the placeholder picker, and field
labels instead of key names in messages."""

from __future__ import annotations

import pytest

from settings_app.selectors import get_config, get_watch_config
from settings_app.services import config_update, watch_config_update
from tests.dashboard.conftest import messages_of, post
from tests.dashboard.test_settings_pages import _form

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_page(page_for, admin_user, library_root, inbox_root):
    return page_for(admin_user)


def test_enum_values_have_labels(admin_page) -> None:
    sources = admin_page.get("/settings/sources/").content.decode()
    assert '<option value="MP3_128" selected>Deezer · MP3 128 kbit/s</option>' in sources
    assert '<option value="copy" selected>Copy (the inbox keeps its files)</option>' in sources
    assert ">Your own files (inbox folder)</option>" in sources
    watch = admin_page.get("/settings/watch/").content.decode()
    assert 'value="appears_on"> Appears on</label>' in watch


def test_intervals_are_shown_in_hours_and_minutes(admin_page) -> None:
    watch_config_update(changes={"check_interval": 5400, "retry_failed_after": 1800})
    body = admin_page.get("/settings/watch/").content.decode()
    assert 'name="check_interval_hours" value="1"' in body
    assert 'name="check_interval_minutes" value="30"' in body
    assert 'name="retry_failed_after_hours" value="0"' in body
    assert "check_interval_seconds" not in body


def test_an_interval_with_seconds_keeps_them_when_saved_unchanged(admin_page) -> None:
    watch_config_update(changes={"check_interval": 3690})
    body = admin_page.get("/settings/watch/").content.decode()
    assert 'name="check_interval_seconds" value="30"' in body
    response = post(admin_page, "/settings/watch/", _form("watch"), follow=True)
    assert messages_of(response) == ["Nothing changed."]
    assert get_watch_config()["check_interval"] == 3690


def test_the_bitrate_list_holds_the_chosen_formats_bitrates(admin_page) -> None:
    config_update(changes={"convertTo": "OPUS", "bitrate": "128k"})
    body = admin_page.get("/settings/conversion/").content.decode()
    assert '<option value="">Default (128 kbit/s)</option>' in body
    assert '<option value="128k" selected>128 kbit/s</option>' in body
    assert 'value="320k"' not in body  # Opus stops at 256k
    config_update(changes={"convertTo": "FLAC", "bitrate": None})
    assert "Not used: lossless format" in admin_page.get("/settings/conversion/").content.decode()


def test_a_bitrate_the_format_refuses_is_explained_in_words(admin_page) -> None:
    response = post(
        admin_page, "/settings/conversion/", _form("conversion", convertTo="FLAC", bitrate="320k")
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "FLAC is lossless and takes no bitrate; set bitrate to empty" in body
    assert "Nothing was saved: some values are not allowed." in body


def test_sources_are_ticked_and_ordered_with_buttons(admin_page) -> None:
    config_update(changes={"sourceOrder": ["spotify", "inbox"]})
    body = admin_page.get("/settings/sources/").content.decode()
    assert (
        body.index('data-name="spotify"') < body.index('data-name="inbox"') < body.index('data-name="deezer"')
    )
    assert 'aria-label="Move Your own files (inbox folder) up"' in body
    assert 'value="deezer"> Deezer previews (30 s)' in body  # listed, not ticked


def test_the_command_is_edited_as_argument_fields(admin_page) -> None:
    data = _form("sources", commandSource_argv=["fetch-audio", "--isrc", "{isrc}", "{output}", ""])
    post(admin_page, "/settings/sources/", {**data, "commandSource_timeout": "120"})
    assert get_config()["commandSource"] == {
        "argv": ["fetch-audio", "--isrc", "{isrc}", "{output}"],
        "timeoutSeconds": 120,
    }
    body = admin_page.get("/settings/sources/").content.decode()
    assert 'name="commandSource_argv" value="--isrc"' in body and "Argument 1" in body
    post(admin_page, "/settings/sources/", _form("sources", commandSource_argv=["", ""]))
    assert get_config()["commandSource"] is None


def test_the_naming_templates_have_a_placeholder_picker(admin_page) -> None:
    body = admin_page.get("/settings/formatting/").content.decode()
    assert 'data-insert="%album%" data-target="f-customDirFormat"><code>%album%</code> Album title' in body
    assert 'data-insert="%music%" data-target="f-customTrackFormat"' in body


def test_check_messages_name_fields_by_label(admin_page) -> None:
    config_update(changes={"service": "deezer", "sourceOrder": ["inbox"]})
    body = admin_page.get("/settings/sources/").content.decode()
    assert (
        "First source: &#x27;deezer&#x27; is not in “Order of the other sources”, so it is never tried"
        in body
    )
    assert "sourceOrder" not in body.split("Configuration check")[1]


def test_preview_problems_are_labelled(admin_page) -> None:
    body = admin_page.get("/settings/formatting/preview/", {"customTrackFormat": "%what%"}).json()
    assert body["labels"]["customTrackFormat"] == "File name template"
    response = post(admin_page, "/settings/formatting/", _form("formatting", customDirFormat="../x"))
    assert "<li>Folder template: must not contain" in response.content.decode()
