"""The pipeline's two hooks for outside services: ``Enrich`` before tagging (lyrics and genres go
into the same tag write) and ``WriteSidecar`` after the file is placed (the ``.lrc`` file)."""

from __future__ import annotations

from downloads.extras import lyrics as lyrics_service
from downloads.extras.genres import genres_for
from downloads.pipeline.context import TrackContext
from downloads.pipeline.step import Step
from spotizerr.integrations.lyrics.transport import TrackQuery


class Enrich(Step):
    """Look up lyrics (and genres) for the track; never fails it."""

    name = "enrich"

    def run(self, ctx: TrackContext) -> None:
        mode = ctx.settings.lyrics
        if mode != "off" and lyrics_service.lyrics_enabled() and not ctx.is_preview:
            track = ctx.track
            query = TrackQuery(
                title=track.name,
                artist=track.artist_names[0] if track.artist_names else "",
                album=ctx.album.name if ctx.album is not None else track.album.name,
                duration_s=(track.duration_ms or 0) / 1000,
            )
            key = track.id or (track.isrc or "").upper()
            ctx.lyrics_status, ctx.lyrics = lyrics_service.lyrics_lookup(track_key=key, query=query)
        genres = ctx.settings.genres
        if genres != "off":
            ctx.genres = genres_for(ctx.track, ctx.album, mode=genres, limit=ctx.settings.genres_max)


class WriteSidecar(Step):
    """The synced lyrics as a ``.lrc`` file next to the placed track."""

    name = "sidecar"

    def run(self, ctx: TrackContext) -> None:
        mode = ctx.settings.lyrics
        found = ctx.lyrics
        if found is None or not found.synced or ctx.final_path is None or not lyrics_service.wants_lrc(mode):
            return
        lyrics_service.lrc_sidecar_write(ctx.final_path, found.synced, root=ctx.root)
