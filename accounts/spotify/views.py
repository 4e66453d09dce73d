"""``/api/spotify/account``: whether the caller linked a Spotify account, linking (PKCE) and unlinking.

The callback is where Spotify sends the browser back: it finishes the link for the signed-in user who
started it and redirects to the dashboard's profile page with a message, or answers JSON when the client
asks for it (``Accept: application/json``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponseRedirect
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotAuthenticated
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.current import request_user
from accounts.models import SpotifyAccount
from accounts.spotify import selectors, services
from accounts.spotify import serializers as s
from spotizerr.api import ErrorResponseSerializer
from spotizerr.errors import ApiError
from spotizerr.integrations.spotify import SpotifyLinkFailed

TAG = "spotify"
PROFILE_URL = "/profile/"
LOGIN_URL = "/login/"


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorResponseSerializer, description=description)


def account_body(account: SpotifyAccount | None) -> dict[str, Any]:
    redirect = selectors.spotify_redirect_uri()
    return {
        "linked": account is not None,
        "spotify_user": {"id": account.spotify_user_id, "display_name": account.display_name}
        if account
        else None,
        "scopes": list(account.scopes) if account else [],
        "linked_at": account.linked_at if account else None,
        "redirect_uri": redirect.uri,
        "redirect_direct": redirect.direct,
    }


class SpotifyAccountView(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="spotify_account",
        responses={200: s.SpotifyAccountSerializer, 401: _error("Not logged in.")},
        summary="Your linked Spotify account (tokens are never returned)",
    )
    def get(self, request: Request) -> Response:
        account = selectors.spotify_account_of(request_user(request))
        return Response(s.SpotifyAccountSerializer(account_body(account)).data)

    @extend_schema(
        tags=[TAG],
        operation_id="spotify_account_unlink",
        responses={200: s.SpotifyUnlinkResponseSerializer, 401: _error("Not logged in.")},
        summary="Unlink your Spotify account and delete its tokens",
    )
    def delete(self, request: Request) -> Response:
        was = services.spotify_unlink(user=request_user(request))
        message = (
            "Unlinked; the tokens are deleted. To also remove Spotizerr's access on Spotify's side, visit "
            "spotify.com/account/apps."
            if was
            else "No Spotify account was linked."
        )
        return Response({"linked": False, "message": message})


class SpotifyAccountLinkView(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="spotify_account_link",
        request=None,
        responses={
            200: s.SpotifyLinkResponseSerializer,
            400: _error("No Spotify app credentials configured (spotify_not_configured)."),
            401: _error("Not logged in."),
        },
        summary="Start linking: the Spotify address to open (state valid 10 minutes, single use)",
    )
    def post(self, request: Request) -> Response:
        return Response({"authorize_url": services.spotify_link_start(user=request_user(request))})


class _AnyAccept(BaseContentNegotiation):
    """Browsers ask for text/html; they get a redirect, so never refuse them with 406."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> Any:
        parsers = list(parsers)
        return parsers[0] if parsers else None

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple:
        renderers = list(renderers)
        return renderers[0], renderers[0].media_type


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


class SpotifyAccountCallbackView(APIView):
    permission_classes = (AllowAny,)  # a browser without our session is sent to log in first
    content_negotiation_class = _AnyAccept

    @extend_schema(
        tags=[TAG],
        operation_id="spotify_account_callback",
        parameters=[s.SpotifyCallbackQuerySerializer],
        responses={
            200: s.SpotifyAccountSerializer,
            302: OpenApiResponse(description="Browsers: back to the dashboard profile page with a message."),
            400: _error("Unknown, used, expired or another user's state; or Spotify refused the code."),
            401: _error("Not logged in as the user who started the link."),
        },
        summary="Where Spotify sends the browser back; finishes the link",
    )
    def get(self, request: Request) -> Response | HttpResponseRedirect:
        query = s.SpotifyCallbackQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        wants_json = _wants_json(request)
        if not (request.user and request.user.is_authenticated):
            if wants_json:
                raise NotAuthenticated()
            return HttpResponseRedirect(f"{LOGIN_URL}?{urlencode({'next': request.get_full_path()})}")
        try:
            if query.validated_data["error"]:
                raise SpotifyLinkFailed(
                    f"Spotify answered {query.validated_data['error']}: the sign-in was not allowed."
                )
            account = services.spotify_link_finish(
                user=request_user(request),
                code=query.validated_data["code"],
                state=query.validated_data["state"],
            )
        except ApiError as error:
            if wants_json:
                raise
            messages.error(request._request, f"Spotify was not linked: {error.message}")
            return HttpResponseRedirect(PROFILE_URL)
        if wants_json:
            return Response(s.SpotifyAccountSerializer(account_body(account)).data)
        messages.success(request._request, f"Linked Spotify account {account.display_name}.")
        return HttpResponseRedirect(PROFILE_URL)
