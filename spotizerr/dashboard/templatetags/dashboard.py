"""Template filters of the dashboard: cover art, durations, artist lists, sizes and timestamps."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from django import template
from django.contrib.messages.storage.base import Message
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def cover(images: Any, size: int = 300) -> str:
    """The URL of the smallest image at least ``size`` pixels wide (else the largest), or ""."""
    images = [image for image in (images or ()) if getattr(image, "url", None)]
    if not images:
        return ""
    big_enough = [image for image in images if (image.width or 0) >= int(size)]
    if big_enough:
        return min(big_enough, key=lambda image: image.width or 0).url
    return max(images, key=lambda image: image.width or 0).url


@register.filter
def duration(milliseconds: Any) -> str:
    """``215000`` → ``"3:35"``."""
    try:
        seconds = int(milliseconds) // 1000
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


@register.filter
def artist_names(artists: Any) -> str:
    return ", ".join(artist.name for artist in (artists or ()))


@register.filter
def filesize(size: Any) -> str:
    try:
        value = float(size)
    except (TypeError, ValueError):
        return ""
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return ""


@register.filter
def from_timestamp(value: Any) -> datetime | None:
    """A Unix timestamp (as the progress documents carry) as an aware datetime."""
    try:
        return datetime.fromtimestamp(float(value), tz=UTC)
    except (TypeError, ValueError):
        return None


@register.filter
def status_label(status: Any) -> str:
    return str(status or "").replace("_", " ").capitalize()


@register.simple_tag
def catalog_url(kind: str, spotify_id: str | None) -> str:
    """The dashboard page of a catalog item (tracks, albums, artists, playlists), or ""."""
    if not spotify_id or kind not in {"track", "album", "artist", "playlist"}:
        return ""
    return reverse(f"dashboard:{kind}", args=[spotify_id])


@register.filter
def is_active_status(status: Any) -> bool:
    return status in {"queued", "initializing", "downloading", "retrying"}


@register.filter
def item_cover(item: Any, size: int = 160) -> str:
    """A search hit's own image, else (for tracks) its album's."""
    found = cover(getattr(item, "images", ()), size)
    album = getattr(item, "album", None)
    return found or (cover(album.images, size) if album is not None else "")


@register.inclusion_tag("dashboard/_spotify_banner.html", takes_context=True)
def spotify_banner(context: template.Context) -> dict[str, Any]:
    """The Spotify problem banner of every page (logged-in users only), from the briefly cached check."""
    from settings_app.spotify_check import spotify_check

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"check": None}
    return {"check": spotify_check(), "is_admin": getattr(user, "is_admin", False)}


@register.inclusion_tag("dashboard/_library_badge.html")
def library_badge(states: Any, track_id: str | None) -> dict[str, Any]:
    """A track row's library badge ("In library · FLAC", "Preview only", "Wanted"; none when missing)
    from the page's ``{track id: state}`` map (``downloads.library_state.track_states``)."""
    state = (states or {}).get(track_id) if track_id else None
    return {"library": state if state and state["state"] != "missing" else None}


@register.inclusion_tag("dashboard/_library_badge.html")
def release_badge(summaries: Any, release_id: str | None, total: int = 0) -> dict[str, Any]:
    """A release card's library badge ("In library", "3 of 12", "Preview only", "Wanted")."""
    counts = (summaries or {}).get(release_id) if release_id else None
    if not counts:
        return {"release": None}
    present, total = counts["present"], int(total or 0)
    if total and present >= total:
        text, kind = "In library", "present"
    elif present:
        text, kind = f"{present} of {total}", "partial"
    elif counts["preview"]:
        text, kind = "Preview only", "preview"
    elif counts["wanted"]:
        text, kind = "Wanted", "wanted"
    else:
        return {"release": None}
    return {"release": {"text": text, "kind": kind}}


_PAGE_NAME = re.compile(r"\b(Settings|Profile) (?:&gt;|›) ([A-Z][a-z]+(?: [A-Z][a-z]+)?)")


def _page_url(area: str, page: str) -> str | None:
    from spotizerr.dashboard.config_forms import SECTIONS

    if area == "Profile":
        return reverse("dashboard:profile")
    fixed = {"Credentials": "dashboard:credentials", "Users": "dashboard:users"}
    if page in fixed:
        return reverse(fixed[page])
    key = next((key for key, (title, _, _) in SECTIONS.items() if title == page), None)
    return reverse("dashboard:settings-section", args=[key]) if key else None


@register.filter
def settings_links(text: Any, admin: Any = True) -> SafeString:
    """``text`` escaped, with every "Settings > Credentials" (or another page's name) linking to that
    page; settings pages only for ``admin`` (others would meet a 403)."""

    def link(match: re.Match[str]) -> str:
        allowed = admin or match.group(1) == "Profile"
        url = _page_url(match.group(1), match.group(2)) if allowed else None
        label = f"{match.group(1)} › {match.group(2)}"
        return format_html('<a href="{}">{}</a>', url, label) if url else match.group(0)

    if isinstance(text, Message):  # a flash message: its text keeps its safe-HTML mark (a queue link)
        text = text.message
    return mark_safe(_PAGE_NAME.sub(link, str(conditional_escape(text))))  # the text was escaped above
