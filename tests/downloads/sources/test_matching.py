"""How the inbox decides that a file's tags name the same song as a catalog track."""

from __future__ import annotations

from pathlib import Path

import pytest

from downloads.sources.inbox.matching import artist_keys, guess_from_path, is_match, title_key


@pytest.mark.parametrize(
    "title",
    [
        "Blue Monday",
        "BLUE MONDAY",
        "Blue Monday - Remastered",
        "Blue Monday - 2015 Remaster",
        "Blue Monday - Remastered Version 2011",
        "Blue Monday (Remastered)",
        "Blue Monday [2011 Remaster]",
        "Blue Monday (feat. Someone)",
        "Blue Monday feat. Someone",
        "Blue Monday ft. Someone",
        "Blue Monday (with Someone)",
        "Blue  Monday!",
        "blue-monday",
    ],
)
def test_remaster_notes_featured_artists_case_and_punctuation_do_not_change_the_title(title: str) -> None:
    assert title_key(title) == "blue monday"


def test_accents_are_ignored() -> None:
    assert title_key("Déjà Vu") == title_key("Deja vu")


def test_a_live_version_is_a_different_title() -> None:
    assert title_key("Blue Monday (Live)") != title_key("Blue Monday")


def test_ampersand_and_and_are_the_same() -> None:
    assert title_key("Rock & Roll") == title_key("Rock and Roll")


def test_artist_strings_are_split_into_every_credited_artist() -> None:
    assert artist_keys(["Daft Punk feat. Pharrell Williams & Nile Rodgers"]) == {
        "daft punk",
        "pharrell williams",
        "nile rodgers",
    }


def test_one_artist_in_common_is_enough() -> None:
    assert is_match(
        file_title="x",
        file_artists=artist_keys(["Beyoncé"]),
        file_duration_ms=1000,
        title="x",
        artists=artist_keys(["Beyonce", "Jay-Z"]),
        duration_ms=1000,
    )


def test_names_with_a_letter_x_are_not_split() -> None:
    assert artist_keys(["Malcolm X"]) == {"malcolm x"}


def test_a_file_name_with_artist_and_title_is_understood(tmp_path: Path) -> None:
    assert guess_from_path(tmp_path / "03 - New Order - Blue Monday.mp3", tmp_path) == (
        "Blue Monday",
        ["New Order"],
    )


def test_an_artist_album_folder_layout_is_understood(tmp_path: Path) -> None:
    path = tmp_path / "New Order" / "Low-Life" / "01 Love Vigilantes.flac"
    assert guess_from_path(path, tmp_path) == ("Love Vigilantes", ["New Order"])
