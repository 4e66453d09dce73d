"""Errors of the Spotify client. Each says whether retrying can help (``permanent``) and renders in the
API's one error shape with a fitting status when a view lets it through."""

from __future__ import annotations

from typing import Any

from rest_framework import status

from spotizerr.errors import ApiError


class SpotifyError(ApiError):
    """Spotify answered in a way we cannot use. ``permanent`` False means a later retry may work."""

    status_code: int = status.HTTP_502_BAD_GATEWAY
    default_detail = "Spotify returned an error."
    default_code = "spotify_error"

    def __init__(
        self,
        message: str | None = None,
        *,
        permanent: bool = True,
        status: int | None = None,
        details: Any = None,
    ) -> None:
        super().__init__(message, details=details)
        self.permanent = permanent
        self.upstream_status = status


class SpotifyNotFound(SpotifyError):
    status_code = status.HTTP_404_NOT_FOUND
    default_detail = "Spotify does not know this id."
    default_code = "spotify_not_found"

    def __init__(self, message: str | None = None, *, details: Any = None) -> None:
        super().__init__(message, permanent=True, status=404, details=details)


class SpotifyRateLimited(SpotifyError):
    """Spotify asked us to back off for longer than the caller was willing to wait."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Spotify is rate limiting requests; try again later."
    default_code = "spotify_rate_limited"

    def __init__(self, retry_after: float) -> None:
        self.retry_after = max(0.0, retry_after)
        self.wait = max(1, round(self.retry_after + 0.49))  # the error handler turns this into Retry-After
        super().__init__(permanent=False, status=429, details={"retry_after": self.wait})


class SpotifyUnavailable(SpotifyError):
    """5xx answers or timeouts that outlasted our retries."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Spotify is not answering right now; try again later."
    default_code = "spotify_unavailable"

    def __init__(self, message: str | None = None, *, status: int | None = None) -> None:
        super().__init__(message, permanent=False, status=status)


class SpotifyNotConfigured(SpotifyError):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = (
        "No Spotify API credentials are configured. An administrator must add a client id and "
        "secret under Settings > Credentials (or set SPOTIZERR_SPOTIFY_CLIENT_ID and "
        "SPOTIZERR_SPOTIFY_CLIENT_SECRET)."
    )
    default_code = "spotify_not_configured"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message, permanent=True)


class SpotifyCredentialsRejected(SpotifyError):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = (
        "Spotify rejected the configured API credentials; an administrator must check the "
        "client id and secret."
    )
    default_code = "spotify_credentials_rejected"

    def __init__(self, message: str | None = None, *, details: Any = None) -> None:
        super().__init__(message, permanent=True, details=details)


class SpotifyOwnerNotPremium(SpotifyError):
    """Spotify refuses every call of a development-mode app whose owner has no active Premium."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = (
        "Spotify refuses every request of this app because the Spotify account that owns it has no active "
        "Premium subscription. The app owner must renew Premium (it can take a few hours before Spotify "
        "allows requests again), or an administrator can enter the client id and secret of an app owned "
        "by a Premium account under Settings > Credentials."
    )
    default_code = "spotify_owner_not_premium"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message, permanent=True, status=403)


class SpotifyQuotaExhausted(SpotifyError):
    """The developer account's daily request quota is spent; only waiting (``retry_after`` seconds,
    Spotify's Retry-After or else the next midnight UTC) helps. Not a short rate limit. ``permanent``
    because no retry within a task's or a request's own retry loop can help: the wait is hours."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "spotify_quota_exhausted"

    def __init__(self, retry_after: float) -> None:
        self.retry_after = max(0.0, retry_after)
        self.wait = max(1, round(self.retry_after + 0.49))  # the error handler turns this into Retry-After
        when = f"{self.wait / 3600:.1f} h" if self.wait >= 3600 else f"{max(1, round(self.wait / 60))} min"
        message = (
            "Spotify's daily request quota for this app is used up, so Spotify refuses requests until it "
            f"renews (in about {when}). Nothing needs to change; try again then. Downloads already "
            "queued fail now and can be retried later."
        )
        super().__init__(message, permanent=True, status=429, details={"retry_after": self.wait})


PLAYLIST_FORBIDDEN_HELP = (
    "Spotify only lets an app read the tracks of a playlist through the account of its owner or a "
    "collaborator. Link that Spotify account under Profile > Connect Spotify (the owner can link theirs in "
    "Spotizerr and watch or download it), or import the track list as a playlist of ours instead."
)


class SpotifyPlaylistForbidden(SpotifyError):
    """Spotify refused a playlist's items to the token we have (development mode, 2026): neither the app
    nor the linked account of the user who asked owns or collaborates on it. Retrying cannot help."""

    status_code = status.HTTP_403_FORBIDDEN
    default_detail = f"Spotify does not let us read the tracks of this playlist. {PLAYLIST_FORBIDDEN_HELP}"
    default_code = "spotify_playlist_forbidden"

    def __init__(self, message: str | None = None, *, playlist_id: str = "", linked: bool = False) -> None:
        super().__init__(
            message,
            permanent=True,
            status=403,
            details={"playlist_id": playlist_id, "account_linked": linked},
        )


class SpotifyAccountNotLinked(SpotifyError):
    """The request needs the caller's own Spotify account (Liked Songs, own playlists, followed artists,
    a playlist's items) and none is linked, or Spotify no longer accepts the link."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = (
        "No Spotify account is linked to your user. Link one under Profile > Connect Spotify "
        "(POST /api/spotify/account/link), then try again."
    )
    default_code = "spotify_account_not_linked"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message, permanent=True)


class SpotifyLinkFailed(SpotifyError):
    """Spotify's Accounts service refused to finish or refresh a user's link (bad code, revoked access)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Spotify did not accept the sign-in; start linking the account again."
    default_code = "spotify_link_failed"

    def __init__(self, message: str | None = None, *, details: Any = None) -> None:
        super().__init__(message, permanent=True, details=details)
