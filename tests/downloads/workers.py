"""Running the django-q2 queue in test threads: what a cluster of ``workers`` processes would do with
the queued deliveries, minus the processes (the delivered functions are the real ones)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from django.db import connection
from django.utils.module_loading import import_string


def _call(func: str, args: tuple, kwargs: dict) -> Any:
    try:
        return import_string(func)(*args, **kwargs)
    finally:
        connection.close()


def run_queue(*, workers: int = 2, timeout: float = 60.0) -> list[str]:
    """Deliver every queued task (and those they queue) with ``workers`` threads until none is left;
    returns the functions called. Raises what a delivered function raised."""
    from django_q.brokers import get_broker
    from django_q.signing import SignedPackage

    broker = get_broker()
    called: list[str] = []
    futures: set[Future] = set()
    deadline = time.monotonic() + timeout
    with ThreadPoolExecutor(workers) as pool:
        while time.monotonic() < deadline:
            for ack, payload in broker.dequeue() or []:
                package = SignedPackage.loads(payload)
                broker.acknowledge(ack)
                called.append(package["func"])
                futures.add(pool.submit(_call, package["func"], package["args"], package["kwargs"]))
            for future in [future for future in futures if future.done()]:
                futures.discard(future)
                future.result()
            if not futures and broker.queue_size() == 0:
                return called
            time.sleep(0.02)
    raise TimeoutError("the queue did not drain in time")


class Background(threading.Thread):
    """``target(**kwargs)`` in a thread that closes its database connection when done; ``finish()``
    joins it and re-raises what it raised."""

    def __init__(self, target: Any, **kwargs: Any) -> None:
        super().__init__(daemon=True)
        self.work, self.kwargs, self.error = target, kwargs, None

    def run(self) -> None:
        try:
            self.work(**self.kwargs)
        except BaseException as error:
            self.error = error
        finally:
            connection.close()

    def finish(self, timeout: float) -> None:
        self.join(timeout)
        if self.is_alive():
            raise TimeoutError(f"still running after {timeout} s")
        if self.error is not None:
            raise self.error


def in_background(target: Any, **kwargs: Any) -> Background:
    thread = Background(target, **kwargs)
    thread.start()
    return thread


def wait_until(condition: Any, *, timeout: float = 15.0, every: float = 0.02) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        time.sleep(every)


def max_overlap(intervals: list[tuple[float, float]]) -> int:
    """The most intervals open at one moment."""
    edges = sorted(
        [(start, 1) for start, _ in intervals] + [(end, -1) for _, end in intervals],
        key=lambda edge: (edge[0], edge[1]),
    )
    best = current = 0
    for _, step in edges:
        current += step
        best = max(best, current)
    return best
