"""Django admin for credential sets (secrets shown masked, written through the services) and a
read-only view of the stored configuration (changes go through the validated API)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from settings_app import services
from settings_app.models import ConfigSection, Credential
from spotizerr.errors import ApiError


class CredentialForm(forms.ModelForm):
    client_secret = forms.CharField(
        required=False,
        strip=True,
        max_length=1000,
        widget=forms.PasswordInput(render_value=False),
        help_text="Stored encrypted and never shown again. Leave empty to keep the current secret.",
    )

    class Meta:
        model = Credential
        fields = ["service", "name", "client_id"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk is None and not cleaned.get("client_secret"):
            self.add_error("client_secret", "A new credential set needs a client secret.")
        return cleaned


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    form = CredentialForm
    list_display = ["service", "name", "client_id", "secret", "updated_at"]
    list_filter = ["service"]
    search_fields = ["name", "client_id"]

    @admin.display(description="client secret")
    def secret(self, credential: Credential) -> str:
        return credential.masked_secret

    def get_readonly_fields(self, request: HttpRequest, obj: Credential | None = None) -> list[str]:
        return ["service", "name", "secret"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Credential, form: forms.Form, change: bool) -> None:
        secret = form.cleaned_data.get("client_secret") or None
        try:
            if change:
                saved = services.credential_update(
                    service=obj.service, name=obj.name, client_id=obj.client_id, client_secret=secret
                )
            else:
                saved = services.credential_create(
                    service=obj.service, name=obj.name, client_id=obj.client_id, client_secret=secret or ""
                )
        except ApiError as exc:  # a race with another writer; the form already checked the rest
            raise forms.ValidationError(exc.message) from exc
        obj.pk, obj.client_secret_encrypted = saved.pk, saved.client_secret_encrypted

    def delete_model(self, request: HttpRequest, obj: Credential) -> None:
        services.credential_delete(service=obj.service, name=obj.name)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for credential in list(queryset):
            services.credential_delete(service=credential.service, name=credential.name)


@admin.register(ConfigSection)
class ConfigSectionAdmin(admin.ModelAdmin):
    list_display = ["name", "updated_at"]
    readonly_fields = ["name", "values", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ConfigSection | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ConfigSection | None = None) -> bool:
        return False
