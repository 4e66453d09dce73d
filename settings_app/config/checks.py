"""Small value checkers. Each takes the raw JSON value and returns it normalised, or raises
``Invalid`` with a message a person can act on."""

from __future__ import annotations

import os
import string
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

Check = Callable[[Any], Any]


class Invalid(ValueError):
    """A value that cannot be saved; the message names what is wrong."""


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid("must be true or false")
    return value


def integer(minimum: int | None = None, maximum: int | None = None) -> Check:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid("must be a whole number")
        if minimum is not None and value < minimum:
            raise Invalid(f"must be at least {minimum}")
        if maximum is not None and value > maximum:
            raise Invalid(f"must be at most {maximum}")
        return value

    return check


def text(*, max_length: int = 1000, allow_empty: bool = False) -> Check:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise Invalid("must be a string")
        if not allow_empty and value == "":
            raise Invalid("must not be empty")
        if len(value) > max_length:
            raise Invalid(f"must be at most {max_length} characters")
        if "\x00" in value:
            raise Invalid("must not contain NUL")
        return value

    return check


def choice(allowed: Iterable[str], *, case: Callable[[str], str] = str.upper) -> Check:
    """One of ``allowed``, matched in any case and returned as spelled in ``allowed``."""
    by_key = {case(item): item for item in allowed}

    def check(value: Any) -> str:
        if not isinstance(value, str) or case(value.strip()) not in by_key:
            raise Invalid(f"must be one of {', '.join(by_key.values())}")
        return by_key[case(value.strip())]

    return check


def nullable(inner: Check) -> Check:
    """``inner`` or null; an empty string also counts as null."""

    def check(value: Any) -> Any:
        if value is None or value == "":
            return None
        return inner(value)

    return check


def subset(allowed: Iterable[str], *, allow_empty: bool = False) -> Check:
    """A list of distinct names from ``allowed`` (any case), in the given order."""
    pick = choice(allowed, case=str.lower)

    def check(value: Any) -> list[str]:
        if not isinstance(value, list):
            raise Invalid("must be a list")
        if not value and not allow_empty:
            raise Invalid("must not be empty")
        items = [pick(item) for item in value]
        if len(set(items)) != len(items):
            raise Invalid("must not name an item twice")
        return items

    return check


def directory(*, writable: bool) -> Check:
    """An absolute path to an existing directory (writable when asked)."""

    def check(value: Any) -> str:
        path_text = text(max_length=4096)(value)
        path = Path(path_text).expanduser()
        if not path.is_absolute():
            raise Invalid("must be an absolute path")
        if not path.is_dir():
            raise Invalid("is not an existing directory")
        mode = os.W_OK | os.X_OK if writable else os.R_OK | os.X_OK
        if not os.access(path, mode):
            raise Invalid("is not writable" if writable else "is not readable")
        return str(path)

    return check


def format_fields(template: str) -> list[str]:
    """Names of ``{...}`` fields in a ``str.format`` template; raises ``Invalid`` if malformed."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise Invalid(f"is not a valid template: {exc}") from None
    return [field for _, field, _, _ in parsed if field is not None]
