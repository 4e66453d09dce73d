"""The steps one track goes through, in order (``TRACK_STEPS``). Each step has ``setup``, ``run`` and
``cleanup``; a step ends the track early by setting ``ctx.outcome`` (e.g. ``Outcome.SKIPPED``), fails it by
raising ``TrackFailure``, and must stop when ``ctx.cancel`` fires (``Cancelled``)."""

from __future__ import annotations

import logging
import shutil
from functools import lru_cache
from pathlib import Path

from downloads import library_index, upgrades
from downloads.extras.steps import Enrich, WriteSidecar
from downloads.models import DownloadTask, LibraryFile
from downloads.pipeline import audio
from downloads.pipeline.context import ExistingFile, Outcome, TrackContext
from downloads.pipeline.failure import TrackFailure
from downloads.pipeline.step import Step
from downloads.sources.base import Candidate, SourceError
from downloads.tag_reading import audio_bitrate_kbps, read_tags
from downloads.tagging import PREVIEW_COMMENT, TagData, TaggingError, write_tags
from spotizerr.integrations.spotify import SpotifyError, get_spotify_client
from spotizerr.lib import atomic
from spotizerr.lib.cancel import Cancelled
from spotizerr.lib.naming import NamingOptions, TrackNaming, render_relative_path
from spotizerr.lib.safe_fetch import FetchError, fetch_image
from spotizerr.lib.safe_paths import UnsafePathError, find_free_path, library_file_path

logger = logging.getLogger(__name__)

COVER_FILE_NAME = "cover.jpg"
_JPEG, _PNG = b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n"
_PLACE_ATTEMPTS = 50


class Resolve(Step):
    """Complete the catalog data: album listings carry no ISRC (needed to match files and previews),
    and tracks of playlists come without the album's label, UPC, genres, copyrights and disc count."""

    name = "resolve"

    def run(self, ctx: TrackContext) -> None:
        try:
            if not ctx.track.isrc:
                ctx.track = get_spotify_client().track(ctx.track.id)
            if ctx.album is None and ctx.track.album.id:
                ctx.album = get_spotify_client().album(ctx.track.album.id)
        except SpotifyError as error:
            if not error.permanent:
                raise TrackFailure(f"Spotify did not answer: {error.message}", permanent=False) from error
            ctx.notes.append(f"catalog details unavailable: {error.message}")


class CheckLibrary(Step):
    """Skip tracks the library already has (same Spotify id or ISRC) and explicit ones when filtered.

    A file that appeared after the task started, found on a second claim of the track, is this
    track's own: its first worker placed and indexed it, then died before marking the track done.
    The track is then done with that file, not skipped."""

    name = "check"

    def run(self, ctx: TrackContext) -> None:
        if ctx.settings.explicit_filter and ctx.track.explicit:
            ctx.outcome, ctx.reason = Outcome.SKIPPED, "Explicit track skipped (explicit filter is on)."
            return
        owner = ctx.owner if ctx.settings.separate_tracks_by_user else None
        found = library_index.library_file_find(
            spotify_id=ctx.track.id, isrc=ctx.track.isrc, root=str(ctx.root), owner=owner
        )
        if found is not None:
            kind = upgrades.upgrade_kind(found, ctx.settings)
            if kind:  # a better file may replace it: Acquire looks for one, else the track is skipped
                ctx.replaces, ctx.upgrade = found, kind
                return
            made_by_an_earlier_claim = (
                ctx.job.attempts > 1
                and ctx.task.started_at is not None
                and found.created_at >= ctx.task.started_at
            )
            ctx.outcome, ctx.reason = (
                (Outcome.DONE, "")
                if made_by_an_earlier_claim
                else (Outcome.SKIPPED, "Already in the library.")
            )
            _keep_existing(ctx, found)


def _keep_existing(ctx: TrackContext, found: LibraryFile) -> None:
    ctx.relative_path, ctx.size_bytes = found.relative_path, found.size_bytes
    ctx.quality = found.quality
    ctx.candidate = ExistingFile(source=found.source, is_preview=found.is_preview)


