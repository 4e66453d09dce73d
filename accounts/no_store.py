"""Responses that carry credentials (JWT pairs, stream tickets) must never be stored by a browser or
proxy cache (RFC 6749 section 5.1)."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class NoStoreMixin(APIView):
    """For an ``APIView`` whose answers hold a token: ``Cache-Control: no-store``, also on errors."""

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["Pragma"] = "no-cache"
        return response
