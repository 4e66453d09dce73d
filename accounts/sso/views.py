"""``/api/auth/sso/*``: offered providers, the sign-in redirect and callback, tokens, unlinking.

The callback leaves a Django session and sends the browser to the dashboard; API clients then
``POST /api/auth/sso/token`` with that session (and its CSRF token) to get the JWT pair, so a
token never appears in a URL. A link started from the dashboard's profile page (a signed-in
session) comes back through the same callback, which then links and returns to the profile.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.serializers import AuthLoginResponseSerializer, AuthUserSerializer
from accounts.current import request_user
from accounts.no_store import NoStoreMixin
from accounts.services import tokens_issue
from accounts.sso import oauth, selectors, services
from accounts.sso.authentication import SsoSessionAuthentication
from accounts.sso.providers import SUPPORTED, configured_provider, supported_provider
from accounts.sso.serializers import SsoStatusSerializer, SsoUnlinkResponseSerializer
from spotizerr.api import error_responses

TAG = "auth"
DASHBOARD_URL = "/"
PROFILE_URL = "/profile/"
_PROVIDER = OpenApiParameter(
    "provider",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description=f"{', '.join(sorted(SUPPORTED))}, or the name of an OpenID Connect provider (SPOTIZERR_OIDC_<NAME>_*).",
)
_CALLBACK_QUERY = [
    OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.QUERY, required=False, description=text)
    for name, text in (
        ("code", "Authorization code from the provider."),
        ("state", "The state sent with the sign-in redirect."),
        ("error", "Set by the provider instead of code, e.g. access_denied."),
        ("error_description", "The provider's explanation of error."),
    )
]


class SsoStatusView(APIView):
    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        tags=[TAG],
        auth=[],
        operation_id="auth_sso_status",
        responses={200: SsoStatusSerializer},
        summary="Whether single sign-on is on, which providers are offered, and if sign-up is open",
    )
    def get(self, request: Request) -> Response:
        offers = selectors.sso_providers_offered()
        return Response(
            SsoStatusSerializer(
                {
                    "sso_enabled": settings.SSO_ENABLED,
                    "providers": offers,
                    "registration_enabled": settings.REGISTRATION_ENABLED,
                }
            ).data
        )


class SsoLoginView(APIView):
    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        tags=[TAG],
        auth=[],
        operation_id="auth_sso_login",
        parameters=[_PROVIDER],
        responses={
            302: OpenApiResponse(description="Redirect to the provider's consent page."),
            **error_responses({404: "Unknown provider, or not configured here."}),
        },
        summary="Start signing in with a provider (browser redirect)",
    )
    def get(self, request: Request, provider: str) -> HttpResponseRedirect:
        url = oauth.authorize_url_build(request=request._request, provider=configured_provider(provider))
        return HttpResponseRedirect(url)


class SsoCallbackView(APIView):
    authentication_classes = (SsoSessionAuthentication,)  # who is linking, when the browser started a link
    permission_classes = (AllowAny,)

    @extend_schema(
        tags=[TAG],
        auth=[],
        operation_id="auth_sso_callback",
        parameters=[_PROVIDER, *_CALLBACK_QUERY],
        responses={
            302: OpenApiResponse(
                description="Signed in: a session cookie is set; redirect to the dashboard. "
                "A link started from the profile: linked; redirect to the profile."
            ),
            **error_responses({400: "Missing or unknown state (start the sign-in again)."}),
            **error_responses(
                {
                    403: "Access denied at the provider, unverified email, registration disabled, "
                    "deactivated account, or (linking) no longer signed in as the user who started it."
                }
            ),
            **error_responses({404: "Unknown provider, or not configured here."}),
            **error_responses(
                {
                    409: "Several accounts share the verified email, or (linking) the provider account is "
                    "linked to another user or yours to another account of this provider."
                }
            ),
            **error_responses({502: "The provider reported an error or did not answer."}),
        },
        summary="Where the provider sends the browser back (browser redirect)",
    )
    def get(self, request: Request, provider: str) -> HttpResponseRedirect:
        known = configured_provider(provider)
        if services.sso_callback_complete(request=request._request, provider=known):
            messages.success(request._request, f"Linked {known.display_name}.")
            return HttpResponseRedirect(PROFILE_URL)
        return HttpResponseRedirect(DASHBOARD_URL)


class SsoTokenView(NoStoreMixin, APIView):
    authentication_classes = (SsoSessionAuthentication,)

    @extend_schema(
        tags=[TAG],
        operation_id="auth_sso_token",
        request=None,
        responses={
            200: AuthLoginResponseSerializer,
            **error_responses({401: "No signed-in session.", 403: "CSRF token missing or wrong."}),
        },
        summary="Exchange the session left by a single sign-on for a JWT pair",
    )
    def post(self, request: Request) -> Response:
        pair = tokens_issue(user=request_user(request), record_login=False)  # the sign-in already recorded it
        return Response(
            {
                "access_token": pair["access"],
                "refresh_token": pair["refresh"],
                "token_type": "bearer",
                "user": AuthUserSerializer(request.user).data,
            }
        )


class SsoUnlinkView(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="auth_sso_unlink",
        parameters=[_PROVIDER],
        request=None,
        responses={
            200: SsoUnlinkResponseSerializer,
            **error_responses(
                {
                    401: "Not logged in.",
                    404: "Unknown provider, or not linked to it.",
                    409: "It is the account's last way to log in.",
                }
            ),
        },
        summary="Unlink a provider from your account",
    )
    def post(self, request: Request, provider: str) -> Response:
        known = supported_provider(provider)
        user = services.sso_account_unlink(user=request_user(request), provider_name=known.name)
        return Response({"message": f"Unlinked {known.display_name}.", "user": AuthUserSerializer(user).data})
