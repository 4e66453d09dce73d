"""Writes on the configuration and credentials. Views, admin actions and commands call these."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from settings_app import selectors
from settings_app.config.main import MAIN
from settings_app.config.section import Errors, Section
from settings_app.config.watch import WATCH
from settings_app.models import ConfigSection, Credential
from settings_app.spotify_check import spotify_check_forget
from spotizerr.errors import BadRequest, Conflict, NotFound
from spotizerr.lib import crypto

ENVIRONMENT_CREDENTIAL_NAME = "default"


def _section_update(section: Section, changes: Any, *, nested: Any = None) -> None:
    """Validate ``changes`` against the stored section and save the merge in one transaction; with
    ``nested`` (the ``watch`` object of a main update) the watch section too, or neither."""
    with transaction.atomic():
        updates = [(section, changes, "")] + ([(WATCH, nested, "watch.")] if nested is not None else [])
        rows, errors = [], {}
        for part, part_changes, prefix in updates:
            row, _ = ConfigSection.objects.select_for_update().get_or_create(name=part.name)
            normalised, part_errors = part.validate(part_changes, row.values)
            errors.update({prefix + name: messages for name, messages in part_errors.items()})
            rows.append((row, normalised))
        if errors:
            raise BadRequest(f"Invalid {section.name} configuration.", details=errors, code="invalid_config")
        for row, normalised in rows:
            row.values = {**row.values, **normalised}
            row.save(update_fields=["values", "updated_at"])


def _split_watch(changes: Any) -> tuple[Any, Any]:
    """A main update and its nested ``watch`` object (the original web UI sends the two sections as
    one body); None when there is none."""
    if not isinstance(changes, dict) or "watch" not in changes:
        return changes, None
    main = {name: value for name, value in changes.items() if name != "watch"}
    nested = changes["watch"]
    return main, nested if nested is not None else {}


def config_update(*, changes: dict[str, Any]) -> dict[str, Any]:
    """Merge a partial update into the main configuration and return the whole of it. A nested
    ``watch`` object is applied to the watch configuration, with the same checks.

    Raises ``BadRequest`` with ``details={field: [message]}`` (``watch.<field>`` for the nested
    object) when any value is invalid; then nothing is saved.
    """
    main, nested = _split_watch(changes)
    _section_update(MAIN, main, nested=nested)
    spotify_check_forget()  # the active credential set may have changed
    return selectors.get_config()


def watch_config_update(*, changes: dict[str, Any]) -> dict[str, Any]:
    """Merge a partial update into the watch configuration and return the whole of it.

    Raises ``BadRequest`` like ``config_update``.
    """
    _section_update(WATCH, changes)
    return selectors.get_watch_config()


def config_validate(*, changes: Any) -> Errors:
    """The errors ``config_update(changes=changes)`` would raise, without saving anything."""
    main, nested = _split_watch(changes)
    errors = MAIN.validate(main, selectors.stored_values(MAIN))[1]
    if nested is not None:
        nested_errors = WATCH.validate(nested, selectors.stored_values(WATCH))[1]
        errors.update({f"watch.{name}": messages for name, messages in nested_errors.items()})
    return errors


def watch_config_validate(*, changes: Any) -> Errors:
    return WATCH.validate(changes, selectors.stored_values(WATCH))[1]


def _check_service(service: str) -> None:
    if service not in selectors.SERVICES:
        raise BadRequest(
            f"Unknown service {service!r}.",
            details={"service": [f"must be one of {', '.join(selectors.SERVICES)}"]},
            code="unknown_service",
        )


_MAX_LENGTHS = {"name": 100, "client_id": 255, "client_secret": 1000}


def _field_problem(name: str, value: str) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return "must not be empty"
    if len(value) > _MAX_LENGTHS[name]:
        return f"must be at most {_MAX_LENGTHS[name]} characters"
    if "\x00" in value:
        return "must not contain NUL"
    if name == "name" and value != value.strip():
        return "must not start or end with spaces"
    if name == "client_secret" and value.startswith(crypto.MASK_PREFIX):
        return "looks like a masked secret; send the real one"
    if name != "name" and not (value.isascii() and value.isprintable()):
        # sent as HTTP Basic credentials, which spotipy encodes as ASCII: anything else breaks every call
        return "must be printable ASCII characters"
    return None


def _check_fields(**fields: str) -> None:
    problems = {name: _field_problem(name, value) for name, value in fields.items()}
    errors = {name: [problem] for name, problem in problems.items() if problem}
    if errors:
        raise BadRequest("Invalid credential set.", details=errors, code="invalid")


def _set_active_name(service: str, name: str | None) -> None:
    with transaction.atomic():
        row, _ = ConfigSection.objects.select_for_update().get_or_create(name=MAIN.name)
        row.values = {**row.values, service: name}
        row.save(update_fields=["values", "updated_at"])


def credential_create(*, service: str, name: str, client_id: str, client_secret: str) -> Credential:
    """Store a new credential set (secret encrypted). The first set of a service becomes active.

    Raises ``BadRequest`` for an unknown service or empty fields, ``Conflict`` for a taken name.
    """
    _check_service(service)
    _check_fields(name=name, client_id=client_id, client_secret=client_secret)
    credential = Credential(service=service, name=name, client_id=client_id.strip())
    credential.set_client_secret(client_secret.strip())
    try:
        with transaction.atomic():
            first = not Credential.objects.filter(service=service).exists()
            credential.save()
            if first:
                _set_active_name(service, credential.name)
    except IntegrityError:
        raise Conflict(
            f"A {service} credential set named {name!r} already exists.", code="duplicate"
        ) from None
    spotify_check_forget()
    return credential


def _get_or_404(service: str, name: str) -> Credential:
    _check_service(service)
    credential = selectors.credential_get(service=service, name=name)
    if credential is None:
        raise NotFound(f"No {service} credential set named {name!r}.")
    return credential


def credential_update(
    *, service: str, name: str, client_id: str | None = None, client_secret: str | None = None
) -> Credential:
    """Change the client id and/or secret of a set; None leaves a field as it is.

    Raises ``BadRequest`` (unknown service, empty value) or ``NotFound``.
    """
    credential = _get_or_404(service, name)
    given = {
        key: value
        for key, value in {"client_id": client_id, "client_secret": client_secret}.items()
        if value is not None
    }
    _check_fields(**given)
    if client_id is not None:
        credential.client_id = client_id.strip()
    if client_secret is not None:
        credential.set_client_secret(client_secret.strip())
    credential.save()
    spotify_check_forget()
    return credential


def credential_delete(*, service: str, name: str) -> None:
    """Delete a set. If it was active, the oldest remaining set (or none) becomes active.

    Raises ``BadRequest`` (unknown service) or ``NotFound``.
    """
    credential = _get_or_404(service, name)
    with transaction.atomic():
        credential.delete()
        if selectors.get_config().get(service) == name:
            _set_active_name(service, next(iter(selectors.credential_names(service=service)), None))
    spotify_check_forget()


def spotify_api_config_update(*, client_id: str, client_secret: str | None = None) -> Credential:
    """Write the active Spotify set, creating one named "default" when there is none.

    ``client_secret`` None keeps the stored secret (clients send back only the masked form).
    """
    active = selectors.active_credential(service=Credential.Service.SPOTIFY)
    if active is None:
        if not client_secret:
            raise BadRequest(
                "Invalid credential set.", details={"client_secret": ["is required"]}, code="invalid"
            )
        return credential_create(
            service="spotify",
            name=ENVIRONMENT_CREDENTIAL_NAME,
            client_id=client_id,
            client_secret=client_secret,
        )
    return credential_update(
        service="spotify", name=active.name, client_id=client_id, client_secret=client_secret
    )


def seed_from_environment() -> Iterator[str]:
    """At start-up: store ``SPOTIZERR_SPOTIFY_CLIENT_ID``/``SECRET`` as the set "default" when no
    Spotify set exists yet. Safe to run any number of times."""
    if not (settings.SPOTIFY_CLIENT_ID and settings.SPOTIFY_CLIENT_SECRET):
        return
    if Credential.objects.filter(service=Credential.Service.SPOTIFY).exists():
        return
    try:
        credential_create(
            service="spotify",
            name=ENVIRONMENT_CREDENTIAL_NAME,
            client_id=settings.SPOTIFY_CLIENT_ID,
            client_secret=settings.SPOTIFY_CLIENT_SECRET,
        )
    except Conflict:  # another process seeded it first
        return
    yield f"Stored the Spotify API credentials from the environment as {ENVIRONMENT_CREDENTIAL_NAME!r}."


def credentials_reencrypt() -> int:
    """Re-encrypt every stored secret (client secrets, linked Spotify accounts' two tokens) under the
    first (newest) key, all or nothing; returns how many."""
    from accounts.spotify.services import spotify_accounts_reencrypt

    count = 0
    with transaction.atomic():
        for credential in Credential.objects.select_for_update():
            credential.client_secret_encrypted = crypto.reencrypt(credential.client_secret_encrypted)
            credential.save(update_fields=["client_secret_encrypted"])
            count += 1
        count += 2 * spotify_accounts_reencrypt()
    return count
