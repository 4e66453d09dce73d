"""Catalog routes under ``/api/`` (included before settings_app so ``credentials/markets`` lands here)."""

from __future__ import annotations

from django.urls import path

from spotizerr.catalog import views

urlpatterns = [
    path("track/info", views.TrackInfoView.as_view(), name="track-info"),
    path("album/info", views.AlbumInfoView.as_view(), name="album-info"),
    path("artist/info", views.ArtistInfoView.as_view(), name="artist-info"),
    path("playlist/info", views.PlaylistInfoView.as_view(), name="playlist-info"),
    path("playlist/metadata", views.PlaylistMetadataView.as_view(), name="playlist-metadata"),
    path("playlist/tracks", views.PlaylistTracksView.as_view(), name="playlist-tracks"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("credentials/markets", views.MarketsView.as_view(), name="credentials-markets"),
]
