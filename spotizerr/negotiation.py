"""DRF's content negotiation with a shortcut for what API clients send.

Every API view has one renderer (JSON); DRF still parsed the ``Accept`` header and matched media types
on each request (2-4 % of a request's CPU, ``bench/peer_compare.py``). With one renderer and an
``Accept`` of nothing, ``*/*`` or ``application/json`` (no ``?format=``), the answer is that renderer
and its media type, which is what DRF's matching returns for those; anything else goes through DRF's
own negotiation, its 406 included.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request

_PLAIN_ACCEPT = frozenset({"", "*/*", "application/json"})


class JsonFirstNegotiation(DefaultContentNegotiation):
    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> Any:
        renderers = list(renderers)
        if (
            format_suffix is None
            and len(renderers) == 1
            and request.META.get("HTTP_ACCEPT", "").strip() in _PLAIN_ACCEPT
            and self.settings.URL_FORMAT_OVERRIDE not in request.query_params
        ):
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)
