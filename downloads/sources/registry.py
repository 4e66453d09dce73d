"""Finds the installed sources (built-ins included) through the ``spotizerr.sources`` entry points."""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from downloads.sources.base import Source, SourceInfo

logger = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "spotizerr.sources"


def load_sources(points: Iterable[EntryPoint]) -> dict[str, Source]:
    """Instantiate each entry point's source. One that fails to import, to construct, or that does
    not fulfil the contract is logged and skipped: a broken plugin must not stop the others."""
    sources: dict[str, Source] = {}
    for point in points:
        source = _load_one(point)
        if source is None:
            continue
        if point.name in sources:
            logger.warning("Source %r is registered twice; keeping the first (%s)", point.name, point.value)
            continue
        sources[point.name] = source
    return sources


def _load_one(point: EntryPoint) -> Source | None:
    try:
        source = point.load()()
    except Exception:  # third-party code: any failure just disables that plugin
        logger.exception("Source plugin %r (%s) failed to load; skipping it", point.name, point.value)
        return None
    info = getattr(source, "info", None)
    if not isinstance(source, Source) or not isinstance(info, SourceInfo):
        logger.error(
            "Source plugin %r (%s) does not implement the Source contract; skipping it",
            point.name,
            point.value,
        )
        return None
    if info.name != point.name:
        logger.error(
            "Source plugin %r calls itself %r; the names must match; skipping it", point.name, info.name
        )
        return None
    return source


@functools.cache
def available_sources() -> dict[str, Source]:
    """Every installed source by name, loaded once per process."""
    return load_sources(entry_points(group=ENTRY_POINT_GROUP))


def source_order(config: dict[str, Any]) -> list[str]:
    """``service`` first, then (with ``fallback``) ``sourceOrder``, without repeats."""
    names = [config.get("service") or "inbox"]
    if config.get("fallback"):
        names += list(config.get("sourceOrder") or [])
    return list(dict.fromkeys(names))


def sources_for(config: dict[str, Any], *, sources: dict[str, Source] | None = None) -> list[Source]:
    """The sources to try for a track, in order. Unknown names are logged and ignored."""
    installed = available_sources() if sources is None else sources
    chosen: list[Source] = []
    for name in source_order(config):
        if name in installed:
            chosen.append(installed[name])
        else:
            logger.warning("Configured source %r is not installed; ignoring it", name)
    return chosen
