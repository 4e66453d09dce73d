"""Users in the Django admin. Role and active state change only through actions that call the
services (with their guards and token revocation); password changes revoke tokens too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts import selectors, services
from accounts.current import request_user
from accounts.models import User
from spotizerr.errors import ApiError


class RevokingPasswordChangeForm(AdminPasswordChangeForm):
    """Django's admin password form; saving also ends every session of the user."""

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=commit)
        if commit:
            services.user_revoke_tokens(user=user)
        return user


def _apply(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[User],
    change: Callable[[User], Any],
    done: str,
) -> None:
    changed = 0
    for user in queryset:
        try:
            change(user)
            changed += 1
        except ApiError as exc:
            modeladmin.message_user(request, f"{user.username}: {exc.message}", messages.ERROR)
    if changed:
        modeladmin.message_user(request, f"{done}: {changed} user(s).", messages.SUCCESS)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    change_password_form = RevokingPasswordChangeForm
    list_display = ("username", "email", "role", "is_active", "sso_provider", "created_at", "last_login")
    list_filter = ("role", "is_active", "sso_provider")
    ordering = ("username",)
    readonly_fields = (
        "role",
        "is_active",
        "sso_provider",
        "is_system",
        "token_version",
        "created_at",
        "last_login",
        "date_joined",
    )
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Profile", {"fields": ("email", "first_name", "last_name")}),
        (
            "Access (change with the actions on the user list)",
            {"fields": ("role", "is_active", "sso_provider", "is_system", "token_version")},
        ),
        ("Dates", {"fields": ("created_at", "last_login", "date_joined")}),
    )
    actions = ["make_admin", "make_user", "deactivate", "activate", "revoke_tokens", "delete_users"]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # replaced by delete_users, which keeps the guards
        return actions

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if obj is not None and (obj.pk == request.user.pk or obj.is_system):
            return False
        if obj is not None and obj.is_admin and selectors.admin_count(exclude=obj) == 0:
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        services.user_delete(actor=request_user(request), user=obj)

    @admin.action(description="Make admin")
    def make_admin(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        _apply(
            self,
            request,
            queryset,
            lambda u: services.user_set_role(actor=request_user(request), user=u, role=User.Role.ADMIN),
            "Made admin",
        )

    @admin.action(description="Make ordinary user")
    def make_user(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        _apply(
            self,
            request,
            queryset,
            lambda u: services.user_set_role(actor=request_user(request), user=u, role=User.Role.USER),
            "Made user",
        )

    @admin.action(description="Deactivate (ends their sessions)")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        _apply(
            self,
            request,
            queryset,
            lambda u: services.user_set_active(actor=request_user(request), user=u, active=False),
            "Deactivated",
        )

    @admin.action(description="Activate")
    def activate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        _apply(
            self,
            request,
            queryset,
            lambda u: services.user_set_active(actor=request_user(request), user=u, active=True),
            "Activated",
        )

    @admin.action(description="Log out everywhere (revoke tokens)")
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        _apply(self, request, queryset, lambda u: services.user_revoke_tokens(user=u), "Revoked tokens")

    @admin.action(description="Delete selected users", permissions=["delete"])
    def delete_users(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        _apply(
            self,
            request,
            queryset,
            lambda u: services.user_delete(actor=request_user(request), user=u),
            "Deleted",
        )


# Tables the operator never needs to touch, hidden from the admin's index. accounts is listed after
# django.contrib.sites, simplejwt's blacklist and allauth in INSTALLED_APPS, so they are registered by now.
INTERNAL_MODELS = (
    "sites.Site",  # one row, written by migrations
    "token_blacklist.OutstandingToken",  # kept by the login services; nothing to edit by hand
    "token_blacklist.BlacklistedToken",
    "account.EmailAddress",  # e-mail lives on the user; no allauth sign-up or verification
    "socialaccount.SocialApp",  # providers are configured from the environment
)


def _hide_internal_models() -> None:
    from django.apps import apps

    for label in INTERNAL_MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_hide_internal_models()
