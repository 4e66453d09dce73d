"""The API's JSON renderer (orjson, ``spotizerr.renderers``) writes what DRF's own renderer writes."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal

import pytest
from django.utils.functional import lazy
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from spotizerr.renderers import FastJSONRenderer

UTC = dt.UTC
lazy_text = lazy(lambda: "lazy text", str)

SAME_BYTES = [
    {"a": 1, "b": [True, False, None], "c": {"d": "é ü 日本 🎵"}},
    ("tuple", 1, 2),
    dt.datetime(2026, 12, 5, 3, 4, 5, tzinfo=UTC),
    dt.datetime(2026, 12, 5, 3, 4, 5, 123456, tzinfo=UTC),
    dt.datetime(2026, 12, 5, 3, 4, 5, 123456, tzinfo=dt.timezone(dt.timedelta(hours=2))),
    dt.datetime(2026, 12, 5, 3, 4, 5),
    dt.date(2026, 12, 5),
    dt.time(3, 4, 5, 6000),
    dt.timedelta(seconds=90),
    Decimal("1.50"),
    uuid.UUID("12345678-1234-5678-1234-567812345678"),
    lazy_text(),
    "line\u2028separator\u2029paragraph",
    2**70,  # over orjson's 64 bits: DRF renders it
    {1: "non-string key"},
    ReturnDict({"x": ReturnList([1, 2], serializer=None)}, serializer=None),
    [],
    {},
    "",
    0.5,
    -3,
]


@pytest.mark.parametrize("value", SAME_BYTES, ids=lambda value: type(value).__name__)
def test_it_writes_the_same_bytes_as_drf(value: object) -> None:
    assert FastJSONRenderer().render(value) == JSONRenderer().render(value)


def test_nothing_renders_as_an_empty_body() -> None:
    assert FastJSONRenderer().render(None) == b""


def test_an_indent_asked_for_in_accept_is_honoured() -> None:
    value = {"a": [1, 2]}
    rendered = FastJSONRenderer().render(value, "application/json; indent=2")
    assert rendered == JSONRenderer().render(value, "application/json; indent=2")
    assert b"\n  " in rendered


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(value=json_values.filter(lambda value: value is not None))
def test_any_json_value_reads_back_the_same(value: object) -> None:
    """Floats may be spelled differently (``1e16`` for ``1e+16``); the value is the same."""
    fast, reference = FastJSONRenderer().render(value), JSONRenderer().render(value)
    assert json.loads(fast) == json.loads(reference)
    assert "\u2028" not in fast.decode() and "\u2029" not in fast.decode()


def test_a_value_neither_can_write_fails_as_in_drf() -> None:
    with pytest.raises(TypeError):
        JSONRenderer().render({"x": object()})
    with pytest.raises(TypeError):
        FastJSONRenderer().render({"x": object()})


def test_a_float_json_cannot_hold_is_written_as_null_where_drf_would_fail() -> None:
    with pytest.raises(ValueError):
        JSONRenderer().render({"x": float("inf")})
    assert FastJSONRenderer().render({"x": float("inf"), "y": float("nan")}) == b'{"x":null,"y":null}'
