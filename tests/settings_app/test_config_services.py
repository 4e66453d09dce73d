from __future__ import annotations

import pytest

from settings_app import selectors, services
from settings_app.models import ConfigSection
from spotizerr.errors import BadRequest

pytestmark = pytest.mark.django_db


def _errors(changes: dict) -> dict:
    with pytest.raises(BadRequest) as caught:
        services.config_update(changes=changes)
    return caught.value.details


def test_defaults_fill_an_empty_configuration(library_root, inbox_root) -> None:
    config = selectors.get_config()
    assert config["maxConcurrentDownloads"] == 3
    assert config["service"] == "inbox"
    assert config["downloadPath"] == str(library_root)
    assert config["inboxPath"] == str(inbox_root)
    assert config["sourceOrder"] == ["inbox", "deezer", "spotify", "command"]
    assert config["customDirFormat"] == "%ar_album%/%album%"
    assert config["commandSource"] is None


def test_a_partial_update_keeps_every_other_value() -> None:
    services.config_update(changes={"maxRetries": 7})
    config = services.config_update(changes={"saveCover": False})
    assert (config["maxRetries"], config["saveCover"], config["maxConcurrentDownloads"]) == (7, False, 3)


def test_only_changed_values_are_stored() -> None:
    services.config_update(changes={"maxRetries": 7})
    assert ConfigSection.objects.get(name="main").values == {"maxRetries": 7}


def test_file_format_and_convert_to_are_one_setting() -> None:
    config = services.config_update(changes={"fileFormat": "mp3"})
    assert config["convertTo"] == config["fileFormat"] == "MP3"


def test_convert_to_null_keeps_the_source_format() -> None:
    services.config_update(changes={"convertTo": "flac"})
    assert services.config_update(changes={"fileFormat": None})["convertTo"] is None


def test_conflicting_file_format_and_convert_to_are_refused() -> None:
    details = _errors({"fileFormat": "MP3", "convertTo": "FLAC"})
    assert set(details) & {"fileFormat", "convertTo"}


def test_of_two_names_for_one_setting_the_one_that_changed_wins() -> None:
    """A client sending the whole configuration back with one name edited (the original web UI)."""
    services.config_update(changes={"convertTo": "MP3"})

    config = services.config_update(changes={"fileFormat": "MP3", "convertTo": "FLAC"})
    assert config["convertTo"] == "FLAC"
    watch = services.watch_config_update(changes={"check_interval": 3600, "watchPollIntervalSeconds": 900})
    assert watch["check_interval"] == 900


def test_the_original_uis_camelcase_watch_names_are_accepted_but_not_answered() -> None:
    watch = services.watch_config_update(changes={"checkInterval": 600, "maxConcurrentChecks": 3})

    assert (watch["check_interval"], watch["max_concurrent_checks"]) == (600, 3)
    assert "checkInterval" not in watch


def test_quality_values_are_accepted_in_any_case() -> None:
    config = services.config_update(changes={"spotifyQuality": "very_high", "deezerQuality": "flac"})
    assert (config["spotifyQuality"], config["deezerQuality"]) == ("VERY_HIGH", "FLAC")


def test_a_bitrate_is_normalised() -> None:
    assert services.config_update(changes={"convertTo": "MP3", "bitrate": "320"})["bitrate"] == "320k"


def test_a_bitrate_not_allowed_for_the_format_is_refused() -> None:
    assert "bitrate" in _errors({"convertTo": "OPUS", "bitrate": "320k"})


def test_a_lossless_format_takes_no_bitrate() -> None:
    assert "bitrate" in _errors({"convertTo": "FLAC", "bitrate": "256k"})


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("maxConcurrentDownloads", "3"),
        ("maxConcurrentDownloads", True),
        ("maxConcurrentDownloads", 0),
        ("fallback", "yes"),
        ("spotifyQuality", "ultra"),
        ("convertTo", "WMA"),
        ("padNumberWidth", "wide"),
        ("realTimeMultiplier", 11),
        ("inboxMode", "symlink"),
        ("inboxScanSeconds", 0),
        ("inboxScanSeconds", "60"),
        ("upgradeToLossless", "on"),
        ("artistSeparator", ""),
        ("sourceOrder", "inbox"),
        ("sourceOrder", ["inbox", "inbox"]),
    ],
)
def test_a_wrong_type_or_unknown_value_is_refused_with_the_field_named(key, value) -> None:
    assert key in _errors({key: value})


