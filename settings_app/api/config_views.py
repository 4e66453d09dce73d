"""``/api/config/*``: read, update and validate the main and watch configuration (admins only), and
``/api/config/check`` (any user: is Spotify usable; admins also get the configuration report)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsAdmin
from settings_app import selectors, services
from settings_app.api import serializers as s
from settings_app.spotify_check import spotify_check
from spotizerr.api import error_responses

_ERRORS = error_responses({401: "Not logged in.", 403: "Not an administrator."})
_INVALID = error_responses({400: "Invalid values; details name the fields."})
_MALFORMED_QUERY = error_responses({400: "A query parameter is not valid."})
_MALFORMED = error_responses({400: "The body is not JSON."})


class ConfigView(APIView):
    permission_classes = [IsAdmin]

    @extend_schema(operation_id="config_get", responses={200: s.ConfigSerializer, **_ERRORS})
    def get(self, request: Request) -> Response:
        return Response(selectors.get_config())

    @extend_schema(
        operation_id="config_update",
        request=s.ConfigUpdateSerializer,
        responses={200: s.ConfigSerializer, **_INVALID, **_ERRORS},
        description="Merge a partial update; answers the whole configuration. Nothing is saved "
        "when any value is invalid.",
    )
    def post(self, request: Request) -> Response:
        return Response(services.config_update(changes=request.data))

    @extend_schema(
        operation_id="config_replace",
        request=s.ConfigUpdateSerializer,
        responses={200: s.ConfigSerializer, **_INVALID, **_ERRORS},
        description="Same as POST: merges a partial update.",
    )
    def put(self, request: Request) -> Response:
        return Response(services.config_update(changes=request.data))


class ConfigCheckView(APIView):
    @extend_schema(
        operation_id="config_check",
        parameters=[s.ConfigCheckQuerySerializer],
        responses={200: s.ConfigCheckSerializer, **_MALFORMED_QUERY, 401: _ERRORS[401]},
        description="Whether Spotify answers the configured app now (one small call, cached for a few "
        "minutes): ok, not_configured, credentials_rejected, owner_not_premium, quota_exhausted, "
        "rate_limited, unavailable or error, with a message. Administrators also get the report on the "
        "stored configuration (valid, errors, warnings: paths, credentials, templates, sources).",
    )
    def get(self, request: Request) -> Response:
        query = s.ConfigCheckQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        admin = IsAdmin().has_permission(request, self)
        fresh = admin and query.validated_data["fresh"]
        body: dict[str, Any] = selectors.config_check() if admin else {}
        body["spotify"] = spotify_check(fresh=fresh)
        return Response(s.ConfigCheckSerializer(body).data)


def _validation(errors: dict[str, Any]) -> Response:
    return Response({"valid": not errors, "errors": errors})


class ConfigValidateView(APIView):
    permission_classes = [IsAdmin]

    @extend_schema(
        operation_id="config_validate",
        request=s.ConfigUpdateSerializer,
        responses={200: s.ConfigValidationSerializer, **_MALFORMED, **_ERRORS},
        description="Check a partial update against the stored configuration without saving.",
    )
    def post(self, request: Request) -> Response:
        return _validation(services.config_validate(changes=request.data))


class WatchConfigView(APIView):
    permission_classes = [IsAdmin]

    @extend_schema(operation_id="config_watch_get", responses={200: s.WatchConfigSerializer, **_ERRORS})
    def get(self, request: Request) -> Response:
        return Response(selectors.get_watch_config())

    @extend_schema(
        operation_id="config_watch_update",
        request=s.WatchConfigUpdateSerializer,
        responses={200: s.WatchConfigSerializer, **_INVALID, **_ERRORS},
        description="Merge a partial update; answers the whole watch configuration.",
    )
    def post(self, request: Request) -> Response:
        return Response(services.watch_config_update(changes=request.data))

    @extend_schema(
        operation_id="config_watch_replace",
        request=s.WatchConfigUpdateSerializer,
        responses={200: s.WatchConfigSerializer, **_INVALID, **_ERRORS},
        description="Same as POST: merges a partial update.",
    )
    def put(self, request: Request) -> Response:
        return Response(services.watch_config_update(changes=request.data))


class WatchConfigValidateView(APIView):
    permission_classes = [IsAdmin]

    @extend_schema(
        operation_id="config_watch_validate",
        request=s.WatchConfigUpdateSerializer,
        responses={200: s.ConfigValidationSerializer, **_MALFORMED, **_ERRORS},
    )
    def post(self, request: Request) -> Response:
        return _validation(services.watch_config_validate(changes=request.data))
