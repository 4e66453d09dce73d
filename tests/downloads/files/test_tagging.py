"""Tags written to every output format read back the same, with mutagen."""

from __future__ import annotations

import base64

import mutagen
import pytest
from mutagen.flac import Picture

from downloads.tag_reading import read_tags
from downloads.tagging import PREVIEW_COMMENT, TagData, TaggingError, write_lyrics, write_tags
from spotizerr.integrations.catalog_types import Album, AlbumRef, ArtistRef, Track
from tests.downloads.files.conftest import AUDIO_KINDS

KINDS = list(AUDIO_KINDS)


def _tags(**overrides) -> TagData:
    values = {
        "title": "Ünïcode Song",
        "artists": ["Ann", "Bob"],
        "artist_separator": " & ",
        "album": "Record",
        "album_artists": ["Ann"],
        "track_number": 3,
        "track_total": 12,
        "disc_number": 1,
        "disc_total": 2,
        "date": "2021-03-04",
        "year": "2021",
        "genre": "Jazz",
        "isrc": "USAAA2100001",
        "label": "Label",
        "copyright": "(C) 2021 Label",
        "explicit": True,
        "url": "https://open.spotify.com/track/abc",
        "comment": PREVIEW_COMMENT,
        "cover": None,
    }
    values.update(overrides)
    return TagData(**values)


@pytest.mark.parametrize("kind", KINDS)
def test_text_tags_read_back_the_same(kind, audio_copy) -> None:
    path = audio_copy(kind)
    write_tags(path, _tags())
    tags = read_tags(path)
    assert {key: tags[key] for key in ("title", "album", "date", "genre", "isrc", "label", "copyright")} == {
        "title": "Ünïcode Song",
        "album": "Record",
        "date": "2021-03-04",
        "genre": "Jazz",
        "isrc": "USAAA2100001",
        "label": "Label",
        "copyright": "(C) 2021 Label",
    }


@pytest.mark.parametrize("kind", KINDS)
def test_artists_read_back_as_a_list(kind, audio_copy) -> None:
    path = audio_copy(kind)
    write_tags(path, _tags())
    assert (read_tags(path)["artists"], read_tags(path)["album_artists"]) == (["Ann", "Bob"], ["Ann"])


@pytest.mark.parametrize("kind", KINDS)
def test_track_and_disc_numbers_carry_their_totals(kind, audio_copy) -> None:
    path = audio_copy(kind)
    write_tags(path, _tags())
    tags = read_tags(path)
    assert (tags["track"], tags["track_total"], tags["disc"], tags["disc_total"]) == (3, 12, 1, 2)


@pytest.mark.parametrize("kind", KINDS)
def test_the_explicit_flag_reads_back(kind, audio_copy) -> None:
    path = audio_copy(kind)
    write_tags(path, _tags(explicit=True))
    assert read_tags(path)["explicit"] is True


@pytest.mark.parametrize("kind", KINDS)
def test_a_clean_track_reads_back_as_not_explicit(kind, audio_copy) -> None:
    path = audio_copy(kind)
    write_tags(path, _tags(explicit=False))
    assert read_tags(path)["explicit"] is False


@pytest.mark.parametrize("kind", KINDS)
def test_the_spotify_url_and_preview_comment_read_back(kind, audio_copy) -> None:
    path = audio_copy(kind)
    write_tags(path, _tags())
    tags = read_tags(path)
    assert (tags["url"], tags["comment"]) == ("https://open.spotify.com/track/abc", PREVIEW_COMMENT)


@pytest.mark.parametrize("kind", KINDS)
def test_a_jpeg_cover_is_embedded(kind, audio_copy, cover_jpeg) -> None:
    path = audio_copy(kind)
    write_tags(path, _tags(cover=cover_jpeg))
    assert (read_tags(path)["has_cover"], read_tags(path)["cover_mime"]) == (True, "image/jpeg")


@pytest.mark.parametrize("kind", ["mp3", "aac", "flac", "opus"])
def test_a_png_cover_is_embedded_as_png(kind, audio_copy, cover_png) -> None:
    path = audio_copy(kind)
    write_tags(path, _tags(cover=cover_png))
    assert read_tags(path)["cover_mime"] == "image/png"


@pytest.mark.parametrize("kind", KINDS)
def test_writing_replaces_the_tags_the_file_had(kind, audio_copy) -> None:
    path = audio_copy(kind)
    write_tags(path, _tags(isrc="", comment=""))
    tags = read_tags(path)
    assert (tags["isrc"], tags["artists"], tags["comment"]) == ("", ["Ann", "Bob"], "")


@pytest.mark.parametrize("kind", KINDS)
def test_tagging_keeps_the_audio_playable_with_its_duration(kind, audio_copy) -> None:
    path = audio_copy(kind)
    write_tags(path, _tags())
    assert abs(read_tags(path)["duration_ms"] - 1000) < 100


def test_mp3_gets_id3v24_with_multi_value_artist_frame(audio_copy, cover_jpeg) -> None:
    path = audio_copy("mp3")
    write_tags(path, _tags(cover=cover_jpeg))
    id3 = mutagen.File(path).tags
    assert (id3.version, id3["TPE1"].text, id3["TRCK"].text, id3["TXXX:ITUNESADVISORY"].text) == (
        (2, 4, 0),
        ["Ann", "Bob"],
        ["3/12"],
        ["1"],
    )


