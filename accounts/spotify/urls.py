"""``/api/spotify/account*``: the caller's linked Spotify account."""

from __future__ import annotations

from django.urls import path

from accounts.spotify import views

urlpatterns = [
    path("account", views.SpotifyAccountView.as_view(), name="spotify-account"),
    path("account/link", views.SpotifyAccountLinkView.as_view(), name="spotify-account-link"),
    path("account/callback", views.SpotifyAccountCallbackView.as_view(), name="spotify-account-callback"),
]
