"""Artists: reading every release of a watched artist from Spotify and diffing it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import uuid4

from django.db import transaction

from spotizerr.integrations.catalog_types import ArtistRelease, Page
from spotizerr.integrations.spotify import RELEASE_GROUPS, SpotifyClient, SpotifyRateLimited
from watching.models import WatchTarget
from watching.services.common import PAGE_SIZE
from watching.services.reading import Change, Row, cursor_for, rows_apply, rows_read

RELEASES_KEY = "releases"  # artist listings have no snapshot id; one cursor key for all reads


def artist_releases_read(
    *, client: SpotifyClient, target: WatchTarget, renew: Callable[[], None]
) -> tuple[list[Row], int]:
    """Every release of the artist in all four groups (each watcher keeps the groups it wants),
    continuing an interrupted read. On a rate limit the place reached is saved in ``target.cursor``
    before ``SpotifyRateLimited`` is re-raised."""
    cursor = cursor_for(target, RELEASES_KEY)
    position = len(cursor["rows"])

    # one token per read: the catalog cache (SPOTIFY_CACHE_SECONDS) would hide a release out since it
    # was filled, and within this read each group's first page is asked once
    read_token = uuid4().hex

    def fetch(offset: int) -> Page:
        return client.artist_releases_page(
            target.spotify_id,
            include_groups=list(RELEASE_GROUPS),
            limit=PAGE_SIZE,
            offset=offset,
            read_token=read_token,
        )

    def to_row(release: ArtistRelease) -> Row:
        nonlocal position
        position += 1
        return {
            "id": release.id,
            "name": release.name[:500],
            "position": position - 1,
            "artists": ", ".join(artist.name for artist in release.artists)[:500],
            "album_group": release.album_group,
            "release_date": release.release_date[:10],
        }

    try:
        return rows_read(cursor=cursor, fetch=fetch, to_row=to_row, renew=renew)
    except SpotifyRateLimited:
        if target.pk:
            WatchTarget.objects.filter(pk=target.pk).update(cursor=cursor)
        raise


def artist_refresh(
    *, client: SpotifyClient, target: WatchTarget, renew: Callable[[], None], now: datetime
) -> Change:
    """Bring a watched artist's releases up to date (all pages in this check) and say what changed.
    Raises the Spotify client's errors; ``SpotifyRateLimited`` after keeping the place reached."""
    rows, total = artist_releases_read(client=client, target=target, renew=renew)
    with transaction.atomic():
        change = rows_apply(target=target, rows=rows, now=now)
        WatchTarget.objects.filter(pk=target.pk).update(entry_total=total, cursor={})
    target.refresh_from_db()
    return change