def test_wav_carries_an_id3_chunk(audio_copy) -> None:
    path = audio_copy("wav")
    write_tags(path, _tags())
    assert mutagen.File(path).tags["TIT2"].text == ["Ünïcode Song"]


def test_m4a_shows_artists_joined_with_the_separator_and_rates_explicit(audio_copy) -> None:
    path = audio_copy("aac")
    write_tags(path, _tags())
    tags = mutagen.File(path).tags
    assert (tags["©ART"], tags["rtng"], tags["trkn"]) == (["Ann & Bob"], [1], [(3, 12)])


def test_m4a_stores_the_isrc_as_an_itunes_freeform_atom(audio_copy) -> None:
    path = audio_copy("alac")
    write_tags(path, _tags())
    assert bytes(mutagen.File(path).tags["----:com.apple.iTunes:ISRC"][0]) == b"USAAA2100001"


def test_ogg_cover_is_a_metadata_block_picture(audio_copy, cover_jpeg) -> None:
    path = audio_copy("ogg")
    write_tags(path, _tags(cover=cover_jpeg))
    encoded = mutagen.File(path).tags["METADATA_BLOCK_PICTURE"][0]
    picture = Picture(base64.b64decode(encoded))
    assert (picture.type, picture.mime, picture.data) == (3, "image/jpeg", cover_jpeg)


def test_flac_cover_is_a_front_cover_picture_block(audio_copy, cover_jpeg) -> None:
    path = audio_copy("flac")
    write_tags(path, _tags(cover=cover_jpeg))
    pictures = mutagen.File(path).pictures
    assert [(p.type, p.data) for p in pictures] == [(3, cover_jpeg)]


def test_opus_artists_are_separate_vorbis_comments(audio_copy) -> None:
    path = audio_copy("opus")
    write_tags(path, _tags())
    assert mutagen.File(path).tags["ARTIST"] == ["Ann", "Bob"]


def test_a_cover_that_is_not_an_image_is_refused(audio_copy) -> None:
    with pytest.raises(TaggingError, match="neither a JPEG nor a PNG"):
        write_tags(audio_copy("mp3"), _tags(cover=b"<html>not an image</html>"))


def test_a_file_that_is_not_audio_is_refused(tmp_path) -> None:
    path = tmp_path / "notes.mp3"
    path.write_text("just text")
    with pytest.raises(TaggingError):
        write_tags(path, _tags())


@pytest.mark.parametrize("kind", ["mp3", "ogg", "opus", "flac"])  # ffmpeg writes no ISRC to .m4a
def test_read_tags_finds_title_artist_and_isrc_written_by_other_tools(kind, audio_originals) -> None:
    tags = read_tags(audio_originals[kind])
    assert (tags["title"], tags["artists"], tags["isrc"]) == ("Old title", ["Old artist"], "OLD000000001")


def test_read_tags_reports_the_codec(audio_originals) -> None:
    assert read_tags(audio_originals["alac"])["codec"] == "alac"


def test_tag_data_from_track_takes_album_details() -> None:
    artist = ArtistRef("a", "Ann")
    ref = AlbumRef("al", "Record", release_date="2021-03-04", total_tracks=9, artists=(artist,))
    track = Track("t1", "Song", (artist, ArtistRef("b", "Bob")), ref, 1000, True, 4, 1, "ISRC1")
    album = Album(
        "al",
        "Record",
        "album",
        (artist,),
        "2021-03-04",
        9,
        label="Label",
        genres=("jazz",),
        copyrights=("(C) Label",),
        tracks=(track,),
    )
    tags = TagData.from_track(track, album, artist_separator=", ", comment=PREVIEW_COMMENT)
    assert tags == TagData(
        title="Song",
        artists=["Ann", "Bob"],
        artist_separator=", ",
        album="Record",
        album_artists=["Ann"],
        track_number=4,
        track_total=9,
        disc_number=1,
        disc_total=1,
        date="2021-03-04",
        year="2021",
        genres=["jazz"],
        isrc="ISRC1",
        label="Label",
        copyright="(C) Label",
        explicit=True,
        url="https://open.spotify.com/track/t1",
        comment=PREVIEW_COMMENT,
        cover=None,
    )


@pytest.mark.parametrize("kind", KINDS)
def test_several_genres_and_lyrics_are_written_and_read_back(kind: str, audio_copy) -> None:
    path = audio_copy(kind)
    tags = _tags()
    tags.genres, tags.lyrics = ["Jazz", "Bebop"], "first line\nsecond line"

    write_tags(path, tags)

    back = read_tags(path)
    assert (back["genres"], back["genre"], back["lyrics"]) == (
        ["Jazz", "Bebop"],
        "Jazz",
        "first line\nsecond line",
    )


@pytest.mark.parametrize("kind", KINDS)
def test_write_lyrics_keeps_the_other_tags(kind: str, audio_copy) -> None:
    path = audio_copy(kind)
    write_tags(path, _tags())

    write_lyrics(path, "only the words")

    back = read_tags(path)
    assert back["lyrics"] == "only the words" and back["title"] == _tags().title
