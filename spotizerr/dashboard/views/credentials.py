"""API credential sets (admins): listed with masked secrets; create, update, delete, make active."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.spotify.selectors import spotify_redirect_uri
from settings_app import selectors, services
from spotizerr.dashboard.access import admin_required
from spotizerr.dashboard.forms import CredentialCreateForm, CredentialUpdateForm, apply_api_error
from spotizerr.dashboard.pages import report_error
from spotizerr.dashboard.views.settings import section_tabs
from spotizerr.errors import ApiError


def _groups() -> list[dict]:
    groups = []
    for service in selectors.SERVICES:
        active = selectors.active_credential(service=service)
        groups.append(
            {
                "service": service,
                "credentials": selectors.credential_list(service=service),
                "active": active.name if active else None,
            }
        )
    return groups


def _page(request: HttpRequest, form: CredentialCreateForm, *, status: int = 200) -> HttpResponse:
    return render(
        request,
        "dashboard/credentials.html",
        {
            "groups": _groups(),
            "form": form,
            "update_form": CredentialUpdateForm(),
            "sections": section_tabs("credentials"),
            "title": "Credentials",
            "spotify_redirect": spotify_redirect_uri(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@admin_required
def credentials_view(request: HttpRequest) -> HttpResponse:
    form = CredentialCreateForm(request.POST or None)
    if request.method != "POST":
        return _page(request, form)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        credential = services.credential_create(**form.cleaned_data)
    except ApiError as error:
        apply_api_error(form, error)
        return _page(request, form, status=error.status_code)
    messages.success(request, f"Stored the {credential.service} credential set {credential.name!r}.")
    return HttpResponseRedirect(reverse("dashboard:credentials"))


@require_POST
@admin_required
def credential_update_view(request: HttpRequest, service: str, name: str) -> HttpResponse:
    form = CredentialUpdateForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        services.credential_update(
            service=service,
            name=name,
            client_id=data.get("client_id") or None,
            client_secret=data.get("client_secret") or None,
        )
        messages.success(request, f"Updated the {service} credential set {name!r}.")
    except ApiError as error:
        report_error(request, error)
    return HttpResponseRedirect(reverse("dashboard:credentials"))


@require_POST
@admin_required
def credential_activate_view(request: HttpRequest, service: str, name: str) -> HttpResponse:
    try:
        services.config_update(changes={service: name})
        messages.success(request, f"{name!r} is now the active {service} credential set.")
    except ApiError as error:
        report_error(request, error)
    return HttpResponseRedirect(reverse("dashboard:credentials"))


@require_POST
@admin_required
def credential_delete_view(request: HttpRequest, service: str, name: str) -> HttpResponse:
    try:
        services.credential_delete(service=service, name=name)
        messages.success(request, f"Deleted the {service} credential set {name!r}.")
    except ApiError as error:
        report_error(request, error)
    return HttpResponseRedirect(reverse("dashboard:credentials"))
