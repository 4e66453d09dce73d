"""django-q2 entry points. Plain functions fed ids; every one is safe to run twice."""

from __future__ import annotations

from playlist_imports import services


def import_match_task(import_id: str) -> int:
    """Match the pending entries of an import (resumes where a stopped matcher left off)."""
    return services.import_match_run(import_id=import_id)
