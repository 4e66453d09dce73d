"""The audio work of a track: checking that the fetched file is playable, and converting it.

Both decode the whole file once: ``verify`` with a plain decode when the file is kept in its format,
``convert`` on the conversion's own pass (``downloads.playability`` says what counts as playable).
"""

from __future__ import annotations

from downloads.conversion import ConversionError, DecodeReport, convert_audio_report, decode_audio
from downloads.pipeline.context import TrackContext
from downloads.pipeline.failure import TrackFailure
from downloads.playability import playability_problem
from downloads.sources.audio_files import AudioFacts, probe
from downloads.sources.base import SourceError
from spotizerr.lib import formats


def verify(ctx: TrackContext) -> None:
    """Refuse a file that does not decode in full. Skipped when a conversion is configured: ``convert``
    decodes the whole file anyway and checks that pass."""
    if ctx.audio_path is None or formats.get_format(ctx.settings.convert_to) is not None:
        return
    stated = _stated_facts(ctx)
    try:
        report = decode_audio(ctx.audio_path, cancel=ctx.cancel)
    except ConversionError as error:
        raise TrackFailure(_not_playable(ctx, error.reason), permanent=error.permanent) from error
    _check_playable(ctx, report, stated)


def convert(ctx: TrackContext) -> None:
    """Convert to ``convertTo`` at ``bitrate`` when a format is configured, refusing a source that did
    not decode in full."""
    target = formats.get_format(ctx.settings.convert_to)
    if target is None or ctx.audio_path is None:
        return
    bitrate = None if target.lossless else (ctx.settings.bitrate or target.default_bitrate)
    destination = ctx.work_dir / f"converted{target.extension}"
    stated = _stated_facts(ctx)
    try:
        report = convert_audio_report(
            ctx.audio_path, destination, format_name=target.name, bitrate=bitrate, cancel=ctx.cancel
        )
    except ConversionError as error:
        raise TrackFailure(
            f"Conversion to {target.name} failed: {error}", permanent=error.permanent
        ) from error
    _check_playable(ctx, report, stated)
    ctx.audio_path.unlink(missing_ok=True)
    ctx.audio_path = destination
    ctx.quality = f"{target.name} {bitrate}" if bitrate else target.name


def _stated_facts(ctx: TrackContext) -> AudioFacts:
    """What the fetched file's header says (length, format), before it is decoded."""
    assert ctx.audio_path is not None
    try:
        return probe(ctx.audio_path)
    except SourceError as error:
        raise TrackFailure(_not_playable(ctx, error.reason), permanent=True) from error


def _not_playable(ctx: TrackContext, detail: str) -> str:
    return f"The file from {ctx.source_name} is not playable audio: {detail}. It was not imported."


def _check_playable(ctx: TrackContext, report: DecodeReport, stated: AudioFacts) -> None:
    problem = playability_problem(report, stated, preview=ctx.is_preview)
    if problem:
        raise TrackFailure(_not_playable(ctx, problem), permanent=True)
