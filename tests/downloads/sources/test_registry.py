"""The source registry: entry points (built-ins and plugins), broken plugins, and the order to try."""

from __future__ import annotations

import logging
import textwrap
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from downloads.sources.base import Source
from downloads.sources.registry import ENTRY_POINT_GROUP, available_sources, load_sources, sources_for

BUILT_INS = {"inbox", "deezer", "spotify", "command"}


def point(name: str, value: str) -> EntryPoint:
    return EntryPoint(name=name, value=value, group=ENTRY_POINT_GROUP)


@pytest.fixture
def fresh_registry():
    available_sources.cache_clear()
    yield
    available_sources.cache_clear()


def test_the_four_built_ins_are_found_through_their_entry_points(fresh_registry) -> None:
    sources = available_sources()
    assert BUILT_INS <= set(sources)
    assert all(isinstance(source, Source) and source.info.name == name for name, source in sources.items())


def test_a_plugin_entry_point_is_loaded() -> None:
    sources = load_sources([point("echo", "tests.downloads.sources.plugin_example:EchoSource")])
    assert list(sources) == ["echo"]


@pytest.mark.parametrize(
    "value",
    [
        "tests.downloads.sources.no_such_module:Thing",
        "tests.downloads.sources.plugin_example:Missing",
        "tests.downloads.sources.plugin_example:ExplodingSource",
        "tests.downloads.sources.plugin_example:NotASource",
    ],
)
def test_a_broken_plugin_is_logged_and_skipped_without_stopping_the_others(value: str, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="downloads.sources.registry"):
        sources = load_sources(
            [
                point("echo", value),
                point("inbox", "downloads.sources.inbox:InboxSource"),
            ]
        )
    assert list(sources) == ["inbox"]
    assert "echo" in caplog.text


def test_a_plugin_whose_name_differs_from_its_entry_point_is_skipped(caplog) -> None:
    sources = load_sources([point("echo", "tests.downloads.sources.plugin_example:WrongName")])
    assert sources == {}
    assert "names must match" in caplog.text


def test_a_plugin_installed_as_a_distribution_is_found(tmp_path: Path, monkeypatch, fresh_registry) -> None:
    """GIVEN a package installed on sys.path with a spotizerr.sources entry point
    WHEN the registry loads THEN its source is available next to the built-ins."""
    (tmp_path / "loud_source.py").write_text(
        textwrap.dedent("""
        from tests.downloads.sources.plugin_example import EchoSource
        class LoudSource(EchoSource):
            pass
    """)
    )
    dist = tmp_path / "loud_source-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: loud-source\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\necho = loud_source:LoudSource\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    sources = available_sources()
    assert type(sources["echo"]).__name__ == "LoudSource"
    assert BUILT_INS <= set(sources)


# ---------------------------------------------------------------- the order to try
@pytest.fixture
def installed() -> dict[str, Source]:
    return load_sources(
        point(name, value)
        for name, value in [
            ("inbox", "downloads.sources.inbox:InboxSource"),
            ("deezer", "downloads.sources.deezer:DeezerPreviewSource"),
            ("spotify", "downloads.sources.spotify_preview:SpotifyPreviewSource"),
            ("command", "downloads.sources.command:CommandSource"),
        ]
    )


def names(sources: list[Source]) -> list[str]:
    return [source.info.name for source in sources]


def test_the_configured_service_comes_first_then_the_fallback_order(installed) -> None:
    config = {"service": "deezer", "fallback": True, "sourceOrder": ["inbox", "deezer", "command"]}
    assert names(sources_for(config, sources=installed)) == ["deezer", "inbox", "command"]


def test_without_fallback_only_the_service_is_tried(installed) -> None:
    config = {"service": "command", "fallback": False, "sourceOrder": ["inbox", "deezer"]}
    assert names(sources_for(config, sources=installed)) == ["command"]


def test_unknown_source_names_are_ignored_with_a_log_line(installed, caplog) -> None:
    config = {"service": "tidal", "fallback": True, "sourceOrder": ["inbox", "napster"]}
    assert names(sources_for(config, sources=installed)) == ["inbox"]
    assert "tidal" in caplog.text and "napster" in caplog.text


def test_the_installed_registry_is_used_by_default(fresh_registry) -> None:
    assert names(sources_for({"service": "inbox", "fallback": False})) == ["inbox"]
