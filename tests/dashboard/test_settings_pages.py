"""Settings (admins): saving sections, errors next to the field in the API's words, the path preview,
sources with their health, and masked credentials."""

from __future__ import annotations

import pytest

from settings_app.selectors import get_config, get_watch_config
from tests.dashboard.conftest import messages_of, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_page(page_for, admin_user, library_root, inbox_root):
    return page_for(admin_user)


def _form(section: str, **changes: object) -> dict:
    """The section's form as a browser would send it unchanged, plus ``changes``."""
    from spotizerr.dashboard import config_forms

    current = get_watch_config() if config_forms.SECTIONS[section][1] == "watch" else get_config()
    data: dict = {}
    for field in config_forms.bind(section, current):
        data.update(field.submitted())
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_it_shows_a_validation_error_next_to_the_field_and_saves_nothing(admin_page) -> None:
    response = post(admin_page, "/settings/downloads/", _form("downloads", maxConcurrentDownloads="0"))
    assert response.status_code == 400
    body = response.content.decode()
    assert '<p class="field-error" id="f-maxConcurrentDownloads-error">must be at least 1</p>' in body
    assert 'value="0"' in body
    assert get_config()["maxConcurrentDownloads"] == 3


def test_it_saves_a_valid_change_and_says_so(admin_page) -> None:
    response = post(
        admin_page, "/settings/downloads/", _form("downloads", maxConcurrentDownloads="5"), follow=True
    )
    assert get_config()["maxConcurrentDownloads"] == 5
    assert "Saved the downloads settings (1 changed)." in messages_of(response)


def test_it_turns_an_unticked_box_into_false(admin_page) -> None:
    data = _form("downloads")
    data.pop("saveCover")
    post(admin_page, "/settings/downloads/", data)
    assert get_config()["saveCover"] is False


def test_it_saves_the_watch_section(admin_page) -> None:
    post(
        admin_page,
        "/settings/watch/",
        _form(
            "watch",
            check_interval_hours="1",
            check_interval_minutes="30",
            watchedArtistAlbumGroup=["single"],
        ),
    )
    config = get_watch_config()
    assert config["check_interval"] == 5400 and config["watchedArtistAlbumGroup"] == ["single"]


def test_it_reports_a_bad_template_in_the_apis_words(admin_page) -> None:
    response = post(admin_page, "/settings/formatting/", _form("formatting", customTrackFormat="%nope%"))
    assert response.status_code == 400
    assert "unknown placeholder %nope%" in response.content.decode()


def test_it_previews_the_path_of_a_sample_track(admin_page) -> None:
    response = admin_page.get(
        "/settings/formatting/preview/",
        {
            "customDirFormat": "%artist%/%year%",
            "customTrackFormat": "%tracknum% - %music%",
            "tracknumPadding": "on",
            "padNumberWidth": "3",
            "artistSeparator": " & ",
        },
    )
    body = response.json()
    assert body["path"] == "The Test Pattern & Guest Oscillator/2021/003 - Four Forty.mp3"
    assert body["problems"] == {}


def test_the_preview_names_template_problems(admin_page) -> None:
    body = admin_page.get("/settings/formatting/preview/", {"customDirFormat": "../%what%"}).json()
    assert "unknown placeholder %what%" in body["problems"]["customDirFormat"]


def test_the_formatting_page_renders_the_current_preview(admin_page) -> None:
    body = admin_page.get("/settings/formatting/").content.decode()
    assert '<code id="path-preview">The Test Pattern/Sine Waves/03. Four Forty.mp3</code>' in body


def test_it_lists_sources_in_order_with_their_health(admin_page) -> None:
    body = admin_page.get("/settings/sources/").content.decode()
    assert "<code>inbox</code>" in body and "Health" in body


def test_it_takes_the_ticked_sources_in_the_order_they_are_sent(admin_page) -> None:
    post(admin_page, "/settings/sources/", _form("sources", sourceOrder=["spotify", "inbox"]))
    assert get_config()["sourceOrder"] == ["spotify", "inbox"]


def test_it_refuses_an_unknown_source_in_the_apis_words(admin_page) -> None:
    response = post(admin_page, "/settings/sources/", _form("sources", sourceOrder=["inbox", "napster"]))
    assert response.status_code == 400
    assert "must be one of" in response.content.decode()


def test_it_shows_credentials_masked(admin_page) -> None:
    from settings_app.services import credential_create

    credential_create(service="spotify", name="main", client_id="cid", client_secret="super-secret-value-123")
    body = admin_page.get("/settings/credentials/").content.decode()
    assert "super-secret-value-123" not in body
    assert "main" in body and "active" in body


def test_it_stores_updates_activates_and_deletes_credentials(admin_page) -> None:
    from settings_app.selectors import active_credential, credential_get

    post(
        admin_page,
        "/settings/credentials/",
        {"service": "spotify", "name": "one", "client_id": "a", "client_secret": "secret-1"},
    )
    post(
        admin_page,
        "/settings/credentials/",
        {"service": "spotify", "name": "two", "client_id": "b", "client_secret": "secret-2"},
    )
    post(admin_page, "/settings/credentials/spotify/two/update/", {"client_id": "b2", "client_secret": ""})
    assert credential_get(service="spotify", name="two").client_secret == "secret-2"
    post(admin_page, "/settings/credentials/spotify/two/activate/")
    assert active_credential(service="spotify").name == "two"
    response = post(admin_page, "/settings/credentials/spotify/one/delete/", follow=True)
    assert "Deleted the spotify credential set 'one'." in messages_of(response)


def test_it_shows_credential_errors_next_to_the_field(admin_page) -> None:
    response = post(
        admin_page,
        "/settings/credentials/",
        {"service": "spotify", "name": "x", "client_id": "", "client_secret": "s"},
    )
    assert response.status_code == 400
    assert 'id="id_client_id_error">must not be empty' in response.content.decode()


def test_a_command_with_an_unknown_placeholder_is_refused_next_to_the_field(admin_page) -> None:
    data = _form("sources", commandSource_argv=["fetch", "{nope}"], commandSource_timeout="60")
    response = post(admin_page, "/settings/sources/", data)
    assert response.status_code == 400
    assert "argv uses unknown placeholder {nope}" not in response.content.decode()
    assert "“Program and arguments” uses unknown placeholder {nope}" in response.content.decode()
    assert get_config()["commandSource"] is None
