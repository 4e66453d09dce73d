"""Media servers: configuration, and one debounced rescan per server after downloads land.

``media_servers_touch`` (called when a download ends) owes every enabled server a rescan
``MEDIA_SERVER_DEBOUNCE_SECONDS`` from now, pushing back any rescan already owed, so a burst costs one.
``media_servers_refresh_due`` (run by every worker's upkeep thread) claims each owed rescan with a
conditional update, so one worker makes it; a failure is logged, kept on the row for the settings
page, and tried again with a growing wait, at most ``MAX_FAILURES`` times. Downloads never wait.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError
from django.db.models import F
from django.utils import timezone

from settings_app.models import MediaServer, MediaServerPlaylist
from spotizerr.errors import BadRequest, Conflict, NotFound
from spotizerr.integrations.media_servers import TRANSPORTS, MediaServerTransport
from spotizerr.integrations.transport import TransportError
from spotizerr.lib import crypto

logger = logging.getLogger(__name__)
MAX_FAILURES = 5


def transport_for(server: MediaServer) -> MediaServerTransport:
    return TRANSPORTS[server.kind](
        url=server.url,
        secret=server.secret,
        username=server.username,
        section=server.section,
        timeout=settings.INTEGRATION_TIMEOUT_SECONDS,
    )


def _check(data: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not isinstance(data.get("kind"), str) or data["kind"] not in TRANSPORTS:
        errors["kind"] = [f"must be one of {', '.join(TRANSPORTS)}"]
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 100:
        errors["name"] = ["must be a non-empty string of at most 100 characters"]
    url = data.get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")) or len(url) > 500:
        errors["url"] = ["must be an http(s) URL of at most 500 characters"]
    if not isinstance(data.get("secret"), str) or not data["secret"] or len(data["secret"]) > 2000:
        errors["secret"] = ["must be the password, API key or token (at most 2000 characters)"]
    for key, longest in (("username", 200), ("section", 50)):
        value = data.get(key)
        if value is not None and (not isinstance(value, str) or len(value) > longest or "\x00" in value):
            errors[key] = [f"must be a string of at most {longest} characters"]
    for key in ("name", "url", "secret"):
        if isinstance(data.get(key), str) and "\x00" in data[key]:
            errors[key] = ["must not contain NUL"]
    if not isinstance(data.get("sync_playlists", False), bool):
        errors["sync_playlists"] = ["must be true or false"]
    elif data.get("sync_playlists") and data.get("kind") != "subsonic":
        errors["sync_playlists"] = ["only a Subsonic server can keep playlists in step"]
    if data.get("kind") == "subsonic" and not data.get("username"):
        errors["username"] = ["a Subsonic server needs a username"]
    return errors


def media_server_create(*, data: Any) -> MediaServer:
    """Add a server. Raises ``BadRequest`` naming bad fields, ``Conflict`` for a taken name."""
    data = data if isinstance(data, dict) else {}
    errors = _check(data)
    if errors:
        raise BadRequest("Invalid media server.", details=errors, code="invalid")
    try:
        return MediaServer.objects.create(
            kind=data["kind"],
            name=data["name"].strip(),
            url=data["url"].strip(),
            username=str(data.get("username") or ""),
            secret_encrypted=crypto.encrypt(data["secret"]),
            section=str(data.get("section") or ""),
            sync_playlists=bool(data.get("sync_playlists", False)),
        )
    except IntegrityError:
        raise Conflict(f"A media server named {data['name']!r} already exists.", code="duplicate") from None


def media_server_get(*, server_id: int) -> MediaServer:
    server = MediaServer.objects.filter(pk=server_id).first()
    if server is None:
        raise NotFound("No such media server.")
    return server


def media_server_delete(*, server_id: int) -> None:
    media_server_get(server_id=server_id).delete()


def media_server_test(*, server_id: int) -> tuple[bool, str]:
    """Check the address and credentials now (no rescan)."""
    try:
        return True, transport_for(media_server_get(server_id=server_id)).check()
    except TransportError as error:
        return False, error.message


def media_servers_touch(*, now: datetime | None = None) -> int:
    """New files landed: owe every enabled server a rescan one debounce period from now."""
    due = (now or timezone.now()) + timedelta(seconds=settings.MEDIA_SERVER_DEBOUNCE_SECONDS)
    return MediaServer.objects.filter(enabled=True).update(refresh_due_at=due)


def media_servers_refresh_due(*, now: datetime | None = None) -> int:
    """Make every owed rescan whose time has come; returns how many succeeded."""
    at = now or timezone.now()
    done = 0
    for server in MediaServer.objects.filter(enabled=True, refresh_due_at__lte=at):
        claimed = MediaServer.objects.filter(pk=server.pk, refresh_due_at=server.refresh_due_at).update(
            refresh_due_at=None
        )
        if claimed:
            done += _refresh(server, at)
    return done


def _refresh(server: MediaServer, at: datetime) -> int:
    rows = MediaServer.objects.filter(pk=server.pk)
    try:
        said = transport_for(server).refresh()
    except TransportError as error:
        failures = server.failures + 1
        logger.warning("Media server %s: rescan failed (%d): %s", server.name, failures, error.message)
        retry = None
        if not error.permanent and failures < MAX_FAILURES:
            retry = at + timedelta(seconds=settings.MEDIA_SERVER_RETRY_SECONDS * 2 ** (failures - 1))
        # a landing during the rescan may have owed a new one: keep the earlier of the two
        rows.filter(refresh_due_at__isnull=True).update(refresh_due_at=retry)
        rows.update(failures=failures, last_error=error.message[:1000], last_failed_at=at)
        return 0
    logger.info("Media server %s: %s", server.name, said)
    rows.update(failures=0, last_error="", last_refresh_at=at, refresh_count=F("refresh_count") + 1)
    if server.sync_playlists:  # tracks may have landed in its playlists: sync once the scan had time
        debounce = timedelta(seconds=settings.MEDIA_SERVER_DEBOUNCE_SECONDS)
        MediaServerPlaylist.objects.filter(server=server).update(sync_due_at=at + debounce)
    return 1
