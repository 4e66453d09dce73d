"""Linking a user's Spotify account (Authorization Code with PKCE), keeping its tokens fresh and unlinking.

Tokens are stored encrypted (``spotizerr.lib.crypto``) and leave this module only as ``UserToken``, whose
``access`` callable hands a valid access token to the Spotify client (refreshed a minute before it expires,
or at once after Spotify answered 401).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from django.db import transaction
from django.utils import timezone

from accounts.models import SpotifyAccount, SpotifyLinkState, User
from accounts.spotify.selectors import spotify_account_of, spotify_redirect_uri
from spotizerr.errors import BadRequest
from spotizerr.integrations.spotify import (
    SpotifyAccountNotLinked,
    SpotifyLinkFailed,
    UserToken,
    get_spotify_client,
    spotify_app_client_id,
)
from spotizerr.integrations.spotify.user_auth import Grant, authorize_start, code_exchange, token_refresh
from spotizerr.lib import crypto

logger = logging.getLogger(__name__)
REFRESH_MARGIN = timedelta(seconds=60)


def _hash(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


def spotify_link_start(*, user: User) -> str:
    """Begin linking ``user``'s Spotify account: returns the Spotify address to open. The state in it is
    bound to ``user``, single use and valid for ten minutes. Raises ``SpotifyNotConfigured``."""
    client_id = spotify_app_client_id()
    redirect = spotify_redirect_uri().uri
    state = secrets.token_urlsafe(32)
    start = authorize_start(client_id=client_id, redirect_uri=redirect, state=state)
    cutoff = timezone.now() - timedelta(seconds=SpotifyLinkState.LIFETIME_SECONDS)
    SpotifyLinkState.objects.filter(created_at__lt=cutoff).delete()
    SpotifyLinkState.objects.create(
        state_hash=_hash(state),
        user=user,
        verifier_encrypted=crypto.encrypt(start.verifier),
        redirect_uri=redirect,
    )
    return start.url


def _state_claim(*, user: User, state: str) -> SpotifyLinkState:
    """The started link of ``state``, removed so it cannot be used again. Raises ``BadRequest`` for an
    unknown, used, expired or someone else's state."""
    cutoff = timezone.now() - timedelta(seconds=SpotifyLinkState.LIFETIME_SECONDS)
    found = SpotifyLinkState.objects.filter(state_hash=_hash(state or ""), user=user).first()
    claimed = found is not None and SpotifyLinkState.objects.filter(pk=found.pk).delete()[0] == 1
    if found is None or not claimed or found.created_at < cutoff:
        raise BadRequest(
            "This Spotify sign-in is unknown, already used, older than 10 minutes or was started by "
            "another user. Start linking again from your profile.",
            code="spotify_link_state_invalid",
        )
    return found


def _expiry(grant: Grant) -> datetime:
    return datetime.fromtimestamp(grant.expires_at, tz=UTC)


def spotify_link_finish(*, user: User, code: str, state: str) -> SpotifyAccount:
    """Finish a link with the callback's ``code`` and ``state``: exchange the code (PKCE), ask Spotify who
    signed in, and store that account's tokens encrypted (replacing a previous link). Raises
    ``BadRequest`` (bad state), ``SpotifyLinkFailed`` (Spotify refused the code)."""
    started = _state_claim(user=user, state=state)
    if not code:
        raise BadRequest(
            "The address holds no code; Spotify did not finish the sign-in.", code="spotify_link_failed"
        )
    grant = code_exchange(
        client_id=spotify_app_client_id(),
        redirect_uri=started.redirect_uri,
        code=code,
        verifier=crypto.decrypt(started.verifier_encrypted),
    )
    fixed = UserToken(key=f"link:{started.pk}", access=lambda force: grant.access_token)
    profile = get_spotify_client(user=fixed).me()
    account, _ = SpotifyAccount.objects.update_or_create(
        user=user,
        defaults={
            "spotify_user_id": profile.id,
            "display_name": profile.display_name[:255],
            "scopes": list(grant.scopes),
            "access_token_encrypted": crypto.encrypt(grant.access_token),
            "refresh_token_encrypted": crypto.encrypt(grant.refresh_token),
            "expires_at": _expiry(grant),
            "refreshed_at": None,
        },
    )
    logger.info("User %s linked Spotify account %s", user.pk, profile.id)
    return account


