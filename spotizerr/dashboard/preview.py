"""The formatting page's preview: the library path a sample track would get with given settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from spotizerr.integrations.catalog_types import AlbumRef, ArtistRef, Track
from spotizerr.lib import formats, naming

SAMPLE_TRACK = Track(
    id="4iV5W9uYEdYUVa79Axb7Rh",
    name="Four Forty",
    duration_ms=215_000,
    track_number=3,
    disc_number=1,
    artists=(ArtistRef("a1", "The Test Pattern"), ArtistRef("a2", "Guest Oscillator")),
    album=AlbumRef(
        "b1",
        "Sine Waves",
        release_date="2021-05-14",
        total_tracks=12,
        artists=(ArtistRef("a1", "The Test Pattern"),),
    ),
    isrc="USTP12100003",
)


def path_preview(config: Mapping[str, Any], *, username: str | None) -> dict[str, Any]:
    """``{"path": ..., "problems": {field: [..]}}`` for the sample track under ``config``'s naming keys."""
    problems = {
        key: naming.template_problems(str(config.get(key) or ""), allow_separators=key == "customDirFormat")
        for key in ("customDirFormat", "customTrackFormat")
    }
    problems = {key: found for key, found in problems.items() if found}
    options = naming.NamingOptions.from_config(dict(config), username)
    relative = naming.render_relative_path(naming.TrackNaming.from_track(SAMPLE_TRACK), options)
    chosen = formats.get_format(config.get("convertTo"))
    extension = chosen.extension if chosen is not None else ".mp3"
    return {"path": f"{relative}{extension}", "problems": problems}
