"""Property tests: whatever the metadata and whichever accepted template, a library path stays inside
the library, every component is a valid name, and distinct tracks never share a file."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spotizerr.lib.naming import NamingOptions, TrackNaming, render_relative_path, template_problems
from spotizerr.lib.safe_paths import find_free_path, library_file_path

NASTY_PIECES = [
    "/",
    "\\",
    "..",
    ".",
    "\x00",
    "\x1f",
    "\x7f",
    "\n",
    "\u202e",
    "\u2066",
    "\u200f",
    "\u2028",
    "CON",
    "nul",
    "COM1",
    "lpt9.txt",
    " ",
    ":",
    "*",
    "?",
    "<",
    ">",
    "|",
    '"',
    "é",
    "😀",
    "\ud800",
    "%music%",
    "~",
]
PLACEHOLDER_TOKENS = [
    "%music%",
    "%artist%",
    "%artist_1%",
    "%artist_3%",
    "%album%",
    "%ar_album%",
    "%ar_album_2%",
    "%tracknum%",
    "%discnum%",
    "%year%",
    "%date%",
    "%genre%",
    "%isrc%",
    "%explicit%",
    "%duration%",
    "%playlist%",
    "%playlistnum%",
    "%label%",
    "%copyright%",
    "%upc%",
    "%quality%",
]

nasty_text = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(NASTY_PIECES), max_size=12).map("".join),
    st.builds(lambda char, count: char * count, st.characters(), st.integers(200, 1000)),
    st.sampled_from(["..", ".", "../../etc/passwd", "CON", "", " ", "...", "a/../../b"]),
)
numbers = st.integers(min_value=0, max_value=10_000)

namings = st.builds(
    TrackNaming,
    music=nasty_text,
    artists=st.lists(nasty_text, max_size=3).map(tuple),
    album=nasty_text,
    album_artists=st.lists(nasty_text, max_size=2).map(tuple),
    tracknum=numbers,
    tracks_total=numbers,
    discnum=numbers,
    discs_total=numbers,
    year=nasty_text,
    date=nasty_text,
    genre=nasty_text,
    isrc=nasty_text,
    explicit=st.booleans(),
    duration_ms=st.integers(0, 10**9),
    playlist=nasty_text,
    playlistnum=st.none() | numbers,
    playlist_total=st.none() | numbers,
    label=nasty_text,
    copyright=nasty_text,
    upc=nasty_text,
    quality=nasty_text,
)

template_pieces = st.one_of(
    st.sampled_from(PLACEHOLDER_TOKENS),
    st.text(max_size=8),
    st.sampled_from([" - ", ". ", "(", ")", "."]),
)


def _templates(*, allow_separators: bool) -> st.SearchStrategy[str]:
    pieces = st.one_of(template_pieces, st.just("/")) if allow_separators else template_pieces
    return (
        st.lists(pieces, min_size=1, max_size=8)
        .map("".join)
        .filter(lambda template: not template_problems(template, allow_separators=allow_separators))
    )


options_strategy = st.builds(
    NamingOptions,
    dir_template=_templates(allow_separators=True),
    track_template=_templates(allow_separators=False),
    tracknum_padding=st.booleans(),
    pad_width=st.one_of(st.just("auto"), st.integers(1, 10)),
    artist_separator=st.sampled_from(["; ", "/", "..", " & ", "\x00"]),
    separate_by_user=st.none() | nasty_text,
)

COLLIDING_TITLES = ["..", "x" * 1000, "CON", "a/b", "a_b", "é" * 200]
extensions = st.sampled_from([".mp3", ".flac", ".opus", ".m4a"])
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _write(root: Path, naming: TrackNaming, options: NamingOptions, extension: str) -> Path:
    path = find_free_path(library_file_path(root, render_relative_path(naming, options), extension))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(exist_ok=False)
    return path


@PROPERTY_SETTINGS
@given(naming=namings, options=options_strategy, extension=extensions)
def test_any_metadata_and_accepted_template_gives_a_valid_path_inside_the_root(
    naming, options, extension
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory).resolve()
        path = _write(root, naming, options, extension)
        parts = path.relative_to(root).parts
        assert path.resolve().is_relative_to(root)
        assert all(1 <= len(part.encode("utf-8")) <= 255 and part not in {".", ".."} for part in parts)


@PROPERTY_SETTINGS
@given(
    tracks=st.lists(st.tuples(st.sampled_from(COLLIDING_TITLES), st.booleans()), min_size=2, max_size=8),
    options=options_strategy,
)
def test_distinct_tracks_never_share_a_file(tracks, options) -> None:
    """GIVEN several distinct tracks whose metadata may render to the same name
    WHEN each is written at the free path for its rendered name
    THEN every track has its own file."""
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        written = [
            _write(root, TrackNaming(music=title, artists=("A",), explicit=explicit), options, ".flac")
            for title, explicit in tracks
        ]
        assert len(set(written)) == len(tracks)
        assert all(path.is_file() for path in written)
