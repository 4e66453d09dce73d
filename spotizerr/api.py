"""The API kit every app builds its endpoints with.

- ``ErrorResponseSerializer``: the one error body in the schema (one ``ErrorResponse`` component, so a
  generated client has one error type).
- ``error_responses``: the one way a view declares its error responses in the schema.
- ``validate``: the one way a view validates a request body or query string (a 400 in the error shape
  when it is invalid).
- ``ErrorCode``: every stable ``code`` an error body can carry (listed in docs/api.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, TypeVar

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

S = TypeVar("S", bound=serializers.BaseSerializer)


class ErrorCode(StrEnum):
    """The stable ``code`` of every error body (``tests/core/test_api_kit.py`` keeps this list whole)."""

    # generic, from the exception handler and the error middleware
    BAD_REQUEST = "bad_request"
    INVALID = "invalid"  # a validation failure; details name the fields
    PARSE_ERROR = "parse_error"
    INVALID_JSON = "invalid_json"  # malformed or nested too deep
    DISALLOWED_HOST = "disallowed_host"
    NOT_AUTHENTICATED = "not_authenticated"
    AUTHENTICATION_FAILED = "authentication_failed"
    FORBIDDEN = "forbidden"
    PERMISSION_DENIED = "permission_denied"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_ACCEPTABLE = "not_acceptable"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    CONFLICT = "conflict"
    TOO_LARGE = "too_large"
    THROTTLED = "throttled"
    SERVER_ERROR = "server_error"
    UPSTREAM_UNAVAILABLE = "upstream_unavailable"
    # accounts
    INVALID_CREDENTIALS = "invalid_credentials"
    ACCOUNT_DISABLED = "account_disabled"
    LOGIN_THROTTLED = "login_throttled"
    REGISTRATION_DISABLED = "registration_disabled"
    USERNAME_TAKEN = "username_taken"
    WRONG_PASSWORD = "wrong_password"
    INVALID_REFRESH_TOKEN = "invalid_refresh_token"
    TOKEN_NOT_VALID = "token_not_valid"
    USER_NOT_FOUND = "user_not_found"
    USER_INACTIVE = "user_inactive"
    USER_PROTECTED = "user_protected"
    LAST_ADMIN = "last_admin"
    CANNOT_CHANGE_SELF = "cannot_change_self"
    PASSWORD_CONTAINS_USER_NAME = "password_contains_user_name"
    # linked Spotify accounts
    SPOTIFY_LINK_STATE_INVALID = "spotify_link_state_invalid"
    SPOTIFY_LINK_FAILED = "spotify_link_failed"
    SPOTIFY_LINK_ADDRESS_INVALID = "spotify_link_address_invalid"
    SPOTIFY_ACCOUNT_NOT_LINKED = "spotify_account_not_linked"
    # single sign-on
    SSO_USE_API = "sso_use_api"
    SSO_STATE_INVALID = "sso_state_invalid"
    SSO_PROVIDER_UNKNOWN = "sso_provider_unknown"
    SSO_PROVIDER_ERROR = "sso_provider_error"
    SSO_ACCESS_DENIED = "sso_access_denied"
    SSO_NOT_LINKED = "sso_not_linked"
    SSO_ALREADY_LINKED = "sso_already_linked"
    SSO_ACCOUNT_TAKEN = "sso_account_taken"
    SSO_LINK_SIGNED_OUT = "sso_link_signed_out"
    SSO_LAST_LOGIN_METHOD = "sso_last_login_method"
    SSO_EMAIL_UNVERIFIED = "sso_email_unverified"
    SSO_EMAIL_AMBIGUOUS = "sso_email_ambiguous"
    # settings and credentials
    INVALID_CONFIG = "invalid_config"
    UNKNOWN_SERVICE = "unknown_service"
    DUPLICATE = "duplicate"
    ACCOUNT_LOGIN_NOT_SUPPORTED = "account_login_not_supported"
    # Spotify
    INVALID_SPOTIFY_ID = "invalid_spotify_id"
    SPOTIFY_NOT_CONFIGURED = "spotify_not_configured"
    SPOTIFY_CREDENTIALS_REJECTED = "spotify_credentials_rejected"
    SPOTIFY_NOT_FOUND = "spotify_not_found"
    SPOTIFY_RATE_LIMITED = "spotify_rate_limited"
    SPOTIFY_UNAVAILABLE = "spotify_unavailable"
    SPOTIFY_ERROR = "spotify_error"
    SPOTIFY_OWNER_NOT_PREMIUM = "spotify_owner_not_premium"
    SPOTIFY_QUOTA_EXHAUSTED = "spotify_quota_exhausted"
    SPOTIFY_PLAYLIST_FORBIDDEN = "spotify_playlist_forbidden"
    # downloads
    INVALID_DOWNLOAD_TYPE = "invalid_download_type"
    INVALID_OVERRIDES = "invalid_overrides"
    INVALID_ALBUM_TYPE = "invalid_album_type"
    INVALID_CONTEXT = "invalid_context"
    DUPLICATE_DOWNLOAD = "duplicate_download"
    TASK_NOT_FOUND = "task_not_found"
    TASK_ACTIVE = "task_active"
    TASK_FINISHED = "task_finished"
    WANTED_NOT_FOUND = "wanted_not_found"
    # history
    HISTORY_NOT_FOUND = "history_not_found"
    # imported playlists
    INVALID_IMPORT = "invalid_import"
    INVALID_CSV_COLUMNS = "invalid_csv_columns"
    INVALID_DEEZER_LINK = "invalid_deezer_link"
    IMPORT_TOO_LARGE = "import_too_large"
    IMPORT_NOT_FOUND = "import_not_found"
    IMPORT_ENTRY_NOT_FOUND = "import_entry_not_found"
    IMPORT_MATCHING = "import_matching"
    DEEZER_PLAYLIST_NOT_FOUND = "deezer_playlist_not_found"
    DEEZER_PLAYLIST_PRIVATE = "deezer_playlist_private"
    DEEZER_UNAVAILABLE = "deezer_unavailable"
    IMPORT_URL_REFUSED = "import_url_refused"
    IMPORT_URL_UNAVAILABLE = "import_url_unavailable"
    # watching
    WATCHING_DISABLED = "watching_disabled"
    WATCH_NOT_FOUND = "watch_not_found"
    INVALID_BODY = "invalid_body"
    INVALID_ITEM_IDS = "invalid_item_ids"
    INVALID_ALBUM_TYPES = "invalid_album_types"
    INVALID_ARTISTS = "invalid_artists"


class ErrorResponseSerializer(serializers.Serializer):
    """The one error shape every endpoint uses (``code`` is one of ``ErrorCode``, see docs/api.md)."""

    error = serializers.CharField()
    details = serializers.JSONField(allow_null=True)
    code = serializers.CharField()


def error_responses(descriptions: Mapping[int, str], *codes: int) -> dict[int, OpenApiResponse]:
    """Schema entries for error responses, each an ``ErrorResponse`` with its description.

    ``error_responses({401: "Not logged in."})`` declares every status given; with ``codes``, only
    those of a shared table: ``error_responses(ERROR_TEXT, 400, 401)``.
    """
    wanted = codes or tuple(descriptions)
    return {code: OpenApiResponse(ErrorResponseSerializer, description=descriptions[code]) for code in wanted}


def validate(serializer_class: type[S], data: Any) -> S:
    """``serializer_class`` bound to ``data`` and validated; read ``.validated_data`` (or its methods).

    Raises DRF's ``ValidationError``, which the exception handler renders as a 400 ``invalid`` error
    whose details name the fields."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer
