"""Django settings for Spotizerr, fed only by the environment (see docs/configuration.md)."""

from __future__ import annotations

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from spotizerr.env import (
    database_from_url,
    default_allowed_hosts,
    env_bool,
    env_int,
    env_list,
    env_path,
    env_secret,
    env_service_url,
    env_str,
    env_url,
)
from spotizerr.sqlite_files import sqlite_files_make_private

BASE_DIR = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------- paths
DATA_DIR = env_path("SPOTIZERR_DATA_DIR", "./data")
DOWNLOAD_DIR = env_path("SPOTIZERR_DOWNLOAD_DIR", "./downloads")
if DOWNLOAD_DIR == BASE_DIR / "downloads":
    # Run from the source checkout, ./downloads is the code of the downloads app: never mix music in.
    DOWNLOAD_DIR = BASE_DIR / "library"
INBOX_DIR = env_path("SPOTIZERR_INBOX_DIR", "./inbox")
DATA_DIR.mkdir(parents=True, exist_ok=True)


# ---------------------------------------------------------------- core
def _secret_key() -> str:
    """The configured key, or one generated once and kept in the data dir."""
    configured = env_secret("SPOTIZERR_SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("SPOTIZERR_DEBUG", False)
CSRF_TRUSTED_ORIGINS = env_list("SPOTIZERR_CSRF_TRUSTED_ORIGINS", [])
HOST = env_str("HOST", "127.0.0.1") or "127.0.0.1"
PORT = env_int("PORT", 7171, minimum=1, maximum=65535)
PUBLIC_URL = env_url("SPOTIZERR_PUBLIC_URL", f"http://localhost:{PORT}") or ""
# Unset: loopback, PUBLIC_URL's host and a specific HOST (docs/configuration.md); never "*" by default.
ALLOWED_HOSTS = env_list("SPOTIZERR_ALLOWED_HOSTS") or default_allowed_hosts(
    public_url=PUBLIC_URL, bind_host=HOST
)

INSTALLED_APPS = [
    "accounts.apps.SpotizerrAdminConfig",  # django.contrib.admin with the throttled login
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_q",
    "channels",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.github",
    "allauth.socialaccount.providers.openid_connect",
    "spotizerr",
    "spotizerr.dashboard.apps.DashboardConfig",
    "accounts",
    "settings_app",
    "library_history",
    "downloads",
    "playlist_imports",
    "watching",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "spotizerr.middleware.SecurityHeadersMiddleware",
    "spotizerr.middleware.ApiErrorMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "spotizerr.middleware.ApiSlashMiddleware",  # before CommonMiddleware: no APPEND_SLASH redirect
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "spotizerr.middleware.ReleaseRenderedViewMiddleware",  # innermost: sees the rendered response
]

ROOT_URLCONF = "spotizerr.urls"
ASGI_APPLICATION = "spotizerr.asgi.application"
AUTH_USER_MODEL = "accounts.User"
SITE_ID = 1
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


# ---------------------------------------------------------------- database
DATABASE_URL = env_str("DATABASE_URL")
LONG_RUNNING_PROCESS = sys.argv[1:2] in (["qcluster"], ["serve"]) or "daphne" in Path(sys.argv[0]).parts
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    if LONG_RUNNING_PROCESS:
        # DRF imports django.contrib.postgres whenever psycopg is installed, which maps libpq and its
        # own OpenSSL into every process of the service (~20 MB each) for nothing on SQLite.
        sys.modules.setdefault("psycopg", None)  # type: ignore[arg-type]
    # WAL + IMMEDIATE transactions: several processes write without "database is locked".
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "spotizerr.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # Tests use a file too (one per run): workers, heartbeats and the progress stream
            # reach the database from other threads and processes, which an in-memory one cannot serve.
            "TEST": {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")},
            # The service's processes keep their connections: reopening SQLite (connect, PRAGMAs,
            # functions) cost ~2 ms of CPU each time, and django-q2's queue poller closes "old" ones
            # before every poll (20 a second). The web process runs requests on a fixed set of threads
            # (spotizerr.runtime.web_handler), so it holds at most one connection per thread.
            "CONN_MAX_AGE": None if LONG_RUNNING_PROCESS else 0,
        }
    }
    sqlite_files_make_private(DATABASES["default"]["NAME"])

