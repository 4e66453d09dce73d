"""A small OAuth 2.0 provider on 127.0.0.1 imitating GitHub, Google and a generic OpenID Connect
provider, for single sign-on tests.

OpenID Connect (``oidc``): ``/oidc/.well-known/openid-configuration`` (discovery), ``/oidc/jwks``
(an RSA key made at start), ``/oidc/authorize`` (PKCE S256 required), ``/oidc/token`` (an RS256
``id_token`` signed with that key) and ``/oidc/userinfo``. ``oidc_down`` makes discovery answer 503.

GitHub: ``/github/login/oauth/authorize``, ``/github/login/oauth/access_token`` (form-encoded
answer unless ``Accept: application/json``, errors as ``200 error=...`` like GitHub) and
``/github-api/user`` + ``/github-api/user/emails``. Google: ``/google/auth`` (requires a PKCE
S256 challenge), ``/google/token`` (checks the verifier, returns an ``id_token``) and
``/google/userinfo`` (OpenID claims incl. ``email_verified``).

The person "at the browser" is whoever ``sign_in(provider, account)`` named. Failure switches:
``deny_consent``, ``token_failure`` (``"http_500"`` or ``"invalid_grant"``), ``profile_failure``.
Every authorize and token request is recorded for assertions.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

GOOGLE_ISSUER = "https://accounts.google.com"


@dataclass
class FakeAccount:
    """A person's account at the provider. ``uid`` is GitHub's numeric id or Google's ``sub``."""

    uid: str
    email: str | None
    email_verified: bool = True
    login: str = ""
    name: str = ""
    public_email: bool = False  # GitHub: whether /user shows the email too
    other_emails: list[tuple[str, bool]] = field(default_factory=list)  # (email, verified)


@dataclass(frozen=True)
class OAuthClient:
    client_id: str
    secret: str


@dataclass
class _Grant:
    provider: str
    account: FakeAccount
    client_id: str
    redirect_uri: str
    code_challenge: str | None


