"""One error shape for the whole API: ``{"error": str, "details": any, "code": str}``.

Raise the ``ApiError`` subclasses from services and views; the DRF exception handler and
``spotizerr.middleware.ApiErrorMiddleware`` render every other failure in the same shape.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from django.conf import settings
from django.core.exceptions import DisallowedHost, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

logger = logging.getLogger("spotizerr.errors")


class ApiError(exceptions.APIException):
    """Base for errors raised on purpose. ``extra`` adds top-level keys (e.g. ``existing_task``)."""

    status_code: int = status.HTTP_400_BAD_REQUEST
    default_detail = "Bad request."
    default_code = "bad_request"

    def __init__(
        self,
        message: str | None = None,
        *,
        details: Any = None,
        code: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail=message or self.default_detail, code=code or self.default_code)
        self.message = str(message or self.default_detail)
        self.details = details
        self.error_code = code or self.default_code
        self.extra = extra or {}


class BadRequest(ApiError):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Bad request."
    default_code = "bad_request"


class Forbidden(ApiError):
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = "You do not have permission to perform this action."
    default_code = "forbidden"


class NotFound(ApiError):
    status_code = status.HTTP_404_NOT_FOUND
    default_detail = "Not found."
    default_code = "not_found"


class Conflict(ApiError):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Conflict."
    default_code = "conflict"


class PayloadTooLarge(ApiError):
    """The body is over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (Django's ``RequestDataTooBig``)."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "Request body too large."
    default_code = "too_large"

    def __init__(self) -> None:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        super().__init__(
            f"Request body too large: send at most {limit} bytes.", details={"limit_bytes": limit}
        )


DISALLOWED_HOST_MESSAGE = (
    "This server does not answer to the host name in the request. To reach it by that name, add it "
    "to SPOTIZERR_ALLOWED_HOSTS or make it the host of SPOTIZERR_PUBLIC_URL."
)


def api_error_for_django(exc: BaseException) -> ApiError | None:
    """The API error for a Django exception about the request itself (size, field count), if any."""
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    if isinstance(exc, DisallowedHost):
        return BadRequest(DISALLOWED_HOST_MESSAGE, code="disallowed_host")
    if isinstance(exc, SuspiciousOperation):
        return BadRequest("The request was refused as malformed.", code="bad_request")
    return None


class ServiceUnavailable(ApiError):
    """An upstream (Spotify, a source) failed in a way retrying later may fix."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "A service Spotizerr depends on is unavailable; try again later."
    default_code = "upstream_unavailable"


def error_body(message: str, *, code: str, details: Any = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"error": message, "details": details, "code": code}
    body.update(extra)
    return body


_DRF_MESSAGES = {
    exceptions.NotAuthenticated: "Authentication required.",
    exceptions.AuthenticationFailed: "Authentication failed.",
    exceptions.ValidationError: "Invalid input.",
    exceptions.ParseError: "Malformed request body.",
}


def _body_for_drf(exc: exceptions.APIException) -> dict[str, Any]:
    if isinstance(exc, ApiError):
        return error_body(exc.message, code=exc.error_code, details=exc.details, **exc.extra)
    if isinstance(exc, exceptions.ValidationError):
        return error_body("Invalid input.", code="invalid", details=exc.detail)
    detail = exc.detail
    message = _DRF_MESSAGES.get(type(exc)) or (
        str(detail) if not isinstance(detail, (dict, list)) else "Error."
    )
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else exc.default_code
    details: Any = None if str(detail) == message else detail
    if isinstance(exc, exceptions.Throttled):
        details = {"retry_after": exc.wait}  # type: ignore[attr-defined]  # set in __init__, not in the stubs
    return error_body(message, code=str(code), details=details)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF exception handler: every error in the documented shape."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    exc = api_error_for_django(exc) or exc
    if isinstance(exc, exceptions.APIException):
        headers: dict[str, str] = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
        if getattr(exc, "wait", None) is not None:
            headers["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]
        set_rollback()
        return Response(_body_for_drf(exc), status=exc.status_code, headers=headers)
    set_rollback()
    return Response(server_error_body(exc), status=500)


def server_error_body(exc: BaseException) -> dict[str, Any]:
    logger.error("Unhandled error", exc_info=exc)
    body = error_body("Internal server error.", code="server_error")
    if settings.DEBUG:
        body["traceback"] = "".join(traceback.format_exception(exc))
    return body


def json_error(message: str, *, status_code: int, code: str, details: Any = None) -> JsonResponse:
    return JsonResponse(error_body(message, code=code, details=details), status=status_code)


def json_error_for(exc: ApiError) -> JsonResponse:
    return json_error(exc.message, status_code=exc.status_code, code=exc.error_code, details=exc.details)