# ---------------------------------------------------------------- queue and channels
REDIS_URL = env_str("REDIS_URL")
Q_SYNC = env_bool("SPOTIZERR_Q_SYNC", False)
WEB_THREADS = env_int("SPOTIZERR_WEB_THREADS", 8, minimum=1, maximum=64)
# Two by default where the kernel spreads one port's connections over several sockets (SO_REUSEPORT).
WEB_PROCESSES = env_int(
    "SPOTIZERR_WEB_PROCESSES", 2 if sys.platform.startswith("linux") else 1, minimum=1, maximum=32
)
WORKERS = env_int("SPOTIZERR_WORKERS", 2, minimum=1, maximum=64)
TASK_TIMEOUT = env_int("SPOTIZERR_TASK_TIMEOUT", 6 * 3600, minimum=60)
# Crash safety (docs/deployment.md): a lease without a heartbeat for this long is stale; every worker
# process runs the reaper this often; `serve`'s watchdog restarts a cluster that shows no sign of life
# for WATCHDOG_STALL_SECONDS while work waits.
LEASE_STALE_SECONDS = env_int("SPOTIZERR_LEASE_STALE_SECONDS", 60, minimum=2)
REAPER_INTERVAL_SECONDS = env_int("SPOTIZERR_REAPER_INTERVAL_SECONDS", 30, minimum=1)
WATCHDOG_STALL_SECONDS = env_int("SPOTIZERR_WATCHDOG_STALL_SECONDS", 900, minimum=3)
WATCHDOG_INTERVAL_SECONDS = env_int("SPOTIZERR_WATCHDOG_INTERVAL_SECONDS", 30, minimum=1)
CLUSTER_STOP_SECONDS = env_int("SPOTIZERR_CLUSTER_STOP_SECONDS", 60, minimum=1)
Q_CLUSTER: dict = {
    "name": "spotizerr",
    "workers": WORKERS,
    "timeout": TASK_TIMEOUT,
    "retry": TASK_TIMEOUT + 600,  # longer than timeout plus queueing time
    "max_attempts": 1,  # our own leases and reaper re-run lost work
    "ack_failures": True,
    "catch_up": False,
    "save_limit": 250,
    "poll": 0.05,  # ORM broker: an idle check costs ~0.1 ms; a new download starts within ~50 ms
    "sync": Q_SYNC,
    "label": "Task queue",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}
    }
else:
    Q_CLUSTER["orm"] = "default"
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

CACHES: dict[str, dict[str, Any]] = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "spotizerr_cache",
            # room enough that busy caching never culls the login-throttle counters
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    )
}

# ---------------------------------------------------------------- auth
AUTH_ENABLED = env_bool("SPOTIZERR_AUTH_ENABLED", False)
REGISTRATION_ENABLED = env_bool("SPOTIZERR_REGISTRATION_ENABLED", True)
ALLOW_OPEN_ACCESS = env_bool("SPOTIZERR_ALLOW_OPEN_ACCESS", False)
ADMIN_USERNAME = env_str("SPOTIZERR_ADMIN_USERNAME")
ADMIN_PASSWORD = env_secret("SPOTIZERR_ADMIN_PASSWORD")
SYSTEM_USERNAME = "system"
TRUSTED_PROXIES = env_list("SPOTIZERR_TRUSTED_PROXIES", [])
LOGIN_FAILURES_PER_USERNAME = env_int("SPOTIZERR_LOGIN_FAILURES_PER_USERNAME", 5, minimum=1)
LOGIN_FAILURES_PER_ADDRESS = env_int("SPOTIZERR_LOGIN_FAILURES_PER_ADDRESS", 10, minimum=1)
LOGIN_COOLOFF_SECONDS = env_int("SPOTIZERR_LOGIN_COOLOFF_SECONDS", 300, minimum=1)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.ContainsUserNameValidator"},  # what the similarity ratio lets through
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(
        minutes=env_int("SPOTIZERR_JWT_ACCESS_MINUTES", 10, minimum=1, maximum=10)
    ),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("SPOTIZERR_JWT_REFRESH_DAYS", 7, minimum=1, maximum=7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,
    "ALGORITHM": "HS256",
    "AUTH_HEADER_TYPES": ("Bearer",),
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
}

