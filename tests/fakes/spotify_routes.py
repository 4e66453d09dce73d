"""The Web API endpoints of the fake Spotify (``tests.fakes.spotify_api``): one function per route, called
with the catalog lock held; they raise ``SpotifyApiError`` for Spotify's error answers."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tests.fakes import spotify_rules as rules
from tests.fakes.spotify_render import Json

if TYPE_CHECKING:
    from tests.fakes.spotify_api import FakeSpotify

SEARCH_TYPES = ("album", "artist", "playlist", "track", "show", "episode", "audiobook")
INCLUDE_GROUPS = ("album", "single", "compilation", "appears_on")


class SpotifyApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _int_param(query: dict[str, str], name: str, default: int, maximum: int | None = None) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SpotifyApiError(400, f"Invalid {name}") from None
    if value < (1 if name == "limit" else 0) or (maximum is not None and value > maximum):
        raise SpotifyApiError(400, f"Invalid {name}")
    return value


def _valid_id(object_id: str) -> str:
    if not re.fullmatch(r"[0-9A-Za-z]{22}", object_id):
        raise SpotifyApiError(400, "Invalid base62 id")
    return object_id


# ------------------------------------------------------------------ API views (catalog lock held)


def _get(mapping: dict[str, Any], object_id: str) -> Any:
    found = mapping.get(_valid_id(object_id))
    if found is None:
        raise SpotifyApiError(404, "Resource not found")
    return found


def _forbidden(fake: FakeSpotify, query: dict[str, str], *args: str) -> Json:
    raise SpotifyApiError(403, "Forbidden")


def _track(fake: FakeSpotify, query: dict[str, str], track_id: str) -> Json:
    return fake.render.track_full(_get(fake.catalog.tracks, track_id))


def _album_tracks_page(fake: FakeSpotify, album_id: str, limit: int, offset: int) -> Json:
    album = _get(fake.catalog.albums, album_id)
    tracks = [
        fake.render.track_simple(fake.catalog.tracks[t]) for t in album.track_ids[offset : offset + limit]
    ]
    return fake.render.page(f"albums/{album_id}/tracks", tracks, len(album.track_ids), limit, offset)


def _album(fake: FakeSpotify, query: dict[str, str], album_id: str) -> Json:
    album = _get(fake.catalog.albums, album_id)
    return fake.render.album_full(album, _album_tracks_page(fake, album_id, 50, 0))


def _album_tracks(fake: FakeSpotify, query: dict[str, str], album_id: str) -> Json:
    limit, offset = _int_param(query, "limit", 20, 50), _int_param(query, "offset", 0, rules.MAX_OFFSET)
    return _album_tracks_page(fake, album_id, limit, offset)


def _artist(fake: FakeSpotify, query: dict[str, str], artist_id: str) -> Json:
    return fake.render.artist_full(_get(fake.catalog.artists, artist_id))


def _artist_albums(fake: FakeSpotify, query: dict[str, str], artist_id: str) -> Json:
    artist = _get(fake.catalog.artists, artist_id)
    groups = [g for g in (query.get("include_groups") or ",".join(INCLUDE_GROUPS)).split(",") if g]
    if any(group not in INCLUDE_GROUPS for group in groups):
        raise SpotifyApiError(400, "Invalid include_groups")
    limit = _int_param(query, "limit", 20, rules.pick(fake, rules.ARTIST_ALBUMS_LIMIT))
    offset = _int_param(query, "offset", 0, rules.MAX_OFFSET)
    releases = [
        (fake.catalog.albums[a], g) for a, g in artist.releases if g in groups and a in fake.catalog.albums
    ]
    releases.sort(key=lambda pair: pair[0].release_date, reverse=True)
    releases.sort(key=lambda pair: INCLUDE_GROUPS.index(pair[1]))
    items = [fake.render.album_simple(album, group) for album, group in releases[offset : offset + limit]]
    extra = {"include_groups": ",".join(groups)} if query.get("include_groups") else None
    return fake.render.page(f"artists/{artist_id}/albums", items, len(releases), limit, offset, extra)


def _playlist_items_page(fake: FakeSpotify, playlist_id: str, limit: int, offset: int) -> Json:
    playlist = _get(fake.catalog.playlists, playlist_id)
    entries = [fake.render.entry(entry) for entry in playlist.entries[offset : offset + limit]]
    return fake.render.page(f"playlists/{playlist_id}/items", entries, len(playlist.entries), limit, offset)


def _playlist(fake: FakeSpotify, query: dict[str, str], playlist_id: str) -> Json:
    from tests.fakes.spotify_me import playlist_readable

    playlist = _get(fake.catalog.playlists, playlist_id)
    if playlist_readable(fake, playlist):
        body = fake.render.playlist_full(playlist, _playlist_items_page(fake, playlist_id, 100, 0))
    else:  # metadata only: no items page for a caller who may not read the items (2026)
        body = {
            **fake.render.playlist_simple(playlist),
            "followers": {"href": None, "total": playlist.followers},
        }
    if query.get("fields"):
        wanted = {re.split(r"[.(]", name, maxsplit=1)[0].strip() for name in query["fields"].split(",")}
        body = {key: value for key, value in body.items() if key in wanted}
    return body


def _playlist_items(fake: FakeSpotify, query: dict[str, str], playlist_id: str) -> Json:
    from tests.fakes.spotify_me import playlist_readable

    if not playlist_readable(fake, _get(fake.catalog.playlists, playlist_id)):
        raise SpotifyApiError(403, "Forbidden")
    limit, offset = _int_param(query, "limit", 20, 100), _int_param(query, "offset", 0)
    return _playlist_items_page(fake, playlist_id, limit, offset)


def _markets(fake: FakeSpotify, query: dict[str, str]) -> Json:
    if not fake.extended_quota:
        raise SpotifyApiError(404, "Service not found")  # removed for development-mode apps
    return {"markets": list(fake.catalog.markets)}


def _batch(kind: str) -> Callable[..., Json]:
    """``/{kind}s?ids=a,b``: removed for development-mode apps (403), up to 20 (50 tracks) before."""

    def view(fake: FakeSpotify, query: dict[str, str]) -> Json:
        if not fake.extended_quota:
            raise SpotifyApiError(403, "Forbidden")
        ids = [i for i in (query.get("ids") or "").split(",") if i]
        if not ids or len(ids) > (50 if kind == "track" else 20):
            raise SpotifyApiError(400, "Invalid ids")
        mapping = getattr(fake.catalog, f"{kind}s")
        render = {"track": fake.render.track_full, "artist": fake.render.artist_full}.get(kind)

        def one(object_id: str) -> Json | None:
            found = mapping.get(_valid_id(object_id))
            if found is None:
                return None
            return render(found) if render else _album(fake, {}, object_id)

        return {f"{kind}s": [one(i) for i in ids]}

    return view


def _search(fake: FakeSpotify, query: dict[str, str]) -> Json:
    text = (query.get("q") or "").strip()
    if not text:
        raise SpotifyApiError(400, "No search query")
    types = [t for t in (query.get("type") or "").split(",") if t]
    if not types or any(t not in SEARCH_TYPES for t in types):
        raise SpotifyApiError(400, "Missing or bad parameter type")
    limit = _int_param(
        query, "limit", rules.pick(fake, rules.SEARCH_DEFAULT_LIMIT), rules.pick(fake, rules.SEARCH_LIMIT)
    )
    offset = _int_param(query, "offset", 0, rules.SEARCH_MAX_OFFSET)
    words = [w.split(":", 1)[-1].strip('"').lower() for w in text.split()]
    return {f"{kind}s": _search_type(fake, kind, words, limit, offset, query) for kind in types}


def _search_type(
    fake: FakeSpotify, kind: str, words: list[str], limit: int, offset: int, query: dict[str, str]
) -> Json:
    render, catalog = fake.render, fake.catalog

    def artist_text(ids: list[str]) -> str:
        return " ".join(catalog.artists[i].name for i in ids if i in catalog.artists)

    sources: dict[str, list[tuple[str, Callable[[], Json]]]] = {
        "track": [
            (
                f"{t.name} {artist_text(t.artist_ids)} {catalog.albums[t.album_id].name} {t.isrc or ''}",
                lambda t=t: render.track_full(t),
            )
            for t in catalog.tracks.values()
        ],
        "album": [
            (f"{a.name} {artist_text(a.artist_ids)}", lambda a=a: render.album_simple(a))
            for a in catalog.albums.values()
        ],
        "artist": [(a.name, lambda a=a: render.artist_full(a)) for a in catalog.artists.values()],
        "playlist": [(p.name, lambda p=p: render.playlist_simple(p)) for p in catalog.playlists.values()],
        "show": [(s.name, lambda s=s: render.show_simple(s)) for s in catalog.shows.values()],
        "episode": [(e.name, lambda e=e: render.episode(e)) for e in catalog.episodes.values()],
        "audiobook": [],
    }
    found = [
        (haystack.lower(), make)
        for haystack, make in sources[kind]
        if all(w in haystack.lower() for w in words)
    ]
    phrase = " ".join(words)  # like Spotify's relevance: what starts with the query words comes first
    hits = [make for _, make in sorted(found, key=lambda hit: not hit[0].startswith(phrase))]
    extra = {"q": query["q"], "type": query["type"]}
    return render.page(
        "search", [make() for make in hits[offset : offset + limit]], len(hits), limit, offset, extra
    )


ROUTES: list[tuple[str, Callable[..., Json]]] = [
    (r"/tracks", _batch("track")),
    (r"/albums", _batch("album")),
    (r"/artists", _batch("artist")),
    (r"/tracks/([^/]+)", _track),
    (r"/albums/([^/]+)", _album),
    (r"/albums/([^/]+)/tracks", _album_tracks),
    (r"/artists/([^/]+)", _artist),
    (r"/artists/([^/]+)/albums", _artist_albums),
    (r"/playlists/([^/]+)", _playlist),
    (r"/playlists/([^/]+)/items", _playlist_items),
    (r"/playlists/([^/]+)/tracks", _forbidden),
    (r"/search", _search),
    (r"/markets", _markets),
]
