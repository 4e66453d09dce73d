"""An artist's releases grouped as Spotify groups them (Albums, Singles, Compilations, Appears on), with
the counts the "Download discography" dialog shows. Each group's first page is one Spotify call (at most
10 releases a call for new apps), cached, so the page costs four calls however big the discography."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spotizerr.integrations.catalog_types import ArtistRelease
from spotizerr.integrations.spotify import SpotifyClient

GROUPS = (
    ("album", "Albums"),
    ("single", "Singles"),
    ("compilation", "Compilations"),
    ("appears_on", "Appears on"),
)
GROUP_LABELS = dict(GROUPS)
PREVIEW = 10  # releases of each group on the artist page (one call)
GROUP_PAGE = 20  # releases a page when one group is opened


@dataclass
class ReleaseGroup:
    key: str
    label: str
    releases: list[ArtistRelease]
    total: int  # releases Spotify lists in the group
    checked: bool  # ticked in the dialog (the watch settings' release groups)

    @property
    def tracks(self) -> int:
        """Tracks of the releases read so far (all of them when ``complete``)."""
        return sum(release.total_tracks or 0 for release in self.releases)

    @property
    def complete(self) -> bool:
        return len(self.releases) >= self.total

    @property
    def amount(self) -> str:
        return amount_text(self.total, self.tracks, complete=self.complete)


def release_groups(client: SpotifyClient, artist_id: str, *, checked: set[str]) -> list[ReleaseGroup]:
    """Every group's first ``PREVIEW`` releases and its total."""
    groups = []
    for key, label in GROUPS:
        page = client.artist_releases_page(artist_id, include_groups=[key], limit=PREVIEW)
        groups.append(ReleaseGroup(key, label, list(page.items), page.total, key in checked))
    return groups


def group_page(client: SpotifyClient, artist_id: str, key: str, *, offset: int) -> tuple[ReleaseGroup, Any]:
    """One page of one group (the artist page's "All albums" view) and the Page for the pager."""
    page = client.artist_releases_page(artist_id, include_groups=[key], limit=GROUP_PAGE, offset=offset)
    return ReleaseGroup(key, GROUP_LABELS[key], list(page.items), page.total, True), page


def amount_text(releases: int, tracks: int, *, complete: bool) -> str:
    """ "3 releases · 14 tracks"; "at least" when some releases are not read yet (their tracks unknown)."""
    release_word = "release" if releases == 1 else "releases"
    track_word = "track" if tracks == 1 else "tracks"
    at_least = "" if complete else "at least "
    return f"{releases} {release_word} · {at_least}{tracks} {track_word}"


def chosen_text(groups: list[ReleaseGroup]) -> str:
    """What the dialog's confirm queues for the ticked groups."""
    chosen = [group for group in groups if group.checked]
    if not chosen:
        return "Choose at least one group."
    releases = sum(group.total for group in chosen)
    tracks = sum(group.tracks for group in chosen)
    text = amount_text(releases, tracks, complete=all(group.complete for group in chosen))
    return f"Queues {text}."
