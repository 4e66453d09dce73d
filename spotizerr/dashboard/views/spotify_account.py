"""The "Connect Spotify" row of the profile page: link (PKCE, through Spotify's consent page), finish by
pasting back the address Spotify sent the browser to (when the redirect cannot reach this server), unlink."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.current import request_user
from accounts.spotify import selectors, services
from spotizerr.dashboard.access import member_required
from spotizerr.dashboard.pages import report_error
from spotizerr.errors import ApiError

SECTION = "#spotify"


def spotify_row(request: HttpRequest) -> dict[str, Any]:
    """What the profile page shows about the user's Spotify link."""
    redirect = selectors.spotify_redirect_uri()
    return {
        "account": selectors.spotify_account_of(request_user(request)),
        "redirect_uri": redirect.uri,
        "redirect_direct": redirect.direct,
    }


def _back() -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("dashboard:profile") + SECTION)


@require_POST
@member_required
def spotify_link_view(request: HttpRequest) -> HttpResponse:
    try:
        return HttpResponseRedirect(services.spotify_link_start(user=request_user(request)))
    except ApiError as error:
        report_error(request, error)
        return _back()


@require_POST
@member_required
def spotify_paste_view(request: HttpRequest) -> HttpResponse:
    try:
        account = services.spotify_link_finish_from_address(
            user=request_user(request), address=request.POST.get("address", "")[:4000]
        )
    except ApiError as error:
        messages.error(request, f"Spotify was not linked: {error.message}")
    else:
        messages.success(request, f"Linked Spotify account {account.display_name}.")
    return _back()


@require_POST
@member_required
def spotify_unlink_view(request: HttpRequest) -> HttpResponse:
    if services.spotify_unlink(user=request_user(request)):
        messages.success(
            request,
            "Unlinked Spotify; its tokens are deleted. To also remove the app's access on Spotify's side, "
            "visit spotify.com/account/apps.",
        )
    return _back()
