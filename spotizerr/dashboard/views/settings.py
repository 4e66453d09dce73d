"""Settings (admins): the configuration sections, the path preview and the sources' health."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.current import request_user
from downloads.sources.registry import available_sources, source_order
from settings_app import selectors, services
from spotizerr.dashboard import config_forms
from spotizerr.dashboard.access import admin_required, not_found
from spotizerr.dashboard.preview import path_preview
from spotizerr.dashboard.views.integrations import integrations_context
from spotizerr.errors import BadRequest

NAMING_KEYS = (
    "customDirFormat",
    "customTrackFormat",
    "tracknumPadding",
    "padNumberWidth",
    "artistSeparator",
    "convertTo",
    "separateTracksByUser",
)


def _current(section: str) -> dict[str, Any]:
    store = config_forms.SECTIONS[section][1]
    return selectors.get_watch_config() if store == "watch" else selectors.get_config()


def _save(section: str, changes: dict[str, Any]) -> None:
    if config_forms.SECTIONS[section][1] == "watch":
        services.watch_config_update(changes=changes)
    else:
        services.config_update(changes=changes)


def _sources(config: dict[str, Any]) -> list[dict[str, Any]]:
    """Installed sources in the order tracks are looked for, each with its health."""
    installed = available_sources()
    order = source_order({**config, "fallback": True})
    names = [name for name in order if name in installed] + sorted(set(installed) - set(order))
    rows = []
    for name in names:
        source = installed[name]
        position = order.index(name) + 1 if name in order else None
        rows.append(
            {
                "name": name,
                "info": source.info,
                "position": position,
                "used": name == config["service"] or (config["fallback"] and name in order),
                "health": source.health(config=config),
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
@admin_required
def settings_section_view(request: HttpRequest, section: str = "downloads") -> HttpResponse:
    if section not in config_forms.SECTIONS:
        return not_found(request, f"There is no settings page called {section!r}.")
    current = _current(section)
    values, errors, status = current, {}, 200
    if request.method == "POST":
        changes = config_forms.section_changes(section, request.POST, current)
        try:
            _save(section, changes)
        except BadRequest as error:
            values = {**current, **changes}
            errors = error.details if isinstance(error.details, dict) else {"": [error.message]}
            messages.error(
                request, "Nothing was saved: some values are not allowed. The fields to fix are marked below."
            )
            status = 400
        else:
            title = config_forms.SECTIONS[section][0]
            messages.success(
                request,
                f"Saved the {title.lower()} settings ({len(changes)} changed)."
                if changes
                else "Nothing changed.",
            )
            return HttpResponseRedirect(reverse("dashboard:settings-section", args=[section]))
    context: dict[str, Any] = {
        "section": section,
        "title": config_forms.SECTIONS[section][0],
        "sections": section_tabs(section),
        "fields": config_forms.bind(section, values, errors),
        "other_errors": config_forms.unplaced_errors(section, errors),
    }
    if section == "formatting":
        preview = path_preview({**selectors.get_config(), **values}, username=request.user.username)
        context["preview"] = {**preview, "problems": config_forms.labelled(preview["problems"])}
    if section == "integrations":
        context.update(integrations_context(request_user(request), operator=True))
    if section == "sources":
        context["sources"] = _sources(selectors.get_config())
        check = selectors.config_check()
        context["check"] = {
            "errors": config_forms.labelled(check["errors"]),
            "warnings": config_forms.labelled(check["warnings"]),
        }
    return render(request, "dashboard/settings.html", context, status=status)


def section_tabs(active: str) -> list[dict[str, Any]]:
    tabs = [
        {"url": reverse("dashboard:settings-section", args=[key]), "label": title, "active": key == active}
        for key, (title, _, _) in config_forms.SECTIONS.items()
    ]
    tabs += [
        {"url": reverse("dashboard:credentials"), "label": "Credentials", "active": active == "credentials"},
        {"url": reverse("dashboard:users"), "label": "Users", "active": active == "users"},
    ]
    return tabs


@require_GET
@admin_required
def formatting_preview_view(request: HttpRequest) -> JsonResponse:
    """The preview for the formatting form's current (unsaved) values; the page's script asks for it."""
    submitted = {
        spec.key: config_forms.parse_value(spec, request.GET)
        for spec in config_forms.SECTIONS["formatting"][2]
    }
    config = {
        **selectors.get_config(),
        **{key: value for key, value in submitted.items() if key in NAMING_KEYS},
    }
    preview = path_preview(config, username=request.user.username)
    return JsonResponse({**preview, "labels": config_forms.labels()})
