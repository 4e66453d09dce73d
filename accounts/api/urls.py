from __future__ import annotations

from django.urls import include, path

from accounts.api import views

urlpatterns: list = [
    path("status", views.AuthStatusView.as_view(), name="auth-status"),
    path("login", views.AuthLoginView.as_view(), name="auth-login"),
    path("register", views.AuthRegisterView.as_view(), name="auth-register"),
    path("logout", views.AuthLogoutView.as_view(), name="auth-logout"),
    path("refresh", views.AuthRefreshView.as_view(), name="auth-refresh"),
    path("users", views.AuthUserListView.as_view(), name="auth-users"),
    # before users/<username>, so a user named "create" cannot shadow it
    path("users/create", views.AuthUserCreateView.as_view(), name="auth-users-create"),
    path("users/<str:username>", views.AuthUserDetailView.as_view(), name="auth-user"),
    path("users/<str:username>/role", views.AuthUserRoleView.as_view(), name="auth-user-role"),
    path("users/<str:username>/password", views.AuthUserPasswordView.as_view(), name="auth-user-password"),
    path("profile", views.AuthProfileView.as_view(), name="auth-profile"),
    path("profile/password", views.AuthProfilePasswordView.as_view(), name="auth-profile-password"),
    path("sso/", include("accounts.sso.urls")),
]
