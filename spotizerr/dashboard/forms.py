"""Django forms of the account and credential pages, and how a service's error lands on them.

The forms only collect text; every rule (password strength, taken names, roles, masked secrets)
is the services', and their ``BadRequest`` details ``{field: [message]}`` come back next to the
field in the API's words.
"""

from __future__ import annotations

from typing import Any

from django import forms

from accounts.models import User
from settings_app.models import Credential
from spotizerr.errors import ApiError


def apply_api_error(form: forms.Form, error: ApiError) -> None:
    """Put ``error`` on ``form``: each detail under its field, the rest at the top of the form."""
    details = error.details if isinstance(error.details, dict) else {}
    placed = False
    for name, messages in details.items():
        texts = [str(message) for message in (messages if isinstance(messages, list) else [messages])]
        if name in form.fields:
            for text in texts:
                form.add_error(name, text)
            placed = True
        elif name != "retry_after":
            form.add_error(None, "; ".join(f"{name}: {text}" for text in texts))
            placed = True
    if not placed or error.message not in {"Invalid input.", "Invalid credential set."}:
        form.add_error(None, error.message)


class LoginForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        label="User name",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class RegisterForm(forms.Form):
    username = forms.CharField(
        max_length=150, label="User name", widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    email = forms.EmailField(required=False, label="Email (optional)", max_length=254)
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


class PasswordChangeForm(forms.Form):
    current_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label="New password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


class UserCreateForm(forms.Form):
    username = forms.CharField(max_length=150, label="User name")
    email = forms.EmailField(required=False, label="Email (optional)", max_length=254)
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    role = forms.ChoiceField(choices=User.Role.choices, initial=User.Role.USER, label="Role")


class PasswordResetForm(forms.Form):
    new_password = forms.CharField(
        label="New password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


class CredentialCreateForm(forms.Form):
    service = forms.ChoiceField(
        choices=Credential.Service.choices,
        label="Service",
        help_text="Spotify: the catalog (search, albums, artists, playlists) and every tag. "
        "Deezer: kept for the original web UI; no built-in source needs it.",
    )
    name = forms.CharField(
        label="Name",
        strip=False,
        help_text="Your own label for this set, e.g. “home”. Several sets can be stored; one is active.",
    )
    client_id = forms.CharField(label="Client id", strip=False)
    client_secret = forms.CharField(
        label="Client secret",
        strip=False,
        # shown again only on this admin's own page after a Test, so the secret need not be typed twice
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}, render_value=True),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("name", "client_id", "client_secret"):  # empty values get the service's own message
            self.fields[name].required = False


class CredentialUpdateForm(forms.Form):
    client_id = forms.CharField(label="Client id", strip=False, required=False)
    client_secret = forms.CharField(
        label="New client secret (empty keeps the stored one)",
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
