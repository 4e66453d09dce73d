"""The API's JSON parser: malformed or too deeply nested JSON is a 400 ``invalid_json``, never a 500."""

from __future__ import annotations

import codecs
import json
from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding  # type: ignore[attr-defined]  # not in the stubs
from rest_framework.settings import api_settings
from rest_framework.utils.json import strict_constant

#: Far deeper than any body the API accepts; deeper ones would only cost stack and CPU.
MAX_JSON_DEPTH = 64


def json_depth_exceeds(value: Any, limit: int) -> bool:
    """Whether ``value`` nests lists/objects deeper than ``limit`` (iterative: no recursion)."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        for child in children:
            if isinstance(child, (dict, list)):
                if depth + 1 > limit:
                    return True
                pending.append((child, depth + 1))
    return False


def loads_bounded(text: str | bytes, *, limit: int = MAX_JSON_DEPTH, strict: bool = False) -> Any:
    """``json.loads`` that raises ``ValueError`` (not ``RecursionError``) for JSON nested too deep;
    ``strict`` also refuses NaN and Infinity."""
    try:
        value = json.loads(text, parse_constant=strict_constant if strict else None)
    except RecursionError:
        raise ValueError(f"JSON nested deeper than {limit} levels.") from None
    if json_depth_exceeds(value, limit):
        raise ValueError(f"JSON nested deeper than {limit} levels.")
    return value


class SafeJSONParser(JSONParser):
    """DRF's JSON parser with a nesting limit and the stable error code ``invalid_json``."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        encoding = get_encoding(parser_context or {})  # refuses non-text codecs such as bz2_codec
        try:
            text = codecs.getreader(encoding)(stream).read()
            return loads_bounded(text, strict=api_settings.STRICT_JSON)
        except ValueError as exc:  # UnicodeDecodeError too
            raise ParseError(f"JSON parse error - {exc}", code="invalid_json") from None
