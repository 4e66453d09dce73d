"""The profile page for everyone: your account, password change and single sign-on links."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services
from accounts.current import request_user
from accounts.models import User
from accounts.sso import oauth as sso_oauth
from accounts.sso import selectors as sso_selectors
from accounts.sso import services as sso_services
from accounts.sso.providers import all_providers, configured_provider
from spotizerr.dashboard.access import member_required
from spotizerr.dashboard.forms import PasswordChangeForm, apply_api_error
from spotizerr.dashboard.pages import report_error
from spotizerr.dashboard.views.integrations import integrations_context
from spotizerr.dashboard.views.spotify_account import spotify_row
from spotizerr.errors import ApiError


def _sso_rows(request: HttpRequest) -> list[dict]:
    linked = set(sso_selectors.sso_linked_providers(user=request_user(request)))
    offered = {offer.name: offer for offer in sso_selectors.sso_providers_offered()}
    known = all_providers()
    names = [name for name in known if name in linked or name in offered]
    return [
        {
            "name": name,
            "label": known[name].display_name,
            "linked": name in linked,
            "offer": offered.get(name),
        }
        for name in names
    ]


def _manages_own_account(user: User) -> bool:
    """Password and single sign-on links are the user's own only with auth on (not the system user)."""
    return settings.AUTH_ENABLED and not user.is_system


@require_http_methods(["GET", "POST"])
@member_required
def profile_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    can_change = _manages_own_account(user)
    form = PasswordChangeForm(request.POST or None)
    status = 200
    if request.method == "POST" and can_change and form.is_valid():
        try:
            services.user_change_password(
                user=user, address=services.client_address(request), **form.cleaned_data
            )
        except ApiError as error:
            apply_api_error(form, error)
            status = error.status_code
        else:
            update_session_auth_hash(request, user)
            messages.success(request, "Password changed; your other sessions and tokens ended.")
            return HttpResponseRedirect(reverse("dashboard:profile"))
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "dashboard/profile.html",
        {
            "form": form,
            "can_change": can_change,
            "has_password": user.has_usable_password(),
            "sso": _sso_rows(request) if can_change else [],
            "spotify": spotify_row(request),
            **integrations_context(user, operator=False),
        },
        status=status,
    )


@require_POST
@member_required
def sso_link_view(request: HttpRequest, provider: str) -> HttpResponse:
    """Send the browser to the provider; its callback links the account to this user (see
    ``accounts.sso.services.sso_callback_complete``) and comes back here."""
    if not _manages_own_account(request_user(request)):
        messages.error(request, "Single sign-on needs authentication turned on.")
        return HttpResponseRedirect(reverse("dashboard:profile"))
    try:
        known = configured_provider(provider)
    except ApiError as error:
        report_error(request, error)
        return HttpResponseRedirect(reverse("dashboard:profile"))
    return HttpResponseRedirect(
        sso_oauth.authorize_url_build(request=request, provider=known, link_for=request.user.pk)
    )


@require_POST
@member_required
def sso_unlink_view(request: HttpRequest, provider: str) -> HttpResponse:
    if provider not in all_providers():
        messages.error(request, "Unknown provider.")
        return HttpResponseRedirect(reverse("dashboard:profile"))
    try:
        sso_services.sso_account_unlink(user=request_user(request), provider_name=provider)
        messages.success(request, f"Unlinked {all_providers()[provider].display_name}.")
    except ApiError as error:
        report_error(request, error)
    return HttpResponseRedirect(reverse("dashboard:profile"))