class Acquire(Step):
    """Ask each configured source in turn; fetch from the first that has the track."""

    name = "acquire"

    def run(self, ctx: TrackContext) -> None:
        from downloads.sources.registry import sources_for

        problems: list[str] = []
        transient = False
        retry_after: float | None = None
        for source in sources_for(ctx.config):
            ctx.cancel.raise_if_cancelled()
            name = source.info.name
            try:
                candidate = source.find(ctx.track, config=ctx.config)
                if candidate is None or not upgrades.candidate_upgrades(ctx.upgrade, candidate):
                    problems.append(f"{name}: not found")
                    continue
                path = source.fetch(candidate, ctx.work_dir, config=ctx.config, cancel=ctx.cancel)
            except SourceError as error:
                problems.append(f"{name}: {error.reason}")
                transient = transient or not error.permanent
                retry_after = max(retry_after or 0.0, error.retry_after or 0.0) or retry_after
                continue
            ctx.source, ctx.candidate, ctx.audio_path = source, candidate, path
            ctx.quality = str(candidate.quality or "")
            return
        detail = "; ".join(problems) or "no source is configured"
        if ctx.replaces is not None and not transient:  # no better file: keep the copy we have
            ctx.outcome, ctx.reason = Outcome.SKIPPED, "Already in the library."
            _keep_existing(ctx, ctx.replaces)
            return
        if transient:
            raise TrackFailure(
                f"No source could deliver the track right now ({detail}).",
                permanent=False,
                retry_after=retry_after,
            )
        raise TrackFailure(f"No source has this track ({detail}).", permanent=True, not_found=True)


class Verify(Step):
    """Decode the fetched file once and refuse it unless it is playable audio (``pipeline.audio``)."""

    name = "verify"

    def run(self, ctx: TrackContext) -> None:
        audio.verify(ctx)


class Convert(Step):
    """Convert to ``convertTo`` at ``bitrate`` when a format is configured (``pipeline.audio``)."""

    name = "convert"

    def run(self, ctx: TrackContext) -> None:
        audio.convert(ctx)


@lru_cache(maxsize=16)
def _cover_bytes(url: str) -> bytes:
    return fetch_image(url)


class Tag(Step):
    """Write title, artists, album, numbers, ISRC, label, the cover, and a preview label."""

    name = "tag"

    def run(self, ctx: TrackContext) -> None:
        ctx.cover = self._cover(ctx)
        embeddable = ctx.cover if ctx.cover and ctx.cover.startswith((_JPEG, _PNG)) else None
        tags = TagData.from_track(
            ctx.track,
            ctx.album,
            artist_separator=ctx.settings.artist_separator,
            cover=embeddable,
            comment=PREVIEW_COMMENT if ctx.is_preview else "",
        )
        if ctx.lyrics is not None and ctx.settings.lyrics in ("embed", "both"):
            tags.lyrics = ctx.lyrics.unsynced
        tags.genres = ctx.genres if ctx.settings.genres != "off" else []
        try:
            # hardlink mode: the work file may be the user's inbox original under a second name
            assert ctx.audio_path is not None  # the fetch step set it
            atomic.make_private(ctx.audio_path)
            write_tags(ctx.audio_path, tags)
        except UnsafePathError as error:
            raise TrackFailure(
                f"The file from {ctx.source_name} was refused: {error}", permanent=True
            ) from error
        except TaggingError as error:
            raise TrackFailure(
                f"The file from {ctx.source_name} could not be tagged: {error}", permanent=True
            ) from error

    @staticmethod
    def _cover(ctx: TrackContext) -> bytes | None:
        images = (ctx.album.images if ctx.album is not None else ()) or ctx.track.album.images
        if not images:
            return None
        best = max(images, key=lambda image: (image.width or 0) * (image.height or 0))
        try:
            return _cover_bytes(best.url)
        except FetchError as error:
            ctx.notes.append(f"no cover: {error.reason}")
            return None


