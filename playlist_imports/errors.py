"""Errors of imports beyond the shared ones: too large a list (413) and Deezer's refusals."""

from __future__ import annotations

from rest_framework import status

from spotizerr.errors import ApiError


class ImportTooLarge(ApiError):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "import_too_large"
    default_detail = "The list is too large to import."


class DeezerRefused(ApiError):
    """Deezer answered, but not with the playlist (private, unknown): a 4xx of ours."""

    status_code = status.HTTP_404_NOT_FOUND
    default_code = "deezer_playlist_not_found"


class DeezerUnavailable(ApiError):
    status_code = status.HTTP_502_BAD_GATEWAY
    default_code = "deezer_unavailable"


class DeezerPrivate(DeezerRefused):
    status_code = status.HTTP_403_FORBIDDEN  # type: ignore[assignment]  # the base's is a 404
    default_code = "deezer_playlist_private"


class ImportUrlUnavailable(ApiError):
    """The server of a list imported from a URL did not answer with it (down, 5xx, 429, timeout)."""

    status_code = status.HTTP_502_BAD_GATEWAY
    default_code = "import_url_unavailable"
