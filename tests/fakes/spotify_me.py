"""The user endpoints of the fake Spotify (``tests.fakes.spotify_api``), answered for the user whose token
signs the request (an app-only token gets 401 "Valid user authentication required"):

  GET /v1/me                          id, display_name (no country/email/product since 2026)
  GET /v1/me/playlists                limit <= 50, offset: owned, collaborated and followed playlists
  GET /v1/me/tracks                   Liked Songs, newest first; limit <= 50, offset; scope user-library-read
  GET /v1/me/following?type=artist    cursor paging (after, limit <= 50); scope user-follow-read

And the playlist rule of development mode: ``playlist_readable`` says whether the caller may read a
playlist's items (the owner or a collaborator with a user token; anyone when ``extended_quota``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tests.fakes.spotify_accounts import FakeUser, UserToken
from tests.fakes.spotify_records import FakePlaylist
from tests.fakes.spotify_render import Json
from tests.fakes.spotify_routes import SpotifyApiError, _int_param

if TYPE_CHECKING:
    from tests.fakes.spotify_api import FakeSpotify


def playlist_readable(fake: FakeSpotify, playlist: FakePlaylist) -> bool:
    if fake.extended_quota:
        return True
    caller = fake.caller()
    return caller is not None and (
        caller.user_id == playlist.owner_id or caller.user_id in playlist.collaborators
    )


def _me(fake: FakeSpotify, scope: str | None = None) -> FakeUser:
    caller: UserToken | None = fake.caller()
    if caller is None:
        raise SpotifyApiError(401, "Valid user authentication required")
    if scope and scope not in caller.scopes:
        raise SpotifyApiError(403, "Insufficient client scope")
    return fake.accounts.users[caller.user_id]


def _profile(fake: FakeSpotify, query: dict[str, str]) -> Json:
    user = _me(fake)
    return {
        "id": user.id,
        "display_name": user.display_name,
        "type": "user",
        "uri": f"spotify:user:{user.id}",
        "href": f"{fake.api_url}users/{user.id}",
        "external_urls": {"spotify": f"https://open.spotify.com/user/{user.id}"},
        "images": [],
    }


def _playlists(fake: FakeSpotify, query: dict[str, str]) -> Json:
    user = _me(fake)
    limit, offset = _int_param(query, "limit", 20, 50), _int_param(query, "offset", 0)
    mine = [
        playlist
        for playlist in fake.catalog.playlists.values()
        if user.id in (playlist.owner_id, *playlist.collaborators) or playlist.id in user.saved_playlists
    ]
    items = [fake.render.playlist_simple(playlist) for playlist in mine[offset : offset + limit]]
    return fake.render.page("me/playlists", items, len(mine), limit, offset)


def _tracks(fake: FakeSpotify, query: dict[str, str]) -> Json:
    user = _me(fake, "user-library-read")
    limit, offset = _int_param(query, "limit", 20, 50), _int_param(query, "offset", 0)
    liked = [(t, at) for t, at in user.liked if t in fake.catalog.tracks]
    items = [
        {"added_at": added_at, "track": fake.render.track_full(fake.catalog.tracks[track_id])}
        for track_id, added_at in liked[offset : offset + limit]
    ]
    return fake.render.page("me/tracks", items, len(liked), limit, offset)


def _following(fake: FakeSpotify, query: dict[str, str]) -> Json:
    user = _me(fake, "user-follow-read")
    if query.get("type") != "artist":
        raise SpotifyApiError(400, "Only artist type is supported")
    limit = _int_param(query, "limit", 20, 50)
    followed = sorted(a for a in user.followed if a in fake.catalog.artists)
    after = query.get("after")
    start = followed.index(after) + 1 if after in followed else 0
    chunk = followed[start : start + limit]
    more = start + limit < len(followed)
    base = f"{fake.api_url}me/following?type=artist&limit={limit}"
    return {
        "artists": {
            "href": base,
            "items": [fake.render.artist_full(fake.catalog.artists[a]) for a in chunk],
            "limit": limit,
            "next": f"{base}&after={chunk[-1]}" if more else None,
            "cursors": {"after": chunk[-1] if more else None},
            "total": len(followed),
        }
    }


ME_ROUTES: list[tuple[str, Callable[..., Json]]] = [
    (r"/me", _profile),
    (r"/me/playlists", _playlists),
    (r"/me/tracks", _tracks),
    (r"/me/following", _following),
]