class Place(Step):
    """Move the finished file into the library under its rendered name, and save the album cover."""

    name = "place"

    def run(self, ctx: TrackContext) -> None:
        assert ctx.audio_path is not None
        playlist = ctx.playlist
        naming = TrackNaming.from_track(
            ctx.track,
            ctx.album,
            playlist_name=playlist.name if playlist else None,
            playlist_position=playlist.position if playlist else None,
            playlist_total=playlist.total if playlist else None,
            quality=ctx.quality,
        )
        options = NamingOptions.from_config(ctx.config, ctx.owner.username)
        try:
            target = library_file_path(ctx.root, render_relative_path(naming, options), ctx.audio_path.suffix)
        except UnsafePathError as error:
            raise TrackFailure(f"The library path is not safe: {error}", permanent=True) from error
        # last chance: after the move the track is in the library. The token is set by a watch that
        # polls; the database says at once whether a cancel was asked for meanwhile.
        ctx.cancel.raise_if_cancelled()
        if DownloadTask.objects.filter(pk=ctx.task.pk, cancel_requested=True).exists():
            raise Cancelled()
        ctx.final_path = self._move(ctx, target)
        ctx.relative_path = ctx.final_path.relative_to(ctx.root.resolve()).as_posix()
        ctx.size_bytes = ctx.final_path.stat().st_size
        if ctx.settings.save_cover and ctx.cover and ctx.cover.startswith(_JPEG):
            self._save_cover(ctx, ctx.final_path.parent / COVER_FILE_NAME)

    @staticmethod
    def _move(ctx: TrackContext, target: Path) -> Path:
        target = _same_track_or_free(ctx, target)
        assert ctx.audio_path is not None  # the fetch step set it
        for _ in range(_PLACE_ATTEMPTS):
            try:
                return atomic.atomic_move(
                    ctx.audio_path, target, root=ctx.root, replace=_is_same_track(ctx, target)
                )
            except FileExistsError:  # a distinct track took the name meanwhile
                target = find_free_path(target)
            except UnsafePathError as error:
                raise TrackFailure(f"The library path is not safe: {error}", permanent=True) from error
        raise TrackFailure("Could not find a free file name in the library.", permanent=False)

    @staticmethod
    def _save_cover(ctx: TrackContext, path: Path) -> None:
        if path.exists():  # the album's first track wrote it: spare each later one a synced write
            return
        assert ctx.cover is not None  # the caller checked
        try:
            atomic.atomic_write_bytes(ctx.cover, path, root=ctx.root, replace=False)
        except FileExistsError:
            pass


def _is_same_track(ctx: TrackContext, path: Path) -> bool:
    """True when ``path`` holds this very track (e.g. written before a crash, never indexed)."""
    try:
        existing = read_tags(path)
    except (TaggingError, OSError):
        return False
    return bool(
        existing.get("url") == ctx.track.url or (ctx.track.isrc and existing.get("isrc") == ctx.track.isrc)
    )


def _same_track_or_free(ctx: TrackContext, target: Path) -> Path:
    if not target.exists() or _is_same_track(ctx, target):
        return target
    return find_free_path(target)


class Record(Step):
    """Index the new file and tell the source it is safely in the library."""

    name = "record"

    def run(self, ctx: TrackContext) -> None:
        LibraryFile.objects.update_or_create(
            library_root=str(ctx.root),
            relative_path=ctx.relative_path,
            defaults={
                "spotify_id": ctx.track.id,
                "isrc": (ctx.track.isrc or "").upper(),
                "owner": ctx.owner,
                "size_bytes": ctx.size_bytes,
                "source": ctx.source_name,
                "quality": ctx.quality,
                "is_preview": ctx.is_preview,
                "format": Path(ctx.relative_path).suffix.lstrip(".").lower()[:16],
                "bitrate": _bitrate(ctx),
                "album_id": ((ctx.album.id if ctx.album is not None else None) or ctx.track.album.id or "")[
                    :64
                ],
            },
        )
        ctx.outcome = Outcome.DONE
        upgrades.upgrade_finish(ctx)
        if not ctx.is_preview:
            from downloads.fulfilment import wanted_landed

            wanted_landed(ctx)
        self._commit_source(ctx)

    @staticmethod
    def _commit_source(ctx: TrackContext) -> None:
        from downloads.sources.base import SourceError

        assert ctx.source is not None and isinstance(ctx.candidate, Candidate)  # set by Acquire
        try:
            ctx.source.commit(ctx.candidate, config=ctx.config)
        except SourceError as error:  # the file is safe in the library; only the source's upkeep failed
            logger.warning(
                "Source %s could not finish up after %s: %s", ctx.source_name, ctx.track.id, error.reason
            )


def _bitrate(ctx: TrackContext) -> int:
    """The placed file's bitrate in kbit/s (0 lossless or unknown), read from the stream itself."""
    try:
        return audio_bitrate_kbps(ctx.final_path or ctx.root / ctx.relative_path)
    except (TaggingError, OSError):
        return 0


class MakeWorkDir(Step):
    """Create the track's work folder; nothing half-made stays behind: it goes whatever happened."""

    name = "workdir"

    def setup(self, ctx: TrackContext) -> None:
        ctx.work_dir.mkdir(parents=True, exist_ok=True)

    def run(self, ctx: TrackContext) -> None:
        return

    def cleanup(self, ctx: TrackContext) -> None:
        shutil.rmtree(ctx.work_dir, ignore_errors=True)


TRACK_STEPS: tuple[type[Step], ...] = (
    MakeWorkDir,
    Resolve,
    CheckLibrary,
    Acquire,
    Verify,
    Convert,
    Enrich,  # lyrics and genres, from downloads/extras
    Tag,
    Place,
    WriteSidecar,  # the .lrc file next to the placed track
    Record,
)
