"""The users behind bearer tokens, known to each web process without a database query per request.

Every bearer request used to read the user's row and whether the token's session was logged out
(``accounts.tokens.user_for_token``): with the ORM around it, the largest part of authentication's
cost (``bench/peer_compare.py``, py-spy). Here each process keeps what that query answered, per user
and session, and builds a fresh ``User`` from it for each request; the token's signature, expiry
and ``ver`` are still checked on every request.

What keeps it true: everything that can end a token or change a user, a user saved or deleted
(``token_version`` bumps: password, role, deactivation, "log out everywhere") or a refresh token
blacklisted or deleted (logout, rotation), moves a *generation*: at once in this process, and,
once its transaction commits, in the shared cache (the database cache table, or Redis), which every
process reads at most once a second (``CHECK_SECONDS``) and forgets all it kept when it moved. So a
revocation holds in the process that made it on the next request and in every other within a
second. An entry also expires after ``MAX_AGE_SECONDS`` whatever happens. A process that cannot
read the shared generation (no cache table yet) keeps nothing.

Decoding and verifying the token itself (base64, JSON, HMAC: PyJWT) is remembered too, per exact
token string (``known_token``): a string that was verified once is the same token, so only its
expiry is checked again; a forged or altered one is never found. Changing the signing key (a test's
settings) forgets them.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from rest_framework_simplejwt.utils import aware_utcnow

from accounts.models import User

logger = logging.getLogger(__name__)

GENERATION_KEY = "spotizerr:auth:generation"
CHECK_SECONDS = 1.0  # how stale this process's idea of the shared generation may be
MAX_AGE_SECONDS = 30.0  # an entry's longest life, a bound should a change ever miss the signals
MAX_ENTRIES = 10_000  # per process; all are dropped when full (sessions of a self-hosted service)
_FIELDS = [field.attname for field in User._meta.concrete_fields]

_lock = threading.Lock()
_state: dict[str, Any] = {"generation": None, "checked_at": float("-inf")}
_entries: dict[tuple[str, ...], tuple[object, float, tuple[Any, ...], bool]] = {}
_tokens: dict[bytes, Any] = {}


def known_token(raw: bytes, verify: Callable[[bytes], Any]) -> Any:
    """``verify(raw)`` (simplejwt's validated token) the first time, the same token again after that
    while it has not expired (``check_exp`` raises simplejwt's ``TokenError`` once it has)."""
    token = _tokens.get(raw)
    if token is None:
        token = verify(raw)
        with _lock:
            if len(_tokens) >= MAX_ENTRIES:
                _tokens.clear()
            _tokens[raw] = token
        return token
    try:
        token.check_exp(current_time=aware_utcnow())
    except Exception:
        _tokens.pop(raw, None)
        raise
    return token


def known_user(key: tuple[str, ...], load: Callable[[], User | None]) -> User | None:
    """A fresh ``User`` for ``key`` (with ``session_revoked`` as ``load`` set it), from what this
    process knows, or from ``load()`` (the database) when it knows nothing current."""
    generation = _current_generation()
    now = time.monotonic()
    entry = _entries.get(key)
    if generation is not None and entry is not None and entry[0] == generation and entry[1] > now:
        return _user_from(entry[2], entry[3])
    user = load()
    if user is None or generation is None:
        return user
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        # tagged with the generation seen *before* the read: a change committed meanwhile moves it
        values = tuple(getattr(user, name) for name in _FIELDS)
        _entries[key] = (
            generation,
            now + MAX_AGE_SECONDS,
            values,
            bool(getattr(user, "session_revoked", False)),
        )
    return user


def _user_from(values: tuple[Any, ...], revoked: bool) -> User:
    user = User.from_db("default", _FIELDS, values)
    user.session_revoked = revoked  # type: ignore[attr-defined]
    return user


def _current_generation() -> object:
    """The shared generation as last read (read again when older than ``CHECK_SECONDS``); None when
    it cannot be read."""
    now = time.monotonic()
    if now - _state["checked_at"] < CHECK_SECONDS:
        return _state["generation"]
    try:
        generation = cache.get(GENERATION_KEY)
        if generation is None:  # never set, expired or culled: start one (a new value drops everything)
            cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
            generation = cache.get(GENERATION_KEY)
    except Exception:  # no cache table yet (before migrate), Redis away: know nothing, ask every time
        logger.debug("Shared auth generation unreadable", exc_info=True)
        generation = None
    with _lock:
        if generation != _state["generation"]:
            _entries.clear()
        _state["generation"], _state["checked_at"] = generation, now
    return generation


def forget_all() -> None:
    """Drop everything this process knows (a new generation is read on the next request)."""
    with _lock:
        _entries.clear()
        _tokens.clear()
        _state["generation"], _state["checked_at"] = None, float("-inf")


def users_changed() -> None:
    """A user or a session changed: forget at once here, and move the shared generation when the
    transaction commits (so other processes re-read committed rows, not the ones before)."""
    forget_all()
    transaction.on_commit(_move_shared_generation)


def _move_shared_generation() -> None:
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.exception(
            "Could not publish a change of users; other processes see it within %ss", MAX_AGE_SECONDS
        )
    forget_all()  # rows read here between the change and its commit are gone too


def _on_change(sender: Any, **kwargs: Any) -> None:
    users_changed()


def _on_setting_changed(setting: str = "", **kwargs: Any) -> None:
    if setting in {"SECRET_KEY", "SIMPLE_JWT", "AUTH_ENABLED"}:
        forget_all()


def connect_signals() -> None:
    """Called from ``AccountsConfig.ready``: every process that can change a user listens."""
    from django.core.signals import setting_changed
    from django.db.models.signals import post_delete, post_save
    from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

    for signal, model in (
        (post_save, User),
        (post_delete, User),
        (post_save, BlacklistedToken),  # a session logged out or rotated away
        (post_delete, BlacklistedToken),
        (post_delete, OutstandingToken),  # a new one (a login) changes nothing known
    ):
        signal.connect(_on_change, sender=model, dispatch_uid=f"known_users_{id(signal)}_{model.__name__}")
    setting_changed.connect(_on_setting_changed, dispatch_uid="known_users_settings")
