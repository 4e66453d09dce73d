"""``daphne_server``: the real ASGI application served by daphne in a forked process on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connections


def _spotizerr_application() -> Any:
    from spotizerr.asgi import application

    return application


@pytest.fixture
def daphne_server() -> Iterator[Callable[..., str]]:
    """``daphne_server(application=...)``: fork daphne serving what ``application()`` returns (by
    default ``spotizerr.asgi:application``, with the settings and module values of this moment) and
    return its base URL; every server is stopped after the test."""
    from daphne.testing import DaphneProcess

    processes: list[DaphneProcess] = []

    def start(application: Callable[[], Any] = _spotizerr_application) -> str:
        connections.close_all()  # the child must open its own database connections
        process = DaphneProcess("127.0.0.1", application)
        process.start()
        assert process.ready.wait(15), "daphne did not start"
        processes.append(process)
        return f"http://127.0.0.1:{process.port.value}"

    yield start
    for process in processes:
        process.terminate()
        process.join(5)
