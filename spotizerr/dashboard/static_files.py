"""Serves ``/static/`` from the app itself (the dashboard's CSS, JS and icons, and the API docs'
bundled Swagger UI), so nothing is fetched from a CDN and no separate web server is needed."""

from __future__ import annotations

import posixpath
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponseBase
from django.views.static import serve

CACHE_SECONDS = 3600


def static_serve(request: HttpRequest, path: str) -> HttpResponseBase:
    """The file the staticfiles finders know as ``path`` (collected files when ``STATIC_ROOT`` has
    them). Paths that climb out (``..``) are a 404."""
    normalised = posixpath.normpath(path).lstrip("/")
    if normalised.startswith("..") or "\\" in normalised:
        raise Http404("No such static file.")
    root = Path(settings.STATIC_ROOT)
    if (root / normalised).is_file():
        response = serve(request, normalised, document_root=str(root))
    else:
        found = finders.find(normalised)
        if not found or isinstance(found, list):
            raise Http404("No such static file.")
        found_path = Path(found)
        response = serve(request, found_path.name, document_root=str(found_path.parent))
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response