# ---------------------------------------------------------------- REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.SpotizerrAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.permissions.IsAuthenticatedUser"],
    "DEFAULT_RENDERER_CLASSES": ["spotizerr.renderers.FastJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["spotizerr.parsers.SafeJSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "spotizerr.negotiation.JsonFirstNegotiation",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "spotizerr.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Spotizerr API",
    "DESCRIPTION": "Self-hosted music library service. Errors share one shape: {error, details, code}.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OutputFormatEnum": "spotizerr.lib.formats.FORMATS",
        "DownloadTaskStatusEnum": "downloads.models.TaskStatus",
        "DownloadTypeEnum": "downloads.models.DownloadType",
        "HistoryStatusEnum": "library_history.models.HistoryStatus",
        "AlbumGroupEnum": "spotizerr.integrations.spotify.RELEASE_GROUPS",
        "WatchKindEnum": "watching.models.WatchKind",
        "ImportKindEnum": "playlist_imports.models.ImportKind",
        "MediaServerKindEnum": "settings_app.models.MediaServer.Kind",
    },
    "SWAGGER_UI_DIST": "SIDECAR",  # served by the app itself, no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# ---------------------------------------------------------------- Spotify and sources
SPOTIFY_API_URL = env_url("SPOTIZERR_SPOTIFY_API_URL", "https://api.spotify.com/v1/")
SPOTIFY_TOKEN_URL = env_url("SPOTIZERR_SPOTIFY_TOKEN_URL", "https://accounts.spotify.com/api/token")
# linked user accounts sign in at <this>/authorize and get tokens from <this>/api/token (PKCE)
SPOTIFY_ACCOUNTS_URL = env_url("SPOTIZERR_SPOTIFY_ACCOUNTS_URL", "https://accounts.spotify.com")
SPOTIFY_CLIENT_ID = env_str("SPOTIZERR_SPOTIFY_CLIENT_ID")
SPOTIFY_CLIENT_SECRET = env_secret("SPOTIZERR_SPOTIFY_CLIENT_SECRET")
SPOTIFY_CACHE_SECONDS = env_int("SPOTIZERR_SPOTIFY_CACHE_SECONDS", 300, minimum=0)
SPOTIFY_TIMEOUT_SECONDS = env_int("SPOTIZERR_SPOTIFY_TIMEOUT_SECONDS", 10, minimum=1)
SPOTIFY_RETRIES = env_int("SPOTIZERR_SPOTIFY_RETRIES", 4, minimum=0, maximum=10)  # 5xx and timeouts
SPOTIFY_RETRY_BACKOFF_MS = env_int(
    "SPOTIZERR_SPOTIFY_RETRY_BACKOFF_MS", 500, minimum=0
)  # doubles, capped at 8 s
SPOTIFY_MAX_WAIT_SECONDS = env_int("SPOTIZERR_SPOTIFY_MAX_WAIT_SECONDS", 60, minimum=0)  # longest 429 wait
DEEZER_API_URL = env_url("SPOTIZERR_DEEZER_API_URL", "https://api.deezer.com/")
IMPORT_MAX_ENTRIES = env_int("SPOTIZERR_IMPORT_MAX_ENTRIES", 10_000, minimum=1)  # per imported playlist
IMPORT_MAX_BYTES = env_int("SPOTIZERR_IMPORT_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)  # per uploaded list
IMPORT_INLINE_MAX = env_int("SPOTIZERR_IMPORT_INLINE_MAX", 50, minimum=0)  # matched before the answer
# Lists imported from a URL: private/loopback addresses only when the operator says so (SSRF risk).
IMPORT_URL_ALLOW_PRIVATE = env_bool("SPOTIZERR_IMPORT_URL_ALLOW_PRIVATE", False)
# Users' own notification targets: private/loopback hosts only when the operator says so (SSRF risk).
NOTIFY_ALLOW_PRIVATE = env_bool("SPOTIZERR_NOTIFY_ALLOW_PRIVATE", False)
IMPORT_URL_TIMEOUT_SECONDS = env_int("SPOTIZERR_IMPORT_URL_TIMEOUT_SECONDS", 20, minimum=1)
ENCRYPTION_KEYS = env_list("SPOTIZERR_ENCRYPTION_KEYS", [])


# ---------------------------------------------------------------- integrations (docs/integrations.md)
# The value "off" turns that lookup off entirely (stored as "").
LRCLIB_URL = env_service_url("SPOTIZERR_LRCLIB_URL", "https://lrclib.net/")
LRCLIB_REQUESTS_PER_SECOND = env_int("SPOTIZERR_LRCLIB_REQUESTS_PER_SECOND", 10, minimum=0, maximum=50)
LYRICS_RETRY_DAYS = env_int("SPOTIZERR_LYRICS_RETRY_DAYS", 7, minimum=1)  # a miss is asked again after
MUSICBRAINZ_URL = env_service_url("SPOTIZERR_MUSICBRAINZ_URL", "https://musicbrainz.org/")
MEDIA_SERVER_DEBOUNCE_SECONDS = env_int("SPOTIZERR_MEDIA_SERVER_DEBOUNCE_SECONDS", 30, minimum=0)
MEDIA_SERVER_RETRY_SECONDS = env_int("SPOTIZERR_MEDIA_SERVER_RETRY_SECONDS", 60, minimum=1)  # doubles
MEDIA_SERVER_POLL_SECONDS = env_int("SPOTIZERR_MEDIA_SERVER_POLL_SECONDS", 5, minimum=1)
INTEGRATION_TIMEOUT_SECONDS = env_int("SPOTIZERR_INTEGRATION_TIMEOUT_SECONDS", 10, minimum=1)
# Waits before the second and later tries of one notification (then the target is marked failed once).
NOTIFY_RETRY_DELAYS = [float(delay) for delay in env_list("SPOTIZERR_NOTIFY_RETRY_DELAYS", ["5", "30"])]

# ---------------------------------------------------------------- single sign-on (spotizerr/settings_sso.py)
# The providers configured through the environment and django-allauth's settings, in a module of their
# own: every upper-case name there is a setting of this one.
from spotizerr.settings_sso import *  # noqa: E402, F403

# ---------------------------------------------------------------- static, i18n, logging
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "staticfiles"
LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TZ", "UTC") or "UTC"
USE_I18N = True
USE_TZ = True

LOG_LEVEL = (env_str("SPOTIZERR_LOG_LEVEL", "INFO") or "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "spotipy": {"level": "CRITICAL"}},
}

# ---------------------------------------------------------------- security headers
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
BEHIND_TLS_PROXY = env_bool("SPOTIZERR_BEHIND_TLS_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SESSION_COOKIE_SECURE = BEHIND_TLS_PROXY
CSRF_COOKIE_SECURE = BEHIND_TLS_PROXY
# Behind TLS: plain-HTTP requests are redirected and browsers told to stay on HTTPS (a year by default).
SECURE_SSL_REDIRECT = env_bool("SPOTIZERR_SSL_REDIRECT", BEHIND_TLS_PROXY)
SECURE_HSTS_SECONDS = env_int("SPOTIZERR_HSTS_SECONDS", 31536000 if BEHIND_TLS_PROXY else 0, minimum=0)
# Off by default: they bind every subdomain (and, with preload, browsers' built-in lists) to HTTPS.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SPOTIZERR_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SPOTIZERR_HSTS_PRELOAD", False)
