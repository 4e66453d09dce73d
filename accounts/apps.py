from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Users and sign-in"

    def ready(self) -> None:
        from accounts import checks, schema  # noqa: F401  (register the system checks, the OpenAPI auth)
        from accounts.known_users import connect_signals

        connect_signals()  # every process that can change a user tells the others (accounts.known_users)


class SpotizerrAdminConfig(admin_apps.AdminConfig):
    """The Django admin, with a login form under the shared failed-login throttle.

    Listed in INSTALLED_APPS instead of ``django.contrib.admin``.
    """

    default = False  # not the default config of the accounts app
    default_site = "accounts.admin_site.ThrottledAdminSite"
