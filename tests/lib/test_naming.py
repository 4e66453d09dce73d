"""Rendering library paths from templates, and keeping them inside the library."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path, PurePosixPath

import pytest

from spotizerr.integrations.catalog_types import Album, AlbumRef, ArtistRef, Track
from spotizerr.lib.naming import (
    NamingOptions,
    TrackNaming,
    find_unknown_placeholders,
    render_relative_path,
    sanitize_component,
    template_problems,
)
from spotizerr.lib.safe_paths import library_file_path

ALL_PLACEHOLDERS = (
    "%music%|%artist%|%artist_2%|%album%|%ar_album%|%ar_album_1%|%tracknum%|%discnum%|%year%|%date%|"
    "%genre%|%isrc%|%explicit%|%duration%|%playlist%|%playlistnum%|%label%|%copyright%|%upc%|%quality%"
)


SAMPLE = TrackNaming(
    music="Song",
    artists=("Ann", "Bob"),
    album="Record",
    album_artists=("Ann",),
    tracknum=7,
    tracks_total=12,
    discnum=2,
    discs_total=2,
    year="2021",
    date="2021-03-04",
    genre="jazz",
    isrc="USAAA2100001",
    explicit=True,
    duration_ms=185_400,
    playlist="Mix",
    playlistnum=4,
    playlist_total=150,
    label="Label",
    copyright="(C) Label",
    upc="0123",
    quality="320k",
)


def _naming(**overrides) -> TrackNaming:
    return replace(SAMPLE, **overrides)


def _options(dir_template: str = "%ar_album%/%album%", track_template: str = "%tracknum%. %music%", **kw):
    return NamingOptions(dir_template=dir_template, track_template=track_template, **kw)


def test_default_templates_give_album_artist_album_and_padded_number_title() -> None:
    assert render_relative_path(_naming(), NamingOptions()) == PurePosixPath("Ann/Record/07. Song")


def test_every_placeholder_is_filled_in() -> None:
    path = render_relative_path(_naming(), _options("x", ALL_PLACEHOLDERS.replace("|", " ")))
    assert path.name == (
        "Song Ann; Bob Bob Record Ann Ann 07 02 2021 2021-03-04 jazz USAAA2100001 Explicit 185 Mix 004 "
        "Label (C) Label 0123 320k"
    )


def test_the_artist_separator_joins_artists() -> None:
    path = render_relative_path(_naming(), _options("x", "%artist%", artist_separator=" & "))
    assert path.name == "Ann & Bob"


def test_an_indexed_artist_beyond_the_list_is_empty() -> None:
    assert render_relative_path(_naming(), _options("x", "%artist_9%-%music%")).name == "-Song"


def test_album_artist_falls_back_to_track_artists() -> None:
    path = render_relative_path(_naming(album_artists=()), _options("%ar_album%", "%music%"))
    assert path.parts[0] == "Ann; Bob"


def test_a_clean_track_leaves_explicit_empty() -> None:
    assert render_relative_path(_naming(explicit=False), _options("x", "%music%%explicit%")).name == "Song"


def test_padding_off_leaves_numbers_bare() -> None:
    path = render_relative_path(_naming(), _options("x", "%discnum%-%tracknum%", tracknum_padding=False))
    assert path.name == "2-7"


def test_a_fixed_pad_width_is_used_for_every_number() -> None:
    path = render_relative_path(_naming(), _options("x", "%discnum%-%tracknum%", pad_width=3))
    assert path.name == "002-007"


def test_auto_padding_follows_the_digits_of_the_total() -> None:
    path = render_relative_path(_naming(tracknum=7, tracks_total=120), _options("x", "%tracknum%"))
    assert path.name == "007"


def test_a_missing_playlist_position_renders_empty() -> None:
    path = render_relative_path(_naming(playlistnum=None), _options("x", "%playlistnum% %music%"))
    assert path.name == "Song"


def test_the_user_folder_comes_first_when_tracks_are_separated_by_user() -> None:
    path = render_relative_path(_naming(), _options(separate_by_user="alice"))
    assert path.parts[0] == "alice"


def test_a_title_with_separators_stays_one_component() -> None:
    path = render_relative_path(_naming(music="../../etc/passwd"), _options("x", "%music%"))
    assert path.parts == ("x", "_.._etc_passwd")


def test_an_empty_value_component_becomes_unknown() -> None:
    path = render_relative_path(_naming(album=""), _options("%album%", "%music%"))
    assert path.parts[0] == "Unknown"


def test_unknown_placeholders_stay_literal() -> None:
    assert render_relative_path(_naming(), _options("x", "%nope% %music%")).name == "%nope% Song"


def test_from_config_reads_the_camel_case_keys() -> None:
    options = NamingOptions.from_config(
        {
            "customDirFormat": "%artist%",
            "customTrackFormat": "%music%",
            "tracknumPadding": False,
            "padNumberWidth": 4,
            "artistSeparator": ", ",
            "separateTracksByUser": True,
        },
        "alice",
    )
    assert options == NamingOptions("%artist%", "%music%", False, 4, ", ", "alice")


def test_from_config_ignores_the_username_unless_separating_by_user() -> None:
    assert NamingOptions.from_config({}, "alice").separate_by_user is None


def test_from_config_takes_auto_for_a_non_numeric_pad_width() -> None:
    assert NamingOptions.from_config({"padNumberWidth": "auto"}, None).pad_width == "auto"


def test_from_track_uses_the_full_album_when_given() -> None:
    artist = ArtistRef("a1", "Ann")
    ref = AlbumRef("al1", "Record", release_date="2021-03-04", total_tracks=2, artists=(artist,))
    track = Track("t1", "Song", (artist, ArtistRef("b1", "Bob")), ref, 185_000, True, 1, 2, "ISRC1")
    other = Track("t2", "Other", (artist,), ref, 1000, track_number=1, disc_number=3)
    album = Album(
        "al1",
        "Record",
        "album",
        (artist,),
        "2021-03-04",
        2,
        label="Label",
        upc="0123",
        genres=("jazz", "soul"),
        copyrights=("(C) Label",),
        tracks=(track, other),
    )
    naming = TrackNaming.from_track(
        track, album, playlist_name="Mix", playlist_position=4, playlist_total=9, quality="FLAC"
    )
    assert naming == TrackNaming(
        music="Song",
        artists=("Ann", "Bob"),
        album="Record",
        album_artists=("Ann",),
        tracknum=1,
        tracks_total=2,
        discnum=2,
        discs_total=3,
        year="2021",
        date="2021-03-04",
        genre="jazz",
        isrc="ISRC1",
        explicit=True,
        duration_ms=185_000,
        playlist="Mix",
        playlistnum=4,
        playlist_total=9,
        label="Label",
        copyright="(C) Label",
        upc="0123",
        quality="FLAC",
    )


def test_from_track_without_an_album_uses_the_embedded_album() -> None:
    ref = AlbumRef(None, "Record", release_date="1999", total_tracks=10)
    naming = TrackNaming.from_track(Track("t1", "Song", (ArtistRef(None, "Ann"),), ref, 1000))
    summary = (naming.album, naming.album_artists, naming.year, naming.tracks_total)
    assert summary == ("Record", ("Ann",), "1999", 10)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("AC/DC", "AC_DC"),
        ("a\\b", "a_b"),
        ('what?: <x>|"y"*', "what__ _x___y__"),
        ("nul\x00and\x1fcontrol", "nul_and_control"),
        ("evil\u202etxt.mp3", "eviltxt.mp3"),
        ("...", "Unknown"),
        ("..", "Unknown"),
        ("  .hidden. ", "hidden"),
        ("CON", "_CON"),
        ("com1.txt", "_com1.txt"),
        ("Lpt9 ", "_Lpt9"),
        ("CONCERT", "CONCERT"),
        ("", "Unknown"),
    ],
)
def test_sanitize_component_makes_names_safe(value, expected) -> None:
    assert sanitize_component(value) == expected


def test_sanitize_component_truncates_to_255_bytes_without_splitting_characters() -> None:
    result = sanitize_component("é" * 300)
    assert len(result.encode("utf-8")) == 254 and set(result) == {"é"}


def test_a_long_title_leaves_room_for_extension_and_suffix() -> None:
    path = render_relative_path(_naming(music="x" * 1000), _options("a", "%music%"))
    assert len(path.name.encode()) <= 235


def test_template_problems_still_refuses_unknown_placeholders_and_climbing() -> None:
    assert template_problems("../%nope%", allow_separators=True) == [
        "unknown placeholder %nope%",
        "must not contain '.' or '..' components",
    ]


def test_find_unknown_placeholders_accepts_indexed_artists() -> None:
    assert find_unknown_placeholders("%artist_2% %ar_album_10% %music_2%") == ["%music_2%"]


def test_a_rendered_path_resolves_inside_the_root(tmp_path: Path) -> None:
    relative = render_relative_path(_naming(music="..", album=".."), _options())
    assert library_file_path(tmp_path, relative, ".mp3").is_relative_to(tmp_path.resolve())
