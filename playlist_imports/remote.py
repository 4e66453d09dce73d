"""Reading a CSV or M3U list from a URL a user gave, once at import and again on each watch check.

The fetch is ``spotizerr.lib.user_fetch``'s (guarded against server-side request forgery); this module
turns its failures into the API's errors: a refused URL or an answer that is not the list → 400,
a list past ``IMPORT_MAX_BYTES`` → 413, a server that is down or busy → 502."""

from __future__ import annotations

from django.conf import settings

from playlist_imports.errors import ImportTooLarge, ImportUrlUnavailable
from spotizerr.errors import BadRequest
from spotizerr.lib.safe_fetch import FetchError, FetchTooLarge
from spotizerr.lib.user_fetch import fetch_user_url


def list_fetch(url: str) -> bytes:
    """The bytes at ``url``. Raises BadRequest (refused URL, 4xx), ImportTooLarge and
    ImportUrlUnavailable (timeouts, 5xx, 429: a later try may work)."""
    try:
        return fetch_user_url(
            url.strip(),
            max_bytes=settings.IMPORT_MAX_BYTES,
            timeout=float(settings.IMPORT_URL_TIMEOUT_SECONDS),
            allow_private=settings.IMPORT_URL_ALLOW_PRIVATE,
        )
    except FetchTooLarge:
        raise ImportTooLarge(
            f"The list at this URL is larger than {settings.IMPORT_MAX_BYTES} bytes; an import takes at most that.",
            details={"url": url, "max_bytes": settings.IMPORT_MAX_BYTES},
        ) from None
    except FetchError as error:
        if error.permanent:
            raise BadRequest(
                f"Cannot import from this URL: {error.reason}.",
                code="import_url_refused",
                details={"url": url},
            ) from None
        raise ImportUrlUnavailable(
            f"Could not read the list at this URL ({error.reason}); try again later.", details={"url": url}
        ) from None
