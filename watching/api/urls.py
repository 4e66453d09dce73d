"""Watch routes under ``/api/``: fixed words (list, trigger_check) before the ``<spotify_id>`` routes."""

from __future__ import annotations

from django.urls import path

from watching.api import bulk, spotify_views, views

urlpatterns = [
    path("playlist/watch/list", views.PlaylistWatchListView.as_view(), name="playlist-watch-list"),
    path(
        "playlist/watch/trigger_check",
        views.PlaylistWatchTriggerAllView.as_view(),
        name="playlist-watch-trigger-all",
    ),
    path(
        "playlist/watch/trigger_check/<str:spotify_id>",
        views.PlaylistWatchTriggerView.as_view(),
        name="playlist-watch-trigger",
    ),
    path(
        "playlist/watch/<str:spotify_id>/status",
        views.PlaylistWatchStatusView.as_view(),
        name="playlist-watch-status",
    ),
    path(
        "playlist/watch/<str:spotify_id>/tracks",
        views.PlaylistWatchTracksView.as_view(),
        name="playlist-watch-tracks",
    ),
    path("playlist/watch/<str:spotify_id>", views.PlaylistWatchView.as_view(), name="playlist-watch"),
    path("artist/watch/list", views.ArtistWatchListView.as_view(), name="artist-watch-list"),
    path("artist/watch/bulk", bulk.ArtistWatchBulkView.as_view(), name="artist-watch-bulk"),
    path(
        "artist/watch/followed", spotify_views.ArtistWatchFollowedView.as_view(), name="artist-watch-followed"
    ),
    path("spotify/me/playlists", spotify_views.SpotifyMePlaylistsView.as_view(), name="spotify-me-playlists"),
    path(
        "artist/watch/trigger_check",
        views.ArtistWatchTriggerAllView.as_view(),
        name="artist-watch-trigger-all",
    ),
    path(
        "artist/watch/trigger_check/<str:spotify_id>",
        views.ArtistWatchTriggerView.as_view(),
        name="artist-watch-trigger",
    ),
    path(
        "artist/watch/<str:spotify_id>/status",
        views.ArtistWatchStatusView.as_view(),
        name="artist-watch-status",
    ),
    path(
        "artist/watch/<str:spotify_id>/albums",
        views.ArtistWatchAlbumsView.as_view(),
        name="artist-watch-albums",
    ),
    path("artist/watch/<str:spotify_id>", views.ArtistWatchView.as_view(), name="artist-watch"),
]
