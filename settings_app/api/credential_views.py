"""``/api/credentials/*``: API credential sets per service (admins only). Secrets leave masked."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsAdmin
from settings_app import selectors, services
from settings_app.api import serializers as s
from settings_app.models import Credential
from settings_app.spotify_check import credential_test
from spotizerr.api import error_responses, validate
from spotizerr.errors import BadRequest, NotFound
from spotizerr.lib import crypto

_AUTH = error_responses({401: "Not logged in.", 403: "Not an administrator."})
_BAD_SERVICE = error_responses({400: "Unknown service or invalid body."})
_MISSING = error_responses({404: "No set with that name."})


def _unmasked(value: str | None) -> str | None:
    """A secret sent back in its masked form means "keep the stored one"."""
    return None if value is None or value.startswith(crypto.MASK_PREFIX) else value


def _check_service(service: str) -> None:
    if service not in selectors.SERVICES:
        raise BadRequest(
            f"Unknown service {service!r}.",
            code="unknown_service",
            details={"service": [f"must be one of {', '.join(selectors.SERVICES)}"]},
        )


# What the original Spotizerr stored to stream from the services themselves: a Spotify login blob or a
# Deezer ARL cookie. Spotizerr never streams or rips from Spotify or Deezer, so it has no use for them.
_STREAM_RIPPING_FIELDS = ("blob_content", "arl")


def _refuse_stream_ripping(data: Any) -> None:
    given = [field for field in _STREAM_RIPPING_FIELDS if isinstance(data, dict) and field in data]
    if not given:
        return
    raise BadRequest(
        f"Spotizerr does not use Spotify or Deezer account logins ({', '.join(given)}): it never streams "
        "or rips audio from those services. To browse the Spotify catalog, add a Spotify API app here "
        'as {"client_id", "client_secret"} (from developer.spotify.com/dashboard); to get audio, '
        "configure a source (inbox folder, previews or a command; see docs/sources.md).",
        code="account_login_not_supported",
        details={field: ["not used by Spotizerr"] for field in given},
    )


def _present(credentials: list[Credential], service: str) -> list[dict[str, Any]]:
    active = selectors.active_credential(service=service)
    context = {"active_pk": active.pk if active else None}
    return list(s.CredentialSerializer(credentials, many=True, context=context).data)


def _present_one(credential: Credential) -> dict[str, Any]:
    return _present([credential], credential.service)[0]


class CredentialNamesView(APIView):
    permission_classes = [IsAdmin]

    @extend_schema(
        operation_id="credentials_list_names",
        responses={
            200: OpenApiResponse(
                {"type": "array", "items": {"type": "string"}}, description="Names of the service's sets."
            ),
            **_BAD_SERVICE,
            **_AUTH,
        },
    )
    def get(self, request: Request, service: str) -> Response:
        _check_service(service)
        return Response(selectors.credential_names(service=service))


class CredentialListView(APIView):
    permission_classes = [IsAdmin]

    @extend_schema(
        operation_id="credentials_list_all",
        responses={200: s.CredentialSerializer(many=True), **_BAD_SERVICE, **_AUTH},
    )
    def get(self, request: Request, service: str) -> Response:
        _check_service(service)
        return Response(_present(selectors.credential_list(service=service), service))


@extend_schema_view(
    get=extend_schema(
        operation_id="credentials_get",
        responses={200: s.CredentialSerializer, **_BAD_SERVICE, **_MISSING, **_AUTH},
    ),
    post=extend_schema(
        operation_id="credentials_create",
        request=s.CredentialCreateSerializer,
        responses={
            201: s.CredentialSerializer,
            **_BAD_SERVICE,
            **_AUTH,
            **error_responses({409: "A set with that name exists."}),
        },
    ),
    put=extend_schema(
        operation_id="credentials_update",
        request=s.CredentialUpdateSerializer,
        responses={200: s.CredentialSerializer, **_BAD_SERVICE, **_MISSING, **_AUTH},
    ),
    delete=extend_schema(
        operation_id="credentials_delete", responses={204: None, **_BAD_SERVICE, **_MISSING, **_AUTH}
    ),
)
class CredentialDetailView(APIView):
    permission_classes = [IsAdmin]

    def get(self, request: Request, service: str, name: str) -> Response:
        _check_service(service)
        credential = selectors.credential_get(service=service, name=name)
        if credential is None:
            raise NotFound(f"No {service} credential set named {name!r}.")
        return Response(_present_one(credential))

    def post(self, request: Request, service: str, name: str) -> Response:
        _check_service(service)
        _refuse_stream_ripping(request.data)
        body = validate(s.CredentialCreateSerializer, request.data).validated_data
        credential = services.credential_create(service=service, name=name, **body)
        return Response(_present_one(credential), status=status.HTTP_201_CREATED)

    def put(self, request: Request, service: str, name: str) -> Response:
        _check_service(service)
        _refuse_stream_ripping(request.data)
        body = validate(s.CredentialUpdateSerializer, request.data).validated_data
        credential = services.credential_update(
            service=service,
            name=name,
            client_id=body.get("client_id"),
            client_secret=_unmasked(body.get("client_secret")),
        )
        return Response(_present_one(credential))

    def delete(self, request: Request, service: str, name: str) -> Response:
        services.credential_delete(service=service, name=name)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CredentialTestView(APIView):
    permission_classes = [IsAdmin]

    @extend_schema(
        operation_id="credentials_test",
        request=s.CredentialTestRequestSerializer,
        responses={200: s.CredentialTestResultSerializer, **_BAD_SERVICE, **_MISSING, **_AUTH},
        description=(
            "Fetch a token with the set and make one search. Body values replace the stored ones, so a "
            "set can be tried before it is saved (then both are required). Refused credentials answer "
            '200 with `"ok": false`.'
        ),
    )
    def post(self, request: Request, service: str, name: str) -> Response:
        _refuse_stream_ripping(request.data)
        body = validate(s.CredentialTestRequestSerializer, request.data).validated_data
        result = credential_test(
            service=service,
            name=name,
            client_id=body.get("client_id"),
            client_secret=_unmasked(body.get("client_secret")),
        )
        return Response(result)


def _spotify_api_config() -> dict[str, Any]:
    active = selectors.active_spotify_credentials()
    if active is None:
        return {"client_id": None, "client_secret": None, "name": None}
    return {
        "client_id": active.client_id,
        "client_secret": crypto.mask(active.client_secret),
        "name": active.name,
    }


class SpotifyApiConfigView(APIView):
    permission_classes = [IsAdmin]

    @extend_schema(
        operation_id="credentials_spotify_api_config_get",
        responses={200: s.SpotifyApiConfigSerializer, **_AUTH},
    )
    def get(self, request: Request) -> Response:
        return Response(_spotify_api_config())

    @extend_schema(
        operation_id="credentials_spotify_api_config_update",
        request=s.SpotifyApiConfigUpdateSerializer,
        responses={
            200: s.SpotifyApiConfigSerializer,
            **error_responses({400: "Invalid body."}),
            **_AUTH,
        },
        description='Write the active Spotify set (creating "default" when there is none).',
    )
    def put(self, request: Request) -> Response:
        body = validate(s.SpotifyApiConfigUpdateSerializer, request.data).validated_data
        services.spotify_api_config_update(
            client_id=body["client_id"], client_secret=_unmasked(body.get("client_secret"))
        )
        return Response(_spotify_api_config())
