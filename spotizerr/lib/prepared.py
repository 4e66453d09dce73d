"""Querysets compiled to SQL once per process, then run with new parameter values.

Building and compiling a small ORM query (filters, ordering, an aggregate) costs this service
0.3-0.5 ms of CPU; running the SQL it makes on SQLite about 0.03 ms (``bench/peer_compare.py``,
py-spy). The hot read paths of the API (the configuration, task counts, a page's total) run the same
few query shapes on every request, so ``PreparedQuery`` builds each shape once, with sample values
standing for the parameters, keeps the SQL and the column converters the ORM chose, and later runs
that SQL with the real values: the same rows, as tuples, that ``values_list()`` would give.

Only for queries whose SQL does not depend on the values (no ``__in`` lists, whose placeholders
vary with their length; no ``None``, which becomes ``IS NULL``): the sample values must each appear
once among the compiled parameters, or building fails loudly.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections
from django.db.models import QuerySet


class PreparedQuery:
    """``build(*samples)`` (a ``values_list()`` queryset) compiled once per database alias; ``rows(*values)``
    runs it with ``values`` in place of ``samples``."""

    def __init__(self, build: Callable[..., QuerySet[Any]], *samples: Any) -> None:
        self.build, self.samples = build, samples
        self._compiled: dict[str, tuple[str, list[Any], list[int], dict[int, tuple[list[Any], Any]]]] = {}
        self._lock = threading.Lock()

    def rows(self, *values: Any, using: str = "default") -> list[tuple[Any, ...]]:
        sql, params, slots, converters = self._compiled.get(using) or self._compile(using)
        params = list(params)
        for slot, value in zip(slots, values, strict=True):
            params[slot] = value
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not converters:
            return [tuple(row) for row in rows]
        return [_converted(row, converters, connection) for row in rows]

    def _compile(self, using: str) -> tuple[str, list[Any], list[int], dict[int, tuple[list[Any], Any]]]:
        with self._lock:
            if using in self._compiled:
                return self._compiled[using]
            queryset = self.build(*self.samples).using(using)
            compiler = queryset.query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            converters = compiler.get_converters([column for column, _, _ in compiler.select])
            compiled = (sql, list(params), _slots(list(params), self.samples), converters)
            self._compiled[using] = compiled
            return compiled


def _slots(params: list[Any], samples: Sequence[Any]) -> list[int]:
    """Where each sample value sits among the compiled parameters (each exactly once)."""
    slots = []
    for sample in samples:
        found = [
            index for index, param in enumerate(params) if param == sample and type(param) is type(sample)
        ]
        if len(found) != 1:
            raise ValueError(f"Sample value {sample!r} appears {len(found)} times in the compiled parameters")
        slots.append(found[0])
    return slots


def _converted(
    row: Sequence[Any], converters: dict[int, tuple[list[Any], Any]], connection: Any
) -> tuple[Any, ...]:
    values = list(row)
    for position, (functions, expression) in converters.items():
        value = values[position]
        for function in functions:
            value = function(value, expression, connection)
        values[position] = value
    return tuple(values)
