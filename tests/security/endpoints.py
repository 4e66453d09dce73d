"""Every API endpoint, found two ways (the URL resolver and the OpenAPI schema), and the table of who
may call each one. ``tests/security/test_authorization_matrix.py`` fails when an endpoint is missing
from ``MATRIX``, so a new endpoint cannot ship without saying who may use it.

Access levels:
    PUBLIC       anyone, also anonymous callers
    USER         any logged-in user
    ADMIN        admins only: plain users get 403
    OWN_TASK     a download task: its owner (and admins); another user gets 404, as for a missing one
    OWN_HISTORY  a history entry, same rule
    OWN_WATCH    a watch, same rule
    OWN_IMPORT   an imported playlist, same rule
    SSO_SESSION  only the browser session left by a single sign-on (bearer callers get 401 too)

URLs may hold ``{task}``, ``{history}``, ``{playlist_watch}``, ``{artist_watch}``, ``{import}``: ids of objects that
alice owns, made before the row is checked (see ``tests/security/conftest.py``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.spotify_records import IDS

PUBLIC, USER, ADMIN = "public", "user", "admin"
OWN_TASK, OWN_HISTORY, OWN_WATCH = "own-task", "own-history", "own-watch"
OWN_IMPORT = "own-import"
SSO_SESSION = "sso-session"
OWNED = {OWN_TASK, OWN_HISTORY, OWN_WATCH, OWN_IMPORT}

Endpoint = tuple[str, str]  # (OpenAPI-style path, METHOD)


@dataclass(frozen=True)
class Row:
    access: str
    url: str
    body: Any = None
    #: set while the module serving the endpoint is still being written: the row may be absent
    pending: str = ""
    notes: str = field(default="", compare=False)


_NO_TASK = "00000000-0000-4000-8000-000000000000"
_NEW_USER = {
    "username": "carol",
    "password": "another-horse-battery-7",
    "email": "carol@example.test",
    "role": "user",
}

MATRIX: dict[Endpoint, Row] = {
    # ------------------------------------------------------------------ schema and docs
    ("/api/schema/", "GET"): Row(PUBLIC, "/api/schema/"),
    ("/api/docs/", "GET"): Row(PUBLIC, "/api/docs/"),
    # ------------------------------------------------------------------ accounts
    ("/api/auth/status", "GET"): Row(PUBLIC, "/api/auth/status"),
    ("/api/auth/login", "POST"): Row(PUBLIC, "/api/auth/login", {}),
    ("/api/auth/register", "POST"): Row(PUBLIC, "/api/auth/register", {}),
    ("/api/auth/refresh", "POST"): Row(PUBLIC, "/api/auth/refresh", {}),
    ("/api/auth/logout", "POST"): Row(USER, "/api/auth/logout", {}),
    ("/api/auth/users", "GET"): Row(ADMIN, "/api/auth/users"),
    ("/api/auth/users/create", "POST"): Row(ADMIN, "/api/auth/users/create", _NEW_USER),
    ("/api/auth/users/{username}", "DELETE"): Row(ADMIN, "/api/auth/users/bob"),
    ("/api/auth/users/{username}/role", "PUT"): Row(ADMIN, "/api/auth/users/bob/role", {"role": "admin"}),
    ("/api/auth/users/{username}/password", "PUT"): Row(
        ADMIN, "/api/auth/users/bob/password", {"new_password": "fresh-horse-battery-3"}
    ),
    ("/api/auth/profile", "GET"): Row(USER, "/api/auth/profile"),
    ("/api/auth/profile/password", "PUT"): Row(USER, "/api/auth/profile/password", {}),
    ("/api/auth/sso/status", "GET"): Row(PUBLIC, "/api/auth/sso/status"),
    ("/api/auth/sso/login/{provider}", "GET"): Row(PUBLIC, "/api/auth/sso/login/github"),
    ("/api/auth/sso/callback/{provider}", "GET"): Row(PUBLIC, "/api/auth/sso/callback/github"),
    ("/api/auth/sso/token", "POST"): Row(SSO_SESSION, "/api/auth/sso/token"),
    ("/api/auth/sso/unlink/{provider}", "POST"): Row(USER, "/api/auth/sso/unlink/github"),
    # ------------------------------------------------------------------ catalog
    ("/api/track/info", "GET"): Row(USER, f"/api/track/info?id={IDS.track}"),
    ("/api/album/info", "GET"): Row(USER, f"/api/album/info?id={IDS.small_album}"),
    ("/api/artist/info", "GET"): Row(USER, f"/api/artist/info?id={IDS.artist}"),
    ("/api/playlist/info", "GET"): Row(USER, f"/api/playlist/info?id={IDS.small_playlist}"),
    ("/api/playlist/metadata", "GET"): Row(USER, f"/api/playlist/metadata?id={IDS.small_playlist}"),
    ("/api/playlist/tracks", "GET"): Row(USER, f"/api/playlist/tracks?id={IDS.small_playlist}"),
    ("/api/search/", "GET"): Row(USER, "/api/search/?q=test&type=track"),
    ("/api/credentials/markets", "GET"): Row(ADMIN, "/api/credentials/markets"),
    # ------------------------------------------------------------------ configuration and credentials
    ("/api/config/", "GET"): Row(ADMIN, "/api/config/"),
    ("/api/config/", "POST"): Row(ADMIN, "/api/config/", {}),
    ("/api/config/", "PUT"): Row(ADMIN, "/api/config/", {}),
    ("/api/config/check", "GET"): Row(USER, "/api/config/check"),
    ("/api/config/validate", "POST"): Row(ADMIN, "/api/config/validate", {}),
    ("/api/config/watch", "GET"): Row(ADMIN, "/api/config/watch"),
    ("/api/config/watch", "POST"): Row(ADMIN, "/api/config/watch", {}),
    ("/api/config/watch", "PUT"): Row(ADMIN, "/api/config/watch", {}),
    ("/api/config/watch/validate", "POST"): Row(ADMIN, "/api/config/watch/validate", {}),
    ("/api/credentials/spotify_api_config", "GET"): Row(ADMIN, "/api/credentials/spotify_api_config"),
    ("/api/credentials/spotify_api_config", "PUT"): Row(
        ADMIN, "/api/credentials/spotify_api_config", {"client_id": "other-id"}
    ),
    ("/api/credentials/all/{service}", "GET"): Row(ADMIN, "/api/credentials/all/spotify"),
    ("/api/credentials/{service}", "GET"): Row(ADMIN, "/api/credentials/spotify"),
    ("/api/credentials/{service}/{name}", "GET"): Row(ADMIN, "/api/credentials/spotify/test"),
    ("/api/credentials/{service}/{name}", "POST"): Row(
        ADMIN, "/api/credentials/spotify/second", {"client_id": "id-2", "client_secret": "secret-2"}
    ),
    ("/api/credentials/{service}/{name}", "PUT"): Row(
        ADMIN, "/api/credentials/spotify/test", {"region": "DE"}
    ),
    ("/api/credentials/{service}/{name}", "DELETE"): Row(ADMIN, "/api/credentials/spotify/test"),
    ("/api/credentials/{service}/{name}/test", "POST"): Row(ADMIN, "/api/credentials/spotify/test/test"),
    # ------------------------------------------------------------------ integrations
    # a target of another user is a 404 (tests/settings_app/test_notification_targets.py checks that)
    ("/api/notifications/targets", "GET"): Row(USER, "/api/notifications/targets"),
    ("/api/notifications/targets", "POST"): Row(USER, "/api/notifications/targets", {}),
    ("/api/notifications/targets/{target_id}", "DELETE"): Row(USER, "/api/notifications/targets/999999"),
    ("/api/notifications/targets/{target_id}/test", "POST"): Row(
        USER, "/api/notifications/targets/999999/test"
    ),
    ("/api/media-servers", "GET"): Row(ADMIN, "/api/media-servers"),
    ("/api/media-servers", "POST"): Row(ADMIN, "/api/media-servers", {}),
    ("/api/media-servers/{server_id}", "DELETE"): Row(ADMIN, "/api/media-servers/999999"),
    ("/api/media-servers/{server_id}/test", "POST"): Row(ADMIN, "/api/media-servers/999999/test"),
    # ------------------------------------------------------------------ downloads and progress
    ("/api/track/download/{track_id}", "GET"): Row(USER, f"/api/track/download/{IDS.track}"),
    ("/api/album/download/{album_id}", "GET"): Row(USER, f"/api/album/download/{IDS.small_album}"),
    ("/api/playlist/download/{playlist_id}", "GET"): Row(
        USER, f"/api/playlist/download/{IDS.small_playlist}"
    ),
    ("/api/album/download/cancel/", "GET"): Row(OWN_TASK, "/api/album/download/cancel?task_id={task}"),
    # the album row checks ownership; these are the same view for another kind (alice's task is an album)
    ("/api/track/download/cancel/", "GET"): Row(USER, f"/api/track/download/cancel?task_id={_NO_TASK}"),
    ("/api/playlist/download/cancel/", "GET"): Row(USER, f"/api/playlist/download/cancel?task_id={_NO_TASK}"),
    ("/api/artist/download/{artist_id}", "GET"): Row(USER, f"/api/artist/download/{IDS.artist}"),
    # ------------------------------------------------------------------ imported playlists
    ("/api/playlist/import", "POST"): Row(
        USER, "/api/playlist/import", {"kind": "links", "name": "Matrix", "text": IDS.track}
    ),
    ("/api/playlist/import/{playlist_id}", "GET"): Row(OWN_IMPORT, "/api/playlist/import/import:{import}"),
    ("/api/playlist/import/{playlist_id}/entries/{position}", "PUT"): Row(
        OWN_IMPORT, "/api/playlist/import/import:{import}/entries/1", {"track": IDS.track}
    ),
    ("/api/playlist/download/{item_id}", "GET"): Row(OWN_IMPORT, "/api/playlist/download/import:{import}"),
    ("/api/prgs/list", "GET"): Row(USER, "/api/prgs/list"),
    ("/api/prgs/updates", "GET"): Row(USER, "/api/prgs/updates"),
    ("/api/prgs/stream/ticket", "POST"): Row(USER, "/api/prgs/stream/ticket"),
    ("/api/prgs/cancel/all", "POST"): Row(USER, "/api/prgs/cancel/all"),
    ("/api/prgs/cancel/{task_id}", "POST"): Row(OWN_TASK, "/api/prgs/cancel/{task}"),
    ("/api/prgs/delete/{task_id}", "DELETE"): Row(OWN_TASK, "/api/prgs/delete/{task}"),
    ("/api/prgs/{task_id}", "GET"): Row(OWN_TASK, "/api/prgs/{task}"),
    ("/api/prgs/retry/{task_id}", "POST"): Row(OWN_TASK, "/api/prgs/retry/{task}"),
    ("/api/prgs/retry/failed", "POST"): Row(USER, "/api/prgs/retry/failed"),
    ("/api/prgs/clear", "POST"): Row(USER, "/api/prgs/clear"),
    # ------------------------------------------------------------------ wanted list (each user's own)
    ("/api/library/wanted", "GET"): Row(USER, "/api/library/wanted?limit=5&all_users=true"),
    ("/api/library/wanted/check", "POST"): Row(USER, "/api/library/wanted/check"),
    ("/api/library/wanted/{track_id}", "DELETE"): Row(
        USER, f"/api/library/wanted/{IDS.track}", notes="404 unless on the caller's own list"
    ),
    # ------------------------------------------------------------------ history
    ("/api/history/", "GET"): Row(USER, "/api/history/"),
    ("/api/history/stats/", "GET"): Row(USER, "/api/history/stats"),
    ("/api/history/search/", "GET"): Row(USER, "/api/history/search?q=Song"),
    ("/api/history/recent/", "GET"): Row(USER, "/api/history/recent"),
    ("/api/history/failed/", "GET"): Row(USER, "/api/history/failed"),
    ("/api/history/cleanup/", "POST"): Row(ADMIN, "/api/history/cleanup", {"days_old": 30}),
    ("/api/history/{task_id}/", "GET"): Row(OWN_HISTORY, "/api/history/{history}"),
    ("/api/history/{task_id}/children/", "GET"): Row(OWN_HISTORY, "/api/history/{history}/children"),
    # ------------------------------------------------------------------ watching
    ("/api/playlist/watch/list", "GET"): Row(USER, "/api/playlist/watch/list"),
    ("/api/playlist/watch/{spotify_id}", "PUT"): Row(
        USER, f"/api/playlist/watch/{IDS.big_playlist}", {"watch_new_additions": True}
    ),
    ("/api/playlist/watch/{spotify_id}", "DELETE"): Row(OWN_WATCH, "/api/playlist/watch/{playlist_watch}"),
    ("/api/playlist/watch/{spotify_id}/status", "GET"): Row(
        OWN_WATCH, "/api/playlist/watch/{playlist_watch}/status"
    ),
    ("/api/playlist/watch/{spotify_id}/tracks", "POST"): Row(
        OWN_WATCH, "/api/playlist/watch/{playlist_watch}/tracks", {"track_ids": [IDS.track]}
    ),
    ("/api/playlist/watch/{spotify_id}/tracks", "DELETE"): Row(
        OWN_WATCH, "/api/playlist/watch/{playlist_watch}/tracks", {"track_ids": [IDS.track]}
    ),
    ("/api/playlist/watch/trigger_check", "POST"): Row(USER, "/api/playlist/watch/trigger_check"),
    ("/api/playlist/watch/trigger_check/{spotify_id}", "POST"): Row(
        OWN_WATCH, "/api/playlist/watch/trigger_check/{playlist_watch}"
    ),
    ("/api/artist/watch/list", "GET"): Row(USER, "/api/artist/watch/list"),
    ("/api/artist/watch/bulk", "POST"): Row(USER, "/api/artist/watch/bulk", {"artists": [IDS.artist]}),
    ("/api/artist/watch/{spotify_id}", "PUT"): Row(
        USER, f"/api/artist/watch/{IDS.big_artist}", {"watch_new_releases": True}
    ),
    ("/api/artist/watch/{spotify_id}", "DELETE"): Row(OWN_WATCH, "/api/artist/watch/{artist_watch}"),
    ("/api/artist/watch/{spotify_id}/status", "GET"): Row(
        OWN_WATCH, "/api/artist/watch/{artist_watch}/status"
    ),
    ("/api/artist/watch/{spotify_id}/albums", "POST"): Row(
        OWN_WATCH, "/api/artist/watch/{artist_watch}/albums", {"album_ids": [IDS.small_album]}
    ),
    ("/api/artist/watch/{spotify_id}/albums", "DELETE"): Row(
        OWN_WATCH, "/api/artist/watch/{artist_watch}/albums", {"album_ids": [IDS.small_album]}
    ),
    ("/api/artist/watch/trigger_check", "POST"): Row(USER, "/api/artist/watch/trigger_check"),
    ("/api/artist/watch/followed", "POST"): Row(USER, "/api/artist/watch/followed"),
    # ------------------------------------------------------------------ linked Spotify account (own only)
    ("/api/spotify/account", "GET"): Row(USER, "/api/spotify/account"),
    ("/api/spotify/account", "DELETE"): Row(USER, "/api/spotify/account"),
    ("/api/spotify/account/link", "POST"): Row(USER, "/api/spotify/account/link"),
    ("/api/spotify/account/callback", "GET"): Row(
        PUBLIC,
        "/api/spotify/account/callback?code=c&state=s",
        notes="where Spotify sends the browser: without a session it redirects to log in; a state only "
        "finishes a link for the user who started it",
    ),
    ("/api/spotify/me/playlists", "GET"): Row(USER, "/api/spotify/me/playlists"),
    ("/api/artist/watch/trigger_check/{spotify_id}", "POST"): Row(
        OWN_WATCH, "/api/artist/watch/trigger_check/{artist_watch}"
    ),
}


# ---------------------------------------------------------------------------------------------- discovery
def _walk(patterns: list, prefix: str) -> Iterator[tuple[str, Callable]]:
    from django.urls import URLResolver

    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.callback


def _methods(callback: Callable) -> list[str]:
    view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view is None:  # a function view: it may answer any method
        return ["ANY"]
    return [m.upper() for m in view.http_method_names if m not in {"options", "head"} and hasattr(view, m)]


def resolver_endpoints() -> set[Endpoint]:
    """(path, METHOD) of every URL pattern under /api/, paths written as drf-spectacular writes them."""
    from django.urls import get_resolver
    from drf_spectacular.generators import EndpointEnumerator

    enumerator = EndpointEnumerator()
    found: set[Endpoint] = set()
    for regex, callback in _walk(get_resolver().url_patterns, ""):
        path = enumerator.get_path_from_regex(regex)
        if path.startswith("/api/"):
            found.update((path, method) for method in _methods(callback))
    return found


def schema_endpoints() -> set[Endpoint]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {(path, method.upper()) for path, operations in schema["paths"].items() for method in operations}


@functools.cache
def all_endpoints() -> frozenset[Endpoint]:
    return frozenset(resolver_endpoints() | schema_endpoints())