def test_the_inbox_scan_defaults_to_a_minute_and_upgrades_to_lossless_are_off() -> None:
    config = selectors.get_config()
    assert (config["inboxScanSeconds"], config["upgradeToLossless"]) == (60, False)


def test_an_unknown_key_is_refused() -> None:
    assert _errors({"colour": "blue"}) == {"colour": ["unknown setting"]}


def test_nothing_is_saved_when_one_value_is_invalid() -> None:
    _errors({"maxRetries": 9, "spotifyQuality": "ultra"})
    assert selectors.get_config()["maxRetries"] == 3


def test_a_template_with_an_unknown_placeholder_is_refused() -> None:
    assert (
        "unknown placeholder %nope%" in _errors({"customDirFormat": "%nope%/%album%"})["customDirFormat"][0]
    )


@pytest.mark.parametrize("template", ["/abs/%album%", "../%album%", "%artist%/../x"])
def test_an_escaping_folder_template_is_refused(template) -> None:
    assert "customDirFormat" in _errors({"customDirFormat": template})


def test_a_track_template_may_not_contain_separators() -> None:
    assert "customTrackFormat" in _errors({"customTrackFormat": "%album%/%music%"})


def test_a_download_path_that_does_not_exist_is_refused(tmp_path) -> None:
    assert "downloadPath" in _errors({"downloadPath": str(tmp_path / "missing")})


def test_a_download_path_that_is_a_file_is_refused(tmp_path) -> None:
    (tmp_path / "file").write_text("x")
    assert "downloadPath" in _errors({"downloadPath": str(tmp_path / "file")})


def test_a_relative_download_path_is_refused() -> None:
    assert "downloadPath" in _errors({"downloadPath": "downloads"})


def test_a_writable_download_path_is_saved(tmp_path) -> None:
    assert services.config_update(changes={"downloadPath": str(tmp_path)})["downloadPath"] == str(tmp_path)


def test_an_unregistered_source_is_refused() -> None:
    assert "service" in _errors({"service": "napster"})


def test_the_source_order_accepts_registered_sources() -> None:
    assert services.config_update(changes={"sourceOrder": ["Spotify", "inbox"]})["sourceOrder"] == [
        "spotify",
        "inbox",
    ]


def test_an_active_credential_name_must_exist() -> None:
    assert "spotify" in _errors({"spotify": "nobody"})


def test_a_command_source_is_saved_with_a_default_timeout() -> None:
    config = services.config_update(changes={"commandSource": {"argv": ["fetch", "{isrc}", "{output}"]}})
    assert config["commandSource"] == {"argv": ["fetch", "{isrc}", "{output}"], "timeoutSeconds": 600}


@pytest.mark.parametrize(
    "value",
    [
        {"argv": []},
        {"argv": "fetch {isrc}"},
        {"argv": ["fetch", "{secret}"]},
        {"argv": ["fetch", "{artist.__class__}"]},
        {"argv": ["fetch"], "timeoutSeconds": 0},
        {"argv": ["fetch"], "shell": True},
        ["fetch"],
    ],
)
def test_a_malformed_command_source_is_refused(value) -> None:
    assert "commandSource" in _errors({"commandSource": value})


def test_a_body_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(BadRequest):
        services.config_update(changes=["maxRetries", 3])  # type: ignore[arg-type]


def test_watch_defaults_fill_an_empty_configuration() -> None:
    watch = selectors.get_watch_config()
    assert watch == {
        "enabled": True,
        "check_interval": 3600,
        "max_concurrent_checks": 2,
        "retry_failed_after": 1800,
        "watchedArtistAlbumGroup": ["album", "single"],
        "useSnapshotIdChecking": True,
        "watchPollIntervalSeconds": 3600,
        "maxItemsPerRun": 50,
    }


def test_watch_poll_interval_seconds_is_another_name_for_check_interval() -> None:
    watch = services.watch_config_update(changes={"watchPollIntervalSeconds": 120})
    assert watch["check_interval"] == watch["watchPollIntervalSeconds"] == 120


def test_a_check_interval_under_a_minute_is_refused() -> None:
    with pytest.raises(BadRequest) as caught:
        services.watch_config_update(changes={"check_interval": 59})
    assert "check_interval" in caught.value.details


def test_an_unknown_album_group_is_refused() -> None:
    with pytest.raises(BadRequest) as caught:
        services.watch_config_update(changes={"watchedArtistAlbumGroup": ["album", "bootleg"]})
    assert "watchedArtistAlbumGroup" in caught.value.details
