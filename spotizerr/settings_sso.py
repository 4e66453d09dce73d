"""Single sign-on settings, star-imported by ``spotizerr.settings`` (every upper-case name here is a
Django setting): the providers configured through the environment and django-allauth's configuration."""

from __future__ import annotations

from spotizerr.env import env_bool, env_oidc_providers, env_secret, env_str, env_url

# ---------------------------------------------------------------- single sign-on
SSO_ENABLED = env_bool("SPOTIZERR_SSO_ENABLED", True)
GOOGLE_CLIENT_ID = env_str("SPOTIZERR_GOOGLE_CLIENT_ID")
GOOGLE_CLIENT_SECRET = env_secret("SPOTIZERR_GOOGLE_CLIENT_SECRET")
GITHUB_CLIENT_ID = env_str("SPOTIZERR_GITHUB_CLIENT_ID")
GITHUB_CLIENT_SECRET = env_secret("SPOTIZERR_GITHUB_CLIENT_SECRET")
# Any number of OpenID Connect providers (Authentik, Keycloak, PocketID...): SPOTIZERR_OIDC_<NAME>_*
OIDC_PROVIDERS = env_oidc_providers()
#: providers with both id and secret set (empty when SSO is off)
SSO_PROVIDERS = [
    name
    for name, configured in (
        ("google", bool(GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET)),
        ("github", bool(GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET)),
        *((provider["name"], True) for provider in OIDC_PROVIDERS),
    )
    if SSO_ENABLED and configured
]

# ---------------------------------------------------------------- single sign-on: django-allauth
# Our own views (accounts/sso) drive the flow; allauth supplies providers, state, PKCE and links.
# The provider endpoints are settings so GitHub Enterprise (or a test's fake provider) can be used.
SSO_GITHUB_URL = env_url("SPOTIZERR_SSO_GITHUB_URL", "https://github.com") or ""
SSO_GITHUB_API_URL = env_url("SPOTIZERR_SSO_GITHUB_API_URL", "https://api.github.com") or ""
SSO_GOOGLE_AUTHORIZE_URL = (
    env_url("SPOTIZERR_SSO_GOOGLE_AUTHORIZE_URL", "https://accounts.google.com/o/oauth2/v2/auth") or ""
)
SSO_GOOGLE_TOKEN_URL = env_url("SPOTIZERR_SSO_GOOGLE_TOKEN_URL", "https://oauth2.googleapis.com/token") or ""
SSO_GOOGLE_USERINFO_URL = (
    env_url("SPOTIZERR_SSO_GOOGLE_USERINFO_URL", "https://openidconnect.googleapis.com/v1/userinfo") or ""
)
SOCIALACCOUNT_PROVIDERS: dict = {
    "google": {
        "SCOPE": ["openid", "profile", "email"],
        "OAUTH_PKCE_ENABLED": True,
        "AUTH_PARAMS": {"prompt": "select_account"},
    },
    "github": {"SCOPE": ["read:user", "user:email"]},  # GitHub OAuth apps do not support PKCE
    "openid_connect": {
        "SCOPE": ["openid", "profile", "email"],
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": provider["name"],
                "name": provider["display_name"],
                "client_id": provider["client_id"],
                "secret": provider["secret"],
                "settings": {"server_url": provider["issuer"].rstrip("/")},
            }
            for provider in OIDC_PROVIDERS
        ],
    },
}
if "google" in SSO_PROVIDERS:
    SOCIALACCOUNT_PROVIDERS["google"]["APP"] = {"client_id": GOOGLE_CLIENT_ID, "secret": GOOGLE_CLIENT_SECRET}
if "github" in SSO_PROVIDERS:
    SOCIALACCOUNT_PROVIDERS["github"]["APP"] = {"client_id": GITHUB_CLIENT_ID, "secret": GITHUB_CLIENT_SECRET}
SOCIALACCOUNT_ADAPTER = "accounts.sso.adapter.SpotizerrSocialAccountAdapter"
SOCIALACCOUNT_STORE_TOKENS = True
SOCIALACCOUNT_QUERY_EMAIL = True
# allauth's names for the rule accounts/sso/services.py applies: a verified email links the user
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
SOCIALACCOUNT_ONLY = True  # no allauth password/signup pages: passwords live in /api/auth
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_USERNAME_BLACKLIST = ["system", "admin", "root"]
