from __future__ import annotations

from django.urls import include, path

urlpatterns: list = [
    path("sso/", include("accounts.sso.urls")),
]