class FakeOAuthProvider:
    clients: ClassVar[dict[str, OAuthClient]] = {
        "github": OAuthClient("fake-github-client", "fake-github-secret"),
        "google": OAuthClient("fake-google-client.apps.example", "fake-google-secret"),
        "oidc": OAuthClient("fake-oidc-client", "fake-oidc-secret"),
    }

    def __init__(self) -> None:
        self.signed_in: dict[str, FakeAccount | None] = {"github": None, "google": None, "oidc": None}
        self.oidc_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.oidc_down = False
        self.deny_consent = False
        self.token_failure: str | None = None
        self.profile_failure = False
        self.google_id_token = True
        self.authorize_requests: list[dict[str, str]] = []
        self.token_requests: list[dict[str, str]] = []
        self._grants: dict[str, _Grant] = {}
        self._tokens: dict[str, tuple[str, FakeAccount]] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # ------------------------------------------------------------ lifecycle and URLs
    def start(self) -> FakeOAuthProvider:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def netloc(self) -> str:
        return urlsplit(self.base_url).netloc

    def settings_for(self) -> dict[str, str]:
        """The Spotizerr settings that point both providers at this fake."""
        return {
            "SSO_GITHUB_URL": f"{self.base_url}/github",
            "SSO_GITHUB_API_URL": f"{self.base_url}/github-api",
            "SSO_GOOGLE_AUTHORIZE_URL": f"{self.base_url}/google/auth",
            "SSO_GOOGLE_TOKEN_URL": f"{self.base_url}/google/token",
            "SSO_GOOGLE_USERINFO_URL": f"{self.base_url}/google/userinfo",
        }

    @property
    def oidc_issuer(self) -> str:
        return f"{self.base_url}/oidc"

    def oidc_discovery(self) -> dict[str, Any]:
        issuer = self.oidc_issuer
        return {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/authorize",
            "token_endpoint": f"{issuer}/token",
            "userinfo_endpoint": f"{issuer}/userinfo",
            "jwks_uri": f"{issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        }

    def oidc_jwks(self) -> dict[str, Any]:
        key = json.loads(RSAAlgorithm.to_jwk(self.oidc_key.public_key()))
        return {"keys": [{**key, "kid": "fake-oidc-key", "use": "sig", "alg": "RS256"}]}

    def oidc_id_token(self, account: FakeAccount) -> str:
        now = int(time.time())
        claims = {
            "iss": self.oidc_issuer,
            "aud": self.clients["oidc"].client_id,
            "sub": account.uid,
            "iat": now,
            "exp": now + 300,
            "preferred_username": account.login,
            **_google_claims(account),
        }
        return jwt.encode(claims, self.oidc_key, algorithm="RS256", headers={"kid": "fake-oidc-key"})

    def sign_in(self, provider: str, account: FakeAccount) -> None:
        self.signed_in[provider] = account

    # ------------------------------------------------------------ grants and tokens
    def _grant(self, provider: str, params: dict[str, str]) -> str:
        account = self.signed_in[provider]
        assert account is not None, f"nobody is signed in at the fake {provider}"
        code = secrets.token_urlsafe(16)
        with self._lock:
            self._grants[code] = _Grant(
                provider, account, params["client_id"], params["redirect_uri"], params.get("code_challenge")
            )
        return code

    def _redeem(self, provider: str, form: dict[str, str]) -> tuple[FakeAccount, str] | str:
        """The account and a new access token, or the OAuth error code."""
        with self._lock:
            grant = self._grants.pop(form.get("code", ""), None)
        client = self.clients[provider]
        if grant is None or grant.provider != provider or grant.redirect_uri != form.get("redirect_uri"):
            return "invalid_grant" if provider == "google" else "bad_verification_code"
        if form.get("client_id") != client.client_id or form.get("client_secret") != client.secret:
            return "invalid_client" if provider == "google" else "incorrect_client_credentials"
        if grant.code_challenge is not None and _s256(form.get("code_verifier", "")) != grant.code_challenge:
            return "invalid_grant"
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._tokens[token] = (provider, grant.account)
        return grant.account, token

    def _account_for(self, provider: str, authorization: str) -> FakeAccount | None:
        token = authorization.partition(" ")[2]
        with self._lock:
            found = self._tokens.get(token)
        return found[1] if found and found[0] == provider else None

    def id_token(self, account: FakeAccount) -> str:
        now = int(time.time())
        claims = {
            "iss": GOOGLE_ISSUER,
            "aud": self.clients["google"].client_id,
            "sub": account.uid,
            "iat": now,
            "exp": now + 3600,
            **_google_claims(account),
        }
        return jwt.encode(claims, "fake-google-signing-key-of-32-bytes!", algorithm="HS256")


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()


def _google_claims(account: FakeAccount) -> dict[str, Any]:
    given, _, family = account.name.partition(" ")
    return {
        "email": account.email,
        "email_verified": account.email_verified,
        "name": account.name,
        "given_name": given,
        "family_name": family,
        "picture": "https://example.invalid/avatar.png",
    }


def _github_user(account: FakeAccount) -> dict[str, Any]:
    return {
        "id": int(account.uid),
        "login": account.login,
        "name": account.name,
        "email": account.email if account.public_email else None,
        "html_url": f"https://github.example/{account.login}",
        "avatar_url": None,
    }


def _github_emails(account: FakeAccount) -> list[dict[str, Any]]:
    emails = [(account.email, account.email_verified, True)] if account.email else []
    emails += [(email, verified, False) for email, verified in account.other_emails]
    return [{"email": e, "verified": v, "primary": p, "visibility": "private"} for e, v, p in emails]


class _Handler(BaseHTTPRequestHandler):
    fake: FakeOAuthProvider

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    # ------------------------------------------------------------ routing
    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        params = dict(parse_qsl(query))
        routes = {
            "/github/login/oauth/authorize": lambda: self._authorize("github", params),
            "/google/auth": lambda: self._authorize("google", params),
            "/github-api/user": lambda: self._profile("github", _github_user),
            "/github-api/user/emails": lambda: self._profile("github", _github_emails),
            "/google/userinfo": lambda: self._profile(
                "google", lambda a: {"sub": a.uid, **_google_claims(a)}
            ),
            "/oidc/.well-known/openid-configuration": lambda: (
                self._send(503, {"error": "down"})
                if self.fake.oidc_down
                else self._send(200, self.fake.oidc_discovery())
            ),
            "/oidc/jwks": lambda: self._send(200, self.fake.oidc_jwks()),
            "/oidc/authorize": lambda: self._authorize("oidc", params),
            "/oidc/userinfo": lambda: self._profile(
                "oidc", lambda a: {"sub": a.uid, "preferred_username": a.login, **_google_claims(a)}
            ),
        }
        routes.get(path, lambda: self._send(404, {"message": "Not Found"}))()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = dict(parse_qsl(self.rfile.read(length).decode()))
        self.fake.token_requests.append(form)
        if self.path == "/github/login/oauth/access_token":
            self._github_token(form)
        elif self.path == "/google/token":
            self._google_token(form)
        elif self.path == "/oidc/token":
            self._oidc_token(form)
        else:
            self._send(404, {"message": "Not Found"})

    # ------------------------------------------------------------ endpoints
    def _authorize(self, provider: str, params: dict[str, str]) -> None:
        self.fake.authorize_requests.append({"provider": provider, **params})
        client = self.fake.clients[provider]
        if params.get("client_id") != client.client_id or not params.get("redirect_uri"):
            self._send(
                400, {"error": "invalid_request", "error_description": "unknown client or no redirect_uri"}
            )
            return
        if provider in ("google", "oidc") and params.get("code_challenge_method") != "S256":
            self._send(400, {"error": "invalid_request", "error_description": "PKCE S256 required"})
            return
        answer = {"state": params.get("state", "")}
        if self.fake.deny_consent:
            answer.update(
                error="access_denied", error_description="The user has denied your application access."
            )
        else:
            answer["code"] = self.fake._grant(provider, params)
        self._redirect(f"{params['redirect_uri']}?{urlencode(answer)}")

    def _github_token(self, form: dict[str, str]) -> None:
        if self.fake.token_failure == "http_500":
            self._send(500, {"message": "Server Error"})
            return
        result = self.fake._redeem("github", form)
        if self.fake.token_failure == "invalid_grant":
            result = "bad_verification_code"
        body = (
            {"error": result}
            if isinstance(result, str)
            else {"access_token": result[1], "scope": "read:user,user:email", "token_type": "bearer"}
        )
        if "json" in (self.headers.get("Accept") or ""):
            self._send(200, body)
        else:
            self._send_raw(200, urlencode(body).encode(), "application/x-www-form-urlencoded; charset=utf-8")

    def _google_token(self, form: dict[str, str]) -> None:
        if self.fake.token_failure == "http_500":
            self._send(500, {"error": "internal_failure"})
            return
        result = self.fake._redeem("google", form)
        if self.fake.token_failure == "invalid_grant":
            result = "invalid_grant"
        if isinstance(result, str):
            self._send(400, {"error": result, "error_description": "Bad Request"})
            return
        account, token = result
        body: dict[str, Any] = {
            "access_token": token,
            "expires_in": 3599,
            "token_type": "Bearer",
            "scope": "openid email profile",
        }
        if self.fake.google_id_token:
            body["id_token"] = self.fake.id_token(account)
        self._send(200, body)

    def _oidc_token(self, form: dict[str, str]) -> None:
        if self.fake.token_failure == "http_500":
            self._send(500, {"error": "server_error"})
            return
        result = self.fake._redeem("oidc", form)
        if isinstance(result, str):
            self._send(400, {"error": result})
            return
        account, token = result
        body = {"access_token": token, "token_type": "Bearer", "expires_in": 300}
        self._send(200, {**body, "id_token": self.fake.oidc_id_token(account)})

    def _profile(self, provider: str, render: Any) -> None:
        if self.fake.profile_failure:
            self._send(500, {"message": "Server Error"})
            return
        account = self.fake._account_for(provider, self.headers.get("Authorization") or "")
        if account is None:
            self._send(401, {"message": "Bad credentials"})
            return
        self._send(200, render(account))

    # ------------------------------------------------------------ responses
    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: int, body: Any) -> None:
        self._send_raw(status, json.dumps(body).encode(), "application/json; charset=utf-8")

    def _send_raw(self, status: int, data: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
