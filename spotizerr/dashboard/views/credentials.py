"""API credential sets (admins): listed with masked secrets; create, update, delete, make active."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.spotify.selectors import spotify_redirect_uri
from settings_app import selectors, services
from settings_app.spotify_check import credential_test
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


def _page(
    request: HttpRequest,
    form: CredentialCreateForm,
    *,
    status: int = 200,
    test_result: dict[str, Any] | None = None,
) -> HttpResponse:
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
            "test_result": test_result,
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
def credential_test_view(request: HttpRequest) -> HttpResponse:
    """Try the add form's values before they are saved; the page comes back with the form filled in."""
    form = CredentialCreateForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    if not (data.get("client_id") and data.get("client_secret")):
        form.add_error(None, "Enter a client id and a client secret to test them.")
        return _page(request, form, status=400)
    try:
        result = credential_test(
            service=data.get("service") or "spotify",
            name=data.get("name") or "",
            client_id=data["client_id"],
            client_secret=data["client_secret"],
        )
    except ApiError as error:
        apply_api_error(form, error)
        return _page(request, form, status=error.status_code)
    return _page(request, form, test_result=result)


@require_POST
@admin_required
def credential_test_stored_view(request: HttpRequest, service: str, name: str) -> HttpResponse:
    try:
        result = credential_test(service=service, name=name)
    except ApiError as error:
        report_error(request, error)
    else:
        level = messages.success if result["ok"] else messages.error
        level(request, f"Test of {name!r}: {result['message']}")
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
