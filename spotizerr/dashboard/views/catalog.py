"""Search and the track, album, playlist and artist pages, read through the Spotify client."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.current import request_user
from accounts.models import User
from accounts.spotify.services import spotify_user_token
from downloads.library_state import PRESENT, TrackKey, release_summaries, track_states
from playlist_imports import selectors as import_selectors
from settings_app.selectors import get_watch_config
from spotizerr.dashboard import discography, search
from spotizerr.dashboard.access import member_required
from spotizerr.dashboard.pages import error_page, explicit_hidden, int_param, pager
from spotizerr.errors import ApiError
from spotizerr.integrations.catalog_types import Page
from spotizerr.integrations.spotify import (
    MAX_OFFSET,
    SpotifyClient,
    SpotifyPlaylistForbidden,
    get_spotify_client,
    parse_playlist_id,
    parse_spotify_id,
)
from watching.models import Watch

TRACKS_PAGE = 50
VIEW_MAX_WAIT_SECONDS = 5.0


def _client(request: HttpRequest | None = None) -> SpotifyClient:
    """The catalog client; with ``request``, playlists are read through the caller's linked account."""
    user = spotify_user_token(user=request_user(request)) if request is not None else None
    return get_spotify_client(max_wait=VIEW_MAX_WAIT_SECONDS, user=user)


def target_spotify_id(*, user: User, playlist_id: str) -> str:
    from watching.liked import target_spotify_id as target_id

    return target_id(user=user, playlist_id=playlist_id)


def _library(user: User, tracks: list) -> tuple[dict[str, dict], int]:
    """The page's ``{track id: library state}`` (two queries for any number of tracks) and how many of
    its tracks are not in the library in full (what "Download missing" would queue)."""
    states = track_states(
        user=user, tracks=[TrackKey(id=track.id, isrc=track.isrc or "") for track in tracks]
    )
    return states, sum(1 for state in states.values() if state["state"] != PRESENT)


def _watch_state(kind: str, spotify_id: str, user: User) -> Watch | None:
    from spotizerr.dashboard.views.watchlist import watch_state

    return watch_state(kind=kind, spotify_id=spotify_id, user=user)


@require_GET
@member_required
def search_view(request: HttpRequest) -> HttpResponse:
    """Top results first, a type's tab with "More", or (for a pasted link, URI or id) the item's page."""
    query = request.GET.get("q", "").strip()[:200]
    search_type = request.GET.get("type", search.TOP)
    if search_type not in {search.TOP, *search.PAGE_KINDS}:
        search_type = search.TOP
    results = search.Results()
    if query:
        try:
            client = _client()
            destination = search.link_destination(client, query)
            if destination is not None:
                return HttpResponseRedirect(destination)
            if search_type == search.TOP:
                results = search.top_results(client, query, hide_explicit=explicit_hidden())
            else:
                page = int_param(request, "page", 1, maximum=search.MAX_PAGES)
                results = search.type_results(
                    client, query, search_type, page=page, hide_explicit=explicit_hidden()
                )
        except ApiError as error:
            return error_page(request, error, title="Search failed")
    tabs = [{"type": search.TOP, "label": "Top results", "active": search_type == search.TOP}]
    tabs += [
        {"type": kind, "label": label, "active": kind == search_type} for kind, label in search.TYPE_TABS
    ]
    return render(
        request,
        "dashboard/search.html",
        {"query": query, "type": search_type, "tabs": tabs, "results": results, "hidden": results.hidden},
    )


@require_GET
@member_required
def track_view(request: HttpRequest, track_id: str) -> HttpResponse:
    try:
        track = _client().track(parse_spotify_id(track_id, "track"))
    except ApiError as error:
        return error_page(request, error, title="Track not available")
    hidden = track.explicit and explicit_hidden()
    library, _ = _library(request_user(request), [track])
    return render(request, "dashboard/track.html", {"track": track, "hidden": hidden, "library": library})


