"""Reads of the configuration and credentials. Cheap enough to call once per track."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from settings_app.config.main import MAIN
from settings_app.config.section import Section
from settings_app.config.watch import WATCH
from settings_app.models import ConfigSection, Credential
from spotizerr.lib import crypto
from spotizerr.lib.prepared import PreparedQuery

SERVICES: tuple[str, ...] = tuple(Credential.Service.values)


@dataclass(frozen=True)
class SpotifyCredentials:
    client_id: str
    client_secret: str
    name: str  # "environment" when they come from SPOTIZERR_SPOTIFY_CLIENT_ID/SECRET

    def __repr__(self) -> str:  # keep the secret out of logs and tracebacks
        return f"SpotifyCredentials(name={self.name!r}, client_id={self.client_id!r}, client_secret='****')"


# every API read of the configuration runs it: compiled once (spotizerr.lib.prepared)
_STORED_VALUES = PreparedQuery(
    lambda name: ConfigSection.objects.filter(name=name).values_list("values")[:1], "\x00section"
)


def stored_values(section: Section) -> dict[str, Any]:
    """Only the values an admin changed in ``section`` (no defaults)."""
    rows = _STORED_VALUES.rows(section.name)
    row = rows[0][0] if rows else None
    return dict(row) if isinstance(row, dict) else {}


def get_config() -> dict[str, Any]:
    """The whole main configuration, camelCase keys, defaults filled in.

    ``fileFormat`` and ``convertTo`` both appear and always hold the same value.
    """
    return MAIN.present(stored_values(MAIN))


def get_watch_config() -> dict[str, Any]:
    """The whole watch configuration; ``watchPollIntervalSeconds`` mirrors ``check_interval``."""
    return WATCH.present(stored_values(WATCH))


def credential_names(*, service: str) -> list[str]:
    return list(Credential.objects.filter(service=service).values_list("name", flat=True))


def credential_list(*, service: str) -> list[Credential]:
    return list(Credential.objects.filter(service=service))


def credential_get(*, service: str, name: str) -> Credential | None:
    return Credential.objects.filter(service=service, name=name).first()


def active_credential(*, service: str) -> Credential | None:
    """The set named by the config key ``service`` ("spotify"/"deezer"), else the first set."""
    name = get_config().get(service)
    chosen = credential_get(service=service, name=name) if name else None
    return chosen or Credential.objects.filter(service=service).first()


def active_spotify_credentials() -> SpotifyCredentials | None:
    """The Spotify API credentials to use now: the active stored set, else the environment's
    ``SPOTIZERR_SPOTIFY_CLIENT_ID``/``SECRET``, else None."""
    credential = active_credential(service=Credential.Service.SPOTIFY)
    if credential is not None:
        return SpotifyCredentials(credential.client_id, credential.client_secret, credential.name)
    if settings.SPOTIFY_CLIENT_ID and settings.SPOTIFY_CLIENT_SECRET:
        return SpotifyCredentials(settings.SPOTIFY_CLIENT_ID, settings.SPOTIFY_CLIENT_SECRET, "environment")
    return None


def config_check() -> dict[str, Any]:
    """A report on the stored main configuration: ``{"valid", "errors", "warnings"}``, each
    problem listed under the setting to change."""
    config = get_config()
    errors = MAIN.audit(config)
    warnings: dict[str, list[str]] = {}
    try:
        if active_spotify_credentials() is None:
            errors.setdefault("spotify", []).append(
                "no Spotify API credentials: add a set or set SPOTIZERR_SPOTIFY_CLIENT_ID/SECRET"
            )
    except crypto.DecryptionError:
        errors.setdefault("spotify", []).append(
            "the stored secret cannot be decrypted; was the encryption key changed? store the set again"
        )
    if config["service"] not in config["sourceOrder"]:
        warnings["service"] = [f"{config['service']!r} is not in sourceOrder, so it is never tried"]
    if "command" in config["sourceOrder"] and config["commandSource"] is None:
        warnings["commandSource"] = [
            "sourceOrder names 'command' but no command is configured; it is skipped"
        ]
    return {"valid": not errors, "errors": errors, "warnings": warnings}
