"""Responses that carry credentials (JWT pairs, stream tickets) must never be stored by a browser or
proxy cache (RFC 6749 section 5.1)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponseBase
from rest_framework.request import Request


class NoStoreMixin:
    """For an ``APIView`` whose answers hold a token: ``Cache-Control: no-store``, also on errors."""

    def finalize_response(
        self, request: Request, response: HttpResponseBase, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        response["Cache-Control"] = "no-store"
        response["Pragma"] = "no-cache"
        return response