@require_GET
@member_required
def album_view(request: HttpRequest, album_id: str) -> HttpResponse:
    offset = int_param(request, "offset", maximum=MAX_OFFSET)
    try:
        album, page = _client().album_tracks_page(
            parse_spotify_id(album_id, "album"), limit=TRACKS_PAGE, offset=offset
        )
    except ApiError as error:
        return error_page(request, error, title="Album not available")
    tracks, hidden = _without_explicit(list(page.items))
    library, missing = _library(request_user(request), tracks)
    return render(
        request,
        "dashboard/album.html",
        {
            "album": album,
            "tracks": tracks,
            "hidden": hidden,
            "library": library,
            "library_missing": missing or page.total > len(page.items),  # other pages may miss some
            "multi_disc": any(track.disc_number > 1 for track in page.items),
            "pager": pager(request, offset=offset, limit=TRACKS_PAGE, total=page.total),
        },
    )


@require_GET
@member_required
def playlist_view(request: HttpRequest, playlist_id: str) -> HttpResponse:
    if import_selectors.is_import_id(playlist_id):  # an imported playlist: its review page
        try:
            import_id = import_selectors.import_uuid(playlist_id)
        except ApiError as error:
            return error_page(request, error, title="Playlist not available")
        return HttpResponseRedirect(reverse("dashboard:import-review", args=[import_id]))
    offset = int_param(request, "offset", maximum=MAX_OFFSET)
    forbidden: SpotifyPlaylistForbidden | None = None
    try:
        spotify_id = parse_playlist_id(playlist_id)
        client = _client(request)
        playlist = client.playlist(spotify_id)
        try:
            page = client.playlist_entries_page(
                spotify_id, limit=TRACKS_PAGE, offset=offset, snapshot_id=playlist.snapshot_id
            )
        except SpotifyPlaylistForbidden as refused:  # the name and owner still show, with what works
            forbidden, page = refused, Page(items=(), total=0, limit=TRACKS_PAGE, offset=0, next_offset=None)
    except ApiError as error:
        return error_page(request, error, title="Playlist not available")
    entries = list(page.items)
    hidden = 0
    if explicit_hidden():
        kept = [entry for entry in entries if entry.track is None or not entry.track.explicit]
        hidden, entries = len(entries) - len(kept), kept
    library, missing = _library(request_user(request), [entry.track for entry in entries if entry.track])
    return render(
        request,
        "dashboard/playlist.html",
        {
            "playlist": playlist,
            "entries": entries,
            "hidden": hidden,
            "library": library,
            "library_missing": missing or page.total > len(page.items),  # other pages may miss some
            "watch": _watch_state(
                "playlist",
                target_spotify_id(user=request_user(request), playlist_id=spotify_id),
                request_user(request),
            ),
            "pager": pager(request, offset=offset, limit=TRACKS_PAGE, total=page.total),
            "forbidden": forbidden,
        },
        status=403 if forbidden else 200,
    )


@require_GET
@member_required
def artist_view(request: HttpRequest, artist_id: str) -> HttpResponse:
    """The artist with releases grouped (Albums, Singles, Compilations, Appears on); ``?group=album``
    pages through one group."""
    group_key = request.GET.get("group", "")
    offset = int_param(request, "offset", maximum=MAX_OFFSET)
    watch_groups = set(get_watch_config()["watchedArtistAlbumGroup"])
    try:
        spotify_id = parse_spotify_id(artist_id, "artist")
        client = _client()
        artist = client.artist(spotify_id)
        groups = discography.release_groups(client, spotify_id, checked=watch_groups)
        opened, page = (None, None)
        if group_key in discography.GROUP_LABELS:
            opened, page = discography.group_page(client, spotify_id, group_key, offset=offset)
    except ApiError as error:
        return error_page(request, error, title="Artist not available")
    shown = opened.releases if opened else [release for group in groups for release in group.releases]
    return render(
        request,
        "dashboard/artist.html",
        {
            "artist": artist,
            "release_library": release_summaries(
                user=request_user(request),
                releases=[(release.id, release.total_tracks) for release in shown],
            ),
            "groups": groups,
            "has_releases": any(group.total for group in groups),
            "opened": opened,
            "chosen_text": discography.chosen_text(groups),
            "watch_groups": watch_groups,
            "release_groups": discography.GROUPS,
            "watch": _watch_state("artist", spotify_id, request_user(request)),
            "pager": pager(request, offset=offset, limit=discography.GROUP_PAGE, total=page.total)
            if page
            else None,
        },
    )


def _without_explicit(tracks: list) -> tuple[list, int]:
    if not explicit_hidden():
        return tracks, 0
    kept = [track for track in tracks if not track.explicit]
    return kept, len(tracks) - len(kept)
