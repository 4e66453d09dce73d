"""Named serializers of ``/api/spotify/account*`` (stable names for generated clients)."""

from __future__ import annotations

from rest_framework import serializers


class SpotifyUserSerializer(serializers.Serializer):
    id = serializers.CharField()
    display_name = serializers.CharField()


class SpotifyAccountSerializer(serializers.Serializer):
    linked = serializers.BooleanField()
    spotify_user = SpotifyUserSerializer(allow_null=True)
    scopes = serializers.ListField(child=serializers.CharField())
    linked_at = serializers.DateTimeField(allow_null=True)
    redirect_uri = serializers.CharField(help_text="The redirect URI to register in the Spotify app.")
    redirect_direct = serializers.BooleanField(
        help_text="False when SPOTIZERR_PUBLIC_URL cannot be the redirect (plain http on a non-loopback "
        "host): the loopback address is used and the user pastes back the address Spotify sent them to."
    )


class SpotifyLinkResponseSerializer(serializers.Serializer):
    authorize_url = serializers.URLField()


class SpotifyCallbackQuerySerializer(serializers.Serializer):
    code = serializers.CharField(required=False, allow_blank=True, default="")
    state = serializers.CharField(required=False, allow_blank=True, default="")
    error = serializers.CharField(required=False, allow_blank=True, default="")


class SpotifyUnlinkResponseSerializer(serializers.Serializer):
    linked = serializers.BooleanField()
    message = serializers.CharField()
