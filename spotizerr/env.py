"""Typed parsers for environment variables.

Every setting of Spotizerr comes from the environment through these helpers. A bad value
raises ``ImproperlyConfigured`` naming the variable, so start-up stops with a clear message.
Secrets may also be given as ``NAME_FILE`` pointing at a file that holds the value.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, overload
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None:
        return None
    value = value.strip()
    return value if value != "" else None


@overload
def env_str(name: str, default: str) -> str: ...
@overload
def env_str(name: str, default: None = None) -> str | None: ...
def env_str(name: str, default: str | None = None) -> str | None:
    """A plain string; empty counts as unset."""
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {number}")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}, got {number}")
    return number


def env_path(name: str, default: str | Path) -> Path:
    """A filesystem path, made absolute against the current directory."""
    value = _raw(name)
    path = Path(value if value is not None else default).expanduser()
    return path if path.is_absolute() else (Path.cwd() / path).resolve()


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """A comma-separated list; blanks are dropped."""
    value = _raw(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


@overload
def env_url(name: str, default: str) -> str: ...
@overload
def env_url(name: str, default: None = None) -> str | None: ...
def env_url(name: str, default: str | None = None) -> str | None:
    value = env_str(name, default)
    if value is None:
        return None
    if not value.startswith(("http://", "https://")):
        raise ImproperlyConfigured(f"{name} must be an http(s) URL, got {value!r}")
    return value


def env_secret(name: str, default: str | None = None) -> str | None:
    """A secret from ``NAME`` or from the file named by ``NAME_FILE``."""
    value = _raw(name)
    if value is not None:
        return value
    file_name = _raw(f"{name}_FILE")
    if file_name is None:
        return default
    try:
        return Path(file_name).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ImproperlyConfigured(f"{name}_FILE points at an unreadable file: {exc}") from None


def env_service_url(name: str, default: str) -> str:
    """The URL of an outside service (``env_url``); the value ``off`` turns it off (``""``)."""
    return "" if (env_str(name) or "").lower() == "off" else (env_url(name, default) or "")


def database_from_url(url: str) -> dict[str, Any]:
    """Django's ``DATABASES["default"]`` for a ``DATABASE_URL`` (``postgres://user:password@host:port/name``),
    with a connection pool of ``SPOTIZERR_DB_POOL_SIZE`` connections per process."""
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(f"DATABASE_URL must be a postgres:// URL, got scheme {parsed.scheme!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")) or "spotizerr",
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        # A pool per process, not persistent connections: it bounds each process's connections
        # (request threads, stream threads, workers) however many threads ask, and spotizerr.runtime.dbpool
        # keeps forked workers off their parent's. (Persistent connections under Django's own ASGI
        # handler, a new thread per request, once exhausted PostgreSQL: bench/api_load.py.)
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": True,  # with a pool: each connection is tested when handed out
        "OPTIONS": {
            "pool": {
                "min_size": 1,
                "max_size": env_int("SPOTIZERR_DB_POOL_SIZE", 10, minimum=1),
                "timeout": 20,
            }
        },
    }


LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
_WILDCARD_BIND = {"", "0.0.0.0", "::", "[::]"}


def default_allowed_hosts(*, public_url: str, bind_host: str) -> list[str]:
    """The host names Spotizerr answers to when ``SPOTIZERR_ALLOWED_HOSTS`` is unset: loopback, the
    host of ``public_url`` and a specific ``bind_host`` (``HOST=192.168.1.10``). Never ``*``: a
    forged ``Host`` (or a DNS-rebinding page) must not reach absolute links built from it."""
    hosts = list(LOOPBACK_HOSTS)
    public_host = urlparse(public_url).hostname if public_url else None
    candidates = [public_host or "", bind_host.strip()]
    for host in candidates:
        if host in _WILDCARD_BIND:
            continue
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"  # an IPv6 address, as Django compares it
        if host.lower() not in hosts:
            hosts.append(host.lower())
    return hosts


_OIDC_NAME = re.compile(r"^SPOTIZERR_OIDC_([A-Z0-9_]+?)_ISSUER$")
_RESERVED_SSO_NAMES = {"google", "github"}


def env_oidc_providers() -> list[dict[str, str]]:
    """Every OpenID Connect provider named by a ``SPOTIZERR_OIDC_<NAME>_ISSUER`` variable, with its
    ``_CLIENT_ID``, ``_CLIENT_SECRET`` (or ``_CLIENT_SECRET_FILE``) and optional ``_DISPLAY_NAME``:
    ``[{"name", "display_name", "issuer", "client_id", "secret"}]`` sorted by name. ``<NAME>``
    becomes the provider's URL name in lower case (``AUTHENTIK`` → ``authentik``)."""
    providers = []
    for variable in sorted(os.environ):
        found = _OIDC_NAME.match(variable)
        if not found or _raw(variable) is None:
            continue
        key = found.group(1)
        name = key.lower().replace("_", "-")
        if name in _RESERVED_SSO_NAMES:
            raise ImproperlyConfigured(f"{variable}: {name!r} is a built-in provider; choose another name")
        prefix = f"SPOTIZERR_OIDC_{key}_"
        client_id, secret = env_str(prefix + "CLIENT_ID"), env_secret(prefix + "CLIENT_SECRET")
        if not client_id or not secret:
            raise ImproperlyConfigured(
                f"{variable} is set, so {prefix}CLIENT_ID and {prefix}CLIENT_SECRET must be too"
            )
        providers.append(
            {
                "name": name,
                "display_name": env_str(prefix + "DISPLAY_NAME") or key.replace("_", " ").title(),
                "issuer": env_url(variable) or "",
                "client_id": client_id,
                "secret": secret,
            }
        )
    return providers
