"""Reading lists: Exportify CSV (BOM, quoted commas, semicolons, any column order), M3U and links."""

from __future__ import annotations

import pytest

from playlist_imports import parsers
from playlist_imports.errors import ImportTooLarge
from spotizerr.errors import BadRequest

TRACK = "4uLU6hMCjMI75M1A2tKUQC"
EXPORTIFY_HEADER = (
    '"Track URI","Track Name","Artist URI(s)","Artist Name(s)","Album URI","Album Name",'
    '"Album Release Date","Disc Number","Track Number","Track Duration (ms)","Explicit","ISRC"'
)


def test_an_exportify_csv_with_a_bom_and_quoted_commas_is_read() -> None:
    text = parsers.decode(
        (
            "\ufeff" + EXPORTIFY_HEADER + "\n"
            f'"spotify:track:{TRACK}","Hello, Goodbye","spotify:artist:x","The Beatles","spotify:album:y",'
            '"Magical Mystery Tour","1967","1","7","208000","false","GBAYE0601498"\n'
        ).encode()
    )

    [entry] = parsers.parse_csv(text)

    assert entry.spotify == ("track", TRACK) and entry.title == "Hello, Goodbye"
    assert entry.artists == ["The Beatles"] and entry.album == "Magical Mystery Tour"
    assert entry.duration_ms == 208000 and entry.isrc == "GBAYE0601498" and entry.line == 2


def test_a_semicolon_csv_in_another_column_order_with_loose_names_is_read() -> None:
    text = "isrc;Artist;Title;Duration\nUSABC1234567;A & B;Song; 3:35\n"

    [entry] = parsers.parse_csv(text)

    assert (entry.isrc, entry.title, entry.artists, entry.duration_ms) == (
        "USABC1234567",
        "Song",
        ["A & B"],
        215_000,
    )


def test_a_csv_without_the_columns_we_read_is_refused_on_line_one() -> None:
    with pytest.raises(BadRequest) as refused:
        parsers.parse_csv("colour,size\nred,1\n")

    assert refused.value.details == {"line": 1} and refused.value.error_code == "invalid_csv_columns"


def test_binary_data_is_refused_with_its_line() -> None:
    with pytest.raises(BadRequest) as refused:
        parsers.decode(b"#EXTM3U\nok\n\x00\x01\x02")

    assert refused.value.details == {"line": 3}


def test_text_that_is_not_utf8_is_refused_with_its_line() -> None:
    with pytest.raises(BadRequest) as refused:
        parsers.decode("a\nb\nc\xe9".encode("latin-1"))

    assert refused.value.details == {"line": 3}


def test_more_entries_than_the_limit_are_too_large(settings) -> None:
    settings.IMPORT_MAX_ENTRIES = 3

    with pytest.raises(ImportTooLarge):
        parsers.parse_links("\n".join([TRACK] * 4))


def test_links_take_tracks_albums_playlists_uris_and_ids_and_skip_comments() -> None:
    entries = parsers.parse_links(
        f"# my list\nhttps://open.spotify.com/track/{TRACK}?si=x\n"
        f"spotify:album:{TRACK}\n\nhttps://open.spotify.com/intl-de/playlist/{TRACK}\n{TRACK}\n"
    )

    assert [(e.line, e.spotify) for e in entries] == [
        (2, ("track", TRACK)),
        (3, ("album", TRACK)),
        (5, ("playlist", TRACK)),
        (6, ("track", TRACK)),
    ]


def test_a_line_that_is_no_spotify_link_is_refused_with_its_number() -> None:
    with pytest.raises(BadRequest) as refused:
        parsers.parse_links(f"{TRACK}\nhttps://example.com/song\n")

    assert refused.value.details == {"line": 2}


def test_an_m3u_gives_extinf_artist_title_and_length() -> None:
    [entry] = parsers.parse_m3u("#EXTM3U\n#EXTINF:215,Artist One - Some Title\n/music/x.mp3\n", inbox=None)

    assert (entry.line, entry.title, entry.artists, entry.duration_ms) == (
        2,
        "Some Title",
        ["Artist One"],
        215_000,
    )


def test_a_broken_extinf_line_is_refused_with_its_number() -> None:
    with pytest.raises(BadRequest) as refused:
        parsers.parse_m3u("#EXTM3U\n#EXTINF:oops\n/x.mp3\n", inbox=None)

    assert refused.value.details == {"line": 2}


def test_m3u_paths_outside_the_inbox_are_not_read(tmp_path) -> None:
    outside = tmp_path / "Secret Artist - Secret.mp3"
    outside.write_bytes(b"not audio")
    inbox = tmp_path / "inbox"
    inbox.mkdir()

    [entry] = parsers.parse_m3u(f"{inbox}/../{outside.name}\n", inbox=inbox)

    assert entry.isrc == "" and entry.title == "Secret"
