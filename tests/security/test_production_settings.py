"""The production settings of docs/deployment.md pass Django's deployment checks, and every response,
API or dashboard, carries the browser protection headers."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

DEPLOYMENT_DOC = Path(django_settings.BASE_DIR) / "docs" / "deployment.md"


def documented_production_env() -> dict[str, str]:
    """The variables of the ``sh`` block under "Production behind a TLS proxy" in docs/deployment.md."""
    text = DEPLOYMENT_DOC.read_text(encoding="utf-8")
    section = text.split("## Production behind a TLS proxy", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)
    env = {}
    for line in block.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, value = line.partition("=")
            env[name] = value
    return env


def _manage(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {
        k: v for k, v in os.environ.items() if not k.startswith(("SPOTIZERR_", "DATABASE_URL", "REDIS_URL"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=django_settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def production_env(tmp_path: Path) -> dict[str, str]:
    env = documented_production_env()
    secret_file = tmp_path / "secret_key"
    secret_file.write_text("x7" * 30 + "-production-secret-key-for-the-test", encoding="utf-8")
    env["SPOTIZERR_SECRET_KEY_FILE"] = str(secret_file)
    env["SPOTIZERR_DATA_DIR"] = str(tmp_path / "data")
    return env


def test_the_documented_production_settings_are_complete() -> None:
    env = documented_production_env()
    assert env["SPOTIZERR_AUTH_ENABLED"] == "true" and env["SPOTIZERR_BEHIND_TLS_PROXY"] == "true"


def test_check_deploy_passes_with_the_documented_production_settings(production_env) -> None:
    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], production_env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_when_the_tls_switches_are_left_out(production_env) -> None:
    """The control: the same command does fail when HTTPS settings are missing."""
    production_env["SPOTIZERR_BEHIND_TLS_PROXY"] = "false"
    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], production_env)
    assert result.returncode != 0 and "security.W008" in result.stderr


# ---------------------------------------------------------------------------------------------- headers
PAGES = [
    "/api/auth/status",
    "/api/schema/",
    "/api/docs/",
    "/api/no-such-endpoint",
    "/api/config/",
    "/admin/login/",
    "/",
    "/login/",
    "/history/",
    "/no-such-page/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("auth", ["auth_on", "auth_off"])
@pytest.mark.parametrize("url", PAGES)
def test_every_response_carries_the_protection_headers(url, auth, request) -> None:
    request.getfixturevalue(auth)
    response = Client().get(url)
    csp = response.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, (response.status_code, csp)
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";")[0]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_dashboard_pages_exist_to_carry_them(auth_on) -> None:
    assert Client().get("/login/").status_code == 200


@pytest.mark.django_db
def test_behind_a_tls_proxy_https_responses_carry_hsts(settings) -> None:
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    response = Client().get("/api/auth/status", HTTP_X_FORWARDED_PROTO="https")
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
def test_behind_a_tls_proxy_plain_http_is_redirected(settings) -> None:
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/api/auth/status", HTTP_X_FORWARDED_PROTO="http")
    assert response.status_code == 301 and response["Location"].startswith("https://")


@pytest.mark.django_db
def test_the_session_cookie_is_http_only_and_same_site(admin_user) -> None:
    from tests.conftest import PASSWORD

    client = Client()
    client.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
