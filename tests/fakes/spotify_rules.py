"""Spotify's development-mode rules of 2026 (``/work/shared/spotify-2026.md``) as the fake serves them.

``FakeSpotify(extended_quota=False)`` (the default) behaves as a development-mode app created in 2026: page
limits of 10 on artist albums and search, no ``album_group``, no ``/markets``, no batch look-ups, null
``preview_url`` and the removed fields. ``extended_quota=True`` brings the old behaviour back.

The account-level answers (both modes) are switched on by tests:
  fake.lapse_premium()         every Web API call -> 403 "Active premium subscription required ..."
  fake.exhaust_quota()         every Web API call -> 429 with ``"reason": "QUOTA_EXCEEDED"`` (no Retry-After)
"""

from __future__ import annotations

from typing import Any

PREMIUM_REQUIRED_MESSAGE = (
    "Active premium subscription required for the owner of the app. When the subscription status "
    "changes, it can take a few hours before requests are allowed again."
)
QUOTA_EXCEEDED_MESSAGE = "API rate limit exceeded: daily quota exceeded"

# the largest ``limit`` a page accepts, (development mode, extended quota)
ARTIST_ALBUMS_LIMIT = (10, 50)
SEARCH_LIMIT = (10, 50)
SEARCH_DEFAULT_LIMIT = (5, 20)
SEARCH_MAX_OFFSET = 1000  # documented: offset + limit at most 1,000
MAX_OFFSET = 100_000  # documented for the library listings; the fake applies it to every other page

_GONE_EVERYWHERE = frozenset({"popularity", "available_markets", "album_group", "linked_from"})
_GONE_BY_TYPE = {"album": frozenset({"label"}), "artist": frozenset({"followers"})}


def pick(fake: Any, limits: tuple[int, int]) -> int:
    """The development-mode or the extended-quota value of a limit pair."""
    return limits[1] if fake.extended_quota else limits[0]


def account_refusal(fake: Any) -> tuple[int, dict[str, Any]] | None:
    """The answer every Web API call gets while the owner's Premium has lapsed or the quota is spent."""
    if fake.premium_lapsed:
        return 403, {"error": {"status": 403, "message": PREMIUM_REQUIRED_MESSAGE}}
    if fake.quota_exhausted:
        return 429, {"error": {"status": 429, "message": QUOTA_EXCEEDED_MESSAGE, "reason": "QUOTA_EXCEEDED"}}
    return None


def dev_mode_shape(body: Any) -> Any:
    """``body`` as a development-mode app sees it: the removed fields dropped, ``preview_url`` null."""
    if isinstance(body, list):
        return [dev_mode_shape(item) for item in body]
    if not isinstance(body, dict):
        return body
    gone = _GONE_EVERYWHERE | _GONE_BY_TYPE.get(str(body.get("type")), frozenset())
    shaped = {key: dev_mode_shape(value) for key, value in body.items() if key not in gone}
    if "preview_url" in shaped:
        shaped["preview_url"] = None
    return shaped