def spotify_link_finish_from_address(*, user: User, address: str) -> SpotifyAccount:
    """The paste-back flow: finish a link from the address the browser was sent to (holding ``code`` and
    ``state``) when the redirect could not reach this server."""
    query = parse_qs(urlsplit((address or "").strip()).query)
    if query.get("error"):
        raise SpotifyLinkFailed(f"Spotify answered {query['error'][0]}: the sign-in was not allowed.")
    code, state = (query.get("code") or [""])[0], (query.get("state") or [""])[0]
    if not code or not state:
        raise BadRequest(
            "Paste the whole address your browser was sent to after allowing access; it holds code= and state=.",
            code="spotify_link_address_invalid",
        )
    return spotify_link_finish(user=user, code=code, state=state)


def spotify_unlink(*, user: User) -> bool:
    """Delete ``user``'s linked account and its tokens (and any started link). Spotify has no endpoint to
    revoke a PKCE grant; the user removes the app's access at spotify.com/account/apps. Returns whether an
    account was linked."""
    SpotifyLinkState.objects.filter(user=user).delete()
    deleted, _ = SpotifyAccount.objects.filter(user=user).delete()
    return deleted > 0


def _access_token(account_pk: int, force: bool) -> str:
    """A valid access token of the account, refreshed (and stored, encrypted) when it is within a minute of
    expiry or ``force``. Raises ``SpotifyAccountNotLinked`` when Spotify no longer accepts the link (the
    account is then unlinked)."""
    with transaction.atomic():
        account = SpotifyAccount.objects.select_for_update().filter(pk=account_pk).first()
        if account is None:
            raise SpotifyAccountNotLinked()
        if not force and account.expires_at > timezone.now() + REFRESH_MARGIN:
            return crypto.decrypt(account.access_token_encrypted)
        try:
            grant = token_refresh(
                client_id=spotify_app_client_id(),
                redirect_uri=spotify_redirect_uri().uri,
                refresh_token=crypto.decrypt(account.refresh_token_encrypted),
            )
        except SpotifyLinkFailed:
            revoked = True
        else:
            revoked = False
            account.access_token_encrypted = crypto.encrypt(grant.access_token)
            account.refresh_token_encrypted = crypto.encrypt(grant.refresh_token)
            account.expires_at, account.refreshed_at = _expiry(grant), timezone.now()
            account.save(
                update_fields=[
                    "access_token_encrypted",
                    "refresh_token_encrypted",
                    "expires_at",
                    "refreshed_at",
                ]
            )
            return grant.access_token
    if revoked:
        SpotifyAccount.objects.filter(pk=account_pk).delete()
        logger.warning("Spotify refused the refresh token of linked account %s; unlinked it", account_pk)
    raise SpotifyAccountNotLinked(
        "Spotify no longer accepts the link of your account (access was removed or expired). Link it again "
        "under Profile > Connect Spotify."
    )


def spotify_user_token(*, user: User | None) -> UserToken | None:
    """The linked account of ``user`` as a ``UserToken`` for ``get_spotify_client(user=...)``; None when the
    user has linked none."""
    account = spotify_account_of(user) if user is not None else None
    if account is None:
        return None
    return UserToken(key=account.spotify_user_id, access=lambda force: _access_token(account.pk, force))


def spotify_user_token_require(*, user: User) -> UserToken:
    """Like ``spotify_user_token`` but raises ``SpotifyAccountNotLinked`` (409) when none is linked."""
    token = spotify_user_token(user=user)
    if token is None:
        raise SpotifyAccountNotLinked()
    return token


def spotify_accounts_reencrypt() -> int:
    """Re-encrypt every stored token under the first key (key rotation); returns how many accounts."""
    count = 0
    with transaction.atomic():
        for account in SpotifyAccount.objects.select_for_update():
            account.access_token_encrypted = crypto.reencrypt(account.access_token_encrypted)
            account.refresh_token_encrypted = crypto.reencrypt(account.refresh_token_encrypted)
            account.save(update_fields=["access_token_encrypted", "refresh_token_encrypted"])
            count += 1
    return count
