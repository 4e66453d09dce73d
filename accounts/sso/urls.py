from __future__ import annotations

from django.urls import path

from accounts.sso import views

urlpatterns: list = [
    path("status", views.SsoStatusView.as_view(), name="sso-status"),
    path("login/<str:provider>", views.SsoLoginView.as_view(), name="sso-login"),
    path("callback/<str:provider>", views.SsoCallbackView.as_view(), name="sso-callback"),
    path("token", views.SsoTokenView.as_view(), name="sso-token"),
    path("unlink/<str:provider>", views.SsoUnlinkView.as_view(), name="sso-unlink"),
]
